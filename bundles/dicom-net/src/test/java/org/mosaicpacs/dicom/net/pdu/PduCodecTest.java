package org.mosaicpacs.dicom.net.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PduCodecTest {

    static final String VERIFICATION = "1.2.840.10008.1.1";
    static final String CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    private final PduDecoder decoder = new PduDecoder();

    static UserInformation fullUserInformationRQ() {
        return UserInformation.builder()
                .maxLength(16384)
                .implementationClassUid("1.2.3.4.5")
                .implementationVersionName("MOSAIC_010")
                .asyncOperationsWindow(new AsyncOperationsWindow(5, 0))
                .addRoleSelection(new RoleSelection(CT_STORAGE, true, true))
                .addExtendedNegotiation(new ExtendedNegotiation(CT_STORAGE, new byte[] {2, 0, 0, 0, 1, 0}))
                .addCommonExtendedNegotiation(new CommonExtendedNegotiation(CT_STORAGE, "1.2.840.10008.4.2",
                        List.of("1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.2.2")))
                .addCommonExtendedNegotiation(new CommonExtendedNegotiation(VERIFICATION, "1.2.840.10008.4.1",
                        List.of()))
                .userIdentityRQ(UserIdentityRQ.usernamePasscode("alice", "s3cret"))
                .build();
    }

    static AAssociateRQ fullRQ() {
        return AAssociateRQ.of("MOSAIC", "TESTSCU", List.of(
                PresentationContextRQ.of(1, VERIFICATION, IMPLICIT_LE),
                PresentationContextRQ.of(3, CT_STORAGE, EXPLICIT_LE, IMPLICIT_LE)), fullUserInformationRQ());
    }

    private Pdu roundTrip(Pdu pdu) throws IOException {
        byte[] bytes = PduEncoder.encode(pdu);
        assertEquals(bytes.length - 6, readInt(bytes, 2), "PDU length field");
        Pdu decoded = decoder.decode(bytes);
        assertEquals(pdu, decoded);
        assertArrayEquals(bytes, PduEncoder.encode(decoded), "re-encoding is byte identical");
        Pdu streamed = decoder.read(new ByteArrayInputStream(bytes));
        assertEquals(pdu, streamed);
        return decoded;
    }

    private static long readInt(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    @Test
    void associateRQRoundTripsWithAllSubItems() throws IOException {
        AAssociateRQ rq = (AAssociateRQ) roundTrip(fullRQ());
        assertEquals("MOSAIC", rq.calledAETitle());
        assertEquals(List.of(EXPLICIT_LE, IMPLICIT_LE), rq.presentationContext(3).transferSyntaxes());
        assertEquals(new RoleSelection(CT_STORAGE, true, true), rq.userInformation().roleSelection(CT_STORAGE));
        assertArrayEquals("s3cret".getBytes(), rq.userInformation().userIdentityRQ().secondaryField());
    }

    @Test
    void associateRQHasThePs38Layout() {
        byte[] b = PduEncoder.encode(fullRQ());
        assertEquals(0x01, b[0]);
        assertEquals(0x0001, ((b[6] & 0xFF) << 8) | (b[7] & 0xFF), "protocol version");
        assertEquals("MOSAIC          ", new String(b, 10, 16), "called AE space padded");
        assertEquals("TESTSCU         ", new String(b, 26, 16));
        assertEquals(0x10, b[74], "application context item follows the 32 reserved bytes");
    }

    @Test
    void associateACRoundTrips() throws IOException {
        UserInformation ui = UserInformation.builder().maxLength(0).implementationClassUid("1.2.3")
                .implementationVersionName("V1").asyncOperationsWindow(new AsyncOperationsWindow(1, 1))
                .addRoleSelection(new RoleSelection(CT_STORAGE, false, true))
                .addExtendedNegotiation(new ExtendedNegotiation(CT_STORAGE, new byte[] {1}))
                .userIdentityAC(new UserIdentityAC("token".getBytes())).build();
        roundTrip(new AAssociateAC(1, "MOSAIC", "TESTSCU", AAssociateRQ.DICOM_APPLICATION_CONTEXT, List.of(
                new PresentationContextAC(1, 0, IMPLICIT_LE),
                new PresentationContextAC(3, PresentationContextAC.TRANSFER_SYNTAXES_NOT_SUPPORTED, IMPLICIT_LE),
                new PresentationContextAC(5, PresentationContextAC.ABSTRACT_SYNTAX_NOT_SUPPORTED, "")), ui));
    }

    @Test
    void smallPdusRoundTrip() throws IOException {
        roundTrip(new AAssociateRJ(1, 1, 7));
        roundTrip(new AAssociateRJ(2, 3, 2));
        roundTrip(AReleaseRQ.INSTANCE);
        roundTrip(AReleaseRP.INSTANCE);
        roundTrip(AAbort.byUser());
        roundTrip(AAbort.byProvider(AAbort.UNEXPECTED_PDU));
        assertEquals("07000000000400000206", HexFormat.of().formatHex(PduEncoder.encode(AAbort.byProvider(6))));
        assertEquals("05000000000400000000", HexFormat.of().formatHex(PduEncoder.encode(AReleaseRQ.INSTANCE)));
    }

    @Test
    void pDataRoundTripsWithMessageControlHeader() throws IOException {
        PDataTF p = PDataTF.of(new PresentationDataValue(1, true, true, new byte[] {1, 2, 3}),
                new PresentationDataValue(3, false, false, new byte[0]),
                new PresentationDataValue(3, false, true, new byte[1000]));
        roundTrip(p);
        byte[] b = PduEncoder.encode(p);
        assertEquals(5, readInt(b, 6), "first PDV item length");
        assertEquals(1, b[10]);
        assertEquals(0x03, b[11], "command + last");
        assertEquals(p.length(), b.length - 6);
    }

    @Test
    void streamReadsConsecutivePdusAndReturnsNullAtEnd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PduEncoder.write(fullRQ(), out);
        PduEncoder.write(AReleaseRQ.INSTANCE, out);
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertTrue(decoder.read(in) instanceof AAssociateRQ);
        assertEquals(AReleaseRQ.INSTANCE, decoder.read(in));
        assertNull(decoder.read(in));
    }

    private PduException hostile(String hex) {
        return assertThrows(PduException.class, () -> decoder.decode(HexFormat.of().parseHex(hex)));
    }

    @Test
    void unknownPduTypeIsUnrecognizedPdu() {
        assertEquals(AAbort.UNRECOGNIZED_PDU, hostile("08000000000400000000").abortReason());
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, hostile("47455420").abortReason(), "shorter than a header");
        PduException e = assertThrows(PduException.class,
                () -> decoder.read(new ByteArrayInputStream("GET / HTTP/1.1\r\n\r\n".getBytes())));
        assertEquals(AAbort.UNRECOGNIZED_PDU, e.abortReason());
        assertEquals(new AAbort(2, 1), e.toAbort());
    }

    @Test
    void oversizedPdusAreRefusedBeforeReadingTheBody() {
        // A-ASSOCIATE-RQ announcing 64 KiB + 1: refused from the header alone.
        PduException e = assertThrows(PduException.class, () -> decoder.read(
                new ByteArrayInputStream(HexFormat.of().parseHex("010000010001"))));
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, e.abortReason());
        // P-DATA-TF announcing 4 GiB - 1.
        e = assertThrows(PduException.class, () -> decoder.read(
                new ByteArrayInputStream(HexFormat.of().parseHex("0400ffffffff"))));
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, e.abortReason());
        // A smaller configured limit applies to P-DATA.
        PduDecoder small = new PduDecoder(16384, 65536);
        byte[] pdata = PduEncoder.encode(PDataTF.of(new PresentationDataValue(1, false, true, new byte[16384])));
        assertThrows(PduException.class, () -> small.decode(pdata));
        // A-RELEASE-RQ must be 4 bytes long.
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, hostile("0500000000050000000000").abortReason());
    }

    @Test
    void truncatedStreamIsEof() {
        byte[] b = PduEncoder.encode(fullRQ());
        byte[] cut = java.util.Arrays.copyOf(b, b.length - 3);
        assertThrows(EOFException.class, () -> decoder.read(new ByteArrayInputStream(cut)));
        assertThrows(EOFException.class, () -> decoder.read(new ByteArrayInputStream(new byte[] {1, 0, 0})));
    }

    @Test
    void malformedPDataValues() {
        // PDV item length 1 (< 2)
        assertEquals(6, hostile("04000000000600000001" + "0103").abortReason());
        // PDV item length runs past the PDU
        assertEquals(6, hostile("04000000000700000009" + "010300").abortReason());
        // even presentation context ID
        assertEquals(6, hostile("04000000000600000002" + "0203").abortReason());
        // reserved bits in the message control header
        assertEquals(6, hostile("04000000000600000002" + "0107").abortReason());
    }

    /** Builds an A-ASSOCIATE-RQ whose variable items are given in hex. */
    private static String rqWithItems(String items) {
        String fixed = "0001" + "0000" + "4d4f53414943202020202020202020" + "20" + "54455354534355202020202020202020"
                + "00".repeat(32);
        String body = fixed + items;
        return "0100" + String.format("%08x", body.length() / 2) + body;
    }

    private static String item(String type, String valueHex) {
        return type + "00" + String.format("%04x", valueHex.length() / 2) + valueHex;
    }

    private static String uidItem(String type, String uid) {
        return item(type, HexFormat.of().formatHex(uid.getBytes()));
    }

    private static final String APP = uidItem("10", AAssociateRQ.DICOM_APPLICATION_CONTEXT);
    private static final String UI = item("50", item("51", "00004000"));
    private static final String PC = item("20", "01000000" + uidItem("30", VERIFICATION) + uidItem("40", IMPLICIT_LE));

    @Test
    void handBuiltRQDecodes() throws PduException {
        AAssociateRQ rq = (AAssociateRQ) decoder.decode(HexFormat.of().parseHex(rqWithItems(APP + PC + UI)));
        assertEquals("MOSAIC", rq.calledAETitle());
        assertEquals(16384, rq.userInformation().maxLength());
        assertEquals(VERIFICATION, rq.presentationContext(1).abstractSyntax());
    }

    @Test
    void malformedAssociateItems() {
        assertEquals(AAbort.UNRECOGNIZED_PDU_PARAMETER, hostile(rqWithItems(APP + PC + UI + item("77", "00"))).abortReason());
        assertEquals(AAbort.UNEXPECTED_PDU_PARAMETER, hostile(rqWithItems(APP + APP + PC + UI)).abortReason());
        assertEquals(AAbort.UNEXPECTED_PDU_PARAMETER,
                hostile(rqWithItems(APP + item("21", "01000000" + uidItem("40", IMPLICIT_LE)) + UI)).abortReason());
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, hostile(rqWithItems(PC + UI)).abortReason(), "no app ctx");
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, hostile(rqWithItems(APP + PC)).abortReason(), "no user info");
        // item length larger than what is left
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, hostile(rqWithItems(APP + "5000ffff0000")).abortReason());
        // maximum length sub-item of 3 bytes
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE,
                hostile(rqWithItems(APP + PC + item("50", item("51", "004000")))).abortReason());
        // presentation context without transfer syntax
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE,
                hostile(rqWithItems(APP + item("20", "01000000" + uidItem("30", VERIFICATION)) + UI)).abortReason());
        // role selection with a UID length running past its sub-item
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE,
                hostile(rqWithItems(APP + PC + item("50", item("51", "00004000") + item("54", "00ff0101")))).abortReason());
        // even presentation context ID
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, hostile(rqWithItems(APP
                + item("20", "02000000" + uidItem("30", VERIFICATION) + uidItem("40", IMPLICIT_LE)) + UI)).abortReason());
        // fixed part shorter than 68 bytes
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, hostile("0100000000020001").abortReason());
    }

    @Test
    void unknownUserInformationSubItemsAreSkippedAndPaddedUidsStripped() throws PduException {
        String ui = item("50", item("51", "00004000") + item("99", "0102") + uidItem("52", "1.2.3\0"));
        AAssociateRQ rq = (AAssociateRQ) decoder.decode(HexFormat.of().parseHex(rqWithItems(APP + PC + ui)));
        assertEquals("1.2.3", rq.userInformation().implementationClassUid());
    }

    @Test
    void encoderRejectsInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> PresentationContextRQ.of(2, VERIFICATION, IMPLICIT_LE));
        assertThrows(IllegalArgumentException.class, () -> AAssociateRQ.of("THIS_AE_TITLE_IS_TOO_LONG", "A",
                List.of(), UserInformation.builder().build()));
        assertThrows(IllegalArgumentException.class, () -> AAssociateRQ.of("A\\B", "A", List.of(),
                UserInformation.builder().build()));
    }

    @Test
    void blankAETitlesOfAnAcceptanceAreNotTested() throws IOException {
        AAssociateAC ac = new AAssociateAC(1, "", "", AAssociateRQ.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextAC(1, 0, IMPLICIT_LE)), UserInformation.builder().maxLength(0).build());
        assertEquals("", ((AAssociateAC) roundTrip(ac)).calledAETitle());
        // ... while a request needs both titles.
        byte[] rq = PduEncoder.encode(fullRQ());
        java.util.Arrays.fill(rq, 10, 26, (byte) ' ');
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE,
                assertThrows(PduException.class, () -> decoder.decode(rq)).abortReason());
    }
}
