package org.mosaicpacs.dicom.value;

import java.time.LocalTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A time range for matching TM values (PS3.4 C.2.2.2.5): "A-B", "A-", "-B" or a single time "A";
 * the bounds are inclusive and precision-aware: "-10" runs up to 10:59:59.999999999 and "1030" alone
 * matches the whole minute 10:30.
 *
 * <p>A range whose lower bound is later than its upper bound ("2300-0100") is taken to span
 * midnight: it contains the times from the lower bound to the end of the day and from the start of
 * the day to the upper bound. The bounds keep the form in which they were given. Immutable.
 */
public final class TimeRange {

    private final DicomTime lower;
    private final DicomTime upper;
    private final boolean single;

    private TimeRange(DicomTime lower, DicomTime upper, boolean single) {
        this.lower = lower;
        this.upper = upper;
        this.single = single;
    }

    /**
     * A range between two TM values, inclusive; a null bound is open.
     *
     * @throws IllegalArgumentException when both are null
     */
    public static TimeRange of(DicomTime lower, DicomTime upper) {
        if (lower == null && upper == null) {
            throw new IllegalArgumentException("A range needs at least one bound");
        }
        return new TimeRange(lower, upper, false);
    }

    /**
     * Parses a time range.
     *
     * @throws DicomValueException when the value is not a time range
     */
    public static TimeRange parse(String s) throws DicomValueException {
        String[] why = new String[1];
        TimeRange v = read(s, why);
        if (v == null) {
            throw new DicomValueException("TM", s, why[0]);
        }
        return v;
    }

    /** Reads a value; null (with the reason in {@code why[0]} when given) on failure. */
    static TimeRange read(String s, String[] why) {
        Ranges.Split<DicomTime> split = Ranges.split(s, v -> DicomTime.tryParse(v).orElse(null), (lo, hi) -> true);
        if (split == null) {
            return Strings.fail(why, "expected a time range HHMMSS-HHMMSS");
        }
        return new TimeRange(split.lower(), split.upper(), split.single());
    }

    /** Parses a time range; empty when it cannot be read. Never throws. */
    public static Optional<TimeRange> tryParse(String s) {
        return Optional.ofNullable(read(s, null));
    }

    /** The lower bound as given, empty when the range is open at the start. */
    public Optional<DicomTime> lower() {
        return Optional.ofNullable(lower);
    }

    /** The upper bound as given, empty when the range is open at the end. */
    public Optional<DicomTime> upper() {
        return Optional.ofNullable(upper);
    }

    /** The first instant of the range, empty when it is open at the start. */
    public Optional<LocalTime> lowerBound() {
        return lower == null ? Optional.empty() : Optional.of(lower.lowerBound());
    }

    /** The last instant of the range given the precision of its upper bound, empty when open at the end. */
    public Optional<LocalTime> upperBound() {
        return upper == null ? Optional.empty() : Optional.of(upper.upperBound());
    }

    /** Whether the range runs over midnight (its lower bound is later than its upper bound). */
    public boolean spansMidnight() {
        return lower != null && upper != null && lower.lowerBound().isAfter(upper.upperBound());
    }

    /** Whether the time lies in the range, bounds included. */
    public boolean contains(LocalTime t) {
        boolean afterLower = lower == null || !t.isBefore(lower.lowerBound());
        boolean beforeUpper = upper == null || !t.isAfter(upper.upperBound());
        return spansMidnight() ? afterLower || beforeUpper : afterLower && beforeUpper;
    }

    /** The range as a DICOM matching value, with the bounds in the form they were given. */
    @Override
    public String toString() {
        if (single) {
            return lower.toString();
        }
        return (lower == null ? "" : lower.toString()) + "-" + (upper == null ? "" : upper.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeRange r && Objects.equals(r.lower, lower) && Objects.equals(r.upper, upper)
                && r.single == single;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lower, upper, single);
    }
}
