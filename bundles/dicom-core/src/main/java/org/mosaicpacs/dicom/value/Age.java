package org.mosaicpacs.dicom.value;

import java.time.LocalDate;
import java.time.Period;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AS value: an age "nnnD", "nnnW", "nnnM" or "nnnY" (days, weeks, months, years; 0-999).
 *
 * <p>Parsing ignores surrounding spaces and NULs, a lower-case unit, fewer than three digits and a
 * space before the unit ("18 y"); a number without a unit is rejected, as its unit cannot be
 * known. Immutable.
 */
public final class Age {

    /** The unit of an age. */
    public enum Unit {
        DAYS('D'), WEEKS('W'), MONTHS('M'), YEARS('Y');

        private final char code;

        Unit(char code) {
            this.code = code;
        }

        /** The letter written in AS values. */
        public char code() {
            return code;
        }
    }

    private static final Pattern AS = Pattern.compile("(\\d{1,3}) ?([DWMYdwmy])");

    private final int value;
    private final Unit unit;

    private Age(int value, Unit unit) {
        this.value = value;
        this.unit = unit;
    }

    /**
     * An age.
     *
     * @throws IllegalArgumentException when the value is outside 0-999
     */
    public static Age of(int value, Unit unit) {
        Objects.requireNonNull(unit, "unit");
        if (value < 0 || value > 999) {
            throw new IllegalArgumentException("Age out of range 0-999: " + value);
        }
        return new Age(value, unit);
    }

    /**
     * The age of someone born on {@code birth} at {@code date}, in the unit usually written in
     * Patient's Age: days below one month, months below one year, and years from one year on
     * (weeks are never chosen).
     *
     * @throws IllegalArgumentException when {@code date} is before {@code birth} or the age exceeds
     *     999 years
     */
    public static Age between(LocalDate birth, LocalDate date) {
        if (date.isBefore(birth)) {
            throw new IllegalArgumentException("Date before birth: " + date + " < " + birth);
        }
        Period p = Period.between(birth, date);
        if (p.getYears() >= 1) {
            return of(p.getYears(), Unit.YEARS);
        }
        if (p.getMonths() >= 1) {
            return of(p.getMonths(), Unit.MONTHS);
        }
        return of(p.getDays(), Unit.DAYS);
    }

    /**
     * Parses an AS value.
     *
     * @throws DicomValueException when it is not an age
     */
    public static Age parse(String s) throws DicomValueException {
        String[] why = new String[1];
        Age v = read(s, why);
        if (v == null) {
            throw new DicomValueException("AS", s, why[0]);
        }
        return v;
    }

    /** Reads a value; null (with the reason in {@code why[0]} when given) on failure. */
    static Age read(String s, String[] why) {
        Matcher m = AS.matcher(Strings.clean(s));
        if (!m.matches()) {
            return Strings.fail(why, "expected nnnD, nnnW, nnnM or nnnY");
        }
        char u = m.group(2).toUpperCase(Locale.ROOT).charAt(0);
        for (Unit unit : Unit.values()) {
            if (unit.code == u) {
                return new Age(Integer.parseInt(m.group(1)), unit);
            }
        }
        throw new AssertionError(u);
    }

    /** Parses an AS value; empty when it cannot be read. Never throws. */
    public static Optional<Age> tryParse(String s) {
        return Optional.ofNullable(read(s, null));
    }

    public int value() {
        return value;
    }

    public Unit unit() {
        return unit;
    }

    /** The age as a period: days, weeks (as days), months or years. */
    public Period toPeriod() {
        return switch (unit) {
            case DAYS -> Period.ofDays(value);
            case WEEKS -> Period.ofWeeks(value);
            case MONTHS -> Period.ofMonths(value);
            case YEARS -> Period.ofYears(value);
        };
    }

    /** The AS string, such as "018Y". */
    @Override
    public String toString() {
        return String.format("%03d%c", value, unit.code);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Age a && a.value == value && a.unit == unit;
    }

    @Override
    public int hashCode() {
        return value * 4 + unit.ordinal();
    }
}
