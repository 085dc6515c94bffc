package org.mosaicpacs.dicom.value;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * A date-time range for matching DT values (PS3.4 C.2.2.2.5): "A-B", "A-", "-B" or a single value
 * "A"; the bounds are inclusive and precision-aware, so "2023-2024" runs from the start of 2023 to
 * the last instant of 2024, and "2024" alone is the whole year.
 *
 * <p>Bounds may carry a UTC offset ("20240101-0500-20240102-0500"): the '-' that separates the
 * bounds is told apart from the sign of an offset by trying each split. Bounds without an offset are
 * placed at a default offset given by the caller (DICOM: the Timezone Offset From UTC (0008,0201),
 * or the local time zone). A range whose lower bound is after its upper bound is rejected. The
 * bounds keep the form in which they were given. Immutable.
 */
public final class DateTimeRange {

    private final DicomDateTime lower;
    private final DicomDateTime upper;
    private final boolean single;

    private DateTimeRange(DicomDateTime lower, DicomDateTime upper, boolean single) {
        this.lower = lower;
        this.upper = upper;
        this.single = single;
    }

    /**
     * A range between two DT values, inclusive; a null bound is open.
     *
     * @throws IllegalArgumentException when both are null
     */
    public static DateTimeRange of(DicomDateTime lower, DicomDateTime upper) {
        if (lower == null && upper == null) {
            throw new IllegalArgumentException("A range needs at least one bound");
        }
        return new DateTimeRange(lower, upper, false);
    }

    /**
     * Parses a date-time range.
     *
     * @throws DicomValueException when the value is not a date-time range
     */
    public static DateTimeRange parse(String s) throws DicomValueException {
        String[] why = new String[1];
        DateTimeRange v = read(s, why);
        if (v == null) {
            throw new DicomValueException("DT", s, why[0]);
        }
        return v;
    }

    /** Reads a value; null (with the reason in {@code why[0]} when given) on failure. */
    static DateTimeRange read(String s, String[] why) {
        Ranges.Split<DicomDateTime> split = Ranges.split(s, v -> DicomDateTime.tryParse(v).orElse(null),
                (lo, hi) -> !lo.lowerBound(ZoneOffset.UTC).isAfter(hi.upperBound(ZoneOffset.UTC)));
        if (split == null) {
            return Strings.fail(why, "expected a date-time range");
        }
        return new DateTimeRange(split.lower(), split.upper(), split.single());
    }

    /** Parses a date-time range; empty when it cannot be read. Never throws. */
    public static Optional<DateTimeRange> tryParse(String s) {
        return Optional.ofNullable(read(s, null));
    }

    /** The lower bound as given, empty when the range is open at the start. */
    public Optional<DicomDateTime> lower() {
        return Optional.ofNullable(lower);
    }

    /** The upper bound as given, empty when the range is open at the end. */
    public Optional<DicomDateTime> upper() {
        return Optional.ofNullable(upper);
    }

    /** The first instant of the range, at the bound's offset or else {@code defaultOffset}. */
    public Optional<OffsetDateTime> lowerBound(ZoneOffset defaultOffset) {
        return lower == null ? Optional.empty() : Optional.of(lower.lowerBound(defaultOffset));
    }

    /** The last instant of the range, at the bound's offset or else {@code defaultOffset}. */
    public Optional<OffsetDateTime> upperBound(ZoneOffset defaultOffset) {
        return upper == null ? Optional.empty() : Optional.of(upper.upperBound(defaultOffset));
    }

    /** The first instant of the range as local date-time, ignoring any offset. */
    public Optional<LocalDateTime> lowerBound() {
        return lower == null ? Optional.empty() : Optional.of(lower.lowerBound());
    }

    /** The last instant of the range as local date-time, ignoring any offset. */
    public Optional<LocalDateTime> upperBound() {
        return upper == null ? Optional.empty() : Optional.of(upper.upperBound());
    }

    /**
     * Whether an instant lies in the range, bounds included; bounds without an offset are placed at
     * {@code defaultOffset}.
     */
    public boolean contains(OffsetDateTime t, ZoneOffset defaultOffset) {
        return (lower == null || !t.isBefore(lower.lowerBound(defaultOffset)))
                && (upper == null || !t.isAfter(upper.upperBound(defaultOffset)));
    }

    /** Whether a local date-time lies in the range, bounds included, ignoring all offsets. */
    public boolean contains(LocalDateTime t) {
        return (lower == null || !t.isBefore(lower.lowerBound()))
                && (upper == null || !t.isAfter(upper.upperBound()));
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
        return o instanceof DateTimeRange r && Objects.equals(r.lower, lower) && Objects.equals(r.upper, upper)
                && r.single == single;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lower, upper, single);
    }
}
