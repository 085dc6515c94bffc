package org.mosaicpacs.dicom.value;

import java.time.LocalDate;
import java.time.YearMonth;
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
        String[] why = new String[1];
        DicomDate v = read(s, why);
        if (v == null) {
            throw new DicomValueException("DA", s, why[0]);
        }
        return v;
    }

    /** Reads a value; null (with the reason in {@code why[0]} when given) on failure. */
    static DicomDate read(String s, String[] why) {
        String t = Strings.clean(s);
        Matcher m = DA.matcher(t);
        if (!m.matches()) {
            return Strings.fail(why, "expected YYYYMMDD");
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(3));
        int day = Integer.parseInt(m.group(4));
        if (month < 1 || month > 12) {
            return Strings.fail(why, "month out of range");
        }
        if (day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return Strings.fail(why, "day out of range");
        }
        return new DicomDate(LocalDate.of(year, month, day));
    }

    /** Parses a DA value; empty when it cannot be read. Never throws. */
    public static Optional<DicomDate> tryParse(String s) {
        return Optional.ofNullable(read(s, null));
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
