package org.mosaicpacs.dicom.net;

/** The events of the DICOM upper layer protocol machine (PS3.8 Table 9-2). */
public enum Event {
    /** A-ASSOCIATE request (local user). */
    Evt1("A-ASSOCIATE request (local user)"),
    /** Transport connection confirm (local transport service). */
    Evt2("Transport connection confirm"),
    /** A-ASSOCIATE-AC PDU received. */
    Evt3("A-ASSOCIATE-AC PDU received"),
    /** A-ASSOCIATE-RJ PDU received. */
    Evt4("A-ASSOCIATE-RJ PDU received"),
    /** Transport connection indication (local transport service). */
    Evt5("Transport connection indication"),
    /** A-ASSOCIATE-RQ PDU received. */
    Evt6("A-ASSOCIATE-RQ PDU received"),
    /** A-ASSOCIATE response primitive (accept). */
    Evt7("A-ASSOCIATE response primitive (accept)"),
    /** A-ASSOCIATE response primitive (reject). */
    Evt8("A-ASSOCIATE response primitive (reject)"),
    /** P-DATA request primitive. */
    Evt9("P-DATA request primitive"),
    /** P-DATA-TF PDU received. */
    Evt10("P-DATA-TF PDU received"),
    /** A-RELEASE request primitive. */
    Evt11("A-RELEASE request primitive"),
    /** A-RELEASE-RQ PDU received. */
    Evt12("A-RELEASE-RQ PDU received"),
    /** A-RELEASE-RP PDU received. */
    Evt13("A-RELEASE-RP PDU received"),
    /** A-RELEASE response primitive. */
    Evt14("A-RELEASE response primitive"),
    /** A-ABORT request primitive. */
    Evt15("A-ABORT request primitive"),
    /** A-ABORT PDU received. */
    Evt16("A-ABORT PDU received"),
    /** Transport connection closed indication. */
    Evt17("Transport connection closed indication"),
    /** ARTIM timer expired. */
    Evt18("ARTIM timer expired"),
    /** Unrecognized or invalid PDU received. */
    Evt19("Unrecognized or invalid PDU received");

    private final String description;

    Event(String description) {
        this.description = description;
    }

    /** @return the PS3.8 description of the event */
    public String description() {
        return description;
    }
}
