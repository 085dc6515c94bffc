package org.mosaicpacs.dicom.value;

import java.math.BigInteger;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IS values: integers written in at most 12 characters, in the range -2^31 to 2^31-1 (PS3.5 Table
 * 6.2-1).
 *
 * <p>Parsing ignores surrounding spaces and NULs, and accepts a leading '+', leading zeros and a
 * zero fraction ("12.0", "12.", written by some systems); it rejects other fractions ("12.5"),
 * exponents and values outside the range of IS.
 */
public final class IntegerString {

    /** The smallest IS value, -2^31. */
    public static final long MIN = Integer.MIN_VALUE;
    /** The largest IS value, 2^31-1. */
    public static final long MAX = Integer.MAX_VALUE;

    private static final Pattern IS = Pattern.compile("([+-]?\\d+)(?:\\.0*)?");

    private IntegerString() {
    }

    /**
     * Parses one IS value.
     *
     * @throws DicomValueException when it is not an integer in the range of IS
     */
    public static long parse(String s) throws DicomValueException {
        return parse(s, MIN, MAX);
    }

    /**
     * Parses one IS value with a narrower range, such as 0 to 65535 for a count.
     *
     * @throws DicomValueException when it is not an integer between {@code min} and {@code max}
     */
    public static long parse(String s, long min, long max) throws DicomValueException {
        String[] why = new String[1];
        Long v = read(s, min, max, why);
        if (v == null) {
            throw new DicomValueException("IS", s, why[0]);
        }
        return v;
    }

    /** Reads a value; null (with the reason in {@code why[0]} when given) on failure. */
    static Long read(String s, long min, long max, String[] why) {
        Matcher m = IS.matcher(Strings.clean(s));
        if (!m.matches()) {
            return Strings.fail(why, "not an integer");
        }
        BigInteger v = new BigInteger(m.group(1));
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            return Strings.fail(why, "out of range " + min + " to " + max);
        }
        return v.longValue();
    }

    /** Parses one IS value; empty when it cannot be read or is out of range. Never throws. */
    public static OptionalLong tryParse(String s) {
        Long v = read(s, MIN, MAX, null);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /**
     * Formats an IS value.
     *
     * @throws IllegalArgumentException when it is outside the range of IS
     */
    public static String format(long v) {
        if (v < MIN || v > MAX) {
            throw new IllegalArgumentException("Out of IS range: " + v);
        }
        return Long.toString(v);
    }
}
