package org.mosaicpacs.dicom.net;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mosaicpacs.dicom.net.TransferCapability.Role;
import org.mosaicpacs.dicom.net.pdu.AAssociateAC;
import org.mosaicpacs.dicom.net.pdu.AAssociateRJ;
import org.mosaicpacs.dicom.net.pdu.AAssociateRQ;
import org.mosaicpacs.dicom.net.pdu.AsyncOperationsWindow;
import org.mosaicpacs.dicom.net.pdu.ExtendedNegotiation;
import org.mosaicpacs.dicom.net.pdu.PresentationContextAC;
import org.mosaicpacs.dicom.net.pdu.PresentationContextRQ;
import org.mosaicpacs.dicom.net.pdu.RoleSelection;
import org.mosaicpacs.dicom.net.pdu.UserIdentityAC;
import org.mosaicpacs.dicom.net.pdu.UserInformation;

/**
 * The acceptor-side negotiation policy: answers an A-ASSOCIATE-RQ with an A-ASSOCIATE-AC or rejects
 * it, from the configuration of a {@link Device}. Pure: no I/O, no state besides the configuration.
 *
 * <p>Checks, in order: protocol version (RJ permanent, source 2, reason 2), the association limit (RJ
 * transient, source 3 "presentation", reason 2 "local-limit-exceeded"), application context name (RJ
 * permanent, source 1, reason 2), called AE title (source 1, reason 7), calling AE title (source 1,
 * reason 3) and the user identity. Then each presentation context is answered: the abstract syntax
 * needs a transfer capability in a role the requestor asked for (by default the requestor is SCU,
 * so the local AE must be SCP), and the transfer syntax is the first of the capability's
 * preference list that was proposed. SOP Class Extended Negotiation is answered for the accepted SOP
 * classes whose SCP capability declares options ({@link TransferCapability#withExtendedNegotiation}).
 */
public final class AssociationAcceptor {

    private final Device device;
    private final Connection connection;
    private final UserIdentityNegotiator userIdentityNegotiator;

    /**
     * @param device the local device
     * @param connection the connection the request arrived on (for the maximum PDU length)
     * @param userIdentityNegotiator checks user identities, or {@code null} to ignore them
     */
    public AssociationAcceptor(Device device, Connection connection, UserIdentityNegotiator userIdentityNegotiator) {
        this.device = Objects.requireNonNull(device, "device");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.userIdentityNegotiator = userIdentityNegotiator;
    }

    /**
     * Negotiates an association.
     *
     * @param rq the request
     * @param activeAssociations the number of associations already established or being negotiated
     *     on the device, not counting this one
     * @return the acceptance
     * @throws AssociationRejectedException with the A-ASSOCIATE-RJ to send
     */
    public AAssociateAC negotiate(AAssociateRQ rq, int activeAssociations) throws AssociationRejectedException {
        if ((rq.protocolVersion() & 1) == 0) {
            throw new AssociationRejectedException(AAssociateRJ.REJECTED_PERMANENT, AAssociateRJ.SOURCE_PROVIDER_ACSE,
                    AAssociateRJ.ACSE_PROTOCOL_VERSION_NOT_SUPPORTED);
        }
        int max = device.getMaxAssociations();
        if (max > 0 && activeAssociations >= max) {
            throw new AssociationRejectedException(AAssociateRJ.REJECTED_TRANSIENT,
                    AAssociateRJ.SOURCE_PROVIDER_PRESENTATION, AAssociateRJ.PRESENTATION_LOCAL_LIMIT_EXCEEDED);
        }
        if (!AAssociateRQ.DICOM_APPLICATION_CONTEXT.equals(rq.applicationContext())) {
            throw new AssociationRejectedException(AAssociateRJ.REJECTED_PERMANENT, AAssociateRJ.SOURCE_SERVICE_USER,
                    AAssociateRJ.USER_APPLICATION_CONTEXT_NAME_NOT_SUPPORTED);
        }
        ApplicationEntity ae = device.getApplicationEntity(rq.calledAETitle());
        if (ae == null) {
            throw new AssociationRejectedException(AAssociateRJ.REJECTED_PERMANENT, AAssociateRJ.SOURCE_SERVICE_USER,
                    AAssociateRJ.USER_CALLED_AE_TITLE_NOT_RECOGNIZED);
        }
        if (!ae.acceptsCallingAETitle(rq.callingAETitle())) {
            throw new AssociationRejectedException(AAssociateRJ.REJECTED_PERMANENT, AAssociateRJ.SOURCE_SERVICE_USER,
                    AAssociateRJ.USER_CALLING_AE_TITLE_NOT_RECOGNIZED);
        }
        UserInformation rqInfo = rq.userInformation();
        UserInformation.Builder info = UserInformation.builder()
                .maxLength(connection.getMaxPduLengthReceive())
                .implementationClassUid(device.getImplementationClassUid())
                .implementationVersionName(device.getImplementationVersionName());
        if (rqInfo.userIdentityRQ() != null && userIdentityNegotiator != null) {
            UserIdentityAC response = userIdentityNegotiator.negotiate(rq, rqInfo.userIdentityRQ());
            if (response != null && rqInfo.userIdentityRQ().positiveResponseRequested()) {
                info.userIdentityAC(response);
            }
        }
        AsyncOperationsWindow window = rqInfo.asyncOperationsWindow();
        if (window != null) {
            // Their invoked operations are the ones we perform, and the other way round.
            info.asyncOperationsWindow(new AsyncOperationsWindow(
                    window(window.maxOperationsInvoked(), ae.getMaxOperationsPerformed()),
                    window(window.maxOperationsPerformed(), ae.getMaxOperationsInvoked())));
        }
        Map<String, RoleSelection> roleAnswers = new LinkedHashMap<>();
        List<PresentationContextAC> answers = new ArrayList<>();
        for (PresentationContextRQ pc : rq.presentationContexts()) {
            answers.add(negotiate(ae, pc, rqInfo.roleSelection(pc.abstractSyntax()), roleAnswers));
        }
        roleAnswers.values().forEach(info::addRoleSelection);
        for (ExtendedNegotiation en : rqInfo.extendedNegotiations()) {
            // answered only for a SOP class accepted with us as SCP, and only when we support options for it
            TransferCapability tc = ae.getTransferCapability(en.sopClassUid(), Role.SCP);
            if (tc != null && accepted(rq, answers, en.sopClassUid())) {
                byte[] answer = tc.negotiateExtended(en.serviceClassApplicationInformation());
                if (answer != null) {
                    info.addExtendedNegotiation(new ExtendedNegotiation(en.sopClassUid(), answer));
                }
            }
        }
        return new AAssociateAC(rq.protocolVersion() & 1, rq.calledAETitle(), rq.callingAETitle(),
                rq.applicationContext(), answers, info.build());
    }

    private static boolean accepted(AAssociateRQ rq, List<PresentationContextAC> answers, String sopClass) {
        for (PresentationContextAC ac : answers) {
            PresentationContextRQ pc = rq.presentationContext(ac.id());
            if (ac.isAccepted() && pc != null && sopClass.equals(pc.abstractSyntax())) {
                return true;
            }
        }
        return false;
    }

    private static int window(int proposed, int local) {
        if (proposed == 0) {
            return local;
        }
        return local == 0 ? proposed : Math.min(proposed, local);
    }

    private static PresentationContextAC negotiate(ApplicationEntity ae, PresentationContextRQ pc,
            RoleSelection proposedRoles, Map<String, RoleSelection> roleAnswers) {
        String as = pc.abstractSyntax();
        String fallbackTs = pc.transferSyntaxes().get(0);
        TransferCapability scp = ae.getTransferCapability(as, Role.SCP);
        TransferCapability scu = ae.getTransferCapability(as, Role.SCU);
        if (scp == null && scu == null) {
            return new PresentationContextAC(pc.id(), PresentationContextAC.ABSTRACT_SYNTAX_NOT_SUPPORTED, fallbackTs);
        }
        // Without role selection the requestor is SCU, so we must be SCP.
        boolean requestorScu = proposedRoles == null || proposedRoles.scuRole();
        boolean requestorScp = proposedRoles != null && proposedRoles.scpRole();
        boolean acceptScu = requestorScu && scp != null;
        boolean acceptScp = requestorScp && scu != null;
        if (proposedRoles != null) {
            roleAnswers.putIfAbsent(as, new RoleSelection(as, acceptScu, acceptScp));
        }
        if (!acceptScu && !acceptScp) {
            return new PresentationContextAC(pc.id(), PresentationContextAC.USER_REJECTION, fallbackTs);
        }
        String ts = acceptScu ? scp.selectTransferSyntax(pc.transferSyntaxes()) : null;
        if (ts == null && acceptScp) {
            ts = scu.selectTransferSyntax(pc.transferSyntaxes());
        }
        if (ts == null) {
            return new PresentationContextAC(pc.id(), PresentationContextAC.TRANSFER_SYNTAXES_NOT_SUPPORTED,
                    fallbackTs);
        }
        return new PresentationContextAC(pc.id(), PresentationContextAC.ACCEPTANCE, ts);
    }
}
