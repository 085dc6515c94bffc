package org.mosaicpacs.deidentify.internal;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.mosaicpacs.api.deidentify.ConfidentialityOption;
import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UIDDictionary;
import org.mosaicpacs.dicom.data.VR;

/**
 * Applies a {@link Profile} to a copy of a data set: every attribute of PS3.15 Table E.1-1 at any depth
 * gets the action of the basic profile or of a chosen option, combined actions resolved by the Type of
 * the attribute in the IOD of the instance's SOP class; private attributes are removed unless kept by
 * Retain Safe Private; Patient Identity Removed, De-identification Method and its Code Sequence and
 * Longitudinal Temporal Information Modified are set. Stateless: safe to share between threads.
 */
final class Engine {

    static final String DUMMY_TEXT = "DEIDENTIFIED";
    static final String DUMMY_DATE = "19000101";
    static final String DUMMY_TIME = "000000";
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final ActionTable table;
    private final IodTypes types;

    Engine() {
        this(ActionTable.standard(), IodTypes.standard());
    }

    Engine(ActionTable table, IodTypes types) {
        this.table = table;
        this.types = types;
    }

    /**
     * What one de-identification made: the data set, and the replacements to keep for re-identification.
     *
     * @param patientKey        the original patient (Issuer|Patient ID, or Name|Birth Date without an ID)
     * @param patientId         the pseudonymous Patient ID given
     * @param dateOffsetDays    the date shift applied (0 when dates were not shifted)
     * @param uids              original → new UID, for every UID replaced
     */
    record Result(Attributes dataset, String patientKey, String patientId, int dateOffsetDays, Map<String, String> uids) {
    }

    Result deidentify(Attributes original, Profile profile) throws DeidentificationException {
        Run run = new Run(profile, original);
        Attributes ds = new Attributes(original);
        run.pixels(ds);
        run.process(ds, true, false);
        run.mark(ds);
        return new Result(ds, run.patientKey, run.patientId, run.dateOffset, run.uids);
    }

    /** The state of one de-identification. */
    private final class Run {
        final Profile profile;
        final Pseudonyms pseudonyms;
        final String sopClass;
        final String patientKey;
        final String patientId;
        final int dateOffset;
        final List<String> identifying;
        final Map<String, String> uids = new LinkedHashMap<>();

        Run(Profile profile, Attributes original) {
            this.profile = profile;
            this.pseudonyms = new Pseudonyms(profile);
            this.sopClass = original.getString(Tag.SOPClassUID);
            String id = original.getString(Tag.PatientID, "");
            this.patientKey = id.isBlank()
                    ? "name:" + original.getString(Tag.PatientName, "") + "|" + original.getString(Tag.PatientBirthDate, "")
                    : "id:" + original.getString(Tag.IssuerOfPatientID, "") + "|" + id.strip();
            this.patientId = pseudonyms.patientId(patientKey);
            this.dateOffset = profile.has(ConfidentialityOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)
                    ? pseudonyms.dateOffsetDays(patientKey) : 0;
            Set<String> values = new TreeSet<>(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));
            collectIdentifying(original, true, values);
            this.identifying = new ArrayList<>(values);
        }

        // ---- pixel data --------------------------------------------------------------------------

        void pixels(Attributes ds) throws DeidentificationException {
            boolean burnedIn = "YES".equalsIgnoreCase(ds.getString(Tag.BurnedInAnnotation, "").strip());
            PixelCleaner.Rule rule = profile.has(ConfidentialityOption.CLEAN_PIXEL_DATA)
                    ? PixelCleaner.ruleFor(profile.rectangles(), ds) : null;
            if (rule != null) {
                PixelCleaner.clean(ds, rule);
                if (burnedIn) {
                    ds.setString(Tag.BurnedInAnnotation, VR.CS, "NO");
                }
            } else if (burnedIn && profile.refuseBurnedInAnnotation() && ds.contains(Tag.PixelData)) {
                throw new DeidentificationException("Burned In Annotation is YES and profile " + profile.name()
                        + " has no Clean Pixel Data rectangle for modality " + ds.getString(Tag.Modality, "?")
                        + ", manufacturer " + ds.getString(Tag.Manufacturer, "?") + ", size "
                        + ds.getInt(Tag.Columns, 0) + "x" + ds.getInt(Tag.Rows, 0) + ": refused");
            }
        }

        // ---- the table ---------------------------------------------------------------------------

        /**
         * Applies the table to every element of {@code ds}.
         *
         * @param top   whether {@code ds} is the top level data set (the only level with IOD Types)
         * @param clean whether the text of elements the table keeps is to be cleaned (inside a cleaned sequence)
         */
        void process(Attributes ds, boolean top, boolean clean) throws DeidentificationException {
            for (int tag : ds.tags()) {
                if (!ds.contains(tag)) {
                    continue;
                }
                if (Tag.isPrivate(tag)) {
                    privateElement(ds, tag, clean);
                    continue;
                }
                if ((tag & 0xFFFF) == 0) {
                    ds.remove(tag); // group lengths are not kept: they would be wrong
                    continue;
                }
                ActionTable.Row row = table.lookup(tag);
                if (row == null) {
                    keep(ds, tag, clean);
                    continue;
                }
                Action action = row.action(profile.options());
                if (action.isCombined()) {
                    action = action.resolve(top ? types.typeOf(tag, sopClass) : 0);
                }
                apply(ds, tag, action, clean);
            }
            dropEmptyPrivateCreators(ds);
        }

        void apply(Attributes ds, int tag, Action action, boolean clean) throws DeidentificationException {
            VR vr = ds.getVR(tag);
            switch (action) {
                case X:
                    ds.remove(tag);
                    break;
                case Z:
                    if (!pseudonym(ds, tag)) {
                        if (vr == VR.SQ) {
                            ds.newSequence(tag, 0);
                        } else {
                            ds.setNull(tag, vr);
                        }
                    }
                    break;
                case D:
                    if (!pseudonym(ds, tag)) {
                        dummy(ds, tag, vr);
                    }
                    break;
                case K:
                    keep(ds, tag, false);
                    break;
                case C:
                    cleanElement(ds, tag, vr);
                    break;
                case U:
                case U_STAR:
                    if (vr == VR.SQ) {
                        items(ds.getSequence(tag), clean);
                    } else {
                        replaceUids(ds, tag, vr);
                    }
                    break;
                default:
                    throw new IllegalStateException("unresolved action " + action);
            }
        }

        /** Patient ID and Patient Name get the project's pseudonym instead of an empty or dummy value. */
        boolean pseudonym(Attributes ds, int tag) {
            if (tag == Tag.PatientID) {
                ds.setString(tag, VR.LO, patientId);
                return true;
            }
            if (tag == Tag.PatientName && ds.isRoot()) {
                ds.setString(tag, VR.PN, patientId);
                return true;
            }
            return false;
        }

        void keep(Attributes ds, int tag, boolean clean) throws DeidentificationException {
            VR vr = ds.getVR(tag);
            if (vr == VR.SQ) {
                items(ds.getSequence(tag), clean);
            } else if (clean) {
                cleanText(ds, tag, vr);
            }
        }

        void items(Sequence seq, boolean clean) throws DeidentificationException {
            if (seq == null) {
                return;
            }
            for (Attributes item : seq) {
                process(item, false, clean);
            }
        }

        void privateElement(Attributes ds, int tag, boolean clean) throws DeidentificationException {
            int element = tag & 0xFFFF;
            if (element >= 0x0010 && element <= 0x00FF) {
                return; // creators: dropped afterwards when their block is empty
            }
            if (element < 0x0010) {
                ds.remove(tag);
                return;
            }
            String creator = ds.getPrivateCreator(tag);
            boolean safe = profile.has(ConfidentialityOption.RETAIN_SAFE_PRIVATE) && creator != null
                    && profile.safePrivate().contains(safeKey(creator, tag));
            if (!safe) {
                ds.remove(tag);
            } else {
                keep(ds, tag, clean);
            }
        }

        void dropEmptyPrivateCreators(Attributes ds) {
            for (int tag : ds.tags()) {
                int element = tag & 0xFFFF;
                if (!Tag.isPrivate(tag) || element < 0x0010 || element > 0x00FF) {
                    continue;
                }
                int group = tag & 0xFFFF0000;
                int first = group | (element << 8);
                boolean used = false;
                for (int t : ds.tags()) {
                    if (Integer.compareUnsigned(t, first) >= 0 && Integer.compareUnsigned(t, first | 0xFF) <= 0) {
                        used = true;
                        break;
                    }
                }
                if (!used) {
                    ds.remove(tag);
                }
            }
        }

        // ---- values --------------------------------------------------------------------------------

        void dummy(Attributes ds, int tag, VR vr) throws DeidentificationException {
            if (vr == VR.SQ) {
                Sequence seq = ds.getSequence(tag);
                if (seq != null) {
                    for (Attributes item : seq) {
                        dummyAll(item);
                    }
                }
                return;
            }
            if (vr == VR.UI) {
                replaceUids(ds, tag, vr);
                return;
            }
            String text = dummyText(vr);
            if (text != null) {
                ds.setString(tag, vr, text);
                return;
            }
            Object v = ds.getValue(tag);
            long length = v instanceof byte[] ? ((byte[]) v).length : v instanceof BulkData ? ((BulkData) v).length() : 0;
            if (length == 0 || length > Integer.MAX_VALUE - 8) {
                length = switch (vr) {
                    case FD, SV, UV, OD, OV -> 8;
                    case UL, SL, FL, OL, OF, AT -> 4;
                    default -> 2;
                };
            }
            ds.setBytes(tag, vr, new byte[(int) length]);
        }

        /** Inside a sequence replaced with dummies: text dummied, UIDs replaced, private data removed. */
        void dummyAll(Attributes item) throws DeidentificationException {
            for (int tag : item.tags()) {
                if (!item.contains(tag)) {
                    continue;
                }
                VR vr = item.getVR(tag);
                if (Tag.isPrivate(tag) || (tag & 0xFFFF) == 0) {
                    item.remove(tag);
                } else if (vr == VR.SQ) {
                    Sequence seq = item.getSequence(tag);
                    for (Attributes a : seq) {
                        dummyAll(a);
                    }
                } else if (vr == VR.UI) {
                    replaceUids(item, tag, vr);
                } else if (vr.isString() && vr != VR.CS && tag != Tag.SpecificCharacterSet) {
                    item.setString(tag, vr, dummyText(vr));
                }
            }
        }

        String dummyText(VR vr) {
            return switch (vr) {
                case AE, CS, LO, SH, LT, ST, UT, UC, PN -> DUMMY_TEXT;
                case AS -> "000Y";
                case DA -> DUMMY_DATE;
                case DT -> DUMMY_DATE + DUMMY_TIME;
                case TM -> DUMMY_TIME;
                case DS, IS -> "0";
                case UR -> "urn:x-deidentified";
                default -> null;
            };
        }

        void replaceUids(Attributes ds, int tag, VR vr) {
            String[] values = ds.getStrings(tag);
            if (values == null) {
                ds.setNull(tag, vr);
                return;
            }
            String[] out = new String[values.length];
            for (int k = 0; k < values.length; k++) {
                out[k] = values[k].isBlank() ? values[k] : uid(values[k].strip());
            }
            ds.setString(tag, vr == VR.UN ? VR.UI : vr, out);
        }

        /** A new UID for an instance UID; UIDs of the DICOM registry (SOP classes, ...) identify nobody and stay. */
        String uid(String original) {
            if (UIDDictionary.nameOf(original) != null) {
                return original;
            }
            return uids.computeIfAbsent(original, pseudonyms::uid);
        }

        void cleanElement(Attributes ds, int tag, VR vr) throws DeidentificationException {
            switch (vr) {
                case SQ -> items(ds.getSequence(tag), true);
                case DA, DT -> shiftDates(ds, tag, vr);
                case UI -> replaceUids(ds, tag, vr);
                case AE -> {
                    String v = ds.getString(tag);
                    if (v != null) {
                        ds.setString(tag, vr, pseudonyms.token("ae", v.strip(), "AE"));
                    }
                }
                case PN -> ds.setString(tag, vr, DUMMY_TEXT);
                default -> cleanText(ds, tag, vr);
            }
        }

        /** Retain Longitudinal Modified Dates: each date moved by the patient's offset; unreadable dates dummied. */
        void shiftDates(Attributes ds, int tag, VR vr) {
            String[] values = ds.getStrings(tag);
            if (values == null || values.length == 0) {
                return;
            }
            String[] out = new String[values.length];
            for (int k = 0; k < values.length; k++) {
                String v = values[k].strip();
                if (v.isEmpty()) {
                    out[k] = v;
                    continue;
                }
                try {
                    LocalDate d = LocalDate.parse(v.substring(0, Math.min(8, v.length())), DA).plusDays(dateOffset);
                    out[k] = d.format(DA) + (vr == VR.DT ? v.substring(8) : "");
                } catch (DateTimeParseException | IndexOutOfBoundsException e) {
                    out[k] = vr == VR.DT ? DUMMY_DATE + DUMMY_TIME : DUMMY_DATE;
                }
            }
            ds.setString(tag, vr, out);
        }

        /** Clean text: every identifying value of the instance found in it is masked with '*'. */
        void cleanText(Attributes ds, int tag, VR vr) {
            if (!vr.isString() || vr == VR.UI || vr == VR.CS || tag == Tag.SpecificCharacterSet) {
                return;
            }
            if (vr == VR.DA || vr == VR.DT) {
                shiftDatesOrDummy(ds, tag, vr);
                return;
            }
            if (vr == VR.PN) {
                ds.setString(tag, vr, DUMMY_TEXT);
                return;
            }
            String[] values = ds.getStrings(tag);
            if (values == null) {
                return;
            }
            boolean changed = false;
            for (int k = 0; k < values.length; k++) {
                String masked = mask(values[k]);
                if (!masked.equals(values[k])) {
                    values[k] = masked;
                    changed = true;
                }
            }
            if (changed) {
                ds.setString(tag, vr, values);
            }
        }

        void shiftDatesOrDummy(Attributes ds, int tag, VR vr) {
            if (profile.has(ConfidentialityOption.RETAIN_LONGITUDINAL_FULL_DATES)) {
                return;
            }
            if (dateOffset != 0) {
                shiftDates(ds, tag, vr);
            } else {
                ds.setString(tag, vr, vr == VR.DT ? DUMMY_DATE + DUMMY_TIME : DUMMY_DATE);
            }
        }

        String mask(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            StringBuilder sb = null;
            for (String id : identifying) {
                String needle = id.toLowerCase(Locale.ROOT);
                for (int i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length())) {
                    if (sb == null) {
                        sb = new StringBuilder(text);
                    }
                    for (int k = i; k < i + needle.length() && k < sb.length(); k++) {
                        sb.setCharAt(k, '*');
                    }
                }
            }
            return sb == null ? text : sb.toString();
        }

        /**
         * The values a cleaned text must not hold: the names, IDs, dates and places of the instance that
         * the profile removes or replaces (text of 3 characters or more; name components separately).
         */
        void collectIdentifying(Attributes ds, boolean top, Set<String> out) {
            for (int i = 0; i < ds.size(); i++) {
                int tag = ds.tagAt(i);
                VR vr = ds.vrAt(i);
                if (vr == VR.SQ) {
                    Sequence seq = ds.getSequence(tag);
                    if (seq != null) {
                        for (Attributes item : seq) {
                            collectIdentifying(item, false, out);
                        }
                    }
                    continue;
                }
                ActionTable.Row row = Tag.isPrivate(tag) ? null : table.lookup(tag);
                if (row == null) {
                    continue;
                }
                Action a = row.action(profile.options());
                if (a == Action.K || a == Action.C || !(vr == VR.PN || vr == VR.LO || vr == VR.SH || vr == VR.DA
                        || vr == VR.DT || vr == VR.AE)) {
                    continue;
                }
                String[] values = ds.getStrings(tag);
                if (values == null) {
                    continue;
                }
                for (String v : values) {
                    String s = v.strip();
                    if (vr == VR.DT && s.length() > 8) {
                        s = s.substring(0, 8);
                    }
                    if (vr == VR.PN) {
                        for (String part : s.split("[\\^=]")) {
                            if (part.strip().length() >= 3) {
                                out.add(part.strip());
                            }
                        }
                    } else if (s.length() >= 3) {
                        out.add(s);
                    }
                }
            }
        }

        // ---- marks ---------------------------------------------------------------------------------

        void mark(Attributes ds) {
            ds.setString(Tag.PatientIdentityRemoved, VR.CS, "YES");
            List<String> methods = new ArrayList<>();
            methods.add(ConfidentialityOption.BASIC_PROFILE_MEANING);
            Sequence codes = ds.newSequence(Tag.DeidentificationMethodCodeSequence, 1 + profile.options().size());
            code(codes.addNewItem(), ConfidentialityOption.BASIC_PROFILE_CODE, ConfidentialityOption.BASIC_PROFILE_MEANING);
            for (ConfidentialityOption o : profile.options()) {
                methods.add(o.codeMeaning());
                code(codes.addNewItem(), o.codeValue(), o.codeMeaning());
            }
            ds.setString(Tag.DeidentificationMethod, VR.LO, methods.toArray(String[]::new));
            ds.setString(Tag.LongitudinalTemporalInformationModified, VR.CS,
                    profile.has(ConfidentialityOption.RETAIN_LONGITUDINAL_FULL_DATES) ? "UNMODIFIED"
                            : profile.has(ConfidentialityOption.RETAIN_LONGITUDINAL_MODIFIED_DATES) ? "MODIFIED" : "REMOVED");
        }

        void code(Attributes item, String value, String meaning) {
            item.setString(Tag.CodeValue, VR.SH, value);
            item.setString(Tag.CodingSchemeDesignator, VR.SH, ConfidentialityOption.CODING_SCHEME);
            item.setString(Tag.CodeMeaning, VR.LO, meaning);
        }
    }

    /** The whitelist key of a private data element: {@code creator|ggggxxee}, e.g. {@code ACME 1.1|0019xx10}. */
    static String safeKey(String creator, int tag) {
        return String.format(Locale.ROOT, "%s|%04Xxx%02X", creator.strip(), tag >>> 16, tag & 0xFF);
    }
}
