package org.mosaicpacs.dicom.net.pdu;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * User Identity Negotiation sub-item of a request (PS3.7 section D.3.3.7.1).
 *
 * @param identityType {@link #USERNAME}, {@link #USERNAME_AND_PASSCODE}, {@link #KERBEROS}, {@link
 *     #SAML} or {@link #JWT}
 * @param positiveResponseRequested whether the requestor wants a User Identity AC sub-item back
 * @param primaryField the user name or token bytes
 * @param secondaryField the passcode bytes (only with type 2, otherwise empty)
 */
public record UserIdentityRQ(int identityType, boolean positiveResponseRequested, byte[] primaryField,
        byte[] secondaryField) {

    /** Type 1: username as a UTF-8 string. */
    public static final int USERNAME = 1;
    /** Type 2: username and passcode. */
    public static final int USERNAME_AND_PASSCODE = 2;
    /** Type 3: Kerberos service ticket. */
    public static final int KERBEROS = 3;
    /** Type 4: SAML assertion. */
    public static final int SAML = 4;
    /** Type 5: JSON Web Token. */
    public static final int JWT = 5;

    /** Validates the ranges and copies the byte arrays. */
    public UserIdentityRQ {
        PduChecks.checkByte("user identity type", identityType);
        primaryField = primaryField.clone();
        secondaryField = secondaryField == null ? new byte[0] : secondaryField.clone();
        PduChecks.checkUnsignedShort("primary field length", primaryField.length);
        PduChecks.checkUnsignedShort("secondary field length", secondaryField.length);
    }

    /**
     * @param username the user name
     * @param passcode the passcode
     * @return a type 2 user identity asking for a positive response
     */
    public static UserIdentityRQ usernamePasscode(String username, String passcode) {
        return new UserIdentityRQ(USERNAME_AND_PASSCODE, true, username.getBytes(StandardCharsets.UTF_8),
                passcode.getBytes(StandardCharsets.UTF_8));
    }

    /** @return a copy of the primary field */
    @Override
    public byte[] primaryField() {
        return primaryField.clone();
    }

    /** @return a copy of the secondary field */
    @Override
    public byte[] secondaryField() {
        return secondaryField.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserIdentityRQ other && identityType == other.identityType
                && positiveResponseRequested == other.positiveResponseRequested
                && Arrays.equals(primaryField, other.primaryField) && Arrays.equals(secondaryField, other.secondaryField);
    }

    @Override
    public int hashCode() {
        return (identityType * 31 + Arrays.hashCode(primaryField)) * 31 + Arrays.hashCode(secondaryField);
    }

    /** Never prints the secret fields. */
    @Override
    public String toString() {
        return "UserIdentityRQ[type=" + identityType + ", positiveResponseRequested=" + positiveResponseRequested
                + ", primaryField=" + primaryField.length + " bytes, secondaryField=" + secondaryField.length + " bytes]";
    }
}
