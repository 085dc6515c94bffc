package org.mosaicpacs.dicom.net.pdu;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * SOP Class Extended Negotiation sub-item (PS3.7 section D.3.3.5).
 *
 * @param sopClassUid the SOP class UID
 * @param serviceClassApplicationInformation the service-class specific bytes, defined by PS3.4
 */
public record ExtendedNegotiation(String sopClassUid, byte[] serviceClassApplicationInformation) {

    /** Validates the UID and copies the bytes. */
    public ExtendedNegotiation {
        PduChecks.checkUid("SOP class UID", sopClassUid);
        serviceClassApplicationInformation = serviceClassApplicationInformation.clone();
    }

    /** @return a copy of the application information bytes */
    @Override
    public byte[] serviceClassApplicationInformation() {
        return serviceClassApplicationInformation.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtendedNegotiation other && sopClassUid.equals(other.sopClassUid)
                && Arrays.equals(serviceClassApplicationInformation, other.serviceClassApplicationInformation);
    }

    @Override
    public int hashCode() {
        return sopClassUid.hashCode() * 31 + Arrays.hashCode(serviceClassApplicationInformation);
    }

    @Override
    public String toString() {
        return "ExtendedNegotiation[" + sopClassUid + ", "
                + HexFormat.of().formatHex(serviceClassApplicationInformation) + "]";
    }
}
