package org.mosaicpacs.dicom.net.pdu;

import java.util.List;

/**
 * A-ASSOCIATE-RQ PDU (PS3.8 section 9.3.2).
 *
 * @param protocolVersion the protocol version bit field; bit 0 set means version 1
 * @param calledAETitle the called AE title (trimmed, 1..16 characters)
 * @param callingAETitle the calling AE title (trimmed, 1..16 characters)
 * @param applicationContext the application context name UID
 * @param presentationContexts the proposed presentation contexts
 * @param userInformation the user information item
 */
public record AAssociateRQ(int protocolVersion, String calledAETitle, String callingAETitle,
        String applicationContext, List<PresentationContextRQ> presentationContexts,
        UserInformation userInformation) implements Pdu {

    /** The DICOM application context name. */
    public static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    /** Validates the values and makes the list immutable. */
    public AAssociateRQ {
        PduChecks.checkUnsignedShort("protocol version", protocolVersion);
        calledAETitle = PduChecks.checkAETitle("called AE title", calledAETitle);
        callingAETitle = PduChecks.checkAETitle("calling AE title", callingAETitle);
        PduChecks.checkUid("application context", applicationContext);
        presentationContexts = List.copyOf(presentationContexts);
        if (userInformation == null) {
            throw new IllegalArgumentException("user information is required");
        }
    }

    /**
     * @param called the called AE title
     * @param calling the calling AE title
     * @param contexts the proposed presentation contexts
     * @param userInformation the user information
     * @return a protocol version 1 request for the DICOM application context
     */
    public static AAssociateRQ of(String called, String calling, List<PresentationContextRQ> contexts,
            UserInformation userInformation) {
        return new AAssociateRQ(1, called, calling, DICOM_APPLICATION_CONTEXT, contexts, userInformation);
    }

    /**
     * @param id a presentation context ID
     * @return the proposed presentation context with that ID, or {@code null}
     */
    public PresentationContextRQ presentationContext(int id) {
        for (PresentationContextRQ pc : presentationContexts) {
            if (pc.id() == id) {
                return pc;
            }
        }
        return null;
    }

    @Override
    public int type() {
        return A_ASSOCIATE_RQ;
    }
}
