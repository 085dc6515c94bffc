package org.mosaicpacs.plugin.forward.internal;

import java.time.Duration;

/**
 * Exponential back-off: the wait after the n-th failed attempt in a row is {@code initial * 2^(n-1)}, at most
 * {@code max}.
 */
record Backoff(Duration initial, Duration max) {

    Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("the initial retry delay must be positive: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            max = initial;
        }
    }

    /** The wait after {@code failures} failed attempts in a row (1 for the first). */
    Duration delay(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 40));
        Duration d = initial;
        for (int i = 0; i < doublings && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
