package org.mosaicpacs.dicom.value;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DT value: "YYYYMMDDHHMMSS.FFFFFF&amp;ZZXX", which may stop after any component from the year on,
 * with an optional UTC offset "+hhmm" or "-hhmm" (PS3.5 Table 6.2-1). The precision and the
 * presence of an offset are kept, so a value prints back as it was given; a value stands for the
 * interval it covers, so "2024" is the whole year.
 *
 * <p>Parsing ignores surrounding spaces and NULs, accepts ',' for '.', an offset written "+hh:mm",
 * more than six fraction digits (cut to six) and a leap second. Offsets must lie between -12:00
 * and +14:00. Immutable.
 */
public final class DicomDateTime {

    private static final Pattern DT = Pattern.compile(
            "(\\d{4})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:[.,](\\d*))?)?)?)?)?)?"
                    + "(?:([+-])(\\d{2}):?(\\d{2}))?");

    private final int year;
    private final int month;
    private final int day;
    private final int hour;
    private final int minute;
    private final int second;
    private final int micros;
    private final Precision precision;
    private final int fractionDigits;
    private final ZoneOffset offset;

    private DicomDateTime(int year, int month, int day, int hour, int minute, int second, int micros,
            Precision precision, int fractionDigits, ZoneOffset offset) {
        this.year = year;
        this.month = month;
        this.day = day;
        this.hour = hour;
        this.minute = minute;
        this.second = second;
        this.micros = micros;
        this.precision = precision;
        this.fractionDigits = fractionDigits;
        this.offset = offset;
    }

    /**
     * The DT value of a local date-time, without offset: to the second, or with six fraction digits
     * when it has a fraction of a second.
     */
    public static DicomDateTime of(LocalDateTime t) {
        return of(t, null);
    }

    /** The DT value of a date-time with its offset. */
    public static DicomDateTime of(OffsetDateTime t) {
        return of(t.toLocalDateTime(), t.getOffset());
    }

    private static DicomDateTime of(LocalDateTime t, ZoneOffset offset) {
        Objects.requireNonNull(t, "dateTime");
        checkYear(t.getYear());
        int us = t.getNano() / 1000;
        return new DicomDateTime(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(),
                t.getSecond(), us, us == 0 ? Precision.SECOND : Precision.FRACTION, us == 0 ? 0 : 6, offset);
    }

    /**
     * A date-time cut to a precision (FRACTION means six digits), with an optional offset.
     *
     * @param offset the UTC offset, or null for none
     */
    public static DicomDateTime of(LocalDateTime t, Precision precision, ZoneOffset offset) {
        Objects.requireNonNull(t, "dateTime");
        Objects.requireNonNull(precision, "precision");
        checkYear(t.getYear());
        int p = precision.ordinal();
        return new DicomDateTime(t.getYear(),
                p >= Precision.MONTH.ordinal() ? t.getMonthValue() : 1,
                p >= Precision.DAY.ordinal() ? t.getDayOfMonth() : 1,
                p >= Precision.HOUR.ordinal() ? t.getHour() : 0,
                p >= Precision.MINUTE.ordinal() ? t.getMinute() : 0,
                p >= Precision.SECOND.ordinal() ? t.getSecond() : 0,
                precision == Precision.FRACTION ? t.getNano() / 1000 : 0,
                precision, precision == Precision.FRACTION ? 6 : 0, offset);
    }

    /** Combines a DA and a TM value (as in Study Date and Study Time) into a DT value. */
    public static DicomDateTime of(DicomDate date, DicomTime time) {
        LocalDate d = date.toLocalDate();
        if (time == null) {
            return new DicomDateTime(d.getYear(), d.getMonthValue(), d.getDayOfMonth(), 0, 0, 0, 0, Precision.DAY,
                    0, null);
        }
        return new DicomDateTime(d.getYear(), d.getMonthValue(), d.getDayOfMonth(), time.hour(), time.minute(),
                time.second(), time.micros(), time.precision(), time.fractionDigits(), null);
    }

    private static void checkYear(int year) {
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("Year out of DT range: " + year);
        }
    }

    /**
     * Parses a DT value.
     *
     * @throws DicomValueException when the value is not a valid date-time
     */
    public static DicomDateTime parse(String s) throws DicomValueException {
        String[] why = new String[1];
        DicomDateTime v = read(s, why);
        if (v == null) {
            throw new DicomValueException("DT", s, why[0]);
        }
        return v;
    }

    /** Reads a value; null (with the reason in {@code why[0]} when given) on failure. */
    static DicomDateTime read(String s, String[] why) {
        String t = Strings.clean(s);
        Matcher m = DT.matcher(t);
        if (!m.matches()) {
            return Strings.fail(why, "expected YYYYMMDDHHMMSS.FFFFFF&ZZXX");
        }
        int[] v = new int[6];
        int given = 0;
        for (int i = 0; i < 6; i++) {
            String g = m.group(i + 1);
            if (g != null) {
                v[i] = Integer.parseInt(g);
                given = i + 1;
            }
        }
        int year = v[0];
        int month = given >= 2 ? v[1] : 1;
        int day = given >= 3 ? v[2] : 1;
        if (month < 1 || month > 12) {
            return Strings.fail(why, "month out of range");
        }
        if (day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return Strings.fail(why, "day out of range");
        }
        if (v[3] > 23 || v[4] > 59 || v[5] > 60) {
            return Strings.fail(why, "time component out of range");
        }
        String frac = m.group(7);
        Precision p = Precision.values()[given - 1];
        int digits = 0;
        if (frac != null && !frac.isEmpty()) {
            p = Precision.FRACTION;
            digits = Math.min(6, frac.length());
        }
        ZoneOffset offset = null;
        if (m.group(8) != null) {
            int oh = Integer.parseInt(m.group(9));
            int om = Integer.parseInt(m.group(10));
            int seconds = (oh * 3600 + om * 60) * (m.group(8).equals("-") ? -1 : 1);
            if (om > 59 || seconds < -12 * 3600 || seconds > 14 * 3600) {
                return Strings.fail(why, "UTC offset out of range");
            }
            offset = ZoneOffset.ofTotalSeconds(seconds);
        }
        return new DicomDateTime(year, month, day, v[3], v[4], v[5], frac == null ? 0 : Strings.micros(frac), p,
                digits, offset);
    }

    /** Parses a DT value; empty when it cannot be read. Never throws. */
    public static Optional<DicomDateTime> tryParse(String s) {
        return Optional.ofNullable(read(s, null));
    }

    public Precision precision() {
        return precision;
    }

    /** The number of fraction digits given (0-6). */
    public int fractionDigits() {
        return fractionDigits;
    }

    /** The UTC offset, when the value has one. */
    public Optional<ZoneOffset> offset() {
        return Optional.ofNullable(offset);
    }

    /** The date-time, missing components taken as their first value: {@link #lowerBound()}. */
    public LocalDateTime toLocalDateTime() {
        return lowerBound();
    }

    /**
     * The date-time at its own offset, or at {@code defaultOffset} when it has none (DICOM then
     * means the Timezone Offset From UTC (0008,0201) of the data set, or the local time zone).
     */
    public OffsetDateTime toOffsetDateTime(ZoneOffset defaultOffset) {
        return OffsetDateTime.of(lowerBound(), offset != null ? offset : defaultOffset);
    }

    /** The first instant covered by this value, ignoring the offset. */
    public LocalDateTime lowerBound() {
        if (second == 60) {
            return LocalDateTime.of(year, month, day, hour, minute, 59, 999_999_999);
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000);
    }

    /** The last instant (to the nanosecond) covered by this value given its precision, ignoring the offset. */
    public LocalDateTime upperBound() {
        LocalDateTime lo = lowerBound();
        LocalDateTime next = switch (precision) {
            case YEAR -> lo.plusYears(1);
            case MONTH -> lo.plusMonths(1);
            case DAY -> lo.plusDays(1);
            case HOUR -> lo.plusHours(1);
            case MINUTE -> lo.plusMinutes(1);
            case SECOND -> second == 60 ? lo.plusNanos(1) : lo.plusSeconds(1);
            case FRACTION -> second == 60 ? lo.plusNanos(1) : lo.plusNanos(DicomTime.span(fractionDigits));
        };
        return next.minusNanos(1);
    }

    /** {@link #lowerBound()} at the value's offset, or at {@code defaultOffset} when it has none. */
    public OffsetDateTime lowerBound(ZoneOffset defaultOffset) {
        return OffsetDateTime.of(lowerBound(), offset != null ? offset : defaultOffset);
    }

    /** {@link #upperBound()} at the value's offset, or at {@code defaultOffset} when it has none. */
    public OffsetDateTime upperBound(ZoneOffset defaultOffset) {
        return OffsetDateTime.of(upperBound(), offset != null ? offset : defaultOffset);
    }

    /** The DT string at the precision of this value, with its offset if it has one. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(26);
        sb.append(String.format("%04d", year));
        int p = precision.ordinal();
        int[] parts = {month, day, hour, minute, second};
        for (int i = 0; i < parts.length && i < p; i++) {
            sb.append(String.format("%02d", parts[i]));
        }
        if (precision == Precision.FRACTION) {
            sb.append('.').append(Strings.fraction(micros, fractionDigits));
        }
        if (offset != null) {
            int total = offset.getTotalSeconds();
            sb.append(total < 0 ? '-' : '+');
            total = Math.abs(total);
            sb.append(String.format("%02d%02d", total / 3600, total / 60 % 60));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DicomDateTime t && t.year == year && t.month == month && t.day == day
                && t.hour == hour && t.minute == minute && t.second == second && t.micros == micros
                && t.precision == precision && t.fractionDigits == fractionDigits
                && Objects.equals(t.offset, offset);
    }

    @Override
    public int hashCode() {
        return Objects.hash(year, month, day, hour, minute, second, micros, precision, fractionDigits, offset);
    }
}
