package org.mosaicpacs.dicom.net;

import java.io.IOException;
import org.mosaicpacs.dicom.net.pdu.AAssociateRJ;

/** An association request was rejected: by the peer (requestor side) or by local policy (acceptor side). */
public final class AssociationRejectedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient AAssociateRJ rejection;

    /** @param rejection the A-ASSOCIATE-RJ */
    public AssociationRejectedException(AAssociateRJ rejection) {
        super(rejection.toString());
        this.rejection = rejection;
    }

    /**
     * @param result result code
     * @param source source code
     * @param reason reason code
     */
    public AssociationRejectedException(int result, int source, int reason) {
        this(new AAssociateRJ(result, source, reason));
    }

    /** @return the A-ASSOCIATE-RJ */
    public AAssociateRJ rejection() {
        return rejection;
    }
}
