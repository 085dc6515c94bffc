package org.mosaicpacs.dicom.charset;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The character repertoire(s) declared by Specific Character Set (0008,0005), and the decoding and
 * encoding of string values with them (PS3.5 section 6.1 and Annexes H, I, J, K).
 *
 * <p>Supported: every Defined Term of PS3.5 Table 6.2-1 (single-byte, with and without code
 * extensions), the multi-byte sets with code extensions ISO 2022 IR 87, 159, 149 and 58, and the
 * multi-byte sets without code extensions ISO_IR 192 (UTF-8), GB18030 and GBK. ISO 2022 escape
 * sequences designating G0 and G1 are interpreted here, not by the JDK.
 *
 * <p>Instances are immutable and thread safe. {@link #valueOf(String...)} never throws: a wrong or
 * unknown declaration is recovered as well as possible (see the method).
 *
 * <p>Decode a whole value (all its backslash-separated values) in one call, then split the resulting
 * String: with GBK and GB18030 the byte 0x5C can be the second byte of a character, so bytes must
 * not be split before decoding.
 */
public final class SpecificCharacterSet {

    private static final Logger LOG = LoggerFactory.getLogger(SpecificCharacterSet.class);

    private static final int CACHE_LIMIT = 512;
    private static final Map<List<String>, SpecificCharacterSet> CACHE = new ConcurrentHashMap<>();

    /** The default character repertoire, ISO-IR 6 (ASCII): no Specific Character Set. */
    public static final SpecificCharacterSet ASCII =
            new SpecificCharacterSet(new String[0], new ArrayList<>(), false);

    /** ISO_IR 192, Unicode in UTF-8. */
    public static final SpecificCharacterSet UTF_8 = valueOf("ISO_IR 192");

    private final String[] codes;
    /** The recognised terms in declaration order; the first entry is null when value 1 is ASCII. */
    private final Term[] terms;
    /** True when ISO 2022 code extensions (escape sequences) may be used. */
    private final boolean extensions;
    /** The initial G0 and G1, from value 1. */
    private final CodeElement initG0;
    private final CodeElement initG1;
    /** The G1 to use for bytes above 0x7F when none is designated: recovery for missing escapes. */
    private final CodeElement fallbackG1;
    /** A multi-byte set without code extensions (UTF-8, GB18030, GBK) taking the whole value. */
    private final Term whole;

    private SpecificCharacterSet(String[] codes, List<Term> terms, boolean extensions) {
        this.codes = codes;
        this.terms = terms.toArray(new Term[0]);
        this.extensions = extensions;
        Term first = terms.isEmpty() ? null : terms.get(0);
        CodeElement g0 = first != null ? first.g0 : null;
        // A double-byte G0 cannot be the initial state: delimiters must be readable as ASCII.
        this.initG0 = g0 == null || g0.isDoubleByte() ? CodeElement.ASCII : g0;
        this.initG1 = first != null ? first.g1 : null;
        CodeElement fb = initG1;
        Term w = null;
        for (Term t : terms) {
            if (t == null) {
                continue;
            }
            if (fb == null && t.g1 != null) {
                fb = t.g1;
            }
            if (w == null && t.whole != null) {
                w = t;
            }
        }
        this.fallbackG1 = fb;
        this.whole = w;
    }

    /**
     * The character set declared by the values of Specific Character Set (0008,0005).
     *
     * <p>Null, no values, or only blank values give {@link #ASCII}. An empty value 1 means ISO-IR 6.
     * Values are recognised regardless of case, surrounding or missing spaces, '-' or '_' for ' ',
     * and common charset names ("UTF-8", "ISO-8859-5", "GB2312"); they are then normalised to the
     * Defined Terms returned by {@link #codes()}. Single-byte terms written without "2022" in a
     * multi-valued declaration are read as their code extension form. When a multi-byte set without
     * code extensions (ISO_IR 192, GB18030, GBK) is mixed into a list, it decodes every value
     * without escape sequences. Unknown values are ignored (and logged). Never throws.
     *
     * @param codes the values of (0008,0005), may be null or contain nulls
     * @return the character set, never null
     */
    /**
     * Whether one value of Specific Character Set (0008,0005) is recognised: a Defined Term of PS3.3
     * C.12.1.1.2, or one of the spellings {@link #valueOf} reads as one. Used to refuse data sets that
     * declare a character set nobody can decode.
     *
     * @since 0.2.0
     */
    public static boolean isDefinedTerm(String value) {
        return Term.lookup(value) != null;
    }

    public static SpecificCharacterSet valueOf(String... codes) {
        if (codes == null || codes.length == 0) {
            return ASCII;
        }
        int n = codes.length;
        while (n > 0 && isBlank(codes[n - 1])) {
            n--; // trailing empty values carry no meaning
        }
        if (n == 0) {
            return ASCII;
        }
        List<String> key = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            key.add(codes[i] == null ? "" : codes[i].trim());
        }
        SpecificCharacterSet cs = CACHE.get(key);
        if (cs == null) {
            cs = create(key);
            if (CACHE.size() < CACHE_LIMIT) {
                CACHE.putIfAbsent(key, cs);
            }
        }
        return cs;
    }

    private static SpecificCharacterSet create(List<String> values) {
        List<Term> terms = new ArrayList<>();
        List<Boolean> extFlags = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            Term.Found f = Term.lookup(v);
            if (f == null) {
                if (!v.isEmpty()) {
                    unknown.add(v);
                }
                if (i == 0) {
                    terms.add(null); // value 1 unknown or empty: the default repertoire
                    extFlags.add(Boolean.FALSE);
                }
                continue;
            }
            if (i == 0 && f.term() == Term.IR6) {
                terms.add(null);
                extFlags.add(Boolean.TRUE);
                continue;
            }
            if (terms.contains(f.term())) {
                continue;
            }
            terms.add(f.term());
            extFlags.add(f.extended());
        }
        if (!unknown.isEmpty()) {
            LOG.warn("Unknown Specific Character Set value(s) {} in {}: ignored", unknown, values);
        }
        boolean extensions = terms.size() > 1;
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            if (t != null && t.single == null) {
                extensions = true; // multi-byte 2022 sets exist only with extensions
            }
            if (t != null && extFlags.get(i) && t.extended != null) {
                extensions = true;
            }
        }
        if (terms.stream().allMatch(t -> t == null || t == Term.IR6)) {
            return ASCII; // only the default repertoire was declared
        }
        List<String> out = new ArrayList<>();
        for (Term t : terms) {
            if (t == null) {
                out.add("");
            } else {
                out.add(t.code(extensions && t.whole == null));
            }
        }
        return new SpecificCharacterSet(out.toArray(new String[0]), terms, extensions);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * The values of Specific Character Set, normalised to Defined Terms (an empty first value for
     * the default repertoire); empty for {@link #ASCII}. A fresh array on each call.
     */
    public String[] codes() {
        return codes.clone();
    }

    /** True when this is the default repertoire only (no Specific Character Set needed). */
    public boolean isASCII() {
        return codes.length == 0;
    }

    /** True when ISO 2022 code extensions (escape sequences) are used by this character set. */
    public boolean usesCodeExtensions() {
        return extensions && whole == null;
    }

    // ================================================================ decoding

    /** Decodes a whole byte array; see {@link #decode(byte[], int, int, String)}. */
    public String decode(byte[] b, String delimiters) {
        return decode(b, 0, b.length, delimiters);
    }

    /**
     * Decodes the bytes of a string value.
     *
     * @param b the bytes
     * @param off the first byte
     * @param len the number of bytes
     * @param delimiters the characters after which the ISO 2022 state returns to the initial code
     *     elements of value 1: "\\" for most string VRs, "\\^=" for PN, "" (or null) for
     *     single-valued texts. CR, LF, FF, TAB and other control characters always reset the state.
     * @return the decoded text; invalid bytes become U+FFFD (or Latin-1 characters, see below)
     */
    public String decode(byte[] b, int off, int len, String delimiters) {
        if (len <= 0) {
            return "";
        }
        String delims = delimiters == null ? "" : delimiters;
        if (whole != null && !(terms.length > 1 && containsEsc(b, off, len))) {
            return decodeWhole(b, off, len, delims);
        }
        return decode2022(b, off, len, delims);
    }

    private static boolean containsEsc(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == CodeElement.ESC) {
                return true;
            }
        }
        return false;
    }

    private String decodeWhole(byte[] b, int off, int len, String delims) {
        if (whole != Term.IR192) {
            return new String(b, off, len, whole.whole);
        }
        String s = strictUtf8(b, off, len);
        if (s != null) {
            return s;
        }
        if (delims.indexOf('\\') < 0) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        // Not UTF-8 after all, most often Latin-1 from a system that claims UTF-8: fall back value
        // by value (0x5C never occurs inside a UTF-8 multi-byte sequence).
        StringBuilder sb = new StringBuilder(len);
        int end = off + len;
        int start = off;
        for (int i = off; i <= end; i++) {
            if (i == end || b[i] == '\\') {
                String v = strictUtf8(b, start, i - start);
                sb.append(v != null ? v : new String(b, start, i - start, StandardCharsets.ISO_8859_1));
                if (i < end) {
                    sb.append('\\');
                }
                start = i + 1;
            }
        }
        return sb.toString();
    }

    private static String strictUtf8(byte[] b, int off, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private String decode2022(byte[] b, int off, int len, String delims) {
        StringBuilder sb = new StringBuilder(len);
        CodeElement g0 = initG0;
        CodeElement g1 = initG1;
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c == CodeElement.ESC) {
                CodeElement e = CodeElement.matchEscape(b, i, end);
                if (e != null) {
                    i += CodeElement.escapeLength(e, b, i);
                    if (e.g() == 0) {
                        g0 = e;
                    } else {
                        g1 = e;
                    }
                } else {
                    sb.append((char) c); // unknown escape: keep it visible
                    i++;
                }
                continue;
            }
            if (c < 0x80) {
                if (g0.isDoubleByte() && c > 0x20 && c < 0x7F) {
                    if (i + 1 < end && (b[i + 1] & 0xFF) > 0x20 && (b[i + 1] & 0xFF) < 0x7F) {
                        sb.append(g0.decodeDouble(c, b[i + 1] & 0xFF));
                        i += 2;
                    } else {
                        sb.append('\uFFFD');
                        i++;
                    }
                    continue;
                }
                sb.append((char) c);
                i++;
                if (c < 0x20 || delims.indexOf(c) >= 0) {
                    g0 = initG0;
                    g1 = initG1;
                }
                continue;
            }
            CodeElement e1 = g1 != null ? g1 : fallbackG1;
            if (e1 == null) {
                sb.append((char) c); // no G1 declared at all: read as Latin-1
                i++;
            } else if (!e1.isDoubleByte()) {
                sb.append(e1.decodeHigh(c));
                i++;
            } else if (c >= 0xA1 && c <= 0xFE && i + 1 < end
                    && (b[i + 1] & 0xFF) >= 0xA1 && (b[i + 1] & 0xFF) <= 0xFE) {
                sb.append(e1.decodeDouble(c, b[i + 1] & 0xFF));
                i += 2;
            } else {
                sb.append('\uFFFD');
                i++;
            }
        }
        return sb.toString();
    }

    // ================================================================ encoding

    /**
     * Encodes a string value. With code extensions, each run of characters is written in the
     * currently designated set when it can encode it, otherwise in the first declared set that can
     * (with the escape sequence designating it); the initial G0 of value 1 is designated again
     * before each delimiter, control character and at the end of the value, as PS3.5 6.1.2.5.3
     * requires. Characters that no declared set can encode become '?'. The result is not padded.
     *
     * @param s the text, null is treated as empty
     * @param delimiters as for {@link #decode(byte[], int, int, String)}
     * @return the bytes
     */
    public byte[] encode(String s, String delimiters) {
        if (s == null || s.isEmpty()) {
            return new byte[0];
        }
        if (whole != null) {
            return s.getBytes(whole.whole); // unmappable characters become '?'
        }
        return encode2022(s, delimiters == null ? "" : delimiters);
    }

    private byte[] encode2022(String s, String delims) {
        Out out = new Out(s.length() * 2 + 8);
        CodeElement g0 = initG0;
        CodeElement g1 = initG1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                boolean reset = (cp < 0x20 && cp != CodeElement.ESC) || delims.indexOf(cp) >= 0;
                if (g0.isDoubleByte()) {
                    g0 = initG0;
                    out.write(g0.escape());
                } else if (reset && g0 != initG0) {
                    g0 = initG0;
                    out.write(g0.escape());
                }
                out.write(cp);
                if (reset) {
                    g0 = initG0;
                    g1 = initG1;
                }
                continue;
            }
            CodeElement e = choose(cp, g0, g1);
            if (e == null) {
                if (g0.isDoubleByte()) {
                    g0 = initG0;
                    out.write(g0.escape());
                }
                out.write('?');
                continue;
            }
            if (e.g() == 0 && e != g0) {
                g0 = e;
                out.write(e.escape());
            } else if (e.g() == 1) {
                if (g0.isDoubleByte()) {
                    // Valid ISO 2022 as it is, but decoders that split the value at escape
                    // sequences (pydicom, for one) only read G1 bytes after a single-byte G0.
                    g0 = initG0;
                    out.write(g0.escape());
                }
                if (e != g1) {
                    g1 = e;
                    out.write(e.escape());
                }
            }
            int code = e.encode(cp);
            if (e.isDoubleByte()) {
                int hi = e.g() == 1 ? 0x80 : 0;
                out.write((code >> 8) | hi);
                out.write((code & 0xFF) | hi);
            } else {
                out.write(code);
            }
        }
        if (g0 != initG0) {
            out.write(initG0.escape());
        }
        return out.toByteArray();
    }

    private CodeElement choose(int cp, CodeElement g0, CodeElement g1) {
        if (g1 != null && g1.canEncode(cp)) {
            return g1;
        }
        if (g0.isDoubleByte() && g0.canEncode(cp)) {
            return g0;
        }
        if (!extensions) {
            return null;
        }
        for (Term t : terms) {
            if (t == null) {
                continue;
            }
            if (t.g1 != null && t.g1.canEncode(cp)) {
                return t.g1;
            }
            if (t.g0 != null && t.g0.isDoubleByte() && t.g0.canEncode(cp)) {
                return t.g0;
            }
        }
        return null;
    }

    /** A minimal growable byte buffer. */
    private static final class Out {
        private byte[] buf;
        private int n;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        void write(int b) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2 + 8);
            }
            buf[n++] = (byte) b;
        }

        void write(byte[] b) {
            for (byte x : b) {
                write(x);
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, n);
        }
    }

    // ================================================================ identity

    @Override
    public boolean equals(Object o) {
        return o instanceof SpecificCharacterSet other && Arrays.equals(codes, other.codes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codes);
    }

    /** The normalised values joined by backslashes, as they would be written in (0008,0005). */
    @Override
    public String toString() {
        return String.join("\\", codes);
    }
}
