package org.mosaicpacs.dicom.net.pdu;

/**
 * A protocol data unit of the DICOM upper layer (PS3.8 section 9.3).
 */
public sealed interface Pdu
        permits AAssociateRQ, AAssociateAC, AAssociateRJ, PDataTF, AReleaseRQ, AReleaseRP, AAbort {

    /** PDU type of A-ASSOCIATE-RQ. */
    int A_ASSOCIATE_RQ = 0x01;
    /** PDU type of A-ASSOCIATE-AC. */
    int A_ASSOCIATE_AC = 0x02;
    /** PDU type of A-ASSOCIATE-RJ. */
    int A_ASSOCIATE_RJ = 0x03;
    /** PDU type of P-DATA-TF. */
    int P_DATA_TF = 0x04;
    /** PDU type of A-RELEASE-RQ. */
    int A_RELEASE_RQ = 0x05;
    /** PDU type of A-RELEASE-RP. */
    int A_RELEASE_RP = 0x06;
    /** PDU type of A-ABORT. */
    int A_ABORT = 0x07;

    /** The size of the fixed PDU header: type, reserved byte and 32-bit length. */
    int HEADER_LENGTH = 6;

    /** @return the PDU type code, one of the constants of this interface */
    int type();
}
