package org.mosaicpacs.dicom.net;

/** The states of the DICOM upper layer protocol machine (PS3.8 Table 9-1). */
public enum State {
    /** Idle. */
    Sta1("Idle"),
    /** Transport connection open (awaiting A-ASSOCIATE-RQ PDU). */
    Sta2("Transport connection open, awaiting A-ASSOCIATE-RQ PDU"),
    /** Awaiting local A-ASSOCIATE response primitive. */
    Sta3("Awaiting local A-ASSOCIATE response primitive"),
    /** Awaiting transport connection opening to complete. */
    Sta4("Awaiting transport connection opening to complete"),
    /** Awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU. */
    Sta5("Awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU"),
    /** Association established and ready for data transfer. */
    Sta6("Association established and ready for data transfer"),
    /** Awaiting A-RELEASE-RP PDU. */
    Sta7("Awaiting A-RELEASE-RP PDU"),
    /** Awaiting local A-RELEASE response primitive. */
    Sta8("Awaiting local A-RELEASE response primitive"),
    /** Release collision requestor side; awaiting A-RELEASE response. */
    Sta9("Release collision requestor side; awaiting A-RELEASE response"),
    /** Release collision acceptor side; awaiting A-RELEASE-RP PDU. */
    Sta10("Release collision acceptor side; awaiting A-RELEASE-RP PDU"),
    /** Release collision requestor side; awaiting A-RELEASE-RP PDU. */
    Sta11("Release collision requestor side; awaiting A-RELEASE-RP PDU"),
    /** Release collision acceptor side; awaiting A-RELEASE response primitive. */
    Sta12("Release collision acceptor side; awaiting A-RELEASE response primitive"),
    /** Awaiting transport connection close indication (association no longer exists). */
    Sta13("Awaiting transport connection close indication");

    private final String description;

    State(String description) {
        this.description = description;
    }

    /** @return the PS3.8 description of the state */
    public String description() {
        return description;
    }
}
