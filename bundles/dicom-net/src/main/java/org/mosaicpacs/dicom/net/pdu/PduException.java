package org.mosaicpacs.dicom.net.pdu;

import java.io.IOException;

/**
 * A malformed, unrecognized or unexpected PDU. It carries the A-ABORT reason (PS3.8 section 9.3.8)
 * that the receiving upper layer answers with (source: service provider).
 */
public final class PduException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int abortReason;

    /**
     * @param abortReason one of the reason constants of {@link AAbort}
     * @param message a description of the problem
     */
    public PduException(int abortReason, String message) {
        super(message + " (" + AAbort.reasonText(abortReason) + ")");
        this.abortReason = abortReason;
    }

    /** @return the A-ABORT reason code */
    public int abortReason() {
        return abortReason;
    }

    /** @return the A-ABORT PDU answering this problem */
    public AAbort toAbort() {
        return AAbort.byProvider(abortReason);
    }
}
