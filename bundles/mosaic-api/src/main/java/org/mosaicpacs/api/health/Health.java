package org.mosaicpacs.api.health;

import java.util.Objects;

/**
 * What a {@link HealthIndicator} says about the thing it watches.
 *
 * @param state  its state
 * @param detail one line for an admin (never {@code null}; empty when there is nothing to add)
 */
public record Health(HealthState state, String detail) {

    public Health {
        Objects.requireNonNull(state, "state");
        detail = detail == null ? "" : detail;
    }

    public static Health up(String detail) {
        return new Health(HealthState.UP, detail);
    }

    public static Health down(String detail) {
        return new Health(HealthState.DOWN, detail);
    }
}
