package org.mosaicpacs.dicom.net.pdu;

/**
 * A-ABORT PDU (PS3.8 section 9.3.8).
 *
 * @param source who aborted: {@link #SERVICE_USER} or {@link #SERVICE_PROVIDER}
 * @param reason the reason/diagnostic, significant only when the source is the service provider
 */
public record AAbort(int source, int reason) implements Pdu {

    /** Source 0: DICOM UL service-user (initiated abort). */
    public static final int SERVICE_USER = 0;
    /** Source 2: DICOM UL service-provider (initiated abort). */
    public static final int SERVICE_PROVIDER = 2;

    /** Reason 0: reason not specified. */
    public static final int REASON_NOT_SPECIFIED = 0;
    /** Reason 1: unrecognized PDU. */
    public static final int UNRECOGNIZED_PDU = 1;
    /** Reason 2: unexpected PDU. */
    public static final int UNEXPECTED_PDU = 2;
    /** Reason 4: unrecognized PDU parameter. */
    public static final int UNRECOGNIZED_PDU_PARAMETER = 4;
    /** Reason 5: unexpected PDU parameter. */
    public static final int UNEXPECTED_PDU_PARAMETER = 5;
    /** Reason 6: invalid PDU parameter value. */
    public static final int INVALID_PDU_PARAMETER_VALUE = 6;

    /** Validates the byte ranges. */
    public AAbort {
        PduChecks.checkByte("source", source);
        PduChecks.checkByte("reason", reason);
    }

    /** @return an abort initiated by the service user (reason not specified) */
    public static AAbort byUser() {
        return new AAbort(SERVICE_USER, REASON_NOT_SPECIFIED);
    }

    /**
     * @param reason one of the reason constants
     * @return an abort initiated by the service provider for the given reason
     */
    public static AAbort byProvider(int reason) {
        return new AAbort(SERVICE_PROVIDER, reason);
    }

    @Override
    public int type() {
        return A_ABORT;
    }

    @Override
    public String toString() {
        return "A-ABORT[source=" + source + ", reason=" + reason + " " + reasonText(reason) + "]";
    }

    /**
     * @param reason an A-ABORT reason code
     * @return a short English description of the reason
     */
    public static String reasonText(int reason) {
        return switch (reason) {
            case REASON_NOT_SPECIFIED -> "reason-not-specified";
            case UNRECOGNIZED_PDU -> "unrecognized-PDU";
            case UNEXPECTED_PDU -> "unexpected-PDU";
            case UNRECOGNIZED_PDU_PARAMETER -> "unrecognized-PDU-parameter";
            case UNEXPECTED_PDU_PARAMETER -> "unexpected-PDU-parameter";
            case INVALID_PDU_PARAMETER_VALUE -> "invalid-PDU-parameter-value";
            default -> "reserved";
        };
    }
}
