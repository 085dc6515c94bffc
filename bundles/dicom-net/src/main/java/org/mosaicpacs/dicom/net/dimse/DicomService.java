package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.InputStream;
import org.mosaicpacs.dicom.data.Attributes;

/**
 * Performs DIMSE requests for some SOP classes; registered in a {@link DicomServiceRegistry}.
 *
 * <p>{@link #onRequest} runs on a worker of the caller's executor, not on the association's reader.
 * It answers with {@link DimseAssociation#writeResponse}; pending responses may come first. When it
 * returns without having sent a final response, the registry sends Success. When it throws a
 * {@link DicomServiceException}, the registry sends a response with that status; any other exception
 * gives 0110 (processing failure). The association stays open in every case.
 */
public interface DicomService {

    /** @return the SOP class UIDs served; {@code "*"} serves any SOP class without its own service */
    String[] sopClasses();

    /**
     * @param as the association
     * @param pcid the presentation context of the request
     * @param dimse the request type
     * @param command the request command set
     * @param data the encoded data set as it arrives, in the transfer syntax of {@code pcid}
     *     ({@link DimseAssociation#transferSyntax(int)}), or {@code null} if none; need not be read to the end
     * @throws IOException to answer with a failure, see above
     */
    void onRequest(DimseAssociation as, int pcid, Dimse dimse, Attributes command, InputStream data)
            throws IOException;
}
