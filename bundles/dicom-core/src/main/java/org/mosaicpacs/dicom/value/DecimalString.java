package org.mosaicpacs.dicom.value;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * DS values: decimal numbers written in at most 16 characters of "0-9+-Ee." (PS3.5 Table 6.2-1).
 *
 * <p>Parsing ignores surrounding spaces and NULs, and accepts a leading '+', an exponent, a missing
 * integer or fraction part ("1.", ".5") and a ',' used as the decimal mark ("1,5"). It rejects
 * "NaN", "Infinity", hexadecimal forms, inner spaces and values too large for a double.
 */
public final class DecimalString {

    /** The maximum length of one DS value. */
    public static final int MAX_LENGTH = 16;

    private static final Pattern DS = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");

    private DecimalString() {
    }

    /**
     * Parses one DS value.
     *
     * @throws DicomValueException when it is not a decimal number
     */
    public static double parse(String s) throws DicomValueException {
        String[] why = new String[1];
        Double v = read(s, why);
        if (v == null) {
            throw new DicomValueException("DS", s, why[0]);
        }
        return v;
    }

    /** Reads a value; null (with the reason in {@code why[0]} when given) on failure. */
    static Double read(String s, String[] why) {
        String t = Strings.clean(s);
        if (t.indexOf('.') < 0 && t.indexOf(',') == t.lastIndexOf(',')) {
            t = t.replace(',', '.');
        }
        if (!DS.matcher(t).matches()) {
            return Strings.fail(why, "not a decimal number");
        }
        double d = Double.parseDouble(t);
        if (Double.isInfinite(d)) {
            return Strings.fail(why, "out of the range of a double");
        }
        return d;
    }

    /** Parses one DS value; empty when it cannot be read. Never throws. */
    public static OptionalDouble tryParse(String s) {
        Double v = read(s, null);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /**
     * Formats a double as a DS value of at most 16 characters: the shortest form that reads back
     * as the same double when it fits, otherwise the closest value that fits (rounded half-even).
     * The plain notation ("0.00001") is used when it fits, else the scientific one ("1.5E-20").
     * Negative zero is written "0".
     *
     * @throws IllegalArgumentException for NaN or an infinity, which DS cannot represent
     */
    public static String format(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("DS cannot represent " + d);
        }
        if (d == 0) {
            return "0";
        }
        // Double.toString gives digits that read back as the same double.
        BigDecimal roundTrip = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String s = shortest(roundTrip);
        if (s.length() <= MAX_LENGTH) {
            return s;
        }
        // Too long: round the exact binary value to fewer significant digits until it fits.
        BigDecimal exact = new BigDecimal(d);
        int exponent = roundTrip.precision() - 1 - roundTrip.scale();
        int p = roundTrip.precision() - 1;
        if (Math.abs(exponent) > MAX_LENGTH) {
            // Only the scientific form can fit: sign, "d.", digits, "E", exponent.
            int room = MAX_LENGTH - (d < 0 ? 1 : 0) - 2 - 1 - Integer.toString(exponent).length();
            p = Math.min(p, room + 1);
        }
        for (; p >= 1; p--) {
            s = shortest(exact.round(new MathContext(p, RoundingMode.HALF_EVEN)).stripTrailingZeros());
            if (s.length() <= MAX_LENGTH) {
                return s;
            }
        }
        throw new AssertionError(d); // one significant digit always fits: "-1E-308" has 7 characters
    }

    /** The plain form when it fits, otherwise the scientific one. */
    private static String shortest(BigDecimal bd) {
        String digits = bd.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - bd.scale();
        if (exponent <= MAX_LENGTH && exponent >= -MAX_LENGTH) {
            String plain = bd.toPlainString();
            if (plain.length() <= MAX_LENGTH) {
                return plain;
            }
        }
        StringBuilder sci = new StringBuilder();
        if (bd.signum() < 0) {
            sci.append('-');
        }
        sci.append(digits.charAt(0));
        if (digits.length() > 1) {
            sci.append('.').append(digits, 1, digits.length());
        }
        return sci.append('E').append(exponent).toString();
    }
}
