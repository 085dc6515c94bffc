package org.mosaicpacs.dicom.tool;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.ElementDictionary;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;

/**
 * The query keys of find, get and move: {@code -m Key=Value} (matching) and {@code -r Key} (return),
 * with Key a keyword ({@code PatientID}), a tag ({@code (0010,0020)}, {@code 0010,0020} or
 * {@code 00100020}), or a path into a sequence ({@code RequestAttributesSequence.RequestedProcedureID});
 * several values separated by '\'.
 */
final class Keys {

    /** The query/retrieve levels and the unique key of each. */
    static final Map<String, Integer> LEVELS = Map.of("PATIENT", Tag.PatientID, "STUDY", Tag.StudyInstanceUID,
            "SERIES", Tag.SeriesInstanceUID, "IMAGE", Tag.SOPInstanceUID);

    static final String HELP = ""
            + "  -L LEVEL                PATIENT, STUDY (default), SERIES or IMAGE\n"
            + "  -M MODEL                StudyRoot (default) or PatientRoot information model\n"
            + "  -m KEY=VALUE            a matching key (repeatable); KEY is a keyword (PatientID), a tag\n"
            + "                          ((0010,0020), 0010,0020 or 00100020) or SEQ.KEY for a key in a\n"
            + "                          sequence item; several values separated by \\\n";

    private Keys() {
    }

    /** The identifier of -L, -m and -r (the unique key of the level returned too). */
    static Attributes identifier(Args a, boolean withReturnKeys) throws UsageException {
        Attributes keys = new Attributes();
        String level = level(a);
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, level);
        for (String m : a.getAll("-m")) {
            int eq = m.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("-m needs KEY=VALUE, not '" + m + "'");
            }
            set(keys, m.substring(0, eq), m.substring(eq + 1));
        }
        if (withReturnKeys) {
            for (String r : a.getAll("-r")) {
                if (r.indexOf('=') >= 0) {
                    throw new UsageException("-r takes a KEY without value, not '" + r + "'");
                }
                set(keys, r, null);
            }
            int unique = LEVELS.get(level);
            if (!keys.contains(unique)) {
                keys.setNull(unique, vrOf(unique));
            }
        }
        return keys;
    }

    static String level(Args a) throws UsageException {
        String level = a.get("-L", "STUDY").toUpperCase(java.util.Locale.ROOT);
        if (!LEVELS.containsKey(level)) {
            throw new UsageException("-L takes PATIENT, STUDY, SERIES or IMAGE, not '" + a.get("-L") + "'");
        }
        return level;
    }

    /**
     * The SOP class of the information model of -M for an operation.
     *
     * @param operation "Find", "Move" or "Get"
     */
    static String model(Args a, String operation) throws UsageException {
        String m = a.get("-M", "StudyRoot");
        String root;
        if (m.equalsIgnoreCase("StudyRoot")) {
            root = "StudyRoot";
        } else if (m.equalsIgnoreCase("PatientRoot")) {
            root = "PatientRoot";
        } else {
            throw new UsageException("-M takes StudyRoot or PatientRoot, not '" + m + "'");
        }
        return switch (root + operation) {
            case "StudyRootFind" -> UID.StudyRootQueryRetrieveInformationModelFind;
            case "StudyRootMove" -> UID.StudyRootQueryRetrieveInformationModelMove;
            case "StudyRootGet" -> UID.StudyRootQueryRetrieveInformationModelGet;
            case "PatientRootFind" -> UID.PatientRootQueryRetrieveInformationModelFind;
            case "PatientRootMove" -> UID.PatientRootQueryRetrieveInformationModelMove;
            default -> UID.PatientRootQueryRetrieveInformationModelGet;
        };
    }

    /** The tag of a keyword or tag text. */
    static int tag(String key) throws UsageException {
        String k = key.trim();
        int tag = ElementDictionary.standard().tagForKeyword(k);
        if (tag != -1) {
            return tag;
        }
        try {
            return Tag.parse(k);
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown key '" + key + "' (a keyword such as PatientID, or a tag GGGGEEEE)");
        }
    }

    private static VR vrOf(int tag) {
        VR vr = ElementDictionary.standard().vrOf(tag);
        return vr == null ? VR.UN : vr;
    }

    /** Sets a key (a path through sequences), with a value or empty (value null). */
    static void set(Attributes keys, String path, String value) throws UsageException {
        String[] parts = path.split("\\.");
        Attributes target = keys;
        for (int i = 0; i < parts.length - 1; i++) {
            int seqTag = tag(parts[i]);
            if (vrOf(seqTag) != VR.SQ) {
                throw new UsageException("'" + parts[i] + "' in '" + path + "' is not a sequence");
            }
            Sequence seq = target.getSequence(seqTag);
            if (seq == null) {
                seq = target.newSequence(seqTag, 1);
            }
            target = seq.size() == 0 ? seq.addNewItem() : seq.get(0);
        }
        int tag = tag(parts[parts.length - 1]);
        VR vr = vrOf(tag);
        if (vr == VR.SQ) {
            if (value != null && !value.isEmpty()) {
                throw new UsageException("'" + path + "' is a sequence: give keys inside it, SEQ.KEY=VALUE");
            }
            if (target.getSequence(tag) == null) {
                target.newSequence(tag, 0);
            }
            return;
        }
        if (value == null || value.isEmpty()) {
            target.setNull(tag, vr);
            return;
        }
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(value) && !keys.contains(Tag.SpecificCharacterSet)) {
            // before the value, which is encoded when set
            keys.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        }
        String[] values = value.split("\\\\", -1);
        try {
            switch (vr) {
                case US, SS, UL, SL -> target.setInt(tag, vr, java.util.Arrays.stream(values).mapToInt(Integer::parseInt)
                        .toArray());
                case FL, FD -> target.setDouble(tag, vr, java.util.Arrays.stream(values)
                        .mapToDouble(Double::parseDouble).toArray());
                case OB, OW, OF, OD, OL, OV, UN, SV, UV, AT -> throw new UsageException("'" + path
                        + "' (" + vr + ") cannot be given a value here");
                default -> target.setString(tag, vr, values);
            }
        } catch (NumberFormatException e) {
            throw new UsageException("'" + path + "' (" + vr + ") needs numbers, not '" + value + "'");
        }
    }

    /** Rejects -r where it has no meaning. */
    static void noReturnKeys(Args a, String verb) throws UsageException {
        if (!a.getAll("-r").isEmpty()) {
            throw new UsageException(verb + " takes no -r");
        }
    }

    static List<String> options() {
        return List.of("-L", "-M", "-m", "-r");
    }
}
