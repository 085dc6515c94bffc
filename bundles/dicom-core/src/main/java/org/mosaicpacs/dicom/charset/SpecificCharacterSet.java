package org.mosaicpacs.dicom.charset;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A Specific Character Set (0008,0005) and the decoding/encoding of text values with it.
 *
 * <p>MINIMAL STUB written for dicom-core: it knows the default repertoire (ASCII), ISO_IR 100
 * (Latin-1) and ISO_IR 192 (UTF-8) only; any other code decodes as Latin-1. The full implementation
 * (ISO 2022 code extensions, all PS3.3 C.12.1.1.2 terms) replaces this class; dicom-core uses only
 * the public members below.
 */
public final class SpecificCharacterSet {

    /** The default character repertoire (ISO-IR 6). */
    public static final SpecificCharacterSet ASCII = new SpecificCharacterSet(new String[0], StandardCharsets.US_ASCII);

    private final String[] codes;
    private final Charset charset;

    private SpecificCharacterSet(String[] codes, Charset charset) {
        this.codes = codes;
        this.charset = charset;
    }

    /**
     * Returns the character set for the values of (0008,0005).
     *
     * @param codes the defined terms, may be null or empty (default repertoire)
     * @return never null; unknown terms are tolerated
     */
    public static SpecificCharacterSet valueOf(String... codes) {
        if (codes == null || codes.length == 0) {
            return ASCII;
        }
        String first = codes[0] == null ? "" : codes[0].trim();
        if (codes.length == 1 && (first.isEmpty() || first.equals("ISO_IR 6"))) {
            return ASCII;
        }
        Charset cs = first.equals("ISO_IR 192") ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        return new SpecificCharacterSet(codes.clone(), cs);
    }

    /**
     * Decodes text.
     *
     * @param delimiters characters after which an ISO 2022 state resets (ignored by this stub)
     */
    public String decode(byte[] b, int off, int len, String delimiters) {
        return new String(b, off, len, charset == StandardCharsets.US_ASCII ? StandardCharsets.ISO_8859_1 : charset);
    }

    /**
     * Encodes text.
     *
     * @param delimiters characters after which an ISO 2022 state resets (ignored by this stub)
     */
    public byte[] encode(String s, String delimiters) {
        return s.getBytes(charset == StandardCharsets.US_ASCII ? StandardCharsets.ISO_8859_1 : charset);
    }

    /** Returns the defined terms of (0008,0005); empty for the default repertoire. */
    public String[] codes() {
        return codes.clone();
    }

    /** Returns whether this is the default repertoire. */
    public boolean isASCII() {
        return codes.length == 0;
    }
}
