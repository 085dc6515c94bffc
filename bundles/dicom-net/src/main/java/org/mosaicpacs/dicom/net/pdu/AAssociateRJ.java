package org.mosaicpacs.dicom.net.pdu;

/**
 * A-ASSOCIATE-RJ PDU (PS3.8 section 9.3.4, Table 9-21).
 *
 * @param result {@link #REJECTED_PERMANENT} or {@link #REJECTED_TRANSIENT}
 * @param source {@link #SOURCE_SERVICE_USER}, {@link #SOURCE_PROVIDER_ACSE} or {@link
 *     #SOURCE_PROVIDER_PRESENTATION}
 * @param reason the reason/diagnostic, interpreted according to the source
 */
public record AAssociateRJ(int result, int source, int reason) implements Pdu {

    /** Result 1: rejected-permanent. */
    public static final int REJECTED_PERMANENT = 1;
    /** Result 2: rejected-transient. */
    public static final int REJECTED_TRANSIENT = 2;

    /** Source 1: DICOM UL service-user. */
    public static final int SOURCE_SERVICE_USER = 1;
    /** Source 2: DICOM UL service-provider (ACSE related function). */
    public static final int SOURCE_PROVIDER_ACSE = 2;
    /** Source 3: DICOM UL service-provider (Presentation related function). */
    public static final int SOURCE_PROVIDER_PRESENTATION = 3;

    /** Source 1 reason 1: no-reason-given. */
    public static final int USER_NO_REASON_GIVEN = 1;
    /** Source 1 reason 2: application-context-name-not-supported. */
    public static final int USER_APPLICATION_CONTEXT_NAME_NOT_SUPPORTED = 2;
    /** Source 1 reason 3: calling-AE-title-not-recognized. */
    public static final int USER_CALLING_AE_TITLE_NOT_RECOGNIZED = 3;
    /** Source 1 reason 7: called-AE-title-not-recognized. */
    public static final int USER_CALLED_AE_TITLE_NOT_RECOGNIZED = 7;
    /** Source 2 reason 1: no-reason-given. */
    public static final int ACSE_NO_REASON_GIVEN = 1;
    /** Source 2 reason 2: protocol-version-not-supported. */
    public static final int ACSE_PROTOCOL_VERSION_NOT_SUPPORTED = 2;
    /** Source 3 reason 1: temporary-congestion. */
    public static final int PRESENTATION_TEMPORARY_CONGESTION = 1;
    /** Source 3 reason 2: local-limit-exceeded. */
    public static final int PRESENTATION_LOCAL_LIMIT_EXCEEDED = 2;

    /** Validates the byte ranges. */
    public AAssociateRJ {
        PduChecks.checkByte("result", result);
        PduChecks.checkByte("source", source);
        PduChecks.checkByte("reason", reason);
    }

    @Override
    public int type() {
        return A_ASSOCIATE_RJ;
    }

    @Override
    public String toString() {
        return "A-ASSOCIATE-RJ[result=" + result + (result == REJECTED_TRANSIENT ? " transient" : " permanent")
                + ", source=" + source + ", reason=" + reason + " " + reasonText() + "]";
    }

    /** @return a short English description of source and reason */
    public String reasonText() {
        return switch (source) {
            case SOURCE_SERVICE_USER -> switch (reason) {
                case USER_NO_REASON_GIVEN -> "no-reason-given";
                case USER_APPLICATION_CONTEXT_NAME_NOT_SUPPORTED -> "application-context-name-not-supported";
                case USER_CALLING_AE_TITLE_NOT_RECOGNIZED -> "calling-AE-title-not-recognized";
                case USER_CALLED_AE_TITLE_NOT_RECOGNIZED -> "called-AE-title-not-recognized";
                default -> "reserved";
            };
            case SOURCE_PROVIDER_ACSE -> switch (reason) {
                case ACSE_NO_REASON_GIVEN -> "no-reason-given";
                case ACSE_PROTOCOL_VERSION_NOT_SUPPORTED -> "protocol-version-not-supported";
                default -> "reserved";
            };
            case SOURCE_PROVIDER_PRESENTATION -> switch (reason) {
                case PRESENTATION_TEMPORARY_CONGESTION -> "temporary-congestion";
                case PRESENTATION_LOCAL_LIMIT_EXCEEDED -> "local-limit-exceeded";
                default -> "reserved";
            };
            default -> "unknown-source";
        };
    }
}
