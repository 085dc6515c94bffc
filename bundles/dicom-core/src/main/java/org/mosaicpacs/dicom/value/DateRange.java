package org.mosaicpacs.dicom.value;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A date range for matching DA values (PS3.4 C.2.2.2.5): "A-B", "A-" (from A on), "-B" (up to B)
 * or a single date "A"; the bounds are inclusive.
 *
 * <p>Bounds may be written as DA ("YYYYMMDD", or the ACR-NEMA "YYYY.MM.DD") or, tolerantly, with a
 * lower precision: "2024" means the whole year and "202403" the whole month, so "2023-2024" is
 * 2023-01-01 to 2024-12-31. A range whose lower bound is after its upper bound is rejected.
 * Immutable.
 */
public final class DateRange {

    private final LocalDate lower;
    private final LocalDate upper;

    private DateRange(LocalDate lower, LocalDate upper) {
        this.lower = lower;
        this.upper = upper;
    }

    /**
     * A range between two dates, inclusive; a null bound is open.
     *
     * @throws IllegalArgumentException when both are null or lower is after upper
     */
    public static DateRange of(LocalDate lower, LocalDate upper) {
        if (lower == null && upper == null) {
            throw new IllegalArgumentException("A range needs at least one bound");
        }
        if (lower != null && upper != null && lower.isAfter(upper)) {
            throw new IllegalArgumentException("Lower bound after upper bound: " + lower + " > " + upper);
        }
        return new DateRange(lower, upper);
    }

    /**
     * Parses a date range.
     *
     * @throws DicomValueException when the value is not a date range
     */
    public static DateRange parse(String s) throws DicomValueException {
        String[] why = new String[1];
        DateRange v = read(s, why);
        if (v == null) {
            throw new DicomValueException("DA", s, why[0]);
        }
        return v;
    }

    /** Reads a value; null (with the reason in {@code why[0]} when given) on failure. */
    static DateRange read(String s, String[] why) {
        Ranges.Split<LocalDate[]> split = Ranges.split(s, DateRange::side, (lo, hi) -> !lo[0].isAfter(hi[1]));
        if (split == null) {
            return Strings.fail(why, "expected a date range YYYYMMDD-YYYYMMDD");
        }
        return new DateRange(split.lower() == null ? null : split.lower()[0],
                split.upper() == null ? null : split.upper()[1]);
    }

    /** Parses a date range; empty when it cannot be read. Never throws. */
    public static Optional<DateRange> tryParse(String s) {
        return Optional.ofNullable(read(s, null));
    }

    /** The first and last day covered by one side of a range, or null. */
    private static LocalDate[] side(String s) {
        Optional<DicomDate> da = DicomDate.tryParse(s);
        if (da.isPresent()) {
            LocalDate d = da.get().toLocalDate();
            return new LocalDate[] {d, d};
        }
        Optional<DicomDateTime> dt = DicomDateTime.tryParse(s);
        if (dt.isPresent() && dt.get().precision().compareTo(Precision.DAY) <= 0 && dt.get().offset().isEmpty()) {
            return new LocalDate[] {dt.get().lowerBound().toLocalDate(), dt.get().upperBound().toLocalDate()};
        }
        return null;
    }

    /** The first day of the range, empty when it is open at the start. */
    public Optional<LocalDate> lower() {
        return Optional.ofNullable(lower);
    }

    /** The last day of the range, empty when it is open at the end. */
    public Optional<LocalDate> upper() {
        return Optional.ofNullable(upper);
    }

    /** Whether the date lies in the range, bounds included. */
    public boolean contains(LocalDate d) {
        return (lower == null || !d.isBefore(lower)) && (upper == null || !d.isAfter(upper));
    }

    /** The range as a DICOM matching value: "YYYYMMDD-YYYYMMDD", "YYYYMMDD-", "-YYYYMMDD" or "YYYYMMDD". */
    @Override
    public String toString() {
        if (lower != null && lower.equals(upper)) {
            return DicomDate.format(lower);
        }
        return (lower == null ? "" : DicomDate.format(lower)) + "-" + (upper == null ? "" : DicomDate.format(upper));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DateRange r && Objects.equals(r.lower, lower) && Objects.equals(r.upper, upper);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lower, upper);
    }
}
