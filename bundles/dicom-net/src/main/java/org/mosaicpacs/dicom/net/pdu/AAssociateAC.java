package org.mosaicpacs.dicom.net.pdu;

import java.util.List;

/**
 * A-ASSOCIATE-AC PDU (PS3.8 section 9.3.3).
 *
 * @param protocolVersion the protocol version bit field; bit 0 set means version 1
 * @param calledAETitle the called AE title, echoed from the request (not tested on receipt; may be blank)
 * @param callingAETitle the calling AE title, echoed from the request (not tested on receipt; may be blank)
 * @param applicationContext the application context name UID
 * @param presentationContexts the answers, one per proposed presentation context
 * @param userInformation the user information item
 */
public record AAssociateAC(int protocolVersion, String calledAETitle, String callingAETitle,
        String applicationContext, List<PresentationContextAC> presentationContexts,
        UserInformation userInformation) implements Pdu {

    /** Validates the values and makes the list immutable. */
    public AAssociateAC {
        PduChecks.checkUnsignedShort("protocol version", protocolVersion);
        calledAETitle = PduChecks.checkEchoedAETitle("called AE title", calledAETitle);
        callingAETitle = PduChecks.checkEchoedAETitle("calling AE title", callingAETitle);
        PduChecks.checkUid("application context", applicationContext);
        presentationContexts = List.copyOf(presentationContexts);
        if (userInformation == null) {
            throw new IllegalArgumentException("user information is required");
        }
    }

    /**
     * @param id a presentation context ID
     * @return the answer for that ID, or {@code null}
     */
    public PresentationContextAC presentationContext(int id) {
        for (PresentationContextAC pc : presentationContexts) {
            if (pc.id() == id) {
                return pc;
            }
        }
        return null;
    }

    @Override
    public int type() {
        return A_ASSOCIATE_AC;
    }
}
