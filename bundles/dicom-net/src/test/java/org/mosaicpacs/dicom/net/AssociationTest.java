package org.mosaicpacs.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mosaicpacs.dicom.net.TransferCapability.Role;
import org.mosaicpacs.dicom.net.pdu.AAbort;
import org.mosaicpacs.dicom.net.pdu.AAssociateAC;
import org.mosaicpacs.dicom.net.pdu.AAssociateRJ;
import org.mosaicpacs.dicom.net.pdu.AAssociateRQ;
import org.mosaicpacs.dicom.net.pdu.AReleaseRP;
import org.mosaicpacs.dicom.net.pdu.AReleaseRQ;
import org.mosaicpacs.dicom.net.pdu.PDataTF;
import org.mosaicpacs.dicom.net.pdu.Pdu;
import org.mosaicpacs.dicom.net.pdu.PresentationContextAC;
import org.mosaicpacs.dicom.net.pdu.PresentationContextRQ;
import org.mosaicpacs.dicom.net.pdu.PresentationDataValue;
import org.mosaicpacs.dicom.net.pdu.UserInformation;

@Timeout(30)
class AssociationTest {

    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String TEST_SOP_CLASS = "1.2.826.0.1.3680043.2.1";
    static final String IMPLICIT = TransferCapability.IMPLICIT_VR_LITTLE_ENDIAN;
    static final String EXPLICIT = TransferCapability.EXPLICIT_VR_LITTLE_ENDIAN;

    private ExecutorService executor;
    private ScheduledExecutorService scheduler;
    private Connection serverConnection;
    private Device device;
    private TestHandler serverHandler;
    private AssociationServer server;

    @BeforeEach
    void setUp() throws IOException {
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        serverConnection = new Connection("127.0.0.1", 0).setArtimTimeout(2000);
        device = new Device("test").addConnection(serverConnection)
                .addApplicationEntity(new ApplicationEntity("MOSAIC")
                        .addTransferCapability(TransferCapability.of(CommandSets.VERIFICATION, Role.SCP))
                        .addTransferCapability(TransferCapability.of(TEST_SOP_CLASS, Role.SCP)));
        serverHandler = new TestHandler(true);
    }

    private int startServer() throws IOException {
        server = new AssociationServer(device, serverConnection, serverHandler, executor, scheduler);
        server.start();
        return server.getLocalPort();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        executor.shutdownNow();
        scheduler.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static AAssociateRQ echoRQ(String called, long maxLength) {
        return AAssociateRQ.of(called, "TESTSCU", List.of(
                PresentationContextRQ.of(1, CommandSets.VERIFICATION, IMPLICIT),
                PresentationContextRQ.of(3, CT, EXPLICIT, IMPLICIT),
                PresentationContextRQ.of(5, TEST_SOP_CLASS, IMPLICIT)),
                UserInformation.builder().maxLength(maxLength).implementationClassUid(Device.IMPLEMENTATION_CLASS_UID)
                        .build());
    }

    private Association connect(AAssociateRQ rq, TestHandler handler) throws IOException {
        return connect(new Connection(), rq, handler);
    }

    private Association connect(Connection local, AAssociateRQ rq, TestHandler handler) throws IOException {
        return Association.connect(local, new Connection("127.0.0.1", server.getLocalPort()), rq, handler, executor,
                scheduler);
    }

    private static void echo(Association as, TestHandler handler, int messageId) throws Exception {
        as.sendMessage(1, new ByteArrayInputStream(CommandSets.echoRequest(messageId)), null);
        TestHandler.Message rsp = handler.messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(rsp, "C-ECHO-RSP");
        Map<Integer, byte[]> cmd = CommandSets.parse(rsp.command());
        assertEquals(CommandSets.C_ECHO_RSP, CommandSets.us(cmd, 0x0100));
        assertEquals(messageId, CommandSets.us(cmd, 0x0120));
        assertEquals(0, CommandSets.us(cmd, 0x0900));
    }

    @Test
    void negotiatesEchoesAndReleases() throws Exception {
        startServer();
        TestHandler client = new TestHandler(false);
        Association as = connect(echoRQ("MOSAIC", 16384), client);
        assertEquals(State.Sta6, as.state());
        AAssociateAC ac = as.associateAC();
        assertEquals(new PresentationContextAC(1, 0, IMPLICIT), ac.presentationContext(1));
        assertEquals(PresentationContextAC.ABSTRACT_SYNTAX_NOT_SUPPORTED, ac.presentationContext(3).result());
        assertEquals(1, as.acceptedPresentationContextId(CommandSets.VERIFICATION));
        assertEquals(-1, as.acceptedPresentationContextId(CT));
        echo(as, client, 1);
        echo(as, client, 2);
        as.release();
        assertEquals(State.Sta1, as.state());
        assertNull(as.closeCause(), "normal release");
        Association serverSide = serverHandler.closed.poll(10, TimeUnit.SECONDS);
        assertNotNull(serverSide);
        assertNull(serverSide.closeCause(), "normal release on the acceptor too");
        assertEquals(0, server.activeAssociations());
    }

    @Test
    void severalMessagesMayBeOutstanding() throws Exception {
        startServer();
        TestHandler client = new TestHandler(false);
        Association as = connect(echoRQ("MOSAIC", 16384), client);
        for (int id = 1; id <= 5; id++) {
            as.sendMessage(1, new ByteArrayInputStream(CommandSets.echoRequest(id)), null);
        }
        for (int id = 1; id <= 5; id++) {
            TestHandler.Message rsp = client.messages.poll(10, TimeUnit.SECONDS);
            assertEquals(id, CommandSets.us(CommandSets.parse(rsp.command()), 0x0120));
        }
        as.release();
    }

    @Test
    void wrongCalledAETitleIsRejected() throws Exception {
        startServer();
        AssociationRejectedException e = assertThrows(AssociationRejectedException.class,
                () -> connect(echoRQ("WRONG", 16384), new TestHandler(false)));
        assertEquals(new AAssociateRJ(1, 1, 7), e.rejection());
        assertNotNull(serverHandler.closed.poll(10, TimeUnit.SECONDS), "acceptor side ends too");
    }

    @Test
    void tooManyAssociationsAreRejectedTransiently() throws Exception {
        device.setMaxAssociations(1);
        startServer();
        Association first = connect(echoRQ("MOSAIC", 16384), new TestHandler(false));
        AssociationRejectedException e = assertThrows(AssociationRejectedException.class,
                () -> connect(echoRQ("MOSAIC", 16384), new TestHandler(false)));
        assertEquals(new AAssociateRJ(AAssociateRJ.REJECTED_TRANSIENT, AAssociateRJ.SOURCE_PROVIDER_PRESENTATION,
                AAssociateRJ.PRESENTATION_LOCAL_LIMIT_EXCEEDED), e.rejection());
        first.release();
        assertNotNull(serverHandler.closed.poll(10, TimeUnit.SECONDS));
        assertNotNull(serverHandler.closed.poll(10, TimeUnit.SECONDS));
        connect(echoRQ("MOSAIC", 16384), new TestHandler(false)).release();
    }

    @Test
    void fragmentsToThePeersMaximumAndReassembles() throws Exception {
        // The acceptor receives at most 16 KiB PDUs; the requestor accepts 1 MiB.
        serverConnection.setMaxPduLengthReceive(16384).setMaxPduLengthSend(1 << 20);
        startServer();
        TestHandler client = new TestHandler(false);
        Association as = connect(new Connection().setMaxPduLengthSend(1 << 20), echoRQ("MOSAIC", 1 << 20), client);
        assertEquals(16384, as.maxPduLengthSend());
        byte[] data = new byte[1_000_000];
        new Random(42).nextBytes(data);
        as.sendMessage(5, new ByteArrayInputStream(CommandSets.testCommandWithData(7)), new ByteArrayInputStream(data));
        TestHandler.Message echoed = client.messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(echoed);
        assertArrayEquals(data, echoed.dataSet());
        TestHandler.Message received = serverHandler.messages.poll(10, TimeUnit.SECONDS);
        assertArrayEquals(data, received.dataSet());
        int max = 16384 - PresentationDataValue.OVERHEAD;
        assertEquals((data.length + max - 1) / max, serverHandler.dataFragmentSizes.size());
        assertTrue(serverHandler.dataFragmentSizes.stream().allMatch(n -> n <= max));
        assertEquals(List.of(data.length), client.dataFragmentSizes, "1 MiB PDUs carry it in one fragment");
        as.release();
    }

    @Test
    void releaseCollisionOnTheRequestorSide() throws Exception {
        try (var listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Future<List<Pdu>> fake = executor.submit(() -> {
                try (RawPeer peer = new RawPeer(listener.accept())) {
                    AAssociateRQ rq = (AAssociateRQ) peer.read();
                    peer.send(new AAssociateAC(1, rq.calledAETitle(), rq.callingAETitle(), rq.applicationContext(),
                            List.of(new PresentationContextAC(1, 0, IMPLICIT)),
                            UserInformation.builder().maxLength(16384).build()));
                    Pdu first = peer.read();           // the requestor's A-RELEASE-RQ
                    peer.send(AReleaseRQ.INSTANCE);   // ours crosses it: collision
                    Pdu second = peer.read();          // Sta9 -> AR-9: requestor answers A-RELEASE-RP
                    peer.send(AReleaseRP.INSTANCE);   // acceptor side AR-4
                    Pdu end = peer.read();             // requestor closes (AR-3)
                    return java.util.Arrays.asList(first, second, end);
                }
            });
            Association as = Association.connect(new Connection(), new Connection("127.0.0.1", listener.getLocalPort()),
                    echoRQ("FAKE", 16384), new TestHandler(false), executor, scheduler);
            as.release();
            assertEquals(State.Sta1, as.state());
            assertNull(as.closeCause());
            List<Pdu> seen = fake.get(10, TimeUnit.SECONDS);
            assertEquals(AReleaseRQ.INSTANCE, seen.get(0));
            assertEquals(AReleaseRP.INSTANCE, seen.get(1));
            assertNull(seen.get(2), "transport closed by the requestor");
        }
    }

    @Test
    void releaseCollisionOnTheAcceptorSide() throws Exception {
        startServer();
        try (RawPeer peer = RawPeer.connect(server.getLocalPort())) {
            peer.send(echoRQ("MOSAIC", 16384));
            assertInstanceOf(AAssociateAC.class, peer.read());
            Association serverSide = serverHandler.established.poll(10, TimeUnit.SECONDS);
            Future<?> release = executor.submit(() -> {
                serverSide.release();
                return null;
            });
            assertEquals(AReleaseRQ.INSTANCE, peer.read(), "acceptor asks to release: Sta7");
            peer.send(AReleaseRQ.INSTANCE);                        // collision: acceptor goes to Sta10
            peer.send(AReleaseRP.INSTANCE);                        // requestor's AR-9: acceptor AR-10 -> Sta12 -> AR-4
            assertEquals(AReleaseRP.INSTANCE, peer.read());
            release.get(10, TimeUnit.SECONDS);
            peer.close();
            assertNotNull(serverHandler.closed.poll(10, TimeUnit.SECONDS));
            assertNull(serverSide.closeCause());
        }
    }

    @Test
    void artimClosesASilentConnection() throws Exception {
        serverConnection.setArtimTimeout(200);
        startServer();
        try (RawPeer peer = RawPeer.connect(server.getLocalPort())) {
            assertEquals(-1, peer.in.read(), "acceptor closes when no A-ASSOCIATE-RQ arrives");
        }
        assertNotNull(serverHandler.closed.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void garbageIsAbortedAndTheServerKeepsServing() throws Exception {
        startServer();
        try (RawPeer peer = RawPeer.connect(server.getLocalPort())) {
            peer.out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            peer.out.flush();
            assertEquals(AAbort.byProvider(AAbort.UNRECOGNIZED_PDU), peer.read());
        }
        try (RawPeer peer = RawPeer.connect(server.getLocalPort())) {
            // An A-ASSOCIATE-RQ announcing 1 MiB is refused from its header.
            peer.out.write(new byte[] {1, 0, 0, 0x10, 0, 0});
            peer.out.flush();
            assertEquals(AAbort.byProvider(AAbort.INVALID_PDU_PARAMETER_VALUE), peer.read());
        }
        TestHandler client = new TestHandler(false);
        Association as = connect(echoRQ("MOSAIC", 16384), client);
        echo(as, client, 1);
        as.release();
    }

    @Test
    void unexpectedPdusAndUnacceptedContextsAreAborted() throws Exception {
        startServer();
        try (RawPeer peer = RawPeer.connect(server.getLocalPort())) {
            peer.send(AReleaseRQ.INSTANCE); // Evt12 in Sta2: AA-1
            assertEquals(AAbort.byProvider(AAbort.UNEXPECTED_PDU), peer.read());
        }
        try (RawPeer peer = RawPeer.connect(server.getLocalPort())) {
            peer.send(echoRQ("MOSAIC", 16384));
            assertInstanceOf(AAssociateAC.class, peer.read());
            peer.send(PDataTF.of(new PresentationDataValue(3, true, true, new byte[10]))); // context 3 rejected
            assertEquals(AAbort.byProvider(AAbort.INVALID_PDU_PARAMETER_VALUE), peer.read());
        }
        try (RawPeer peer = RawPeer.connect(server.getLocalPort())) {
            peer.send(echoRQ("MOSAIC", 16384));
            assertInstanceOf(AAssociateAC.class, peer.read());
            peer.send(PDataTF.of(new PresentationDataValue(1, true, false, new byte[10]),
                    new PresentationDataValue(1, false, true, new byte[10]))); // data inside a command
            assertEquals(AAbort.byProvider(AAbort.INVALID_PDU_PARAMETER_VALUE), peer.read());
        }
        try (RawPeer peer = RawPeer.connect(server.getLocalPort())) {
            peer.send(echoRQ("MOSAIC", 16384));
            assertInstanceOf(AAssociateAC.class, peer.read());
            // Longer than the 16 KiB we advertised: refused from the PDU header.
            peer.send(PDataTF.of(new PresentationDataValue(1, true, true, new byte[16384])));
            assertEquals(AAbort.byProvider(AAbort.INVALID_PDU_PARAMETER_VALUE), peer.read());
        }
    }

    @Test
    void abortReachesThePeer() throws Exception {
        startServer();
        TestHandler client = new TestHandler(false);
        Association as = connect(echoRQ("MOSAIC", 16384), client);
        as.abort();
        assertTrue(as.awaitClose(10, TimeUnit.SECONDS));
        Association serverSide = serverHandler.closed.poll(10, TimeUnit.SECONDS);
        AssociationAbortedException e = assertInstanceOf(AssociationAbortedException.class, serverSide.closeCause());
        assertEquals(AAbort.byUser(), e.abort());
        assertThrows(IOException.class,
                () -> as.sendMessage(1, new ByteArrayInputStream(CommandSets.echoRequest(1)), null));
    }

    @Test
    void idleAssociationIsAborted() throws Exception {
        serverConnection.setIdleTimeout(200);
        startServer();
        TestHandler client = new TestHandler(false);
        Association as = connect(echoRQ("MOSAIC", 16384), client);
        assertTrue(as.awaitClose(10, TimeUnit.SECONDS));
        AssociationAbortedException e = assertInstanceOf(AssociationAbortedException.class, as.closeCause());
        assertEquals(AAbort.byUser(), e.abort(), "the acceptor's user aborted");
    }

    @Test
    void acceptorMaySendPendingResponsesBeforeAnsweringRelease() throws Exception {
        serverHandler = new TestHandler(false);
        serverHandler.releaseHook = as -> {
            // Sta8: the C-ECHO-RQ was held back; answer it now (AR-7), then the release (AR-4).
            TestHandler.Message rq = serverHandler.messages.poll();
            assertNotNull(rq);
            as.sendMessage(1, new ByteArrayInputStream(CommandSets.echoResponse(
                    CommandSets.us(CommandSets.parse(rq.command()), 0x0110))), null);
            as.releaseResponse();
        };
        startServer();
        TestHandler client = new TestHandler(false);
        Association as = connect(echoRQ("MOSAIC", 16384), client);
        as.sendMessage(1, new ByteArrayInputStream(CommandSets.echoRequest(9)), null);
        as.release(); // Sta7 receives the P-DATA (AR-6), then A-RELEASE-RP (AR-3)
        TestHandler.Message rsp = client.messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(rsp, "response delivered while awaiting A-RELEASE-RP");
        assertEquals(9, CommandSets.us(CommandSets.parse(rsp.command()), 0x0120));
        assertNull(as.closeCause());
    }

    @Test
    void acceptTimeoutAbortsASilentAcceptor() throws Exception {
        try (var listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Future<Pdu> fake = executor.submit(() -> {
                try (RawPeer peer = new RawPeer(listener.accept())) {
                    assertInstanceOf(AAssociateRQ.class, peer.read());
                    return peer.read(); // never answers; expects the requestor's A-ABORT
                }
            });
            IOException e = assertThrows(IOException.class, () -> Association.connect(
                    new Connection().setAcceptTimeout(200), new Connection("127.0.0.1", listener.getLocalPort()),
                    echoRQ("FAKE", 16384), new TestHandler(false), executor, scheduler));
            assertTrue(e.getMessage().contains("A-ASSOCIATE-AC"), e.getMessage());
            assertEquals(AAbort.byUser(), fake.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void abortFromTheAcceptorReachesTheRequestor() throws Exception {
        startServer();
        TestHandler client = new TestHandler(false);
        Association as = connect(echoRQ("MOSAIC", 16384), client);
        serverHandler.established.poll(10, TimeUnit.SECONDS).abort();
        assertTrue(as.awaitClose(10, TimeUnit.SECONDS));
        assertEquals(AAbort.byUser(), assertInstanceOf(AssociationAbortedException.class, as.closeCause()).abort());
        assertNotNull(client.closed.poll(10, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, as::release);
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        TestHandler client = new TestHandler(false);
        assertThrows(java.net.ConnectException.class, () -> Association.connect(new Connection(),
                new Connection("127.0.0.1", port), echoRQ("X", 16384), client, executor, scheduler));
        assertNotNull(client.closed.poll(10, TimeUnit.SECONDS));
    }
}
