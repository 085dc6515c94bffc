package org.mosaicpacs.dicom.net;

import org.mosaicpacs.dicom.net.pdu.AAssociateRQ;
import org.mosaicpacs.dicom.net.pdu.UserIdentityAC;
import org.mosaicpacs.dicom.net.pdu.UserIdentityRQ;

/** Checks the User Identity proposed in an A-ASSOCIATE-RQ (PS3.7 D.3.3.7). */
@FunctionalInterface
public interface UserIdentityNegotiator {

    /**
     * @param rq the association request
     * @param identity the proposed identity
     * @return the positive response to send when one was requested, or {@code null} for none
     * @throws AssociationRejectedException to reject the association
     */
    UserIdentityAC negotiate(AAssociateRQ rq, UserIdentityRQ identity) throws AssociationRejectedException;
}
