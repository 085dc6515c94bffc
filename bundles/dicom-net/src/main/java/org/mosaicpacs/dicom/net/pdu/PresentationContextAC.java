package org.mosaicpacs.dicom.net.pdu;

/**
 * Presentation Context item of an A-ASSOCIATE-AC (PS3.8 section 9.3.3.2): the acceptor's answer to
 * one proposed presentation context.
 *
 * @param id the presentation context ID, as proposed
 * @param result one of {@link #ACCEPTANCE}, {@link #USER_REJECTION}, {@link #NO_REASON}, {@link
 *     #ABSTRACT_SYNTAX_NOT_SUPPORTED}, {@link #TRANSFER_SYNTAXES_NOT_SUPPORTED}
 * @param transferSyntax the chosen transfer syntax UID; not significant unless accepted
 */
public record PresentationContextAC(int id, int result, String transferSyntax) {

    /** Result 0: acceptance. */
    public static final int ACCEPTANCE = 0;
    /** Result 1: user-rejection. */
    public static final int USER_REJECTION = 1;
    /** Result 2: no-reason (provider rejection). */
    public static final int NO_REASON = 2;
    /** Result 3: abstract-syntax-not-supported (provider rejection). */
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    /** Result 4: transfer-syntaxes-not-supported (provider rejection). */
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    /** Validates the values. */
    public PresentationContextAC {
        PduChecks.checkPresentationContextId(id);
        if (result < ACCEPTANCE || result > TRANSFER_SYNTAXES_NOT_SUPPORTED) {
            throw new IllegalArgumentException("presentation context result out of range 0..4: " + result);
        }
        if (transferSyntax == null) {
            transferSyntax = "";
        }
        if (result == ACCEPTANCE) {
            PduChecks.checkUid("transfer syntax", transferSyntax);
        } else {
            PduChecks.checkAscii("transfer syntax", transferSyntax);
        }
    }

    /** @return whether the context was accepted */
    public boolean isAccepted() {
        return result == ACCEPTANCE;
    }

    /**
     * @param result a presentation context result code
     * @return a short English description
     */
    public static String resultText(int result) {
        return switch (result) {
            case ACCEPTANCE -> "acceptance";
            case USER_REJECTION -> "user-rejection";
            case NO_REASON -> "no-reason";
            case ABSTRACT_SYNTAX_NOT_SUPPORTED -> "abstract-syntax-not-supported";
            case TRANSFER_SYNTAXES_NOT_SUPPORTED -> "transfer-syntaxes-not-supported";
            default -> "unknown";
        };
    }
}
