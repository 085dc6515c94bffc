package org.mosaicpacs.dicom.value;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AT values and tags in general: a (group, element) pair of 16-bit numbers held in one {@code int},
 * group in the high half ({@code 0x00100010} is Patient's Name).
 *
 * <p>Parsing accepts "(0010,0010)", "0010,0010", "00100010", "0x00100010", lower-case hex and
 * spaces around the parts. Reading AT values from bytes (two 16-bit words in the transfer
 * syntax's byte order, not one 32-bit number) belongs to the binary VR layer; {@link #fromWords}
 * and {@link #toWords} convert between those words and tags.
 */
public final class AttributeTag {

    private static final Pattern TAG = Pattern.compile(
            "\\(?\\s*(?:0[xX])?([0-9A-Fa-f]{4})\\s*,?\\s*([0-9A-Fa-f]{4})\\s*\\)?");

    private AttributeTag() {
    }

    /** The tag of a group and an element (each 0-0xFFFF; higher bits are ignored). */
    public static int of(int group, int element) {
        return (group & 0xFFFF) << 16 | (element & 0xFFFF);
    }

    /** The group number, 0-0xFFFF. */
    public static int group(int tag) {
        return tag >>> 16;
    }

    /** The element number, 0-0xFFFF. */
    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    /** Whether the tag is private: its group is odd (and not 0001, 0003, 0005, 0007, nor FFFF). */
    public static boolean isPrivate(int tag) {
        int g = group(tag);
        return (g & 1) == 1 && g > 0x0007 && g != 0xFFFF;
    }

    /** The conventional form "(GGGG,EEEE)" in upper-case hex. */
    public static String toString(int tag) {
        return String.format("(%04X,%04X)", group(tag), element(tag));
    }

    /** The form "GGGGEEEE" used by DICOM JSON and XML. */
    public static String toHexString(int tag) {
        return String.format("%08X", tag);
    }

    /**
     * Parses a tag.
     *
     * @throws DicomValueException when it is not a tag in a known form
     */
    public static int parse(String s) throws DicomValueException {
        String[] why = new String[1];
        Integer v = read(s, why);
        if (v == null) {
            throw new DicomValueException("AT", s, why[0]);
        }
        return v;
    }

    /** Reads a value; null (with the reason in {@code why[0]} when given) on failure. */
    static Integer read(String s, String[] why) {
        Matcher m = TAG.matcher(Strings.clean(s));
        if (!m.matches()) {
            return Strings.fail(why, "expected (GGGG,EEEE) or GGGGEEEE");
        }
        return of(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16));
    }

    /** Parses a tag; empty when it cannot be read. Never throws. */
    public static OptionalInt tryParse(String s) {
        Integer v = read(s, null);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /**
     * Tags from the 16-bit words of an AT value, in pairs (group, element); an odd last word is
     * ignored.
     */
    public static int[] fromWords(int[] words) {
        int[] tags = new int[words.length / 2];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = of(words[2 * i], words[2 * i + 1]);
        }
        return tags;
    }

    /** The 16-bit words (group, element, group, element...) of an AT value. */
    public static int[] toWords(int... tags) {
        int[] words = new int[tags.length * 2];
        for (int i = 0; i < tags.length; i++) {
            words[2 * i] = group(tags[i]);
            words[2 * i + 1] = element(tags[i]);
        }
        return words;
    }
}
