package org.mosaicpacs.index.derby.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.index.derby.internal.Columns.Col;

/**
 * One query translated: the SQL (keys with a column become conditions with bind parameters), the keys
 * left to match in Java on the attrs blobs, and how to build each match.
 */
final class QueryPlan {

    private static final String ESCAPE = " ESCAPE '\\'";
    private static final String[] BLOB_ALIAS = {"p_attrs", "s_attrs", "se_attrs", "i_attrs"};

    private final QueryRequest request;
    private final StringBuilder where = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    private final List<Integer> javaKeys = new ArrayList<>();
    /** The patient index a single Patient ID or Patient Name (prefix) condition can drive a study query from. */
    private String patientIndex;
    /** Whether the query names its studies by Study Instance UID. */
    private boolean byStudyUID;
    private String sql;

    private QueryPlan(QueryRequest request) {
        this.request = request;
    }

    String sql() {
        return sql;
    }

    List<Object> params() {
        return params;
    }

    static QueryPlan of(QueryRequest request) throws IndexException {
        QueryPlan plan = new QueryPlan(request);
        plan.build();
        return plan;
    }

    private QueryLevel level() {
        return request.level();
    }

    private static boolean skipped(int tag) {
        int group = tag >>> 16;
        return tag == Tag.SpecificCharacterSet || tag == Tag.QueryRetrieveLevel || group == 0x0000 || group == 0x0002
                || (group & 1) == 1;
    }

    private static QueryLevel levelOf(int tag) {
        Col col = Columns.BY_TAG.get(tag);
        return col != null ? col.level() : DataSets.levelOf(tag);
    }

    private static boolean isEmpty(Attributes keys, int tag) {
        if (keys.getVR(tag) == VR.SQ) {
            Sequence s = keys.getSequence(tag);
            return s == null || s.isEmpty() || s.get(0).isEmpty();
        }
        String[] v = keys.getStrings(tag);
        return v == null || v.length == 0 || v.length == 1 && (v[0].isEmpty() || v[0].equals("*"));
    }

    private void build() throws IndexException {
        Attributes keys = request.keys();
        QueryLevel level = level();
        if (!request.relational()) {
            if (level.compareTo(QueryLevel.SERIES) >= 0) {
                requireSingle(keys, Tag.StudyInstanceUID);
            }
            if (level == QueryLevel.IMAGE) {
                requireSingle(keys, Tag.SeriesInstanceUID);
            }
        }
        boolean combined = request.combinedDateTime() && level.compareTo(QueryLevel.STUDY) >= 0
                && !isEmpty(keys, Tag.StudyDate) && !isEmpty(keys, Tag.StudyTime);
        if (combined) {
            combinedDateTime(keys.getString(Tag.StudyDate), keys.getString(Tag.StudyTime));
        }
        for (int i = 0; i < keys.size(); i++) {
            int tag = keys.tagAt(i);
            if (skipped(tag) || levelOf(tag).compareTo(level) > 0 || isEmpty(keys, tag)
                    || combined && (tag == Tag.StudyDate || tag == Tag.StudyTime)) {
                continue;
            }
            Col col = Columns.BY_TAG.get(tag);
            if (col == null || keys.getVR(tag) == VR.SQ) {
                javaKeys.add(tag);
            } else {
                condition(col, keys.getStrings(tag));
            }
        }

        StringBuilder s = new StringBuilder("SELECT p.attrs AS p_attrs");
        StringBuilder from = new StringBuilder(" FROM patient p");
        if (level == QueryLevel.STUDY && (byStudyUID || patientIndex != null)) {
            studyJoinOrder(s);
            return;
        }
        if (level == QueryLevel.PATIENT) {
            s.append(", (SELECT COUNT(*) FROM study x WHERE x.patient_fk = p.pk) AS p_studies");
        }
        if (level.compareTo(QueryLevel.STUDY) >= 0) {
            s.append(", s.attrs AS s_attrs, s.mods_in_study, s.cuids_in_study, s.num_series, s.num_instances AS s_instances");
            from.append(" JOIN study s ON s.patient_fk = p.pk");
        }
        if (level.compareTo(QueryLevel.SERIES) >= 0) {
            s.append(", se.attrs AS se_attrs, se.num_instances AS se_instances");
            from.append(" JOIN series se ON se.study_fk = s.pk");
        }
        if (level == QueryLevel.IMAGE) {
            s.append(", i.attrs AS i_attrs");
            from.append(" JOIN instance i ON i.series_fk = se.pk");
        }
        s.append(from);
        if (where.length() > 0) {
            s.append(" WHERE ").append(where);
        }
        s.append(switch (level) {
            case PATIENT -> " ORDER BY p.pk";
            case STUDY -> " ORDER BY s.pk";
            case SERIES -> " ORDER BY se.pk";
            case IMAGE -> " ORDER BY se.pk, i.inst_no, i.pk";
        });
        sql = s.toString();
    }

    /**
     * A study-level query with a selective key: the join order is fixed so that Derby starts from it, not
     * from a broad key (a date range of a year is thousands of studies that are each fetched and joined to
     * their patient before the patient's name is tested). Study Instance UIDs: their studies (unique index),
     * then the patient of each. A Patient ID or a Patient Name with a leading literal part: the patients
     * through that index, then their studies through {@code study_patient_ix} (patient, date, time), whose
     * date and time ranges are tested in the index.
     */
    private void studyJoinOrder(StringBuilder s) {
        s.append(", s.attrs AS s_attrs, s.mods_in_study, s.cuids_in_study, s.num_series, s.num_instances AS s_instances");
        if (byStudyUID) {
            s.append(" FROM -- DERBY-PROPERTIES joinOrder=FIXED\n study s, patient p");
        } else {
            s.append(" FROM -- DERBY-PROPERTIES joinOrder=FIXED\n patient p -- DERBY-PROPERTIES index=")
                    .append(patientIndex)
                    .append("\n, study s -- DERBY-PROPERTIES index=study_patient_ix\n");
        }
        s.append(" WHERE (s.patient_fk = p.pk)");
        if (where.length() > 0) {
            s.append(" AND ").append(where);
        }
        s.append(" ORDER BY s.pk");
        sql = s.toString();
    }

    /** Notes a key that can drive a study-level query (see {@link #studyJoinOrder}). */
    private void noteDriver(Col col, String[] values) {
        if (col.kind() == Columns.Kind.UID && col.expr().equals("s.study_iuid")) {
            byStudyUID = true;
            return;
        }
        if (values.length != 1 || !leadingLiteral(values[0].strip())) {
            return;
        }
        if (col.expr().equals("p.pat_id")) {
            patientIndex = "patient_id_ix";
        } else if (col.expr().equals("p.pat_name") && patientIndex == null) {
            String family = Columns.pnGroups(values[0].strip())[0];
            if (leadingLiteral(family)) {
                patientIndex = request.caseInsensitivePN() ? "patient_name_norm_ix" : "patient_name_ix";
            }
        }
    }

    private static boolean leadingLiteral(String v) {
        return !v.isEmpty() && v.charAt(0) != '*' && v.charAt(0) != '?';
    }

    private static void requireSingle(Attributes keys, int tag) throws IndexException {
        String[] v = keys.getStrings(tag);
        if (v == null || v.length != 1 || v[0].isEmpty() || Matching.hasWildcard(v[0])) {
            throw new IndexException("a hierarchical query at this level needs a single "
                    + (tag == Tag.StudyInstanceUID ? "Study" : "Series") + " Instance UID", true);
        }
    }

    private void and(String condition) {
        if (where.length() > 0) {
            where.append(" AND ");
        }
        where.append('(').append(condition).append(')');
    }

    /** One condition per key: its values OR-ed (a list), each value single, wildcard or range as its kind says. */
    private void condition(Col col, String[] values) throws IndexException {
        noteDriver(col, values);
        List<String> alternatives = new ArrayList<>();
        if (col.kind() == Columns.Kind.UID) {
            StringBuilder in = new StringBuilder(col.expr()).append(" IN (");
            for (int i = 0; i < values.length; i++) {
                in.append(i == 0 ? "?" : ", ?");
                params.add(values[i].strip());
            }
            and(in.append(')').toString());
            return;
        }
        for (String raw : values) {
            String v = raw.strip();
            if (v.isEmpty()) {
                continue;
            }
            alternatives.add(switch (col.kind()) {
                case STRING -> text(col.expr(), v, false);
                case PN -> personName(col.expr(), v);
                case DATE -> range(col.expr(), Matching.dateRange(v));
                case TIME -> range(col.expr(), Matching.timeRange(v));
                case INT -> integer(col.expr(), v);
                case MULTI -> multi(col.expr(), v);
                case UID -> throw new IllegalStateException();
            });
        }
        if (!alternatives.isEmpty()) {
            and(String.join(" OR ", alternatives));
        }
    }

    private String text(String expr, String v, boolean upper) {
        String value = upper ? Matching.upper(v) : v;
        if (Matching.hasWildcard(value)) {
            params.add(Matching.likePattern(value));
            return expr + " LIKE ?" + ESCAPE;
        }
        params.add(value);
        return expr + " = ?";
    }

    private String personName(String base, String v) {
        String[] groups = Columns.pnGroups(v);
        List<String> parts = new ArrayList<>();
        if (!groups[0].isEmpty() && !groups[0].equals("*")) {
            parts.add(request.caseInsensitivePN() ? text(base + "_norm", groups[0], true) : text(base + "_a", groups[0], false));
        }
        if (!groups[1].isEmpty() && !groups[1].equals("*")) {
            parts.add(text(base + "_i", groups[1], false));
        }
        if (!groups[2].isEmpty() && !groups[2].equals("*")) {
            parts.add(text(base + "_p", groups[2], false));
        }
        return parts.isEmpty() ? "1 = 1" : "(" + String.join(" AND ", parts) + ")";
    }

    private String range(String expr, String[] bounds) {
        List<String> parts = new ArrayList<>();
        if (bounds[0] != null) {
            parts.add(expr + " >= ?");
            params.add(bounds[0]);
        }
        if (bounds[1] != null) {
            parts.add(expr + " <= ?");
            params.add(bounds[1]);
        }
        return "(" + String.join(" AND ", parts) + ")";
    }

    private String integer(String expr, String v) throws IndexException {
        try {
            params.add(Integer.valueOf(v));
        } catch (NumberFormatException e) {
            throw new IndexException("not an integer: " + v, true);
        }
        return expr + " = ?";
    }

    private String multi(String expr, String v) {
        StringBuilder p = new StringBuilder("%|");
        p.append(Matching.likePattern(v)).append("|%");
        params.add(p.toString());
        return expr + " LIKE ?" + ESCAPE;
    }

    /** Study Date and Study Time as one range from (lower date, lower time) to (upper date, upper time). */
    private void combinedDateTime(String date, String time) throws IndexException {
        String[] d = Matching.dateRange(date);
        String[] t = Matching.timeRange(time);
        String lowT = t[0] == null ? "000000.000000" : t[0];
        String highT = t[1] == null ? "235959.999999" : t[1];
        List<String> parts = new ArrayList<>();
        if (d[0] != null) {
            parts.add("(s.study_date > ? OR s.study_date = ? AND COALESCE(s.study_time, '000000.000000') >= ?)");
            params.add(d[0]);
            params.add(d[0]);
            params.add(lowT);
        }
        if (d[1] != null) {
            parts.add("(s.study_date < ? OR s.study_date = ? AND COALESCE(s.study_time, '000000.000000') <= ?)");
            params.add(d[1]);
            params.add(d[1]);
            params.add(highT);
        }
        if (!parts.isEmpty()) {
            and(String.join(" AND ", parts));
        }
    }

    // ---- building a match -------------------------------------------------------------------------

    /** The match of the current row, or null when a key matched in Java does not match. */
    Attributes match(ResultSet rs) throws SQLException, IndexException {
        QueryLevel level = level();
        Map<QueryLevel, Attributes> blobs = new EnumMap<>(QueryLevel.class);
        for (QueryLevel l : QueryLevel.values()) {
            if (l.compareTo(level) <= 0) {
                blobs.put(l, DataSets.decode(rs.getBytes(BLOB_ALIAS[l.ordinal()])));
            }
        }
        Attributes keys = request.keys();
        for (int tag : javaKeys) {
            if (!Matching.matches(keys, tag, blobs.get(levelOf(tag)), request.caseInsensitivePN())) {
                return null;
            }
        }
        Attributes out = new Attributes();
        out.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        for (int i = 0; i < keys.size(); i++) {
            int tag = keys.tagAt(i);
            if (tag == Tag.SpecificCharacterSet || (tag >>> 16) == 0x0000 || (tag >>> 16) == 0x0002) {
                continue;
            }
            VR vr = keys.vrAt(i);
            QueryLevel l = levelOf(tag);
            if (l.compareTo(level) > 0 || tag == Tag.QueryRetrieveLevel) {
                out.setNull(tag, vr);
            } else if (Columns.isAggregate(tag)) {
                aggregate(rs, tag, out);
            } else if (vr == VR.SQ && !isEmpty(keys, tag)) {
                copyItems(blobs.get(l), tag, keys.getSequence(tag).get(0), out);
            } else {
                copy(blobs.get(l), tag, vr, out);
            }
        }
        out.setString(Tag.QueryRetrieveLevel, VR.CS, level.code());
        if (level.compareTo(QueryLevel.STUDY) >= 0) {
            copy(blobs.get(QueryLevel.STUDY), Tag.StudyInstanceUID, VR.UI, out);
        }
        if (level.compareTo(QueryLevel.SERIES) >= 0) {
            copy(blobs.get(QueryLevel.SERIES), Tag.SeriesInstanceUID, VR.UI, out);
        }
        if (level == QueryLevel.IMAGE) {
            copy(blobs.get(QueryLevel.IMAGE), Tag.SOPInstanceUID, VR.UI, out);
        }
        return out;
    }

    private static void copy(Attributes src, int tag, VR wanted, Attributes out) {
        int i = src.indexOf(tag);
        if (i < 0) {
            out.setNull(tag, wanted);
            return;
        }
        VR vr = src.vrAt(i);
        if (vr.isString()) {
            String[] values = src.getStrings(tag);
            if (values == null || values.length == 0) {
                out.setNull(tag, vr);
            } else {
                out.setString(tag, vr, values);
            }
        } else {
            DataSets.copyElement(src, i, out);
        }
    }

    /** A sequence return key with keys in its item: each stored item with only those keys (PS3.4 C.2.2.1.3). */
    private static void copyItems(Attributes src, int tag, Attributes wanted, Attributes out) {
        Sequence stored = src.getSequence(tag);
        Sequence seq = out.newSequence(tag, stored == null ? 0 : stored.size());
        if (stored == null) {
            return;
        }
        for (Attributes item : stored) {
            Attributes copy = seq.addNewItem();
            for (int i = 0; i < wanted.size(); i++) {
                int t = wanted.tagAt(i);
                if (wanted.vrAt(i) == VR.SQ && !isEmpty(wanted, t)) {
                    copyItems(item, t, wanted.getSequence(t).get(0), copy);
                } else {
                    copy(item, t, wanted.vrAt(i), copy);
                }
            }
        }
    }

    private void aggregate(ResultSet rs, int tag, Attributes out) throws SQLException {
        if (tag == Tag.NumberOfPatientRelatedStudies) {
            if (level() == QueryLevel.PATIENT) {
                out.setInt(tag, VR.IS, rs.getInt("p_studies"));
            } else {
                out.setNull(tag, VR.IS);
            }
        } else if (tag == Tag.ModalitiesInStudy || tag == Tag.SOPClassesInStudy) {
            String v = rs.getString(tag == Tag.ModalitiesInStudy ? "mods_in_study" : "cuids_in_study");
            VR vr = tag == Tag.ModalitiesInStudy ? VR.CS : VR.UI;
            String[] values = v == null || v.length() < 2 ? new String[0] : v.substring(1, v.length() - 1).split("\\|");
            if (values.length == 0) {
                out.setNull(tag, vr);
            } else {
                out.setString(tag, vr, values);
            }
        } else if (tag == Tag.NumberOfStudyRelatedSeries) {
            out.setInt(tag, VR.IS, rs.getInt("num_series"));
        } else if (tag == Tag.NumberOfStudyRelatedInstances) {
            out.setInt(tag, VR.IS, rs.getInt("s_instances"));
        } else {
            out.setInt(tag, VR.IS, rs.getInt("se_instances"));
        }
    }
}
