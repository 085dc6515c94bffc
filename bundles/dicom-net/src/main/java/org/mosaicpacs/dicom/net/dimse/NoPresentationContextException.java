package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;

/** No accepted presentation context fits a request (SOP class, and transfer syntax when given). */
public class NoPresentationContextException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param sopClass the SOP class UID
     * @param transferSyntax the transfer syntax UID, or {@code null}
     */
    public NoPresentationContextException(String sopClass, String transferSyntax) {
        super("no accepted presentation context for " + sopClass + (transferSyntax == null ? "" : " with " + transferSyntax));
    }

    /**
     * @param message why no context fits, e.g. a compressed instance and only uncompressed syntaxes accepted
     */
    public NoPresentationContextException(String message) {
        super(message);
    }
}
