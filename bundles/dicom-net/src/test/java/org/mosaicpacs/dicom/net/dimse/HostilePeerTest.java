package org.mosaicpacs.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.net.ApplicationEntity;
import org.mosaicpacs.dicom.net.AssociationRejectedException;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Device;
import org.mosaicpacs.dicom.net.TransferCapability;
import org.mosaicpacs.dicom.net.TransferCapability.Role;
import org.mosaicpacs.dicom.net.pdu.AAssociateRJ;
import org.mosaicpacs.dicom.net.pdu.AAssociateRQ;
import org.mosaicpacs.dicom.net.pdu.PduEncoder;

/**
 * Hostile peers against our {@link DicomServer}: malformed and oversized PDUs, peers that stop in the
 * middle of a PDU, peers that connect and say nothing, and 200 concurrent associations with the
 * association limit above and below 200. After each scenario the server must still serve a C-ECHO and
 * have freed everything: no open association, no {@code .part} file, its executor back to its core
 * size, and (on Linux) the process's open file descriptors back to the baseline.
 */
@Timeout(240)
class HostilePeerTest {

    static final String AET = "MOSAIC";
    static final int CORE_THREADS = 2;
    static final int ARTIM = 1000;
    static final int IDLE = 1500;
    static final int MAX_PDU = 16384;
    static final int FD_TOLERANCE = 8;
    static final Path PROC_FD = Path.of("/proc/self/fd");

    @TempDir
    Path tmp;
    Path spool;
    ThreadPoolExecutor serverExecutor;
    ScheduledThreadPoolExecutor serverScheduler;
    ExecutorService clientExecutor;
    ScheduledThreadPoolExecutor clientScheduler;
    Device device;
    Connection connection;
    DicomServer server;
    final AtomicInteger stored = new AtomicInteger();
    long baselineFds = -1;

    @BeforeEach
    void setUp() throws Exception {
        spool = tmp.resolve("spool");
        // Threads above the core size end 500 ms after their last task: what is left after a scenario is a leak.
        serverExecutor = new ThreadPoolExecutor(CORE_THREADS, 2000, 500, TimeUnit.MILLISECONDS,
                new SynchronousQueue<>());
        serverScheduler = new ScheduledThreadPoolExecutor(1);
        serverScheduler.setRemoveOnCancelPolicy(true);
        clientExecutor = Executors.newCachedThreadPool();
        clientScheduler = new ScheduledThreadPoolExecutor(1);
        clientScheduler.setRemoveOnCancelPolicy(true);
        connection = new Connection("127.0.0.1", 0).setArtimTimeout(ARTIM).setIdleTimeout(IDLE)
                .setMaxPduLengthReceive(MAX_PDU).setMaxPduLengthSend(MAX_PDU).setResponseTimeout(30_000);
        List<String> any = List.of(TransferCapability.ANY);
        device = new Device("hostile").addConnection(connection).addApplicationEntity(new ApplicationEntity(AET)
                .addTransferCapability(new TransferCapability(UID.Verification, Role.SCP, any))
                .addTransferCapability(new TransferCapability(UID.CTImageStorage, Role.SCP, any)));
        DicomServiceRegistry registry = new DicomServiceRegistry().add(new CStoreSCP(spool, UID.CTImageStorage) {
            @Override
            protected int store(DimseAssociation as, int pcid, Attributes command, Path partFile, String ts) {
                stored.incrementAndGet();
                return Status.Success; // the .part file is deleted by CStoreSCP
            }
        });
        server = new DicomServer(device, connection, registry, serverExecutor, serverScheduler);
        server.start();
        // one warm-up association so that lazily opened descriptors (class files, entropy) are in the baseline
        echo();
        awaitFreed("warm-up");
        baselineFds = openFds();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        server.close();
        serverExecutor.shutdownNow();
        serverScheduler.shutdownNow();
        clientExecutor.shutdownNow();
        clientScheduler.shutdownNow();
        serverExecutor.awaitTermination(10, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- (a) malformed and oversized PDUs

    @Test
    void malformedAndOversizedPdus() throws Exception {
        List<byte[]> before = new ArrayList<>();
        before.add(pdu(0x55, new byte[10]));                                  // unknown PDU type
        before.add(header(0x01, 65 * 1024 + 1));                              // A-ASSOCIATE-RQ over 64 KiB
        before.add(header(0x01, 0xFFFFFFFFL));                                // length 4 GiB - 1
        before.add(pdu(0x01, new byte[] {0, 1, 0, 0}));                       // truncated A-ASSOCIATE-RQ body
        before.add(pdu(0x01, garbage(68 + 100, 1)));                          // A-ASSOCIATE-RQ of garbage
        before.add(pdu(0x04, pdv(1, 0x03, new byte[8])));                     // P-DATA-TF before association
        before.add(pdu(0x02, new byte[68]));                                  // A-ASSOCIATE-AC to an acceptor
        before.add(associateRQWithBadItemLength());                           // item longer than the PDU
        for (int seed = 0; seed < 5; seed++) {
            before.add(garbage(200, seed));                                    // noise
        }
        for (byte[] bytes : before) {
            expectAbortOrDrop(hex(bytes), bytes, false);
            assertServes();
        }
        List<byte[]> after = new ArrayList<>();
        after.add(header(0x04, MAX_PDU + 1));                                  // P-DATA-TF over our maximum
        after.add(header(0x04, 0x7FFFFFFFL));
        after.add(pdu(0x04, pdv(99, 0x03, new byte[8])));                     // unknown presentation context
        after.add(pdu(0x04, pdv(1, 0x02, new byte[8])));                      // data before any command
        after.add(pdu(0x04, pdvWithLength(1, 0x03, 1000, new byte[8])));     // PDV longer than the PDU
        after.add(pdu(0x04, pdv(1, 0x03, garbage(64, 7))));                   // command set of garbage
        after.add(PduEncoder.encode(associateRQ()));                            // a second A-ASSOCIATE-RQ
        after.add(pdu(0x09, new byte[4]));                                    // unknown type when established
        for (byte[] bytes : after) {
            expectAbortOrDrop(hex(bytes), bytes, true);
            assertServes();
        }
        awaitFreed("malformed PDUs");
    }

    // ---------------------------------------------------------------- (b) a peer that stops mid-PDU

    @Test
    void peerStopsMidPdu() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            // half an A-ASSOCIATE-RQ: ARTIM
            byte[] rq = PduEncoder.encode(associateRQ());
            sockets.add(send(java.util.Arrays.copyOf(rq, rq.length / 2)));
            // half a P-DATA-TF header on an established association: idle timeout
            Socket s = establish();
            s.getOutputStream().write(new byte[] {0x04, 0, 0});
            sockets.add(s);
            // half a P-DATA-TF holding a C-ECHO-RQ command
            s = establish();
            byte[] echoPdu = pdu(0x04, pdv(1, 0x03, Commands.encode(Commands.cechoRQ(1, UID.Verification))));
            s.getOutputStream().write(java.util.Arrays.copyOf(echoPdu, echoPdu.length / 2));
            sockets.add(s);
            // a C-STORE whose data set stops in the middle of a P-DATA-TF: the .part file must go
            s = establish();
            byte[] cmd = Commands.encode(Commands.cstoreRQ(1, UID.CTImageStorage, "1.2.3.4.5", Commands.MEDIUM));
            OutputStream out = s.getOutputStream();
            out.write(pdu(0x04, pdv(3, 0x03, cmd)));
            out.write(pdu(0x04, pdv(3, 0x00, new byte[4000])));
            byte[] half = pdu(0x04, pdv(3, 0x00, new byte[8000]));
            out.write(java.util.Arrays.copyOf(half, half.length / 2));
            out.flush();
            sockets.add(s);
            awaitCondition("a .part file while the data set arrives", 20_000, () -> partFiles() > 0);
            for (Socket silent : sockets) {
                expectClosedByServer(silent);
            }
            assertServes();
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        awaitFreed("peers stopping mid-PDU");
    }

    // ---------------------------------------------------------------- (c) peers that connect and say nothing

    @Test
    void silentConnectionsAreClosedByArtim() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket("127.0.0.1", server.getLocalPort());
                sockets.add(s);
            }
            awaitCondition("20 silent connections counted", 20_000, () -> server.associationServer()
                    .activeAssociations() >= 20);
            assertServes(); // served while the silent ones wait for ARTIM
            for (Socket s : sockets) {
                expectClosedByServer(s);
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        awaitFreed("silent connections");
    }

    // ---------------------------------------------------------------- (d) 200 concurrent associations

    @Test
    void twoHundredConcurrentAssociationsUnderTheLimit() throws Exception {
        device.setMaxAssociations(250);
        int[] r = concurrent(200);
        assertEquals(200, r[0], "accepted");
        assertEquals(0, r[1], "rejected");
        assertEquals(200, stored.get());
        awaitFreed("200 associations, limit 250");
        assertServes();
    }

    @Test
    void twoHundredConcurrentAssociationsOverTheLimit() throws Exception {
        device.setMaxAssociations(120);
        int[] r = concurrent(200);
        assertEquals(200, r[0] + r[1], "every association accepted or rejected");
        assertTrue(r[0] > 0 && r[0] <= 120, "accepted: " + r[0]);
        assertTrue(r[1] >= 80, "rejected: " + r[1]);
        assertEquals(r[0], stored.get());
        awaitFreed("200 associations, limit 120");
        assertServes();
    }

    /**
     * Opens n associations at once from n client threads; each does a C-ECHO and a C-STORE and keeps its
     * association open until every one has been accepted or rejected, so the limit is really reached.
     *
     * @return accepted, rejected
     */
    int[] concurrent(int n) throws Exception {
        connection.setIdleTimeout(0); // the associations wait for each other: no idle abort here
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch attempted = new CountDownLatch(n);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        Attributes ds = Fixtures.image(UID.CTImageStorage, "P", "1.2.3", "1.2.3.1", "1.2.3.1.0", 16);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    DimseAssociation as;
                    try {
                        as = DimseAssociation.connect(clientConnection(), remote(), new AssociateRQBuilder(AET, "SCU" + k)
                                .addVerification().addContext(UID.CTImageStorage, UID.ExplicitVRLittleEndian).build(),
                                null, clientExecutor, clientScheduler);
                    } catch (AssociationRejectedException e) {
                        AAssociateRJ rj = e.rejection();
                        assertEquals(AAssociateRJ.REJECTED_TRANSIENT, rj.result());
                        assertEquals(AAssociateRJ.SOURCE_PROVIDER_PRESENTATION, rj.source());
                        assertEquals(AAssociateRJ.PRESENTATION_LOCAL_LIMIT_EXCEEDED, rj.reason());
                        rejected.incrementAndGet();
                        attempted.countDown();
                        return null;
                    } catch (Throwable e) {
                        attempted.countDown();
                        throw e;
                    }
                    try (as) {
                        accepted.incrementAndGet();
                        attempted.countDown();
                        assertEquals(Status.Success, as.cecho().status());
                        Attributes copy = new Attributes(ds);
                        copy.setString(org.mosaicpacs.dicom.data.Tag.SOPInstanceUID,
                                org.mosaicpacs.dicom.data.VR.UI, "1.2.3.1.0." + k);
                        assertEquals(Status.Success, as.cstore(UID.CTImageStorage, "1.2.3.1.0." + k,
                                Commands.MEDIUM, DataWriter.of(copy), null).await().status());
                        assertTrue(attempted.await(120, TimeUnit.SECONDS), "not every association was attempted");
                        as.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(180, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println(n + " concurrent associations, limit " + device.getMaxAssociations() + ": "
                + accepted.get() + " accepted, " + rejected.get() + " rejected");
        return new int[] {accepted.get(), rejected.get()};
    }

    // ---------------------------------------------------------------- helpers: checks

    Connection clientConnection() {
        return new Connection().setConnectTimeout(60_000).setAcceptTimeout(60_000).setResponseTimeout(60_000)
                .setReleaseTimeout(30_000);
    }

    Connection remote() {
        return new Connection("127.0.0.1", server.getLocalPort());
    }

    void echo() throws IOException {
        try (DimseAssociation as = DimseAssociation.connect(clientConnection(), remote(),
                new AssociateRQBuilder(AET, "CHECK").addVerification().build(), null, clientExecutor, clientScheduler)) {
            assertEquals(Status.Success, as.cecho().status());
            as.release();
        }
    }

    /** The server still serves: a C-ECHO succeeds. */
    void assertServes() throws IOException {
        echo();
    }

    /** Every resource of the server is freed, within a bounded wait. */
    void awaitFreed(String scenario) throws Exception {
        awaitCondition(scenario + ": active associations back to 0", 30_000,
                () -> server.associationServer().activeAssociations() == 0);
        awaitCondition(scenario + ": no .part file left", 30_000, () -> partFiles() == 0);
        // the accept loop keeps one thread busy; everything else must end and the pool shrink to its core size
        awaitCondition(scenario + ": server executor back to its core size (pool " + serverExecutor.getPoolSize()
                + ", active " + serverExecutor.getActiveCount() + ")", 30_000,
                () -> serverExecutor.getActiveCount() <= 1 && serverExecutor.getPoolSize() <= CORE_THREADS);
        if (baselineFds >= 0 && Files.isDirectory(PROC_FD)) {
            awaitCondition(scenario + ": open descriptors back to the baseline " + baselineFds, 30_000,
                    () -> openFds() <= baselineFds + FD_TOLERANCE);
        }
    }

    long partFiles() {
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".part")).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static long openFds() {
        if (!Files.isDirectory(PROC_FD)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(PROC_FD)) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    static void awaitCondition(String what, long timeoutMillis, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not reached within " + timeoutMillis + " ms: " + what);
            }
            Thread.sleep(50);
        }
    }

    // ---------------------------------------------------------------- helpers: raw peers

    AAssociateRQ associateRQ() {
        return new AssociateRQBuilder(AET, "HOSTILE").addVerification()
                .addContext(UID.CTImageStorage, UID.ImplicitVRLittleEndian).build();
    }

    Socket send(byte[] bytes) throws IOException {
        Socket s = new Socket("127.0.0.1", server.getLocalPort());
        s.setSoTimeout(30_000);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        return s;
    }

    /** Opens an association on a raw socket and reads the A-ASSOCIATE-AC. */
    Socket establish() throws IOException {
        Socket s = send(PduEncoder.encode(associateRQ()));
        DataInputStream in = new DataInputStream(s.getInputStream());
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        int length = in.readInt();
        in.readFully(new byte[length]);
        assertEquals(0x02, type, "A-ASSOCIATE-AC expected");
        return s;
    }

    /**
     * Sends bytes (after an association is established when asked) and expects the server either to
     * answer with an A-ABORT and close, or to close the connection at once; bounded by ARTIM.
     */
    void expectAbortOrDrop(String what, byte[] bytes, boolean established) throws IOException {
        try (Socket s = established ? establish() : new Socket("127.0.0.1", server.getLocalPort())) {
            s.setSoTimeout(30_000);
            try {
                s.getOutputStream().write(bytes);
                s.getOutputStream().flush();
            } catch (IOException e) {
                return; // already dropped
            }
            byte[] rest = readUntilClosed(s, what);
            if (rest.length > 0) {
                assertTrue(rest[0] == 0x07 || rest[0] == 0x03,
                        what + ": expected an A-ABORT (or A-ASSOCIATE-RJ), got PDU type " + rest[0]);
            }
        }
    }

    /** The server closes this connection (after an A-ABORT or not) within the socket timeout. */
    void expectClosedByServer(Socket s) throws IOException {
        s.setSoTimeout(30_000);
        byte[] rest = readUntilClosed(s, "silent peer");
        if (rest.length > 0) {
            assertEquals(0x07, rest[0], "A-ABORT expected, got PDU type " + rest[0]);
        }
    }

    static byte[] readUntilClosed(Socket s, String what) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                bytes.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            fail(what + ": the server did not close the connection");
        } catch (EOFException e) {
            // closed
        } catch (IOException e) {
            // reset by the server: dropped
        }
        return bytes.toByteArray();
    }

    static byte[] header(int type, long length) {
        return new byte[] {(byte) type, 0, (byte) (length >> 24), (byte) (length >> 16), (byte) (length >> 8),
            (byte) length};
    }

    static byte[] pdu(int type, byte[] body) {
        byte[] b = java.util.Arrays.copyOf(header(type, body.length), 6 + body.length);
        System.arraycopy(body, 0, b, 6, body.length);
        return b;
    }

    static byte[] pdv(int pcid, int mch, byte[] data) {
        return pdvWithLength(pcid, mch, data.length + 2, data);
    }

    static byte[] pdvWithLength(int pcid, int mch, int itemLength, byte[] data) {
        byte[] b = new byte[6 + data.length];
        b[0] = (byte) (itemLength >> 24);
        b[1] = (byte) (itemLength >> 16);
        b[2] = (byte) (itemLength >> 8);
        b[3] = (byte) itemLength;
        b[4] = (byte) pcid;
        b[5] = (byte) mch;
        System.arraycopy(data, 0, b, 6, data.length);
        return b;
    }

    static byte[] garbage(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A valid A-ASSOCIATE-RQ whose first variable item claims more bytes than the PDU holds. */
    byte[] associateRQWithBadItemLength() {
        byte[] b = PduEncoder.encode(associateRQ());
        // fixed part: 6 header + 68; the first item (application context) length is at 74 + 2
        b[76] = 0x7F;
        b[77] = 0x00;
        return b;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(16, b.length); i++) {
            sb.append(String.format("%02X", b[i]));
        }
        return sb.append(b.length > 16 ? "... (" + b.length + " bytes)" : "").toString();
    }
}
