package org.mosaicpacs.dicom.charset;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Defined Terms of Specific Character Set (0008,0005), PS3.5 Tables 6.2-1, 6.2-2, 6.2-4 and
 * 6.2-5, with the code elements each one brings.
 */
enum Term {
    IR6(6, null, "ISO 2022 IR 6", CodeElement.ASCII, null),
    IR100(100, "ISO_IR 100", "ISO 2022 IR 100", CodeElement.ASCII, CodeElement.LATIN1),
    IR101(101, "ISO_IR 101", "ISO 2022 IR 101", CodeElement.ASCII, CodeElement.LATIN2),
    IR109(109, "ISO_IR 109", "ISO 2022 IR 109", CodeElement.ASCII, CodeElement.LATIN3),
    IR110(110, "ISO_IR 110", "ISO 2022 IR 110", CodeElement.ASCII, CodeElement.LATIN4),
    IR144(144, "ISO_IR 144", "ISO 2022 IR 144", CodeElement.ASCII, CodeElement.CYRILLIC),
    IR127(127, "ISO_IR 127", "ISO 2022 IR 127", CodeElement.ASCII, CodeElement.ARABIC),
    IR126(126, "ISO_IR 126", "ISO 2022 IR 126", CodeElement.ASCII, CodeElement.GREEK),
    IR138(138, "ISO_IR 138", "ISO 2022 IR 138", CodeElement.ASCII, CodeElement.HEBREW),
    IR148(148, "ISO_IR 148", "ISO 2022 IR 148", CodeElement.ASCII, CodeElement.LATIN5),
    IR203(203, "ISO_IR 203", "ISO 2022 IR 203", CodeElement.ASCII, CodeElement.LATIN9),
    IR13(13, "ISO_IR 13", "ISO 2022 IR 13", CodeElement.ROMAJI, CodeElement.KATAKANA),
    IR166(166, "ISO_IR 166", "ISO 2022 IR 166", CodeElement.ASCII, CodeElement.THAI),
    IR87(87, null, "ISO 2022 IR 87", CodeElement.JIS_X0208, null),
    IR159(159, null, "ISO 2022 IR 159", CodeElement.JIS_X0212, null),
    IR149(149, null, "ISO 2022 IR 149", null, CodeElement.KS_X1001),
    IR58(58, null, "ISO 2022 IR 58", null, CodeElement.GB2312),
    IR192(192, "ISO_IR 192", null, "UTF-8"),
    GB18030(-1, "GB18030", null, "GB18030"),
    GBK(-1, "GBK", null, "GBK");

    final int ir;
    /** The Defined Term without code extensions, or null if the set exists only with them. */
    final String single;
    /** The Defined Term with code extensions, or null if the set exists only without them. */
    final String extended;
    /** The code element designated to G0 by this term, or null. */
    final CodeElement g0;
    /** The code element designated to G1 by this term, or null. */
    final CodeElement g1;
    /** For the multi-byte sets without code extensions, the charset decoding a whole value. */
    final Charset whole;

    Term(int ir, String single, String extended, CodeElement g0, CodeElement g1) {
        this.ir = ir;
        this.single = single;
        this.extended = extended;
        this.g0 = g0;
        this.g1 = g1;
        this.whole = null;
    }

    Term(int ir, String single, String extended, String charsetName) {
        this.ir = ir;
        this.single = single;
        this.extended = extended;
        this.g0 = null;
        this.g1 = null;
        Charset cs = CodeElement.charset(charsetName);
        // A JDK without the jdk.charsets module lacks GB18030 and GBK: read them as UTF-8 rather than fail.
        this.whole = cs != null ? cs : StandardCharsets.UTF_8;
    }

    /** The Defined Term to write, given whether the set uses code extensions. */
    String code(boolean extensions) {
        if (extended == null) {
            return single;
        }
        if (single == null) {
            return extended;
        }
        return extensions ? extended : single;
    }

    /** A term found in a declaration and whether it was written with "2022". */
    record Found(Term term, boolean extended) { }

    /**
     * Recognises a value of Specific Character Set, tolerating case, spacing and punctuation
     * mistakes ("iso-ir 100", "ISO_IR100", "ISO 2022 IR 100 ") and common charset names
     * ("UTF-8", "ISO-8859-1", "GB2312", "EUC-KR").
     *
     * @return the term, or null when the value is blank or not recognised
     */
    static Found lookup(String value) {
        if (value == null) {
            return null;
        }
        String c = value.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        if (c.isEmpty()) {
            return null;
        }
        switch (c) {
            case "UTF8", "UTF", "UNICODE":
                return new Found(IR192, false);
            case "GB18030":
                return new Found(GB18030, false);
            case "GBK", "CP936":
                return new Found(GBK, false);
            case "GB2312", "EUCCN":
                return new Found(IR58, true);
            case "EUCKR", "KSC5601", "KSX1001":
                return new Found(IR149, true);
            case "ASCII", "USASCII":
                return new Found(IR6, false);
            case "LATIN1":
                return new Found(IR100, false);
            case "TIS620":
                return new Found(IR166, false);
            default:
                break;
        }
        if (c.startsWith("ISO8859") && c.length() > 7) {
            Term t = switch (c.substring(7)) {
                case "1" -> IR100;
                case "2" -> IR101;
                case "3" -> IR109;
                case "4" -> IR110;
                case "5" -> IR144;
                case "6" -> IR127;
                case "7" -> IR126;
                case "8" -> IR138;
                case "9" -> IR148;
                case "11" -> IR166;
                case "15" -> IR203;
                default -> null;
            };
            return t == null ? null : new Found(t, false);
        }
        boolean ext = c.contains("2022");
        int ir = c.indexOf("IR");
        if (ir < 0) {
            return null;
        }
        String digits = c.substring(ir + 2);
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int n = Integer.parseInt(digits);
        for (Term t : values()) {
            if (t.ir == n) {
                return new Found(t, ext);
            }
        }
        return null;
    }
}
