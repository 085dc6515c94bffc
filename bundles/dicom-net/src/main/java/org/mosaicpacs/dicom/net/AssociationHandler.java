package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The upper layer's view of an association: the DIMSE layer implements it to receive P-DATA
 * fragments and association events. All methods are called from the association's reader task,
 * one at a time and in order of arrival, so fragments of one presentation context arrive in order.
 * They must not block for long: a slow consumer stops the reading of the association.
 */
public interface AssociationHandler {

    /**
     * The association was established (after A-ASSOCIATE-AC was sent or received).
     *
     * @param association the association
     */
    default void onEstablished(Association association) {
    }

    /**
     * P-DATA indication: one presentation data value (PS3.8 Annex E), i.e. one fragment of a command
     * set or a data set. The association has already checked that the context was accepted and that
     * command and data fragments are not interleaved within one presentation context.
     *
     * @param association the association
     * @param presentationContextId the accepted presentation context the fragment belongs to
     * @param command {@code true} for a command set fragment, {@code false} for a data set fragment
     * @param last whether this is the last fragment of the command set or data set
     * @param fragment the fragment bytes, read-only; the association never changes or reuses them, so a handler
     *                 may keep the buffer after the call (e.g. {@link PDataInputStream#offerKept})
     * @throws IOException to abort the association
     */
    void onPData(Association association, int presentationContextId, boolean command, boolean last,
            ByteBuffer fragment) throws IOException;

    /**
     * A-RELEASE indication: the peer asked to release the association. The handler answers with
     * {@link Association#releaseResponse()}, possibly after it sent the last responses (P-DATA is
     * still allowed until then). The default answers at once.
     *
     * @param association the association
     * @throws IOException if the answer fails
     */
    default void onReleaseRequest(Association association) throws IOException {
        association.releaseResponse();
    }

    /**
     * The association ended (released, rejected, aborted or transport closed) and its socket is closed.
     *
     * @param association the association; {@link Association#closeCause()} tells why, {@code null} meaning
     *     a normal release
     */
    default void onClosed(Association association) {
    }
}
