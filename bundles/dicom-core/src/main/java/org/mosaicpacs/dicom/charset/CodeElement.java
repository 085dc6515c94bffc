package org.mosaicpacs.dicom.charset;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;

/**
 * One ISO 2022 graphic character set ("code element") that can be designated to G0 or G1 by an
 * escape sequence, as listed in PS3.5 Tables 6.2-1 and 6.2-2.
 *
 * <p>Decoding and encoding are table driven. The tables are built lazily from the JDK's charsets the
 * first time an element is used, and are read-only afterwards, so instances are thread safe.
 */
final class CodeElement {

    /** The kinds of code element, which decide how bytes map to characters. */
    enum Kind {
        /** ISO-IR 6, the default repertoire (G0). */
        ASCII,
        /** ISO-IR 14, JIS X 0201 Romaji (G0); handled as ASCII so that delimiters survive. */
        ROMAJI,
        /** ISO-IR 13, JIS X 0201 Katakana (G1), half-width katakana. */
        KATAKANA,
        /** A 96-character single-byte set (G1): the upper half of an ISO 8859 or TIS 620 charset. */
        SINGLE_96,
        /** A 94x94 double-byte set designated to G0 (JIS X 0208, JIS X 0212). */
        DOUBLE_G0,
        /** A 94x94 double-byte set designated to G1 (KS X 1001, GB 2312). */
        DOUBLE_G1
    }

    static final byte ESC = 0x1B;

    static final CodeElement ASCII = new CodeElement("ISO-IR 6", Kind.ASCII, null, ESC, '(', 'B');
    static final CodeElement ROMAJI = new CodeElement("ISO-IR 14", Kind.ROMAJI, null, ESC, '(', 'J');
    static final CodeElement KATAKANA = new CodeElement("ISO-IR 13", Kind.KATAKANA, null, ESC, ')', 'I');
    static final CodeElement LATIN1 = single("ISO-IR 100", "ISO-8859-1", 'A');
    static final CodeElement LATIN2 = single("ISO-IR 101", "ISO-8859-2", 'B');
    static final CodeElement LATIN3 = single("ISO-IR 109", "ISO-8859-3", 'C');
    static final CodeElement LATIN4 = single("ISO-IR 110", "ISO-8859-4", 'D');
    static final CodeElement CYRILLIC = single("ISO-IR 144", "ISO-8859-5", 'L');
    static final CodeElement ARABIC = single("ISO-IR 127", "ISO-8859-6", 'G');
    static final CodeElement GREEK = single("ISO-IR 126", "ISO-8859-7", 'F');
    static final CodeElement HEBREW = single("ISO-IR 138", "ISO-8859-8", 'H');
    static final CodeElement LATIN5 = single("ISO-IR 148", "ISO-8859-9", 'M');
    static final CodeElement LATIN9 = single("ISO-IR 203", "ISO-8859-15", 'b');
    static final CodeElement THAI = single("ISO-IR 166", "x-iso-8859-11", 'T');
    static final CodeElement JIS_X0208 = new CodeElement("ISO-IR 87", Kind.DOUBLE_G0, "x-JIS0208", ESC, '$', 'B');
    static final CodeElement JIS_X0212 = new CodeElement("ISO-IR 159", Kind.DOUBLE_G0, "EUC-JP", ESC, '$', '(', 'D');
    static final CodeElement KS_X1001 = new CodeElement("ISO-IR 149", Kind.DOUBLE_G1, "EUC-KR", ESC, '$', ')', 'C');
    static final CodeElement GB2312 = new CodeElement("ISO-IR 58", Kind.DOUBLE_G1, "GB2312", ESC, '$', ')', 'A');

    /** Every element that an escape sequence can designate, in the order escapes are matched. */
    private static final CodeElement[] ALL = {
        ASCII, ROMAJI, KATAKANA, LATIN1, LATIN2, LATIN3, LATIN4, CYRILLIC, ARABIC, GREEK, HEBREW,
        LATIN5, LATIN9, THAI, JIS_X0208, JIS_X0212, KS_X1001, GB2312
    };

    final String name;
    final Kind kind;
    private final String charsetName;
    private final byte[] escape;

    /** Decoding table: 128 entries (bytes 0x80-0xFF) for single-byte sets, 94*94 for double-byte. */
    private volatile char[] decodeTable;
    /** Encoding table, sorted keys (the characters) and the codes at the same index. */
    private volatile Encoding encoding;

    private record Encoding(char[] chars, int[] codes) { }

    private CodeElement(String name, Kind kind, String charsetName, int... escape) {
        this.name = name;
        this.kind = kind;
        this.charsetName = charsetName;
        this.escape = new byte[escape.length];
        for (int i = 0; i < escape.length; i++) {
            this.escape[i] = (byte) escape[i];
        }
    }

    private static CodeElement single(String name, String charsetName, char finalByte) {
        return new CodeElement(name, Kind.SINGLE_96, charsetName, ESC, '-', finalByte);
    }

    /** 0 for elements designated to G0, 1 for G1. */
    int g() {
        return switch (kind) {
            case ASCII, ROMAJI, DOUBLE_G0 -> 0;
            default -> 1;
        };
    }

    boolean isDoubleByte() {
        return kind == Kind.DOUBLE_G0 || kind == Kind.DOUBLE_G1;
    }

    byte[] escape() {
        return escape;
    }

    /**
     * Finds the element designated by the escape sequence at {@code b[i]} (which must be ESC).
     *
     * @return the element, or null for an escape sequence this class does not know
     */
    static CodeElement matchEscape(byte[] b, int i, int end) {
        for (CodeElement e : ALL) {
            byte[] esc = e.escape;
            if (i + esc.length <= end && Arrays.equals(b, i, i + esc.length, esc, 0, esc.length)) {
                return e;
            }
        }
        // ESC $ @ designates JIS C 6226-1978, the predecessor of JIS X 0208: read it as JIS X 0208.
        if (i + 3 <= end && b[i + 1] == '$' && b[i + 2] == '@') {
            return JIS_X0208;
        }
        return null;
    }

    /** Length of the escape sequence that {@link #matchEscape} matched at {@code b[i]}. */
    static int escapeLength(CodeElement e, byte[] b, int i) {
        if (e == JIS_X0208 && b[i + 2] == '@') {
            return 3;
        }
        return e.escape.length;
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes a single byte in 0x80-0xFF with a G1 single-byte set. */
    char decodeHigh(int b) {
        if (kind == Kind.KATAKANA) {
            return b >= 0xA1 && b <= 0xDF ? (char) (0xFF61 + b - 0xA1) : '\uFFFD';
        }
        return decodeTable()[b - 0x80];
    }

    /**
     * Decodes a double-byte code; both bytes are given with the high bit cleared (0x21-0x7E).
     *
     * @return the character, or U+FFFD when the code is not assigned
     */
    char decodeDouble(int b1, int b2) {
        int r = (b1 & 0x7F) - 0x21;
        int c = (b2 & 0x7F) - 0x21;
        if (r < 0 || r >= 94 || c < 0 || c >= 94) {
            return '\uFFFD';
        }
        return decodeTable()[r * 94 + c];
    }

    private char[] decodeTable() {
        char[] t = decodeTable;
        if (t == null) {
            synchronized (this) {
                t = decodeTable;
                if (t == null) {
                    t = buildDecodeTable();
                    decodeTable = t;
                }
            }
        }
        return t;
    }

    /** The JDK charset of that name, or null when this JDK does not have it. */
    static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private char[] buildDecodeTable() {
        Charset cs = charset(charsetName);
        if (cs == null) {
            // Without the JDK's jdk.charsets module: nothing decodes, nothing encodes, nothing fails.
            char[] none = new char[kind == Kind.SINGLE_96 ? 128 : 94 * 94];
            Arrays.fill(none, '\uFFFD');
            return none;
        }
        if (kind == Kind.SINGLE_96) {
            char[] t = new char[128];
            for (int b = 0x80; b <= 0xFF; b++) {
                t[b - 0x80] = decodeOne(cs, new byte[] {(byte) b});
            }
            return t;
        }
        char[] t = new char[94 * 94];
        for (int r = 0; r < 94; r++) {
            for (int c = 0; c < 94; c++) {
                int b1 = r + 0xA1;
                int b2 = c + 0xA1;
                byte[] in = switch (name) {
                    case "ISO-IR 87" -> new byte[] {(byte) (b1 & 0x7F), (byte) (b2 & 0x7F)};
                    case "ISO-IR 159" -> new byte[] {(byte) 0x8F, (byte) b1, (byte) b2};
                    default -> new byte[] {(byte) b1, (byte) b2};
                };
                t[r * 94 + c] = decodeOne(cs, in);
            }
        }
        return t;
    }

    private static char decodeOne(Charset cs, byte[] in) {
        CharsetDecoder d = cs.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer out = d.decode(ByteBuffer.wrap(in));
            return out.length() == 1 ? out.get(0) : '\uFFFD';
        } catch (CharacterCodingException e) {
            return '\uFFFD';
        }
    }

    // ---------------------------------------------------------------- encoding

    /**
     * Encodes one character.
     *
     * @return for a single-byte G1 set the byte (0xA0-0xFF); for a double-byte set the two bytes
     *     with the high bits cleared, as {@code b1 << 8 | b2}; for G0 single-byte sets the byte;
     *     -1 when the character is not in this set
     */
    int encode(int cp) {
        switch (kind) {
            case ASCII:
            case ROMAJI:
                return cp < 0x80 ? cp : -1;
            case KATAKANA:
                return cp >= 0xFF61 && cp <= 0xFF9F ? cp - 0xFF61 + 0xA1 : -1;
            default:
                if (cp < 0x80 || cp > 0xFFFF) {
                    return -1;
                }
                Encoding e = encoding();
                int i = Arrays.binarySearch(e.chars, (char) cp);
                return i >= 0 ? e.codes[i] : -1;
        }
    }

    boolean canEncode(int cp) {
        return encode(cp) >= 0;
    }

    private Encoding encoding() {
        Encoding e = encoding;
        if (e == null) {
            synchronized (this) {
                e = encoding;
                if (e == null) {
                    e = buildEncoding();
                    encoding = e;
                }
            }
        }
        return e;
    }

    private Encoding buildEncoding() {
        char[] t = decodeTable();
        int n = t.length;
        long[] pairs = new long[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            char ch = t[i];
            // Only the graphic upper half of single-byte sets (0xA0-0xFF) is reachable through G1.
            if (ch == '\uFFFD' || ch < 0x80 || (kind == Kind.SINGLE_96 && i < 0x20)) {
                continue;
            }
            int code = kind == Kind.SINGLE_96 ? i + 0x80 : ((i / 94 + 0x21) << 8) | (i % 94 + 0x21);
            pairs[count++] = ((long) ch << 32) | code;
        }
        long[] sorted = Arrays.copyOf(pairs, count);
        Arrays.sort(sorted);
        char[] chars = new char[count];
        int[] codes = new int[count];
        int m = 0;
        for (long p : sorted) {
            char ch = (char) (p >>> 32);
            if (m > 0 && chars[m - 1] == ch) {
                continue; // keep the lowest code for a character mapped twice
            }
            chars[m] = ch;
            codes[m] = (int) p;
            m++;
        }
        return new Encoding(Arrays.copyOf(chars, m), Arrays.copyOf(codes, m));
    }

    @Override
    public String toString() {
        return name;
    }
}
