package org.mosaicpacs.dicom.net.pdu;

/**
 * SCP/SCU Role Selection sub-item (PS3.7 section D.3.3.4). In a request the flags say which roles
 * the requestor supports; in an acceptance they say which of the proposed roles were accepted.
 *
 * @param sopClassUid the SOP class the roles apply to
 * @param scuRole the SCU role flag (for the association requestor)
 * @param scpRole the SCP role flag (for the association requestor)
 */
public record RoleSelection(String sopClassUid, boolean scuRole, boolean scpRole) {

    /** Validates the UID. */
    public RoleSelection {
        PduChecks.checkUid("SOP class UID", sopClassUid);
    }
}
