package org.mosaicpacs.dicom.net;

import java.util.List;
import java.util.Objects;

/**
 * What an application entity can do with one SOP class (PS3.15 Annex H "Transfer Capability"): the
 * role it plays and the transfer syntaxes it accepts, in its order of preference.
 */
public final class TransferCapability {

    /** The role the local application entity plays for the SOP class. */
    public enum Role {
        /** Service class user: the local AE invokes operations. */
        SCU,
        /** Service class provider: the local AE performs operations. */
        SCP
    }

    /** Implicit VR Little Endian. */
    public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    /** Explicit VR Little Endian. */
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    /** Deflated Explicit VR Little Endian. */
    public static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
    /** Explicit VR Big Endian (retired, still seen in the wild). */
    public static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
    /** Matches any proposed transfer syntax, with lower preference than the listed ones. */
    public static final String ANY = "*";

    /** The default preference list: Explicit VR Little Endian, then Implicit VR Little Endian. */
    public static final List<String> DEFAULT_TRANSFER_SYNTAXES =
            List.of(EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN);

    private final String sopClass;
    private final Role role;
    private final List<String> transferSyntaxes;
    private final byte[] extendedNegotiation;

    /**
     * @param sopClass the SOP class UID
     * @param role the local role
     * @param transferSyntaxes the accepted transfer syntax UIDs in order of preference; {@value #ANY}
     *     accepts any
     */
    public TransferCapability(String sopClass, Role role, List<String> transferSyntaxes) {
        this.sopClass = Objects.requireNonNull(sopClass, "sopClass");
        this.role = Objects.requireNonNull(role, "role");
        this.transferSyntaxes = List.copyOf(transferSyntaxes);
        this.extendedNegotiation = null;
    }

    private TransferCapability(TransferCapability tc, byte[] extendedNegotiation) {
        this.sopClass = tc.sopClass;
        this.role = tc.role;
        this.transferSyntaxes = tc.transferSyntaxes;
        this.extendedNegotiation = extendedNegotiation == null ? null : extendedNegotiation.clone();
    }

    /**
     * @param supported the SOP Class Extended Negotiation options the local AE supports, one byte per
     *     option as the service class defines them (PS3.4; for Query/Retrieve FIND: byte 1 relational
     *     queries, byte 2 combined date-time matching, ...), 1 = supported; {@code null} for none
     * @return this capability with these options: an acceptor answers a proposed option with 1 only
     *     when it is proposed and supported, and echoes nothing when the capability has no options
     */
    public TransferCapability withExtendedNegotiation(byte[] supported) {
        return new TransferCapability(this, supported);
    }

    /** @return the supported extended negotiation options, or {@code null} */
    public byte[] extendedNegotiation() {
        return extendedNegotiation == null ? null : extendedNegotiation.clone();
    }

    /**
     * @param proposed the options proposed by the requestor
     * @return the answer: each proposed byte kept when it is 1 and supported, else 0; {@code null} when
     *     the capability has no options
     */
    public byte[] negotiateExtended(byte[] proposed) {
        if (extendedNegotiation == null) {
            return null;
        }
        byte[] answer = new byte[proposed.length];
        for (int i = 0; i < proposed.length; i++) {
            answer[i] = (byte) (i < extendedNegotiation.length && proposed[i] == 1 && extendedNegotiation[i] == 1
                    ? 1 : 0);
        }
        return answer;
    }

    /**
     * @param sopClass the SOP class UID
     * @param role the local role
     * @return a capability with the {@link #DEFAULT_TRANSFER_SYNTAXES}
     */
    public static TransferCapability of(String sopClass, Role role) {
        return new TransferCapability(sopClass, role, DEFAULT_TRANSFER_SYNTAXES);
    }

    /** @return the SOP class UID */
    public String sopClass() {
        return sopClass;
    }

    /** @return the local role */
    public Role role() {
        return role;
    }

    /** @return the accepted transfer syntaxes in order of preference */
    public List<String> transferSyntaxes() {
        return transferSyntaxes;
    }

    /**
     * @param proposed transfer syntaxes proposed by the peer
     * @return the most preferred acceptable one, or {@code null}
     */
    public String selectTransferSyntax(List<String> proposed) {
        for (String ts : transferSyntaxes) {
            if (!ANY.equals(ts) && proposed.contains(ts)) {
                return ts;
            }
        }
        return transferSyntaxes.contains(ANY) && !proposed.isEmpty() ? proposed.get(0) : null;
    }

    @Override
    public String toString() {
        return "TransferCapability[" + sopClass + " " + role + " " + transferSyntaxes + "]";
    }
}
