package org.mosaicpacs.dicom.value;

import java.time.LocalTime;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TM value: a time of day "HHMMSS.FFFFFF" that may stop after any component ("HH", "HHMM",
 * "HHMMSS", "HHMMSS.F" to "HHMMSS.FFFFFF"). The precision is kept, so a value prints back as it
 * was given, and a value stands for the interval it covers ({@link #lowerBound()} to
 * {@link #upperBound()}).
 *
 * <p>Parsing also accepts the ACR-NEMA form "HH:MM:SS.frac", a ',' for the '.', more than six
 * fraction digits (cut to six) and a trailing '.'; it ignores surrounding spaces and NULs. A leap
 * second (SS = 60) is accepted and read as the last instant of second 59. Immutable.
 */
public final class DicomTime {

    private static final Pattern TM = Pattern.compile("(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:[.,](\\d*))?)?)?");
    private static final Pattern LEGACY = Pattern.compile("(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d*))?)?");

    private final int hour;
    private final int minute;
    private final int second;
    private final int micros;
    private final Precision precision;
    private final int fractionDigits;

    private DicomTime(int hour, int minute, int second, int micros, Precision precision, int fractionDigits) {
        this.hour = hour;
        this.minute = minute;
        this.second = second;
        this.micros = micros;
        this.precision = precision;
        this.fractionDigits = fractionDigits;
    }

    /**
     * The TM value of a time: "HHMMSS" when it has no fraction of a second, otherwise
     * "HHMMSS.FFFFFF" (nanoseconds are cut to microseconds).
     */
    public static DicomTime of(LocalTime t) {
        Objects.requireNonNull(t, "time");
        int us = t.getNano() / 1000;
        return us == 0
                ? new DicomTime(t.getHour(), t.getMinute(), t.getSecond(), 0, Precision.SECOND, 0)
                : new DicomTime(t.getHour(), t.getMinute(), t.getSecond(), us, Precision.FRACTION, 6);
    }

    /**
     * The TM value of a time cut to a precision (HOUR, MINUTE, SECOND or FRACTION for six digits).
     *
     * @throws IllegalArgumentException for a date precision
     */
    public static DicomTime of(LocalTime t, Precision precision) {
        Objects.requireNonNull(t, "time");
        return switch (precision) {
            case HOUR -> new DicomTime(t.getHour(), 0, 0, 0, Precision.HOUR, 0);
            case MINUTE -> new DicomTime(t.getHour(), t.getMinute(), 0, 0, Precision.MINUTE, 0);
            case SECOND -> new DicomTime(t.getHour(), t.getMinute(), t.getSecond(), 0, Precision.SECOND, 0);
            case FRACTION -> new DicomTime(t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000,
                    Precision.FRACTION, 6);
            default -> throw new IllegalArgumentException("Not a time precision: " + precision);
        };
    }

    /**
     * Parses a TM value.
     *
     * @throws DicomValueException when the value is not a valid time in a known form
     */
    public static DicomTime parse(String s) throws DicomValueException {
        String[] why = new String[1];
        DicomTime v = read(s, why);
        if (v == null) {
            throw new DicomValueException("TM", s, why[0]);
        }
        return v;
    }

    /** Reads a value; null (with the reason in {@code why[0]} when given) on failure. */
    static DicomTime read(String s, String[] why) {
        String t = Strings.clean(s);
        Matcher m = TM.matcher(t);
        if (!m.matches()) {
            m = LEGACY.matcher(t);
            if (!m.matches()) {
                return Strings.fail(why, "expected HHMMSS.FFFFFF");
            }
        }
        int h = Integer.parseInt(m.group(1));
        int min = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int sec = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        String frac = m.group(4);
        if (h > 23 || min > 59 || sec > 60) {
            return Strings.fail(why, "component out of range");
        }
        Precision p;
        int digits = 0;
        if (m.group(2) == null) {
            p = Precision.HOUR;
        } else if (m.group(3) == null) {
            p = Precision.MINUTE;
        } else if (frac == null || frac.isEmpty()) {
            p = Precision.SECOND;
        } else {
            p = Precision.FRACTION;
            digits = Math.min(6, frac.length());
        }
        return new DicomTime(h, min, sec, frac == null ? 0 : Strings.micros(frac), p, digits);
    }

    /** Parses a TM value; empty when it cannot be read. Never throws. */
    public static Optional<DicomTime> tryParse(String s) {
        return Optional.ofNullable(read(s, null));
    }

    public int hour() {
        return hour;
    }

    public int minute() {
        return minute;
    }

    /** The second, 0-60 (60 for a leap second). */
    public int second() {
        return second;
    }

    /** The fraction of the second in microseconds (0-999999). */
    public int micros() {
        return micros;
    }

    public Precision precision() {
        return precision;
    }

    /** The number of fraction digits given (0-6). */
    public int fractionDigits() {
        return fractionDigits;
    }

    /** The time, missing components taken as zero: the same as {@link #lowerBound()}. */
    public LocalTime toLocalTime() {
        return lowerBound();
    }

    /** The first instant covered by this value. */
    public LocalTime lowerBound() {
        if (second == 60) {
            return LocalTime.of(hour, minute, 59, 999_999_999);
        }
        return LocalTime.of(hour, minute, second, micros * 1000);
    }

    /** The last instant (to the nanosecond) covered by this value, given its precision. */
    public LocalTime upperBound() {
        LocalTime lo = lowerBound();
        return switch (precision) {
            case HOUR -> lo.withMinute(59).withSecond(59).withNano(999_999_999);
            case MINUTE -> lo.withSecond(59).withNano(999_999_999);
            case SECOND -> lo.withNano(999_999_999);
            default -> second == 60 ? lo : lo.plusNanos(span(fractionDigits) - 1);
        };
    }

    /** Nanoseconds covered by a fraction of {@code digits} digits. */
    static long span(int digits) {
        long n = 1_000_000_000L;
        for (int i = 0; i < digits; i++) {
            n /= 10;
        }
        return n;
    }

    /** The TM string at the precision of this value. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(13);
        sb.append(String.format("%02d", hour));
        if (precision.compareTo(Precision.MINUTE) >= 0) {
            sb.append(String.format("%02d", minute));
        }
        if (precision.compareTo(Precision.SECOND) >= 0) {
            sb.append(String.format("%02d", second));
        }
        if (precision == Precision.FRACTION) {
            sb.append('.').append(Strings.fraction(micros, fractionDigits));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DicomTime t && t.hour == hour && t.minute == minute && t.second == second
                && t.micros == micros && t.precision == precision && t.fractionDigits == fractionDigits;
    }

    @Override
    public int hashCode() {
        return Objects.hash(hour, minute, second, micros, precision, fractionDigits);
    }
}
