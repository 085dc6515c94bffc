package org.mosaicpacs.dicom.net;

/** The actions of the DICOM upper layer protocol machine (PS3.8 Tables 9-6 to 9-9) and their next state. */
public enum Action {
    /** Issue TRANSPORT CONNECT request primitive to local transport service. */
    AE_1(State.Sta4),
    /** Send A-ASSOCIATE-RQ PDU. */
    AE_2(State.Sta5),
    /** Issue A-ASSOCIATE confirmation (accept) primitive. */
    AE_3(State.Sta6),
    /** Issue A-ASSOCIATE confirmation (reject) primitive and close transport connection. */
    AE_4(State.Sta1),
    /** Issue transport connection response primitive; start ARTIM timer. */
    AE_5(State.Sta2),
    /** Stop ARTIM; issue A-ASSOCIATE indication (Sta3) or send A-ASSOCIATE-RJ and start ARTIM (Sta13). */
    AE_6(State.Sta3),
    /** Send A-ASSOCIATE-AC PDU. */
    AE_7(State.Sta6),
    /** Send A-ASSOCIATE-RJ PDU and start ARTIM timer. */
    AE_8(State.Sta13),
    /** Send P-DATA-TF PDU. */
    DT_1(State.Sta6),
    /** Send P-DATA indication primitive. */
    DT_2(State.Sta6),
    /** Send A-RELEASE-RQ PDU. */
    AR_1(State.Sta7),
    /** Issue A-RELEASE indication primitive. */
    AR_2(State.Sta8),
    /** Issue A-RELEASE confirmation primitive and close transport connection. */
    AR_3(State.Sta1),
    /** Issue A-RELEASE-RP PDU and start ARTIM timer. */
    AR_4(State.Sta13),
    /** Stop ARTIM timer. */
    AR_5(State.Sta1),
    /** Issue P-DATA indication. */
    AR_6(State.Sta7),
    /** Issue P-DATA-TF PDU. */
    AR_7(State.Sta8),
    /** Issue A-RELEASE indication (release collision): Sta9 for the requestor, Sta10 for the acceptor. */
    AR_8(State.Sta9),
    /** Send A-RELEASE-RP PDU. */
    AR_9(State.Sta11),
    /** Issue A-RELEASE confirmation primitive. */
    AR_10(State.Sta12),
    /** Send A-ABORT PDU and start (or restart) ARTIM timer. */
    AA_1(State.Sta13),
    /** Stop ARTIM timer if running; close transport connection. */
    AA_2(State.Sta1),
    /** Issue A-ABORT or A-P-ABORT indication and close transport connection. */
    AA_3(State.Sta1),
    /** Issue A-P-ABORT indication primitive. */
    AA_4(State.Sta1),
    /** Stop ARTIM timer. */
    AA_5(State.Sta1),
    /** Ignore PDU. */
    AA_6(State.Sta13),
    /** Send A-ABORT PDU. */
    AA_7(State.Sta13),
    /** Send A-ABORT PDU (service-provider source), issue A-P-ABORT indication and start ARTIM timer. */
    AA_8(State.Sta13);

    private final State next;

    Action(State next) {
        this.next = next;
    }

    /**
     * @param requestor whether the local side requested the association
     * @return the next state; for AE-6 the state when the request is acceptable to the provider
     */
    public State next(boolean requestor) {
        return this == AR_8 && !requestor ? State.Sta10 : next;
    }

    /** @return the PS3.8 name, e.g. "AE-1" */
    public String ps38Name() {
        return name().replace('_', '-');
    }
}
