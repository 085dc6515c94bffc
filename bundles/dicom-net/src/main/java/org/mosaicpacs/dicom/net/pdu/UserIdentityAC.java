package org.mosaicpacs.dicom.net.pdu;

import java.util.Arrays;

/**
 * User Identity Negotiation sub-item of an acceptance (PS3.7 section D.3.3.7.2).
 *
 * @param serverResponse the server response (empty for username types; a ticket or assertion otherwise)
 */
public record UserIdentityAC(byte[] serverResponse) {

    /** Copies the bytes. */
    public UserIdentityAC {
        serverResponse = serverResponse.clone();
        PduChecks.checkUnsignedShort("server response length", serverResponse.length);
    }

    /** @return a copy of the server response */
    @Override
    public byte[] serverResponse() {
        return serverResponse.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserIdentityAC other && Arrays.equals(serverResponse, other.serverResponse);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(serverResponse);
    }

    @Override
    public String toString() {
        return "UserIdentityAC[" + serverResponse.length + " bytes]";
    }
}
