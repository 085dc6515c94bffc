package org.mosaicpacs.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.net.Connection;

/**
 * DCMTK's tools against our test archive, and our SCU against DCMTK's storescp. Each test is skipped
 * when the tool it needs is missing from /usr/bin.
 */
@Timeout(120)
class DcmtkDimseTest {

    @TempDir
    Path tmp;
    ExecutorService executor;
    ScheduledExecutorService scheduler;
    TestScp scp;
    final List<Process> processes = new ArrayList<>();

    static void assumeTool(String name) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin", name)), name + " is not installed");
    }

    @BeforeEach
    void setUp() {
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (scp != null) {
            scp.close();
        }
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    TestScp startScp(int maxPdu) throws IOException {
        scp = new TestScp(Files.createDirectories(tmp.resolve("scp")), executor, scheduler,
                new Connection("127.0.0.1", 0).setMaxPduLengthReceive(maxPdu).setMaxPduLengthSend(maxPdu)
                        .setResponseTimeout(20_000));
        return scp;
    }

    List<Path> makeFiles(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String cuid = i % 2 == 0 ? UID.CTImageStorage : UID.MRImageStorage;
            Attributes ds = Fixtures.image(cuid, "P" + (i % 2), "1.2.3.4." + (i % 2), "1.2.3.4." + (i % 2) + ".1",
                    "1.2.3.4." + (i % 2) + ".1." + i, 64 + 37 * i);
            files.add(Fixtures.write(dir, ds, Fixtures.SYNTAXES[i % Fixtures.SYNTAXES.length]));
        }
        return files;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Process startStorescp(Path dir, int port) throws Exception {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("/usr/bin/storescp", "-aet", "STORESCP", "+xa", "-od", dir.toString(),
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(tmp.resolve("storescp.log").toFile())
                .start();
        processes.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("storescp did not start");
    }

    void assertStoredEqual(List<Path> sent) throws IOException {
        for (Path f : sent) {
            Attributes ds = Fixtures.read(f);
            Path stored = scp.files.get(ds.getString(Tag.SOPInstanceUID));
            assertTrue(stored != null, "not stored: " + f);
            if (Fixtures.transferSyntax(f).equals(Fixtures.transferSyntax(stored))
                    && !UID.DeflatedExplicitVRLittleEndian.equals(Fixtures.transferSyntax(f))) {
                // storescu re-deflates deflated files, so only those are compared element by element
                assertArrayEquals(Fixtures.datasetBytes(f), Fixtures.datasetBytes(stored), f.toString());
            } else {
                assertEquals("", Fixtures.diff(ds, Fixtures.read(stored)), f.toString());
            }
        }
    }

    @Test
    void echoscu() throws Exception {
        assumeTool("echoscu");
        startScp(16384);
        Fixtures.run(30, null, "/usr/bin/echoscu", "-aec", TestScp.AET, "127.0.0.1", String.valueOf(scp.port()));
    }

    @Test
    void storescuSmallPdu() throws Exception {
        storescu(16384, "--max-pdu", "16384");
    }

    @Test
    void storescuLargePdu() throws Exception {
        // storescu accepts --max-pdu up to 131072; our acceptor advertises 1 MiB here
        storescu(1 << 20, "--max-pdu", "131072", "--max-send-pdu", "131072");
    }

    void storescu(int ourMaxPdu, String... options) throws Exception {
        assumeTool("storescu");
        startScp(ourMaxPdu);
        List<Path> files = makeFiles(tmp.resolve("in"), 8);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/storescu", "-aec", TestScp.AET, "-xd"));
        cmd.addAll(List.of(options));
        cmd.add("127.0.0.1");
        cmd.add(String.valueOf(scp.port()));
        files.forEach(f -> cmd.add(f.toString()));
        Fixtures.run(60, null, cmd.toArray(String[]::new));
        assertEquals(8, scp.files.size());
        assertStoredEqual(files);
    }

    void storeWithOurScu(List<Path> files) throws IOException {
        AssociateRQBuilder rq = new AssociateRQBuilder(TestScp.AET, "OURSCU");
        for (String cuid : List.of(UID.CTImageStorage, UID.MRImageStorage)) {
            rq.addContext(cuid, Fixtures.SYNTAXES);
        }
        try (DimseAssociation as = DimseAssociation.connect(new Connection().setResponseTimeout(10_000),
                new Connection("127.0.0.1", scp.port()), rq.build(), null, executor, scheduler)) {
            for (Path f : files) {
                assertEquals(Status.Success, as.cstore(f, Commands.MEDIUM).await().status());
            }
        }
    }

    @Test
    void findscu() throws Exception {
        assumeTool("findscu");
        startScp(16384);
        storeWithOurScu(makeFiles(tmp.resolve("in"), 4));
        Path out = Files.createDirectories(tmp.resolve("find"));
        Fixtures.run(30, out, "/usr/bin/findscu", "-S", "-aec", TestScp.AET, "-X", "-k", "QueryRetrieveLevel=STUDY",
                "-k", "PatientID=P*", "-k", "StudyInstanceUID", "-k", "PatientName", "127.0.0.1",
                String.valueOf(scp.port()));
        List<String> studies = new ArrayList<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path rsp : s.sorted().toList()) {
                studies.add(Fixtures.read(rsp).getString(Tag.StudyInstanceUID));
            }
        }
        assertEquals(List.of("1.2.3.4.0", "1.2.3.4.1"), studies);
    }

    @Test
    void movescuToStorescp() throws Exception {
        assumeTool("movescu");
        assumeTool("storescp");
        startScp(16384);
        List<Path> files = makeFiles(tmp.resolve("in"), 6);
        storeWithOurScu(files);
        int port = freePort();
        Path received = tmp.resolve("storescp");
        startStorescp(received, port);
        scp.destinations.put("STORESCP", new Connection("127.0.0.1", port));
        Fixtures.run(60, null, "/usr/bin/movescu", "-S", "-aec", TestScp.AET, "-aem", "STORESCP", "-k",
                "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3.4.0", "127.0.0.1",
                String.valueOf(scp.port()));
        List<Path> got;
        try (Stream<Path> s = Files.list(received)) {
            got = s.toList();
        }
        assertEquals(3, got.size(), got.toString());
        for (Path g : got) {
            Attributes ds = Fixtures.read(g);
            Path original = scp.files.get(ds.getString(Tag.SOPInstanceUID));
            assertEquals("", Fixtures.diff(Fixtures.read(original), ds));
        }
    }

    @Test
    void getscu() throws Exception {
        assumeTool("getscu");
        startScp(16384);
        List<Path> files = makeFiles(tmp.resolve("in"), 6);
        storeWithOurScu(files);
        Path out = Files.createDirectories(tmp.resolve("get"));
        Fixtures.run(60, null, "/usr/bin/getscu", "-S", "-aec", TestScp.AET, "-od", out.toString(), "-k",
                "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3.4.1", "127.0.0.1",
                String.valueOf(scp.port()));
        List<Path> got;
        try (Stream<Path> s = Files.list(out)) {
            got = s.toList();
        }
        assertEquals(3, got.size(), got.toString());
        for (Path g : got) {
            Attributes ds = Fixtures.read(g);
            assertEquals("", Fixtures.diff(Fixtures.read(scp.files.get(ds.getString(Tag.SOPInstanceUID))), ds));
        }
    }

    @Test
    void ourScuToStorescp() throws Exception {
        assumeTool("storescp");
        assumeTool("dcmdump");
        int port = freePort();
        Path received = tmp.resolve("storescp");
        startStorescp(received, port);
        List<Path> files = makeFiles(tmp.resolve("in"), 8);
        AssociateRQBuilder rq = new AssociateRQBuilder("STORESCP", "OURSCU").addVerification();
        for (String cuid : List.of(UID.CTImageStorage, UID.MRImageStorage)) {
            rq.addContext(cuid, Fixtures.SYNTAXES);
        }
        try (DimseAssociation as = DimseAssociation.connect(new Connection().setResponseTimeout(10_000),
                new Connection("127.0.0.1", port), rq.build(), null, executor, scheduler)) {
            assertEquals(Status.Success, as.cecho().status());
            for (Path f : files) {
                assertEquals(Status.Success, as.cstore(f, Commands.MEDIUM).await().status());
            }
        }
        for (Path f : files) {
            Attributes ds = Fixtures.read(f);
            String prefix = ds.getString(Tag.Modality);
            Path g;
            try (Stream<Path> s = Files.list(received)) {
                g = s.filter(p -> p.getFileName().toString().endsWith(ds.getString(Tag.SOPInstanceUID)))
                        .findFirst().orElseThrow(() -> new AssertionError("not received: " + prefix));
            }
            String dump = Fixtures.run(30, null, "/usr/bin/dcmdump", "-q", g.toString());
            assertTrue(dump.contains(ds.getString(Tag.SOPInstanceUID)), dump);
            assertTrue(dump.contains("Test^P"), dump);
            assertEquals("", Fixtures.diff(ds, Fixtures.read(g)));
        }
    }

    @Test
    void findWithBigEndianIdentifier() throws Exception {
        // C-FIND keys and matches in Explicit VR Big Endian, our SCU against our SCP
        startScp(16384);
        storeWithOurScu(makeFiles(tmp.resolve("in"), 2));
        try (DimseAssociation as = DimseAssociation.connect(new Connection().setResponseTimeout(10_000),
                new Connection("127.0.0.1", scp.port()), new AssociateRQBuilder(TestScp.AET, "OURSCU")
                        .addContext(UID.PatientRootQueryRetrieveInformationModelFind, UID.ExplicitVRBigEndian)
                        .build(), null, executor, scheduler)) {
            Attributes keys = new Attributes();
            keys.setString(Tag.QueryRetrieveLevel, VR.CS, "PATIENT");
            keys.setNull(Tag.PatientID, VR.LO);
            assertEquals(2, as.cfind(UID.PatientRootQueryRetrieveInformationModelFind, keys).size());
        }
    }
}
