package org.mosaicpacs.dicom.net.pdu;

/** A-RELEASE-RQ PDU (PS3.8 section 9.3.6). It carries no parameters. */
public record AReleaseRQ() implements Pdu {
    /** The only instance needed. */
    public static final AReleaseRQ INSTANCE = new AReleaseRQ();

    @Override
    public int type() {
        return A_RELEASE_RQ;
    }
}
