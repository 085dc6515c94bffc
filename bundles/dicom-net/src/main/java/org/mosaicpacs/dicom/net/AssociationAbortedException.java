package org.mosaicpacs.dicom.net;

import java.io.IOException;
import org.mosaicpacs.dicom.net.pdu.AAbort;

/** The association was aborted (A-ABORT or A-P-ABORT) or its transport closed unexpectedly. */
public final class AssociationAbortedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient AAbort abort;

    /**
     * @param message what happened
     * @param abort the A-ABORT received or sent, or {@code null} if the transport just closed
     */
    public AssociationAbortedException(String message, AAbort abort) {
        super(abort == null ? message : message + ": " + abort);
        this.abort = abort;
    }

    /** @return the A-ABORT, or {@code null} */
    public AAbort abort() {
        return abort;
    }
}
