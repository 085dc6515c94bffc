package org.mosaicpacs.dicom.json;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.VR;

/**
 * Chooses the BulkDataURI of a value that the DICOM JSON or XML writer does not write inline: every
 * {@link BulkData} value, {@code Fragments}, and binary values longer than the writer's threshold.
 */
@FunctionalInterface
public interface BulkDataURIGenerator {

    /**
     * The default: a {@link BulkData} value refers to its source as
     * {@code uri?offset=N&length=N} (the form {@link BulkDataResolver#DEFAULT} reads back); other
     * values are written inline.
     */
    BulkDataURIGenerator DEFAULT = (dataset, tag, vr, value) ->
            value instanceof BulkData ? value.toString() : null;

    /**
     * Returns the URI for a value, or null to write the value inline (InlineBinary, or the values of
     * a non-binary VR; a {@link BulkData} value is then read).
     *
     * @param dataset the data set (or item) that holds the element
     * @param tag the tag of the element
     * @param vr its VR
     * @param value its raw value: {@code byte[]}, {@link BulkData} or {@code Fragments}
     */
    String bulkDataURI(Attributes dataset, int tag, VR vr, Object value);
}
