package org.mosaicpacs.archive.internal;

import java.util.regex.Pattern;

import org.mosaicpacs.dicom.charset.SpecificCharacterSet;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.value.DicomDate;
import org.mosaicpacs.dicom.value.DicomDateTime;
import org.mosaicpacs.dicom.value.DicomTime;

/**
 * Checks the values of a received header (everything before Pixel Data, nested sequences included)
 * against the encoding rules of PS3.5, so that the archive refuses what other systems would choke on
 * instead of storing it and serving it later:
 *
 * <ul>
 *   <li>binary values whose length is not a multiple of their VR's unit (an FD of 7 bytes, a US of 3);</li>
 *   <li>DA, TM and DT values that are not dates and times (e.g. {@code 2023-01-01}, month 13, hour 25);</li>
 *   <li>control characters in string values: none but ESC (code extensions) in the short string VRs, and also
 *       TAB, LF, FF and CR in the text VRs (LT, ST, UT); trailing NUL padding is tolerated;</li>
 *   <li>UI values with characters other than digits and dots, or longer than 64;</li>
 *   <li>Specific Character Set (0008,0005) values that are not Defined Terms of PS3.3 C.12.1.1.2.</li>
 * </ul>
 *
 * Pixel Data (its length against Rows, Columns, Samples per Pixel, Bits Allocated and Number of Frames, and
 * the first bytes of an encapsulated frame) is checked while it streams past ({@link TailCheck}).
 */
final class ContentValidator {

    /** PS3.5 Table 6.2-1: DA is YYYYMMDD. */
    private static final Pattern DA = Pattern.compile("\\d{8}");
    /** TM is HH[MM[SS[.F{1,6}]]] (and, retired, HH:MM:SS, still read). */
    private static final Pattern TM = Pattern.compile(
            "\\d{2}(:?\\d{2}(:?\\d{2}(\\.\\d{1,6})?)?)?");
    /** DT is YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&ZZXX]. */
    private static final Pattern DT = Pattern.compile(
            "\\d{4}(\\d{2}(\\d{2}(\\d{2}(\\d{2}(\\d{2}(\\.\\d{1,6})?)?)?)?)?)?([+-]\\d{4})?");

    private ContentValidator() {
    }

    /** The first problem found, as a short message naming the attribute, or null when the header is valid. */
    static String problem(Attributes header) {
        return problem(header, "");
    }

    private static String problem(Attributes ds, String path) {
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            VR vr = ds.vrAt(i);
            Object value = ds.valueAt(i);
            if (value instanceof Sequence seq) {
                for (int k = 0; k < seq.size(); k++) {
                    String p = problem(seq.get(k), path + Tag.toString(tag) + "[" + (k + 1) + "] ");
                    if (p != null) {
                        return p;
                    }
                }
                continue;
            }
            if (!(value instanceof byte[] bytes) || bytes.length == 0 || vr == null || Tag.isPrivate(tag)) {
                continue;
            }
            String p = valueProblem(ds, tag, vr, bytes);
            if (p != null) {
                return path + Tag.toString(tag) + " " + vr + ": " + p;
            }
        }
        return null;
    }

    private static String valueProblem(Attributes ds, int tag, VR vr, byte[] b) {
        int unit = vr == VR.AT ? 4 : vr.isBinary() ? vr.swapUnit() : 1;
        if (unit > 1 && b.length % unit != 0) {
            return "length " + b.length + " is not a multiple of " + unit;
        }
        if (!vr.isString()) {
            return null;
        }
        String controls = controls(vr, b);
        if (controls != null) {
            return controls;
        }
        switch (vr) {
            case DA:
                for (String v : ds.getStrings(tag)) {
                    if (v != null && !v.isBlank() && (!DA.matcher(v.trim()).matches() || DicomDate.tryParse(v.trim()).isEmpty())) {
                        return "not a date: '" + v.trim() + "'";
                    }
                }
                return null;
            case TM:
                for (String v : ds.getStrings(tag)) {
                    if (v != null && !v.isBlank() && (!TM.matcher(v.trim()).matches() || DicomTime.tryParse(v.trim()).isEmpty())) {
                        return "not a time: '" + v.trim() + "'";
                    }
                }
                return null;
            case DT:
                for (String v : ds.getStrings(tag)) {
                    if (v != null && !v.isBlank() && (!DT.matcher(v.trim()).matches()
                            || DicomDateTime.tryParse(v.trim()).isEmpty())) {
                        return "not a date-time: '" + v.trim() + "'";
                    }
                }
                return null;
            case UI:
                for (String v : ds.getStrings(tag)) {
                    if (v != null && !v.isEmpty() && (v.length() > 64 || !v.chars().allMatch(c -> c == '.'
                            || c >= '0' && c <= '9'))) {
                        return "not a UID: '" + printable(v) + "'";
                    }
                }
                return null;
            case CS:
                if (tag == Tag.SpecificCharacterSet) {
                    for (String v : ds.getStrings(tag)) {
                        if (v != null && !v.isBlank() && !SpecificCharacterSet.isDefinedTerm(v.trim())) {
                            return "unknown character set '" + printable(v.trim()) + "'";
                        }
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /** Control characters that the VR does not allow, or null. Trailing NULs (padding) are tolerated. */
    private static String controls(VR vr, byte[] b) {
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) {
            end--;
        }
        boolean text = vr == VR.LT || vr == VR.ST || vr == VR.UT;
        for (int i = 0; i < end; i++) {
            int c = b[i] & 0xFF;
            if (c == 0x7F || c < 0x20 && c != 0x1B && !(text && (c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D))) {
                return String.format("control character 0x%02X at byte %d", c, i);
            }
        }
        return null;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 64; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return sb.toString();
    }
}
