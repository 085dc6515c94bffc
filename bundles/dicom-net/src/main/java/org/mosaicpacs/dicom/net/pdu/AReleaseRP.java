package org.mosaicpacs.dicom.net.pdu;

/** A-RELEASE-RP PDU (PS3.8 section 9.3.7). It carries no parameters. */
public record AReleaseRP() implements Pdu {
    /** The only instance needed. */
    public static final AReleaseRP INSTANCE = new AReleaseRP();

    @Override
    public int type() {
        return A_RELEASE_RP;
    }
}
