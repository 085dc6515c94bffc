package org.mosaicpacs.dimse.internal;

import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.net.dimse.DicomServiceException;
import org.mosaicpacs.dicom.net.dimse.Status;

/**
 * The rules of a C-FIND identifier that depend on the information model and on what was negotiated: the
 * hierarchical search method (PS3.4 C.4.1.3.1) needs, at a level below the top of the model, a single
 * value for the unique key of each level above it; relational queries (negotiated) lift this.
 */
final class QueryRules {

    /** The SOP Class Extended Negotiation options of the FIND models: relational queries, combined date-time. */
    static final byte[] FIND_OPTIONS = {1, 1};

    private QueryRules() {
    }

    /**
     * @param findModel the C-FIND information model (Affected SOP Class UID)
     * @param level the Query/Retrieve Level
     * @param keys the identifier
     * @throws DicomServiceException A900 naming the missing unique key
     */
    static void checkHierarchical(String findModel, QueryLevel level, Attributes keys) throws DicomServiceException {
        if (UID.PatientRootQueryRetrieveInformationModelFind.equals(findModel)
                && level.compareTo(QueryLevel.STUDY) >= 0) {
            requireSingle(keys, Tag.PatientID, "Patient ID", level);
        }
        if (level.compareTo(QueryLevel.SERIES) >= 0) {
            requireSingle(keys, Tag.StudyInstanceUID, "Study Instance UID", level);
        }
        if (level == QueryLevel.IMAGE) {
            requireSingle(keys, Tag.SeriesInstanceUID, "Series Instance UID", level);
        }
    }

    private static void requireSingle(Attributes keys, int tag, String name, QueryLevel level)
            throws DicomServiceException {
        String[] v = keys.getStrings(tag);
        if (v == null || v.length != 1 || v[0] == null || v[0].isBlank() || v[0].contains("*") || v[0].contains("?")) {
            throw new DicomServiceException(Status.IdentifierDoesNotMatchSOPClass,
                    level + " level needs one " + name + " (no relational queries)");
        }
    }
}
