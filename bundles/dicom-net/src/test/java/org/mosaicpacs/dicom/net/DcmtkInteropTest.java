package org.mosaicpacs.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.net.TransferCapability.Role;
import org.mosaicpacs.dicom.net.pdu.AAssociateRQ;
import org.mosaicpacs.dicom.net.pdu.PresentationContextAC;
import org.mosaicpacs.dicom.net.pdu.PresentationContextRQ;
import org.mosaicpacs.dicom.net.pdu.UserInformation;

/** Interoperability with DCMTK's echoscu and storescp; skipped when DCMTK is not installed. */
@Timeout(60)
class DcmtkInteropTest {

    static final Path ECHOSCU = Path.of("/usr/bin/echoscu");
    static final Path STORESCP = Path.of("/usr/bin/storescp");
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    static final Path STORESCU = Path.of("/usr/bin/storescu");
    static final Path DUMP2DCM = Path.of("/usr/bin/dump2dcm");

    private ExecutorService executor;
    private ScheduledExecutorService scheduler;
    private AssociationServer server;
    private Process process;

    @BeforeEach
    void setUp() {
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    private final TestHandler serverHandler = new TestHandler(true);

    private int startServer() throws IOException {
        Connection conn = new Connection("127.0.0.1", 0).setMaxPduLengthReceive(16384);
        Device device = new Device("interop").addConnection(conn).addApplicationEntity(new ApplicationEntity("MOSAIC")
                .addTransferCapability(TransferCapability.of(CommandSets.VERIFICATION, Role.SCP))
                .addTransferCapability(TransferCapability.of(SECONDARY_CAPTURE, Role.SCP)));
        server = new AssociationServer(device, conn, serverHandler, executor, scheduler);
        server.start();
        return server.getLocalPort();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "process ended");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void echoscuNegotiatesAndEchoes() throws Exception {
        assumeTrue(Files.isExecutable(ECHOSCU), "DCMTK echoscu not installed");
        int port = startServer();
        Result r = run(ECHOSCU.toString(), "-v", "-aet", "TESTSCU", "-aec", "MOSAIC", "127.0.0.1",
                Integer.toString(port));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Association Accepted"), r.output());
        assertTrue(r.output().contains("Received Echo Response (Success)"), r.output());
        assertTrue(r.output().contains("Releasing Association"), r.output());
    }

    @Test
    void echoscuWithWrongCalledAETitleIsRejected() throws Exception {
        assumeTrue(Files.isExecutable(ECHOSCU), "DCMTK echoscu not installed");
        int port = startServer();
        Result r = run(ECHOSCU.toString(), "-v", "-aet", "TESTSCU", "-aec", "WRONG", "127.0.0.1",
                Integer.toString(port));
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Association Rejected"), r.output());
        assertTrue(r.output().contains("Called AE Title Not Recognized"), r.output());
    }

    @Test
    void requestorAgainstStorescp(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(STORESCP), "DCMTK storescp not installed");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        process = new ProcessBuilder(STORESCP.toString(), "-od", dir.toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("storescp.log").toFile()).start();
        AAssociateRQ rq = AAssociateRQ.of("STORESCP", "MOSAICSCU", List.of(
                PresentationContextRQ.of(1, CommandSets.VERIFICATION, TransferCapability.IMPLICIT_VR_LITTLE_ENDIAN),
                PresentationContextRQ.of(3, CT, TransferCapability.EXPLICIT_VR_LITTLE_ENDIAN,
                        TransferCapability.IMPLICIT_VR_LITTLE_ENDIAN),
                PresentationContextRQ.of(5, "1.2.826.0.1.3680043.2.99.1", TransferCapability.IMPLICIT_VR_LITTLE_ENDIAN)),
                UserInformation.builder().maxLength(16384).implementationClassUid(Device.IMPLEMENTATION_CLASS_UID)
                        .implementationVersionName(Device.IMPLEMENTATION_VERSION_NAME).build());
        TestHandler handler = new TestHandler(false);
        Association as = null;
        List<IOException> failures = new ArrayList<>();
        for (int attempt = 0; as == null && attempt < 100; attempt++) {
            try {
                as = Association.connect(new Connection(), new Connection("127.0.0.1", port), rq, handler, executor,
                        scheduler);
            } catch (ConnectException e) {
                failures.add(e);
                Thread.sleep(100); // storescp is still starting
            }
        }
        assertNotNull(as, "could not connect to storescp: " + failures);
        assertEquals(new PresentationContextAC(1, 0, TransferCapability.IMPLICIT_VR_LITTLE_ENDIAN),
                as.presentationContext(1));
        assertTrue(as.presentationContext(3).isAccepted());
        assertEquals(PresentationContextAC.ABSTRACT_SYNTAX_NOT_SUPPORTED, as.presentationContext(5).result());
        assertTrue(as.associateAC().userInformation().implementationClassUid().startsWith("1.2.276.0.7230010"),
                "DCMTK implementation class UID");

        as.sendMessage(1, new ByteArrayInputStream(CommandSets.echoRequest(42)), null);
        TestHandler.Message rsp = handler.messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(rsp, "C-ECHO-RSP from storescp");
        Map<Integer, byte[]> cmd = CommandSets.parse(rsp.command());
        assertEquals(CommandSets.C_ECHO_RSP, CommandSets.us(cmd, 0x0100));
        assertEquals(42, CommandSets.us(cmd, 0x0120));
        assertEquals(0, CommandSets.us(cmd, 0x0900));
        as.release();
        assertEquals(State.Sta1, as.state());
    }

    @Test
    void storescuStreamsAFragmentedDataSet(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(STORESCU) && Files.isExecutable(DUMP2DCM), "DCMTK storescu/dump2dcm missing");
        byte[] pixels = new byte[300_000];
        new java.util.Random(3).nextBytes(pixels);
        Files.write(dir.resolve("pixels.raw"), pixels);
        Files.writeString(dir.resolve("sc.dump"), String.join("\n",
                "(0002,0010) UI =LittleEndianExplicit",
                "(0008,0016) UI =SecondaryCaptureImageStorage",
                "(0008,0018) UI [1.2.826.0.1.3680043.2.99.7.1]",
                "(0008,0060) CS [OT]",
                "(0010,0010) PN [Test^Patient]",
                "(0020,000d) UI [1.2.826.0.1.3680043.2.99.7.2]",
                "(0020,000e) UI [1.2.826.0.1.3680043.2.99.7.3]",
                "(0028,0002) US 1",
                "(0028,0004) CS [MONOCHROME2]",
                "(0028,0010) US 300",
                "(0028,0011) US 500",
                "(0028,0100) US 16",
                "(0028,0101) US 16",
                "(0028,0102) US 15",
                "(0028,0103) US 0",
                "(7fe0,0010) OW =" + dir.resolve("pixels.raw"), ""));
        Path file = dir.resolve("sc.dcm");
        Result made = run(DUMP2DCM.toString(), "--write-xfer-little", dir.resolve("sc.dump").toString(),
                file.toString());
        assertEquals(0, made.exit(), made.output());
        int port = startServer();
        Result r = run(STORESCU.toString(), "-v", "-aet", "TESTSCU", "-aec", "MOSAIC", "127.0.0.1",
                Integer.toString(port), file.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Received Store Response (Success)"), r.output());
        TestHandler.Message stored = serverHandler.messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(stored);
        assertEquals(CommandSets.C_STORE_RQ, CommandSets.us(CommandSets.parse(stored.command()), 0x0100));
        byte[] dataSet = stored.dataSet();
        assertTrue(dataSet.length > pixels.length, "data set with pixel data: " + dataSet.length);
        assertTrue(java.util.Arrays.equals(pixels, 0, pixels.length, dataSet, dataSet.length - pixels.length,
                dataSet.length), "pixel data arrives intact at the end of the data set");
        assertTrue(serverHandler.dataFragmentSizes.size() >= pixels.length / 16384, "fragmented");
        assertTrue(serverHandler.dataFragmentSizes.stream().allMatch(n -> n <= 16384 - 6), "within our maximum");
    }
}
