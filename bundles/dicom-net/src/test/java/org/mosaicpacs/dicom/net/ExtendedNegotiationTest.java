package org.mosaicpacs.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.net.TransferCapability.Role;
import org.mosaicpacs.dicom.net.pdu.AAssociateAC;
import org.mosaicpacs.dicom.net.pdu.AAssociateRQ;
import org.mosaicpacs.dicom.net.pdu.ExtendedNegotiation;
import org.mosaicpacs.dicom.net.pdu.PresentationContextRQ;
import org.mosaicpacs.dicom.net.pdu.UserInformation;

/** The acceptor answers SOP Class Extended Negotiation only with what it supports, for what it accepted. */
class ExtendedNegotiationTest {

    static final String STUDY_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    static final String PATIENT_FIND = "1.2.840.10008.5.1.4.1.2.1.1";
    static final String STUDY_MOVE = "1.2.840.10008.5.1.4.1.2.2.2";
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    private final Connection connection = new Connection();
    private final Device device = new Device("mosaic").addConnection(connection)
            .addApplicationEntity(new ApplicationEntity("MOSAIC")
                    .addTransferCapability(TransferCapability.of(STUDY_FIND, Role.SCP)
                            .withExtendedNegotiation(new byte[] {1, 1}))
                    .addTransferCapability(TransferCapability.of(STUDY_MOVE, Role.SCP))
                    .addTransferCapability(TransferCapability.of(CT, Role.SCU).withExtendedNegotiation(new byte[] {1})));

    private AAssociateAC negotiate(List<ExtendedNegotiation> proposed, PresentationContextRQ... pcs) throws Exception {
        UserInformation.Builder ui = UserInformation.builder().maxLength(16384).implementationClassUid("1.2.3");
        proposed.forEach(ui::addExtendedNegotiation);
        return new AssociationAcceptor(device, connection, null).negotiate(
                AAssociateRQ.of("MOSAIC", "SCU", List.of(pcs), ui.build()), 0);
    }

    private static byte[] answer(AAssociateAC ac, String cuid) {
        for (ExtendedNegotiation en : ac.userInformation().extendedNegotiations()) {
            if (en.sopClassUid().equals(cuid)) {
                return en.serviceClassApplicationInformation();
            }
        }
        return null;
    }

    @Test
    void answersOnlySupportedOptionsOfAcceptedScpClasses() throws Exception {
        AAssociateAC ac = negotiate(List.of(
                new ExtendedNegotiation(STUDY_FIND, new byte[] {1, 1, 1, 1}),
                new ExtendedNegotiation(PATIENT_FIND, new byte[] {1}),
                new ExtendedNegotiation(STUDY_MOVE, new byte[] {1}),
                new ExtendedNegotiation(CT, new byte[] {1})),
                PresentationContextRQ.of(1, STUDY_FIND, TransferCapability.IMPLICIT_VR_LITTLE_ENDIAN),
                PresentationContextRQ.of(3, PATIENT_FIND, TransferCapability.IMPLICIT_VR_LITTLE_ENDIAN),
                PresentationContextRQ.of(5, STUDY_MOVE, TransferCapability.IMPLICIT_VR_LITTLE_ENDIAN),
                PresentationContextRQ.of(7, CT, TransferCapability.IMPLICIT_VR_LITTLE_ENDIAN));
        assertArrayEquals(new byte[] {1, 1, 0, 0}, answer(ac, STUDY_FIND), "fuzzy PN and timezone not supported");
        assertEquals(null, answer(ac, PATIENT_FIND), "no capability at all: not accepted, nothing echoed");
        assertEquals(null, answer(ac, STUDY_MOVE), "a capability without options echoes nothing");
        assertEquals(null, answer(ac, CT), "options of an SCU capability are not answered for an SCP request");
        assertEquals(1, ac.userInformation().extendedNegotiations().size());
    }

    @Test
    void aProposedZeroStaysZeroAndAnUnproposedClassIsNotAnswered() throws Exception {
        AAssociateAC ac = negotiate(List.of(new ExtendedNegotiation(STUDY_FIND, new byte[] {0, 1})),
                PresentationContextRQ.of(1, STUDY_MOVE, TransferCapability.IMPLICIT_VR_LITTLE_ENDIAN));
        assertEquals(null, answer(ac, STUDY_FIND), "no presentation context for the class: no answer");
        ac = negotiate(List.of(new ExtendedNegotiation(STUDY_FIND, new byte[] {0, 1})),
                PresentationContextRQ.of(1, STUDY_FIND, TransferCapability.IMPLICIT_VR_LITTLE_ENDIAN));
        assertArrayEquals(new byte[] {0, 1}, answer(ac, STUDY_FIND));
    }
}
