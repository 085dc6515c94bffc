package org.mosaicpacs.index.derby.internal;

import static java.util.Map.entry;

import java.util.Map;

import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.dicom.data.Tag;

/** The attributes the index has columns for, and how each column is matched. */
final class Columns {

    private Columns() {
    }

    enum Kind {
        /** text: single value or wildcard (LIKE); several values: any of them. */
        STRING,
        /** UI: single value or list of UIDs (IN). */
        UID,
        /** PN: columns {@code <name>_a}, {@code _i}, {@code _p} (component groups) and {@code _norm} (upper-case alphabetic). */
        PN,
        /** DA in the form YYYYMMDD: single value or range. */
        DATE,
        /** TM in the form HHMMSS.FFFFFF: single value (at its precision) or range. */
        TIME,
        /** IS: single value. */
        INT,
        /** a multi-valued aggregate stored as {@code |v1|v2|}: any value matches. */
        MULTI
    }

    record Col(QueryLevel level, String expr, Kind kind) {
    }

    static final Map<Integer, Col> BY_TAG = Map.ofEntries(
            entry(Tag.PatientID, new Col(QueryLevel.PATIENT, "p.pat_id", Kind.STRING)),
            entry(Tag.IssuerOfPatientID, new Col(QueryLevel.PATIENT, "p.pat_issuer", Kind.STRING)),
            entry(Tag.PatientName, new Col(QueryLevel.PATIENT, "p.pat_name", Kind.PN)),
            entry(Tag.PatientBirthDate, new Col(QueryLevel.PATIENT, "p.pat_birthdate", Kind.DATE)),
            entry(Tag.PatientSex, new Col(QueryLevel.PATIENT, "p.pat_sex", Kind.STRING)),
            entry(Tag.StudyInstanceUID, new Col(QueryLevel.STUDY, "s.study_iuid", Kind.UID)),
            entry(Tag.StudyDate, new Col(QueryLevel.STUDY, "s.study_date", Kind.DATE)),
            entry(Tag.StudyTime, new Col(QueryLevel.STUDY, "s.study_time", Kind.TIME)),
            entry(Tag.AccessionNumber, new Col(QueryLevel.STUDY, "s.accession_no", Kind.STRING)),
            entry(Tag.StudyID, new Col(QueryLevel.STUDY, "s.study_id", Kind.STRING)),
            entry(Tag.ReferringPhysicianName, new Col(QueryLevel.STUDY, "s.ref_phys", Kind.PN)),
            entry(Tag.StudyDescription, new Col(QueryLevel.STUDY, "s.study_desc", Kind.STRING)),
            entry(Tag.ModalitiesInStudy, new Col(QueryLevel.STUDY, "s.mods_in_study", Kind.MULTI)),
            entry(Tag.SOPClassesInStudy, new Col(QueryLevel.STUDY, "s.cuids_in_study", Kind.MULTI)),
            entry(Tag.NumberOfStudyRelatedSeries, new Col(QueryLevel.STUDY, "s.num_series", Kind.INT)),
            entry(Tag.NumberOfStudyRelatedInstances, new Col(QueryLevel.STUDY, "s.num_instances", Kind.INT)),
            entry(Tag.SeriesInstanceUID, new Col(QueryLevel.SERIES, "se.series_iuid", Kind.UID)),
            entry(Tag.Modality, new Col(QueryLevel.SERIES, "se.modality", Kind.STRING)),
            entry(Tag.SeriesNumber, new Col(QueryLevel.SERIES, "se.series_no", Kind.INT)),
            entry(Tag.SeriesDescription, new Col(QueryLevel.SERIES, "se.series_desc", Kind.STRING)),
            entry(Tag.BodyPartExamined, new Col(QueryLevel.SERIES, "se.body_part", Kind.STRING)),
            entry(Tag.PerformedProcedureStepStartDate, new Col(QueryLevel.SERIES, "se.pps_start_date", Kind.DATE)),
            entry(Tag.NumberOfSeriesRelatedInstances, new Col(QueryLevel.SERIES, "se.num_instances", Kind.INT)),
            entry(Tag.SOPInstanceUID, new Col(QueryLevel.IMAGE, "i.sop_iuid", Kind.UID)),
            entry(Tag.SOPClassUID, new Col(QueryLevel.IMAGE, "i.sop_cuid", Kind.UID)),
            entry(Tag.InstanceNumber, new Col(QueryLevel.IMAGE, "i.inst_no", Kind.INT)));

    /** Aggregates: returned from their columns, not from the attrs blobs. */
    static boolean isAggregate(int tag) {
        return tag == Tag.ModalitiesInStudy || tag == Tag.SOPClassesInStudy || tag == Tag.NumberOfStudyRelatedSeries
                || tag == Tag.NumberOfStudyRelatedInstances || tag == Tag.NumberOfSeriesRelatedInstances
                || tag == Tag.NumberOfPatientRelatedStudies;
    }

    /** The three component groups of a PN value (alphabetic, ideographic, phonetic), trailing '^' removed. */
    static String[] pnGroups(String value) {
        String[] out = {"", "", ""};
        if (value == null) {
            return out;
        }
        String[] g = value.split("=", -1);
        for (int i = 0; i < 3 && i < g.length; i++) {
            String s = g[i].strip();
            int end = s.length();
            while (end > 0 && s.charAt(end - 1) == '^') {
                end--;
            }
            out[i] = s.substring(0, end);
        }
        return out;
    }
}
