package org.mosaicpacs.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.net.TransferCapability.Role;
import org.mosaicpacs.dicom.net.pdu.AAssociateAC;
import org.mosaicpacs.dicom.net.pdu.AAssociateRJ;
import org.mosaicpacs.dicom.net.pdu.AAssociateRQ;
import org.mosaicpacs.dicom.net.pdu.AsyncOperationsWindow;
import org.mosaicpacs.dicom.net.pdu.PresentationContextAC;
import org.mosaicpacs.dicom.net.pdu.PresentationContextRQ;
import org.mosaicpacs.dicom.net.pdu.RoleSelection;
import org.mosaicpacs.dicom.net.pdu.UserIdentityAC;
import org.mosaicpacs.dicom.net.pdu.UserIdentityRQ;
import org.mosaicpacs.dicom.net.pdu.UserInformation;

class AssociationAcceptorTest {

    static final String VERIFICATION = "1.2.840.10008.1.1";
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    static final String STORAGE_COMMITMENT = "1.2.840.10008.1.20.1";
    static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.70";
    static final String IMPLICIT = TransferCapability.IMPLICIT_VR_LITTLE_ENDIAN;
    static final String EXPLICIT = TransferCapability.EXPLICIT_VR_LITTLE_ENDIAN;

    private final Connection connection = new Connection().setMaxPduLengthReceive(32768);
    private final Device device = new Device("mosaic").addConnection(connection).setMaxAssociations(2)
            .addApplicationEntity(new ApplicationEntity("MOSAIC")
                    .addTransferCapability(TransferCapability.of(VERIFICATION, Role.SCP))
                    .addTransferCapability(new TransferCapability(CT, Role.SCP, List.of(JPEG_LOSSLESS, "*")))
                    .addTransferCapability(TransferCapability.of(MR, Role.SCP))
                    .addTransferCapability(TransferCapability.of(STORAGE_COMMITMENT, Role.SCU)))
            .addApplicationEntity(new ApplicationEntity("PRIVATE").addAcceptedCallingAETitles("FRIEND")
                    .addTransferCapability(TransferCapability.of(VERIFICATION, Role.SCP)));
    private final AssociationAcceptor acceptor = new AssociationAcceptor(device, connection, null);

    private static AAssociateRQ rq(String called, String calling, UserInformation ui, PresentationContextRQ... pcs) {
        return AAssociateRQ.of(called, calling, List.of(pcs), ui);
    }

    private static UserInformation ui() {
        return UserInformation.builder().maxLength(16384).implementationClassUid("1.2.3").build();
    }

    private AAssociateRJ reject(AAssociateRQ rq, int active) {
        return assertThrows(AssociationRejectedException.class, () -> acceptor.negotiate(rq, active)).rejection();
    }

    @Test
    void choosesTransferSyntaxByLocalPreference() throws Exception {
        AAssociateAC ac = acceptor.negotiate(rq("MOSAIC", "ANY", ui(),
                PresentationContextRQ.of(1, VERIFICATION, IMPLICIT, EXPLICIT),
                PresentationContextRQ.of(3, CT, IMPLICIT, JPEG_LOSSLESS),
                PresentationContextRQ.of(5, CT, "1.2.840.10008.1.2.4.50"),
                PresentationContextRQ.of(7, MR, "1.2.840.10008.1.2.4.50"),
                PresentationContextRQ.of(9, "1.2.3.4.5.6", IMPLICIT)), 0);
        assertEquals(new PresentationContextAC(1, 0, EXPLICIT), ac.presentationContext(1), "default prefers explicit");
        assertEquals(new PresentationContextAC(3, 0, JPEG_LOSSLESS), ac.presentationContext(3));
        assertEquals(new PresentationContextAC(5, 0, "1.2.840.10008.1.2.4.50"), ac.presentationContext(5), "* accepts");
        assertEquals(PresentationContextAC.TRANSFER_SYNTAXES_NOT_SUPPORTED, ac.presentationContext(7).result());
        assertEquals(PresentationContextAC.ABSTRACT_SYNTAX_NOT_SUPPORTED, ac.presentationContext(9).result());
        assertEquals(32768, ac.userInformation().maxLength());
        assertEquals(Device.IMPLEMENTATION_CLASS_UID, ac.userInformation().implementationClassUid());
        assertEquals("MOSAIC", ac.calledAETitle());
        assertEquals("ANY", ac.callingAETitle());
    }

    @Test
    void answersRoleSelectionFromConfiguredRoles() throws Exception {
        UserInformation ui = UserInformation.builder().maxLength(0)
                .addRoleSelection(new RoleSelection(STORAGE_COMMITMENT, true, true))
                .addRoleSelection(new RoleSelection(MR, false, true)).build();
        AAssociateAC ac = acceptor.negotiate(rq("MOSAIC", "X", ui,
                PresentationContextRQ.of(1, STORAGE_COMMITMENT, IMPLICIT),
                PresentationContextRQ.of(3, MR, IMPLICIT)), 0);
        // We are SCU of storage commitment: the requestor may be SCP, not SCU.
        assertEquals(new RoleSelection(STORAGE_COMMITMENT, false, true),
                ac.userInformation().roleSelection(STORAGE_COMMITMENT));
        assertEquals(0, ac.presentationContext(1).result());
        // We are only SCP of MR; the requestor proposed to be SCP only.
        assertEquals(new RoleSelection(MR, false, false), ac.userInformation().roleSelection(MR));
        assertEquals(PresentationContextAC.USER_REJECTION, ac.presentationContext(3).result());
    }

    @Test
    void withoutRoleSelectionTheRequestorIsScu() throws Exception {
        AAssociateAC ac = acceptor.negotiate(rq("MOSAIC", "X", ui(),
                PresentationContextRQ.of(1, STORAGE_COMMITMENT, IMPLICIT)), 0);
        assertEquals(PresentationContextAC.USER_REJECTION, ac.presentationContext(1).result());
        assertNull(ac.userInformation().roleSelection(STORAGE_COMMITMENT));
    }

    @Test
    void rejectsWithPs38ResultSourceReason() {
        PresentationContextRQ echo = PresentationContextRQ.of(1, VERIFICATION, IMPLICIT);
        assertEquals(new AAssociateRJ(1, 1, 7), reject(rq("WRONG", "X", ui(), echo), 0));
        assertEquals(new AAssociateRJ(1, 1, 3), reject(rq("PRIVATE", "STRANGER", ui(), echo), 0));
        assertEquals(new AAssociateRJ(2, 3, 2), reject(rq("MOSAIC", "X", ui(), echo), 2), "local limit exceeded");
        assertEquals(new AAssociateRJ(1, 1, 2), reject(new AAssociateRQ(1, "MOSAIC", "X", "1.2.3", List.of(echo),
                ui()), 0), "application context");
        assertEquals(new AAssociateRJ(1, 2, 2), reject(new AAssociateRQ(2, "MOSAIC", "X",
                AAssociateRQ.DICOM_APPLICATION_CONTEXT, List.of(echo), ui()), 0), "protocol version");
    }

    @Test
    void acceptedCallingAETitle() throws Exception {
        AAssociateAC ac = acceptor.negotiate(rq("PRIVATE", "FRIEND", ui(),
                PresentationContextRQ.of(1, VERIFICATION, IMPLICIT)), 1);
        assertEquals(0, ac.presentationContext(1).result());
    }

    @Test
    void callingAETitlePolicyIsAskedAtEachAssociation() throws Exception {
        java.util.Set<String> known = new java.util.concurrent.CopyOnWriteArraySet<>();
        device.getApplicationEntity("PRIVATE").setCallingAETitlePolicy(known::contains);
        PresentationContextRQ echo = PresentationContextRQ.of(1, VERIFICATION, IMPLICIT);
        assertEquals(new AAssociateRJ(1, 1, 3), reject(rq("PRIVATE", "FRIEND", ui(), echo), 0),
                "the policy replaces the accepted calling AE titles");
        known.add("LATECOMER");
        assertEquals(0, acceptor.negotiate(rq("PRIVATE", "LATECOMER", ui(), echo), 0).presentationContext(1).result());
        known.remove("LATECOMER");
        assertEquals(new AAssociateRJ(1, 1, 3), reject(rq("PRIVATE", "LATECOMER", ui(), echo), 0));
    }

    @Test
    void asyncWindowAndUserIdentity() throws Exception {
        AssociationAcceptor withIdentity = new AssociationAcceptor(device, connection, (rq, id) -> {
            if (!new String(id.primaryField()).equals("alice")) {
                throw new AssociationRejectedException(1, 1, 1);
            }
            return new UserIdentityAC(new byte[0]);
        });
        device.getApplicationEntity("MOSAIC").setMaxOperationsPerformed(4);
        UserInformation ui = UserInformation.builder().maxLength(0).asyncOperationsWindow(new AsyncOperationsWindow(10, 0))
                .userIdentityRQ(UserIdentityRQ.usernamePasscode("alice", "pw")).build();
        AAssociateAC ac = withIdentity.negotiate(rq("MOSAIC", "X", ui, PresentationContextRQ.of(1, VERIFICATION,
                IMPLICIT)), 0);
        assertEquals(new AsyncOperationsWindow(4, 1), ac.userInformation().asyncOperationsWindow());
        assertEquals(new UserIdentityAC(new byte[0]), ac.userInformation().userIdentityAC());
        UserInformation bob = UserInformation.builder().maxLength(0)
                .userIdentityRQ(UserIdentityRQ.usernamePasscode("bob", "pw")).build();
        assertThrows(AssociationRejectedException.class, () -> withIdentity.negotiate(rq("MOSAIC", "X", bob,
                PresentationContextRQ.of(1, VERIFICATION, IMPLICIT)), 0));
    }
}
