package org.mosaicpacs.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * Our SCU (store, find, move, get) against DCMTK's dcmqrscp, configured by the test on loopback;
 * skipped when dcmqrscp is missing. The C-MOVE destination is our test archive.
 */
@Timeout(120)
class DcmqrscpTest {

    @TempDir
    Path tmp;
    ExecutorService executor;
    ScheduledExecutorService scheduler;
    TestScp dest;
    Process process;
    int port;

    @BeforeEach
    void setUp() {
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (dest != null) {
            dest.close();
        }
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    void startDcmqrscp() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path db = Files.createDirectories(tmp.resolve("db"));
        String cfg = "NetworkTCPPort = " + port + "\n"
                + "MaxPDUSize = 16384\n"
                + "MaxAssociations = 16\n"
                + "HostTable BEGIN\n"
                + "mosaic = (" + TestScp.AET + ", 127.0.0.1, " + dest.port() + ")\n"
                + "HostTable END\n"
                + "VendorTable BEGIN\n"
                + "VendorTable END\n"
                + "AETable BEGIN\n"
                + "DCMQRSCP " + db + " RW (100, 64mb) ANY\n"
                + "AETable END\n";
        Path file = tmp.resolve("dcmqrscp.cfg");
        Files.writeString(file, cfg);
        process = new ProcessBuilder("/usr/bin/dcmqrscp", "-c", file.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("dcmqrscp.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("dcmqrscp did not start");
    }

    DimseAssociation connect(AssociateRQBuilder rq, DicomServiceRegistry registry) throws IOException {
        try {
            return DimseAssociation.connect(new Connection().setResponseTimeout(20_000),
                    new Connection("127.0.0.1", port), rq.build(), registry, executor, scheduler);
        } catch (IOException e) {
            throw new IOException(e + "\ndcmqrscp log:\n" + Files.readString(tmp.resolve("dcmqrscp.log")), e);
        }
    }

    @Test
    void storeFindMoveGet() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmqrscp")), "dcmqrscp is not installed");
        dest = new TestScp(Files.createDirectories(tmp.resolve("dest")), executor, scheduler,
                new Connection("127.0.0.1", 0));
        startDcmqrscp();
        Path in = Files.createDirectories(tmp.resolve("in"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Attributes ds = Fixtures.image(UID.CTImageStorage, "Q" + (i / 2), "1.2.4." + (i / 2), "1.2.4." + (i / 2) + ".1",
                    "1.2.4." + (i / 2) + ".1." + i, 32);
            files.add(Fixtures.write(in, ds, Fixtures.SYNTAXES[i]));
        }
        try (DimseAssociation as = connect(new AssociateRQBuilder("DCMQRSCP", "OURSCU").addVerification()
                .addContext(UID.CTImageStorage, UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian), null)) {
            assertEquals(Status.Success, as.cecho().status());
            for (Path f : files) {
                // Explicit VR Big Endian and Deflated are converted: only Explicit/Implicit LE were proposed
                assertEquals(Status.Success, as.cstore(f, Commands.MEDIUM).await().status());
            }
        }

        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        keys.setNull(Tag.PatientName, VR.PN);
        try (DimseAssociation as = connect(new AssociateRQBuilder("DCMQRSCP", "OURSCU")
                .addContext(UID.StudyRootQueryRetrieveInformationModelFind), null)) {
            List<String> studies = as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, keys).stream()
                    .map(a -> a.getString(Tag.StudyInstanceUID)).sorted().toList();
            assertEquals(List.of("1.2.4.0", "1.2.4.1"), studies);
        }

        Attributes study0 = new Attributes();
        study0.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        study0.setString(Tag.StudyInstanceUID, VR.UI, "1.2.4.0");
        try (DimseAssociation as = connect(new AssociateRQBuilder("DCMQRSCP", "OURSCU")
                .addContext(UID.StudyRootQueryRetrieveInformationModelMove), null)) {
            DimseResponse rsp = as.cmove(UID.StudyRootQueryRetrieveInformationModelMove, Commands.MEDIUM, study0,
                    TestScp.AET, null).await();
            assertEquals(Status.Success, rsp.status(), rsp.toString());
            assertEquals(2, rsp.subOperations()[1]);
        }
        assertEquals(2, dest.files.size());

        Path got = Files.createDirectories(tmp.resolve("got"));
        List<Path> received = new CopyOnWriteArrayList<>();
        DicomServiceRegistry local = new DicomServiceRegistry().add(new CStoreSCP(got) {
            @Override
            protected int store(DimseAssociation a, int pcid, Attributes command, Path partFile, String ts)
                    throws IOException {
                Path target = got.resolve(command.getString(Tag.AffectedSOPInstanceUID));
                Files.move(partFile, target);
                received.add(target);
                return Status.Success;
            }
        });
        Attributes study1 = new Attributes();
        study1.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        study1.setString(Tag.StudyInstanceUID, VR.UI, "1.2.4.1");
        try (DimseAssociation as = connect(new AssociateRQBuilder("DCMQRSCP", "OURSCU")
                .addContext(UID.StudyRootQueryRetrieveInformationModelGet)
                .addStorageForGet(UID.CTImageStorage, UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian),
                local)) {
            DimseResponse rsp = as.cget(UID.StudyRootQueryRetrieveInformationModelGet, Commands.MEDIUM, study1, null)
                    .await();
            assertEquals(Status.Success, rsp.status(), rsp.toString());
        }
        assertEquals(2, received.size());
        for (Path r : received) {
            Attributes ds = Fixtures.read(r);
            Path original = files.stream().filter(f -> f.getFileName().toString().startsWith(
                    ds.getString(Tag.SOPInstanceUID) + ".")).findFirst().orElseThrow();
            assertEquals("", Fixtures.diff(Fixtures.read(original), ds));
            assertArrayEquals(Fixtures.read(original).getBytes(Tag.PixelData, false), ds.getBytes(Tag.PixelData, false));
        }
    }
}
