package org.mosaicpacs.dicom.value;

import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Splits range matching values "A-B", "A-", "-B" and "A" (PS3.4 C.2.2.2.5). The '-' that separates
 * the bounds is found by trying each '-' in turn, because a DT bound may itself contain a '-' in its
 * UTC offset: the first split whose sides both parse (or are empty) and are in order wins; failing
 * that, the whole value is read as a single value.
 */
final class Ranges {

    private Ranges() {
    }

    /** The two sides of a range; a null side is open. {@code single} when there was no '-'. */
    record Split<T>(T lower, T upper, boolean single) { }

    /**
     * @param parser reads one side, returning null when it cannot
     * @param ordered whether a lower and an upper side are in order
     * @return the split, or null when the value is not a range of this type
     */
    static <T> Split<T> split(String s, Function<String, T> parser, BiPredicate<T, T> ordered) {
        String t = Strings.clean(s);
        if (t.isEmpty()) {
            return null;
        }
        for (int i = t.indexOf('-'); i >= 0; i = t.indexOf('-', i + 1)) {
            String left = t.substring(0, i).trim();
            String right = t.substring(i + 1).trim();
            if (left.isEmpty() && right.isEmpty()) {
                continue;
            }
            T lo = left.isEmpty() ? null : parser.apply(left);
            if (!left.isEmpty() && lo == null) {
                continue;
            }
            T hi = right.isEmpty() ? null : parser.apply(right);
            if (!right.isEmpty() && hi == null) {
                continue;
            }
            if (lo != null && hi != null && !ordered.test(lo, hi)) {
                continue;
            }
            return new Split<>(lo, hi, false);
        }
        T single = parser.apply(t);
        return single == null ? null : new Split<>(single, single, true);
    }
}
