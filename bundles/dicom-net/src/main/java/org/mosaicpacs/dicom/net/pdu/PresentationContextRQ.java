package org.mosaicpacs.dicom.net.pdu;

import java.util.List;

/**
 * Presentation Context item of an A-ASSOCIATE-RQ (PS3.8 section 9.3.2.2): one abstract syntax
 * proposed with one or more transfer syntaxes.
 *
 * @param id the presentation context ID, odd in 1..255
 * @param abstractSyntax the abstract syntax (SOP class) UID
 * @param transferSyntaxes the proposed transfer syntax UIDs, in the requestor's order of preference
 */
public record PresentationContextRQ(int id, String abstractSyntax, List<String> transferSyntaxes) {

    /** Validates the values and makes the list immutable. */
    public PresentationContextRQ {
        PduChecks.checkPresentationContextId(id);
        PduChecks.checkUid("abstract syntax", abstractSyntax);
        transferSyntaxes = List.copyOf(transferSyntaxes);
        if (transferSyntaxes.isEmpty()) {
            throw new IllegalArgumentException("at least one transfer syntax is required");
        }
        transferSyntaxes.forEach(ts -> PduChecks.checkUid("transfer syntax", ts));
    }

    /**
     * @param id the presentation context ID
     * @param abstractSyntax the abstract syntax UID
     * @param transferSyntaxes the transfer syntax UIDs
     * @return a new presentation context
     */
    public static PresentationContextRQ of(int id, String abstractSyntax, String... transferSyntaxes) {
        return new PresentationContextRQ(id, abstractSyntax, List.of(transferSyntaxes));
    }
}
