package org.mosaicpacs.dicom.value;

/** Small helpers shared by the parsers of this package. */
final class Strings {

    private Strings() {
    }

    /**
     * Strips what surrounds a value in real files: spaces (the padding of string VRs), NUL (the
     * padding of UI, often misused elsewhere), tabs and line ends.
     *
     * @return the stripped value, or "" for null
     */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        int b = 0;
        int e = s.length();
        while (b < e && isPad(s.charAt(b))) {
            b++;
        }
        while (e > b && isPad(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }

    private static boolean isPad(char c) {
        return c == ' ' || c == '\u0000' || c == '\t' || c == '\r' || c == '\n' || c == '\u00A0';
    }

    /** Microseconds from fraction digits: up to six digits are used, padded on the right. */
    static int micros(String digits) {
        int n = 0;
        for (int i = 0; i < 6; i++) {
            n = n * 10 + (i < digits.length() ? digits.charAt(i) - '0' : 0);
        }
        return n;
    }

    /** The fraction digits of a microsecond count, with the given number of digits (1-6). */
    static String fraction(int micros, int digits) {
        String six = String.format("%06d", micros);
        return six.substring(0, digits);
    }

    /** Records why a value could not be read and returns null. */
    static <T> T fail(String[] why, String reason) {
        if (why != null) {
            why[0] = reason;
        }
        return null;
    }
}
