package org.mosaicpacs.dicom.data;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.mosaicpacs.dicom.charset.SpecificCharacterSet;

/**
 * Converts encoded values to Java values and back; one constant per value encoding, each {@link VR}
 * refers to one. Binary codecs differ only in unit size, signedness and integer/float form.
 */
enum ValueCodec {
    /** Character strings in the default repertoire (AE, AS, CS, DA, DS, DT, IS, TM, UI, UR). */
    ASCII(1, false, false, true),
    /** Character strings decoded with the Specific Character Set (SH, LO, ST, LT, UC, UT, PN). */
    TEXT(1, false, false, true),
    /** Opaque bytes (OB, UN). */
    BYTES(1, false, false, false),
    /** Signed 16-bit integers. */
    INT16(2, true, false, false),
    /** Unsigned 16-bit integers. */
    UINT16(2, false, false, false),
    /** Signed 32-bit integers. */
    INT32(4, true, false, false),
    /** Unsigned 32-bit integers. */
    UINT32(4, false, false, false),
    /** Signed 64-bit integers. */
    INT64(8, true, false, false),
    /** Unsigned 64-bit integers. */
    UINT64(8, false, false, false),
    /** IEEE 754 single. */
    FLOAT32(4, true, true, false),
    /** IEEE 754 double. */
    FLOAT64(8, true, true, false),
    /** Attribute tags: two 16-bit unsigned numbers (group, element). */
    TAG(4, false, false, false),
    /** No value of its own (SQ). */
    NONE(1, false, false, false);

    private static final String[] NO_STRINGS = {};

    private final int unit;
    private final boolean signed;
    private final boolean floating;
    private final boolean string;

    ValueCodec(int unit, boolean signed, boolean floating, boolean string) {
        this.unit = unit;
        this.signed = signed;
        this.floating = floating;
        this.string = string;
    }

    boolean isString() {
        return string;
    }

    int swapUnit() {
        return this == TAG ? 2 : unit;
    }

    // ---- strings -------------------------------------------------------------------------------

    String[] toStrings(VR vr, byte[] b, boolean be, SpecificCharacterSet cs) {
        if (b == null || b.length == 0) {
            return NO_STRINGS;
        }
        if (string) {
            String s = this == TEXT && cs != null
                    ? cs.decode(b, 0, b.length, vr.delimiters())
                    : new String(b, StandardCharsets.ISO_8859_1);
            if (!vr.isMultiValued()) {
                return new String[] {trimEnd(s)};
            }
            List<String> list = new ArrayList<>(4);
            int start = 0;
            for (int i = 0; i <= s.length(); i++) {
                if (i == s.length() || s.charAt(i) == '\\') {
                    list.add(trim(s.substring(start, i)));
                    start = i + 1;
                }
            }
            return list.toArray(NO_STRINGS);
        }
        if (this == BYTES || this == NONE) {
            return null;
        }
        int n = b.length / unit;
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            if (this == TAG) {
                out[i] = String.format("%08X", (int) readLong(b, i * unit, be));
            } else if (floating) {
                double d = readDouble(b, i * unit, be);
                out[i] = this == FLOAT32 ? Float.toString((float) d) : Double.toString(d);
            } else if (this == UINT64) {
                out[i] = Long.toUnsignedString(readLong(b, i * unit, be));
            } else {
                out[i] = Long.toString(readLong(b, i * unit, be));
            }
        }
        return out;
    }

    byte[] fromStrings(VR vr, String[] values, boolean be, SpecificCharacterSet cs) {
        if (values == null || values.length == 0) {
            return new byte[0];
        }
        if (string) {
            String joined = values.length == 1 ? nz(values[0]) : String.join("\\", nzAll(values));
            return this == TEXT && cs != null
                    ? cs.encode(joined, vr.delimiters())
                    : joined.getBytes(StandardCharsets.ISO_8859_1);
        }
        if (this == BYTES || this == NONE) {
            throw new UnsupportedOperationException("no string form for VR " + vr);
        }
        if (floating) {
            double[] d = new double[values.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = Double.parseDouble(values[i].trim());
            }
            return fromDoubles(vr, d, be);
        }
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            String v = values[i].trim();
            l[i] = this == TAG ? Long.parseLong(v.replaceAll("[(),]", ""), 16)
                    : this == UINT64 ? Long.parseUnsignedLong(v) : Long.parseLong(v);
        }
        return fromLongs(vr, l, be);
    }

    // ---- numbers -------------------------------------------------------------------------------

    long[] toLongs(VR vr, byte[] b, boolean be) {
        if (b == null) {
            return new long[0];
        }
        if (string) {
            String[] s = toStrings(vr, b, be, null);
            List<Long> out = new ArrayList<>(s.length);
            for (String v : s) {
                if (!v.isEmpty()) {
                    out.add(parseLong(v));
                }
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        }
        if (this == NONE) {
            return new long[0];
        }
        int n = b.length / unit;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = floating ? (long) readDouble(b, i * unit, be) : readLong(b, i * unit, be);
        }
        return out;
    }

    double[] toDoubles(VR vr, byte[] b, boolean be) {
        if (b == null) {
            return new double[0];
        }
        if (string) {
            String[] s = toStrings(vr, b, be, null);
            List<Double> out = new ArrayList<>(s.length);
            for (String v : s) {
                if (!v.isEmpty()) {
                    out.add(Double.parseDouble(v));
                }
            }
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
        if (this == NONE) {
            return new double[0];
        }
        int n = b.length / unit;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = floating ? readDouble(b, i * unit, be)
                    : this == UINT64 ? unsignedToDouble(readLong(b, i * unit, be)) : readLong(b, i * unit, be);
        }
        return out;
    }

    byte[] fromLongs(VR vr, long[] values, boolean be) {
        if (string) {
            String[] s = new String[values.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = Long.toString(values[i]);
            }
            return fromStrings(vr, s, be, null);
        }
        if (floating) {
            double[] d = new double[values.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = values[i];
            }
            return fromDoubles(vr, d, be);
        }
        if (this == NONE) {
            throw new UnsupportedOperationException("no value for VR " + vr);
        }
        byte[] b = new byte[values.length * unit];
        for (int i = 0; i < values.length; i++) {
            writeLong(b, i * unit, values[i], be);
        }
        return b;
    }

    byte[] fromDoubles(VR vr, double[] values, boolean be) {
        if (string) {
            String[] s = new String[values.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = vr == VR.IS ? Long.toString(Math.round(values[i])) : formatDS(values[i]);
            }
            return fromStrings(vr, s, be, null);
        }
        if (!floating) {
            long[] l = new long[values.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = Math.round(values[i]);
            }
            return fromLongs(vr, l, be);
        }
        byte[] b = new byte[values.length * unit];
        for (int i = 0; i < values.length; i++) {
            long bits = this == FLOAT32 ? Float.floatToIntBits((float) values[i]) : Double.doubleToLongBits(values[i]);
            writeBits(b, i * unit, bits, be);
        }
        return b;
    }

    // ---- helpers -------------------------------------------------------------------------------

    private long readBits(byte[] b, int off, boolean be) {
        long v = 0;
        for (int i = 0; i < unit; i++) {
            int shift = 8 * (be ? unit - 1 - i : i);
            v |= (b[off + i] & 0xFFL) << shift;
        }
        return v;
    }

    private void writeBits(byte[] b, int off, long v, boolean be) {
        for (int i = 0; i < unit; i++) {
            int shift = 8 * (be ? unit - 1 - i : i);
            b[off + i] = (byte) (v >>> shift);
        }
    }

    private long readLong(byte[] b, int off, boolean be) {
        if (this == TAG) {
            int g = (int) UINT16.readBits(b, off, be);
            int e = (int) UINT16.readBits(b, off + 2, be);
            return (g << 16 | e) & 0xFFFFFFFFL;
        }
        long v = readBits(b, off, be);
        if (signed && unit < 8) {
            int shift = 64 - 8 * unit;
            v = (v << shift) >> shift;
        }
        return v;
    }

    private void writeLong(byte[] b, int off, long v, boolean be) {
        if (this == TAG) {
            UINT16.writeBits(b, off, v >>> 16, be);
            UINT16.writeBits(b, off + 2, v, be);
        } else {
            writeBits(b, off, v, be);
        }
    }

    private double readDouble(byte[] b, int off, boolean be) {
        long bits = readBits(b, off, be);
        return this == FLOAT32 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
    }

    private static long parseLong(String v) {
        try {
            return Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
        } catch (NumberFormatException e) {
            return (long) Double.parseDouble(v);
        }
    }

    /** Formats a Decimal String value in at most 16 characters. */
    static String formatDS(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        String s = Double.toString(d);
        if (s.length() <= 16) {
            return s;
        }
        for (int p = 15; p > 0; p--) {
            s = new BigDecimal(d).round(new java.math.MathContext(p)).stripTrailingZeros().toPlainString();
            if (s.length() <= 16) {
                return s;
            }
        }
        for (int p = 10; p >= 0; p--) {
            s = String.format(Locale.ROOT, "%." + p + "E", d);
            if (s.length() <= 16) {
                return s;
            }
        }
        return s;
    }

    static void swap(byte[] b, int off, int len, int unit) {
        if (unit <= 1) {
            return;
        }
        int end = off + len - len % unit;
        for (int i = off; i < end; i += unit) {
            for (int j = 0; j < unit / 2; j++) {
                byte t = b[i + j];
                b[i + j] = b[i + unit - 1 - j];
                b[i + unit - 1 - j] = t;
            }
        }
    }

    private static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == 0)) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0)) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String trimEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0)) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String[] nzAll(String[] s) {
        String[] out = new String[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = nz(s[i]);
        }
        return out;
    }
}
