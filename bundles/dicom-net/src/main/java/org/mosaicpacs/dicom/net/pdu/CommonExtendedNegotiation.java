package org.mosaicpacs.dicom.net.pdu;

import java.util.List;

/**
 * SOP Class Common Extended Negotiation sub-item (PS3.7 section D.3.3.6), sent by a requestor only.
 *
 * @param sopClassUid the SOP class UID
 * @param serviceClassUid the service class UID
 * @param relatedGeneralSopClassUids the related general SOP class UIDs, possibly empty
 */
public record CommonExtendedNegotiation(String sopClassUid, String serviceClassUid,
        List<String> relatedGeneralSopClassUids) {

    /** Validates the UIDs and makes the list immutable. */
    public CommonExtendedNegotiation {
        PduChecks.checkUid("SOP class UID", sopClassUid);
        PduChecks.checkUid("service class UID", serviceClassUid);
        relatedGeneralSopClassUids = List.copyOf(relatedGeneralSopClassUids);
        relatedGeneralSopClassUids.forEach(uid -> PduChecks.checkUid("related general SOP class UID", uid));
    }
}
