package org.mosaicpacs.dicom.net.pdu;

import java.util.ArrayList;
import java.util.List;

/**
 * User Information item (PS3.8 section 9.3.2.3 and PS3.7 Annex D.3.3) of an A-ASSOCIATE-RQ or -AC.
 *
 * @param maxLength Maximum Length sub-item: the largest P-DATA-TF variable field the sender can receive, 0
 *     meaning unlimited
 * @param implementationClassUid Implementation Class UID sub-item
 * @param implementationVersionName Implementation Version Name sub-item, or {@code null}
 * @param asyncOperationsWindow Asynchronous Operations Window sub-item, or {@code null}
 * @param roleSelections SCP/SCU Role Selection sub-items
 * @param extendedNegotiations SOP Class Extended Negotiation sub-items
 * @param commonExtendedNegotiations SOP Class Common Extended Negotiation sub-items (requests only)
 * @param userIdentityRQ User Identity sub-item of a request, or {@code null}
 * @param userIdentityAC User Identity sub-item of an acceptance, or {@code null}
 */
public record UserInformation(long maxLength, String implementationClassUid, String implementationVersionName,
        AsyncOperationsWindow asyncOperationsWindow, List<RoleSelection> roleSelections,
        List<ExtendedNegotiation> extendedNegotiations, List<CommonExtendedNegotiation> commonExtendedNegotiations,
        UserIdentityRQ userIdentityRQ, UserIdentityAC userIdentityAC) {

    /** Validates the values and makes the lists immutable. */
    public UserInformation {
        if (maxLength < 0 || maxLength > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("maximum length out of 32-bit unsigned range: " + maxLength);
        }
        if (implementationClassUid != null && !implementationClassUid.isEmpty()) {
            PduChecks.checkUid("implementation class UID", implementationClassUid);
        }
        if (implementationVersionName != null) {
            PduChecks.checkAscii("implementation version name", implementationVersionName);
            if (implementationVersionName.length() > 16) {
                throw new IllegalArgumentException("implementation version name longer than 16: "
                        + implementationVersionName);
            }
        }
        roleSelections = List.copyOf(roleSelections);
        extendedNegotiations = List.copyOf(extendedNegotiations);
        commonExtendedNegotiations = List.copyOf(commonExtendedNegotiations);
    }

    /**
     * @param uid a SOP class UID
     * @return the role selection for the SOP class, or {@code null}
     */
    public RoleSelection roleSelection(String uid) {
        for (RoleSelection rs : roleSelections) {
            if (rs.sopClassUid().equals(uid)) {
                return rs;
            }
        }
        return null;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** A mutable builder for {@link UserInformation}. */
    public static final class Builder {
        private long maxLength;
        private String implementationClassUid;
        private String implementationVersionName;
        private AsyncOperationsWindow asyncOperationsWindow;
        private final List<RoleSelection> roleSelections = new ArrayList<>();
        private final List<ExtendedNegotiation> extendedNegotiations = new ArrayList<>();
        private final List<CommonExtendedNegotiation> commonExtendedNegotiations = new ArrayList<>();
        private UserIdentityRQ userIdentityRQ;
        private UserIdentityAC userIdentityAC;

        private Builder() {
        }

        /** @param value maximum receive length, 0 unlimited @return this */
        public Builder maxLength(long value) {
            this.maxLength = value;
            return this;
        }

        /** @param value implementation class UID @return this */
        public Builder implementationClassUid(String value) {
            this.implementationClassUid = value;
            return this;
        }

        /** @param value implementation version name @return this */
        public Builder implementationVersionName(String value) {
            this.implementationVersionName = value;
            return this;
        }

        /** @param value asynchronous operations window @return this */
        public Builder asyncOperationsWindow(AsyncOperationsWindow value) {
            this.asyncOperationsWindow = value;
            return this;
        }

        /** @param value a role selection to add @return this */
        public Builder addRoleSelection(RoleSelection value) {
            roleSelections.add(value);
            return this;
        }

        /** @param value an extended negotiation to add @return this */
        public Builder addExtendedNegotiation(ExtendedNegotiation value) {
            extendedNegotiations.add(value);
            return this;
        }

        /** @param value a common extended negotiation to add @return this */
        public Builder addCommonExtendedNegotiation(CommonExtendedNegotiation value) {
            commonExtendedNegotiations.add(value);
            return this;
        }

        /** @param value a request user identity @return this */
        public Builder userIdentityRQ(UserIdentityRQ value) {
            this.userIdentityRQ = value;
            return this;
        }

        /** @param value an acceptance user identity @return this */
        public Builder userIdentityAC(UserIdentityAC value) {
            this.userIdentityAC = value;
            return this;
        }

        /** @return the user information */
        public UserInformation build() {
            return new UserInformation(maxLength, implementationClassUid, implementationVersionName,
                    asyncOperationsWindow, roleSelections, extendedNegotiations, commonExtendedNegotiations,
                    userIdentityRQ, userIdentityAC);
        }
    }
}
