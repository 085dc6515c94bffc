package org.mosaicpacs.dicom.json;

/** Converts DS and IS text to JSON number text. */
final class JsonNumbers {

    private JsonNumbers() {
    }

    /**
     * Returns the JSON number for a DS (or, if {@code integer}, IS) value, or null if the text is
     * not a valid value of the VR. The sign '+' and leading zeros are dropped, ".5" becomes "0.5",
     * "5." becomes "5"; the digits are otherwise kept as written.
     */
    static String normalize(String s, boolean integer) {
        int n = s.length();
        int i = 0;
        StringBuilder sb = new StringBuilder(n + 1);
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            if (s.charAt(i) == '-') {
                sb.append('-');
            }
            i++;
        }
        int intStart = i;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        String intPart = s.substring(intStart, i);
        String frac = "";
        if (i < n && s.charAt(i) == '.') {
            if (integer) {
                return null;
            }
            int fs = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            frac = s.substring(fs, i);
        }
        if (intPart.isEmpty() && frac.isEmpty()) {
            return null;
        }
        String exp = "";
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            if (integer) {
                return null;
            }
            int es = i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int ds = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == ds) {
                return null;
            }
            exp = s.substring(es, i);
        }
        if (i != n) {
            return null;
        }
        int z = 0;
        while (z < intPart.length() - 1 && intPart.charAt(z) == '0') {
            z++;
        }
        sb.append(intPart.isEmpty() ? "0" : intPart.substring(z));
        if (!frac.isEmpty()) {
            sb.append('.').append(frac);
        }
        sb.append(exp);
        return sb.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Returns whether a decimal integer lies within &plusmn;(2^53-1), where IEEE doubles are exact. */
    static boolean isSafeInteger(String v) {
        try {
            long l = Long.parseLong(v);
            return l >= -(1L << 53) + 1 && l <= (1L << 53) - 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
