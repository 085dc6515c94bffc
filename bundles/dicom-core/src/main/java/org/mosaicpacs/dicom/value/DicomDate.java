package org.mosaicpacs.dicom.value;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DA value: a calendar date written "YYYYMMDD".
 *
 * <p>Parsing also accepts the ACR-NEMA form "YYYY.MM.DD" (and "YYYY-MM-DD", "YYYY/MM/DD"), and
 * ignores surrounding spaces and NULs. Immutable.
 */
public final class DicomDate implements Comparable<DicomDate> {

    private static final Pattern DA = Pattern.compile("(\\d{4})([.\\-/]?)(\\d{2})\\2(\\d{2})");

    private final LocalDate date;

    private DicomDate(LocalDate date) {
        this.date = date;
    }

    /** The DA value of a date. Years outside 0-9999 cannot be written and are rejected. */
    public static DicomDate of(LocalDate date) {
        Objects.requireNonNull(date, "date");
        if (date.getYear() < 0 || date.getYear() > 9999) {
            throw new IllegalArgumentException("Year out of DA range: " + date);
        }
        return new DicomDate(date);
    }

    /**
     * Parses a DA value.
     *
     * @throws DicomValueException when the value is not a valid date in a known form
     */
    public static DicomDate parse(String s) throws DicomValueException {
        String t = Strings.clean(s);
        Matcher m = DA.matcher(t);
        if (!m.matches()) {
            throw new DicomValueException("DA", s, "expected YYYYMMDD");
        }
        try {
            return new DicomDate(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4))));
        } catch (DateTimeException e) {
            throw new DicomValueException("DA", s, e.getMessage());
        }
    }

    /** Parses a DA value; empty when it cannot be read. Never throws. */
    public static Optional<DicomDate> tryParse(String s) {
        try {
            return Optional.of(parse(s));
        } catch (DicomValueException e) {
            return Optional.empty();
        }
    }

    /** The date. */
    public LocalDate toLocalDate() {
        return date;
    }

    /** The DA string, "YYYYMMDD". */
    @Override
    public String toString() {
        return format(date);
    }

    /** Formats a date as "YYYYMMDD". */
    public static String format(LocalDate date) {
        return String.format("%04d%02d%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    }

    @Override
    public int compareTo(DicomDate o) {
        return date.compareTo(o.date);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DicomDate d && d.date.equals(date);
    }

    @Override
    public int hashCode() {
        return date.hashCode();
    }
}
