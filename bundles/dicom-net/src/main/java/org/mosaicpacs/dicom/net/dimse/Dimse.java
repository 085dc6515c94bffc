package org.mosaicpacs.dicom.net.dimse;

/**
 * The DIMSE messages of PS3.7 with their Command Field (0000,0100) values. A response's value is the
 * request's value with bit 15 set.
 */
public enum Dimse {
    C_STORE_RQ(0x0001), C_STORE_RSP(0x8001),
    C_GET_RQ(0x0010), C_GET_RSP(0x8010),
    C_FIND_RQ(0x0020), C_FIND_RSP(0x8020),
    C_MOVE_RQ(0x0021), C_MOVE_RSP(0x8021),
    C_ECHO_RQ(0x0030), C_ECHO_RSP(0x8030),
    N_EVENT_REPORT_RQ(0x0100), N_EVENT_REPORT_RSP(0x8100),
    N_GET_RQ(0x0110), N_GET_RSP(0x8110),
    N_SET_RQ(0x0120), N_SET_RSP(0x8120),
    N_ACTION_RQ(0x0130), N_ACTION_RSP(0x8130),
    N_CREATE_RQ(0x0140), N_CREATE_RSP(0x8140),
    N_DELETE_RQ(0x0150), N_DELETE_RSP(0x8150),
    C_CANCEL_RQ(0x0FFF);

    private final int commandField;

    Dimse(int commandField) {
        this.commandField = commandField;
    }

    /** @return the Command Field value */
    public int commandField() {
        return commandField;
    }

    /** @return whether this is a response */
    public boolean isResponse() {
        return (commandField & 0x8000) != 0;
    }

    /** @return whether this is a C-CANCEL-RQ */
    public boolean isCancel() {
        return this == C_CANCEL_RQ;
    }

    /** @return whether this is an N-* message (its SOP class/instance tags are Requested for RQ of N-GET/SET/ACTION/DELETE) */
    public boolean isNService() {
        return (commandField & 0x0100) != 0;
    }

    /** @return the response of a request, or {@code null} for C-CANCEL-RQ and responses */
    public Dimse response() {
        return isResponse() || this == C_CANCEL_RQ ? null : valueOf(commandField | 0x8000);
    }

    /**
     * @param commandField a Command Field value
     * @return the message, or {@code null} if unknown
     */
    public static Dimse valueOf(int commandField) {
        for (Dimse d : values()) {
            if (d.commandField == commandField) {
                return d;
            }
        }
        return null;
    }

    /** @return the PS3.7 name, e.g. "C-STORE-RQ" */
    @Override
    public String toString() {
        return name().replace('_', '-');
    }
}
