package org.mosaicpacs.dicomweb.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.ElementDictionary;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.value.DateRange;
import org.mosaicpacs.dicom.value.DateTimeRange;
import org.mosaicpacs.dicom.value.DicomValueException;
import org.mosaicpacs.dicom.value.TimeRange;

/**
 * A QIDO-RS search (PS3.18 10.6) turned into a C-FIND-style {@link QueryRequest}: the query parameters
 * {@code {attributeID}={value}} become matching keys (keywords or tags, wildcards, ranges, UID lists
 * separated by commas or backslashes), {@code includefield} adds return keys, {@code fuzzymatching=true}
 * matches Person Names without regard to case, {@code limit} and {@code offset} page the matches.
 *
 * @param request        the query for the index
 * @param limit          the most matches to return (at most the server maximum)
 * @param offset         how many matches to skip
 * @param limitedByServer whether the client asked for more than the server gives (or for no limit)
 */
record QidoQuery(QueryRequest request, int limit, int offset, boolean limitedByServer) {

    /** Attributes returned at the study level when not asked for (PS3.18 Table 10.6.3-3). */
    static final int[] STUDY_DEFAULTS = {Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber, Tag.ModalitiesInStudy,
        Tag.ReferringPhysicianName, Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex,
        Tag.StudyInstanceUID, Tag.StudyID, Tag.NumberOfStudyRelatedSeries, Tag.NumberOfStudyRelatedInstances};
    /** Added by {@code includefield=all} at the study level. */
    static final int[] STUDY_ALL = {Tag.StudyDescription, Tag.SOPClassesInStudy, Tag.IssuerOfPatientID};
    /** Attributes returned at the series level (PS3.18 Table 10.6.3-4). */
    static final int[] SERIES_DEFAULTS = {Tag.Modality, Tag.SeriesDescription, Tag.SeriesInstanceUID,
        Tag.SeriesNumber, Tag.NumberOfSeriesRelatedInstances, Tag.PerformedProcedureStepStartDate,
        Tag.PerformedProcedureStepStartTime};
    static final int[] SERIES_ALL = {Tag.BodyPartExamined, Tag.SeriesDate, Tag.SeriesTime};
    /** Attributes returned at the instance level (PS3.18 Table 10.6.3-5). */
    static final int[] INSTANCE_DEFAULTS = {Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.InstanceNumber, Tag.Rows,
        Tag.Columns, Tag.BitsAllocated, Tag.NumberOfFrames};
    static final int[] INSTANCE_ALL = {Tag.ContentDate, Tag.ContentTime};

    private static final Set<String> RESERVED = Set.of("limit", "offset", "includefield", "fuzzymatching",
            "emptyvalue", "accept", "charset");

    /**
     * Reads a search.
     *
     * @param level      the level of the resource (/studies, /series, /instances)
     * @param studyUID   the study of a nested resource, or null
     * @param seriesUID  the series of a nested resource, or null
     * @param parameters the query parameters (decoded, each with its values in order)
     * @param maxResults the server maximum
     * @throws WebException 400 for an unknown attribute, a bad value of a reserved parameter
     */
    static QidoQuery parse(QueryLevel level, String studyUID, String seriesUID, Map<String, String[]> parameters,
                           int maxResults) {
        Attributes keys = new Attributes();
        Set<Integer> returnKeys = new LinkedHashSet<>();
        boolean relational = (level == QueryLevel.SERIES && studyUID == null)
                || (level == QueryLevel.IMAGE && (studyUID == null || seriesUID == null));
        boolean includeAll = false;
        for (String value : values(parameters, "includefield")) {
            for (String field : value.split(",")) {
                String f = field.trim();
                if (f.isEmpty()) {
                    continue;
                }
                if (f.equals("all")) {
                    includeAll = true;
                } else {
                    returnKeys.add(tagOf(f, "includefield"));
                }
            }
        }
        addAll(returnKeys, STUDY_DEFAULTS, level == QueryLevel.STUDY || relational && studyUID == null);
        addAll(returnKeys, STUDY_ALL, includeAll && (level == QueryLevel.STUDY || relational && studyUID == null));
        addAll(returnKeys, SERIES_DEFAULTS, level == QueryLevel.SERIES || level == QueryLevel.IMAGE && seriesUID == null);
        addAll(returnKeys, SERIES_ALL, includeAll && (level == QueryLevel.SERIES
                || level == QueryLevel.IMAGE && seriesUID == null));
        addAll(returnKeys, INSTANCE_DEFAULTS, level == QueryLevel.IMAGE);
        addAll(returnKeys, INSTANCE_ALL, includeAll && level == QueryLevel.IMAGE);
        returnKeys.add(Tag.StudyInstanceUID);
        if (level != QueryLevel.STUDY) {
            returnKeys.add(Tag.SeriesInstanceUID);
        }
        for (int tag : returnKeys) {
            VR vr = ElementDictionary.standard().vrOf(tag);
            keys.setNull(tag, vr == null ? VR.UN : vr);
        }
        for (Map.Entry<String, String[]> p : parameters.entrySet()) {
            if (RESERVED.contains(p.getKey())) {
                continue;
            }
            for (String value : p.getValue()) {
                setMatchingKey(keys, p.getKey(), value);
            }
        }
        if (studyUID != null) {
            keys.setString(Tag.StudyInstanceUID, VR.UI, studyUID);
        }
        if (seriesUID != null) {
            keys.setString(Tag.SeriesInstanceUID, VR.UI, seriesUID);
        }
        QueryRequest request = QueryRequest.of(level, keys);
        if (relational) {
            request = request.withRelational();
        }
        String fuzzy = single(parameters, "fuzzymatching");
        if (fuzzy != null) {
            if (fuzzy.equals("true")) {
                request = request.withCaseInsensitivePN();
            } else if (!fuzzy.equals("false")) {
                throw WebException.badRequest("fuzzymatching must be true or false, not '" + fuzzy + "'");
            }
        }
        int offset = number(single(parameters, "offset"), "offset", 0);
        String limitText = single(parameters, "limit");
        int limit = number(limitText, "limit", maxResults);
        if (limit == 0) {
            limit = maxResults; // no limit asked for: the server's maximum
            limitText = null;
        }
        boolean limitedByServer = limitText == null || limit > maxResults;
        return new QidoQuery(request, Math.min(limit, maxResults), offset, limitedByServer);
    }

    private static void addAll(Set<Integer> set, int[] tags, boolean condition) {
        if (condition) {
            for (int t : tags) {
                set.add(t);
            }
        }
    }

    private static List<String> values(Map<String, String[]> parameters, String name) {
        String[] v = parameters.get(name);
        return v == null ? List.of() : List.of(v);
    }

    private static String single(Map<String, String[]> parameters, String name) {
        String[] v = parameters.get(name);
        if (v == null || v.length == 0) {
            return null;
        }
        if (v.length > 1) {
            throw WebException.badRequest(name + " is given " + v.length + " times");
        }
        return v[0].trim();
    }

    private static int number(String text, String name, int defaultValue) {
        if (text == null || text.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(text);
            if (n < 0) {
                throw WebException.badRequest(name + " must not be negative: " + text);
            }
            return n;
        } catch (NumberFormatException e) {
            throw WebException.badRequest(name + " must be a whole number: '" + text + "'");
        }
    }

    /** A keyword (PatientName) or a tag (00100010) to its tag; 400 when neither. */
    static int tagOf(String attributeID, String parameter) {
        int tag = -1;
        if (attributeID.length() == 8 && attributeID.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            tag = (int) Long.parseLong(attributeID, 16);
        } else if (!attributeID.isEmpty() && Character.isLetter(attributeID.charAt(0))) {
            tag = ElementDictionary.standard().tagForKeyword(attributeID);
        }
        if (tag == -1 || ElementDictionary.standard().vrOf(tag) == null && (tag & 0x10000) == 0) {
            throw WebException.badRequest("unknown attribute '" + attributeID + "' in " + parameter
                    + ": use a keyword of PS3.6 or a tag as 8 hex digits");
        }
        return tag;
    }

    /** Sets one matching key; {@code Sequence.Attribute} matches inside a one-item sequence. */
    private static void setMatchingKey(Attributes keys, String name, String value) {
        Attributes target = keys;
        String[] path = name.split("\\.");
        for (int i = 0; i < path.length - 1; i++) {
            int seqTag = tagOf(path[i], "the query");
            if (ElementDictionary.standard().vrOf(seqTag) != VR.SQ) {
                throw WebException.badRequest("'" + path[i] + "' is not a sequence");
            }
            Attributes item = target.getNestedDataset(seqTag);
            target = item != null ? item : target.newSequence(seqTag, 1).addNewItem();
        }
        int tag = tagOf(path[path.length - 1], "the query");
        VR vr = ElementDictionary.standard().vrOf(tag);
        if (vr == null) {
            vr = VR.UN;
        }
        if (vr == VR.SQ || vr.isBinary() && vr != VR.US && vr != VR.UL && vr != VR.SS && vr != VR.SL) {
            throw WebException.badRequest("attribute '" + name + "' (" + vr + ") cannot be used as a matching key");
        }
        if (vr == VR.UI) {
            List<String> uids = new ArrayList<>();
            for (String uid : value.split("[,\\\\]")) {
                if (!uid.isBlank()) {
                    uids.add(uid.trim());
                }
            }
            target.setString(tag, vr, uids.toArray(String[]::new));
        } else if (vr.isBinary()) {
            try {
                target.setInt(tag, vr, Integer.parseInt(value.trim()));
            } catch (NumberFormatException e) {
                throw WebException.badRequest("attribute '" + name + "' needs a number: '" + value + "'");
            }
        } else {
            if (!value.isEmpty() && (vr == VR.DA || vr == VR.TM || vr == VR.DT)) {
                checkRange(name, vr, value);
            }
            target.setString(tag, vr, value);
        }
    }

    /** A date, time or date-time value or range (PS3.4 C.2.2.2.5); 400 when malformed or reversed. */
    private static void checkRange(String name, VR vr, String value) {
        try {
            switch (vr) {
                case DA -> DateRange.parse(value);
                case TM -> TimeRange.parse(value);
                default -> DateTimeRange.parse(value);
            }
        } catch (DicomValueException e) {
            throw WebException.badRequest("attribute '" + name + "' needs a " + vr + " value or range, not '"
                    + value + "': " + e.getMessage());
        }
    }

    /** The level of a QIDO-RS resource: studies, series or instances. */
    static QueryLevel levelOf(String resource) {
        switch (resource) {
            case "studies": return QueryLevel.STUDY;
            case "series": return QueryLevel.SERIES;
            default: return QueryLevel.IMAGE;
        }
    }
}
