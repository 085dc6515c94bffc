package org.mosaicpacs.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.net.ApplicationEntity;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Device;
import org.mosaicpacs.dicom.net.TransferCapability;
import org.mosaicpacs.dicom.net.TransferCapability.Role;

/**
 * A C-STORE SCP that takes the data set as a stream while it arrives, and answers a failure after reading
 * only the header of some: the rest is drained, and the next C-STORE on the same association works, with
 * our SCU and with DCMTK's storescu sending several files on one association.
 */
@Timeout(120)
class StreamingCStoreTest {

    static final String AET = "STREAMSCP";

    @TempDir
    Path tmp;
    ExecutorService executor;
    ScheduledExecutorService scheduler;
    DicomServer server;
    final Map<String, Path> stored = new ConcurrentHashMap<>();
    final AtomicInteger spooled = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        Connection connection = new Connection("127.0.0.1", 0).setMaxPduLengthReceive(16384).setResponseTimeout(20_000);
        ApplicationEntity ae = new ApplicationEntity(AET);
        ae.addTransferCapability(TransferCapability.of(UID.Verification, Role.SCP));
        for (String cuid : List.of(UID.CTImageStorage, UID.MRImageStorage)) {
            ae.addTransferCapability(new TransferCapability(cuid, Role.SCP, List.of(TransferCapability.ANY)));
        }
        Device device = new Device("stream").addConnection(connection).addApplicationEntity(ae);
        Path spool = tmp.resolve("spool");
        DicomServiceRegistry registry = new DicomServiceRegistry().add(new CStoreSCP(spool) {
            @Override
            protected int store(DimseAssociation as, int pcid, Attributes command, InputStream part10, String ts)
                    throws IOException {
                try (java.util.stream.Stream<Path> s = Files.exists(spool) ? Files.list(spool) : java.util.stream.Stream.empty()) {
                    spooled.addAndGet((int) s.count());
                }
                // a recorder of what is read, to keep the instance if it is accepted
                Path target = tmp.resolve(command.getString(Tag.AffectedSOPInstanceUID) + ".dcm");
                try (OutputStream copy = Files.newOutputStream(target)) {
                    InputStream tee = new java.io.FilterInputStream(part10) {
                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            int n = super.read(b, off, len);
                            if (n > 0) {
                                copy.write(b, off, n);
                            }
                            return n;
                        }
                    };
                    DicomInputStream in = new DicomInputStream(tee);
                    in.readFileMetaInformation();
                    Attributes header = in.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
                    if ("REFUSE".equals(header.getString(Tag.PatientID))) {
                        throw new DicomServiceException(Status.DataSetDoesNotMatchSOPClassError, "refused by the test");
                    }
                    tee.transferTo(OutputStream.nullOutputStream());
                }
                stored.put(command.getString(Tag.AffectedSOPInstanceUID), target);
                return Status.Success;
            }
        });
        server = new DicomServer(device, connection, registry, executor, scheduler);
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.close();
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    /** Three instances: accepted, refused after its header (its 2 MB of pixels still on the way), accepted. */
    List<Path> files() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("in"));
        List<Path> files = new ArrayList<>();
        String[] patients = {"P1", "REFUSE", "P3"};
        int[] rows = {64, 16384, 32};
        for (int i = 0; i < 3; i++) {
            Attributes ds = Fixtures.image(UID.CTImageStorage, patients[i], "1.2.7.1", "1.2.7.1.1", "1.2.7.1.1." + i,
                    rows[i]);
            files.add(Fixtures.write(dir, ds, UID.ExplicitVRLittleEndian)); // sent as they are: no conversion
        }
        return files;
    }

    @Test
    void aFailureAfterTheHeaderLeavesTheAssociationUsable() throws Exception {
        List<Path> files = files();
        AssociateRQBuilder rq = new AssociateRQBuilder(AET, "OURSCU");
        rq.addContext(UID.CTImageStorage, UID.ExplicitVRLittleEndian).addVerification();
        List<Integer> statuses = new ArrayList<>();
        try (DimseAssociation as = DimseAssociation.connect(new Connection().setResponseTimeout(20_000),
                new Connection("127.0.0.1", server.getLocalPort()), rq.build(), null, executor, scheduler)) {
            for (Path f : files) {
                statuses.add(as.cstore(f, Commands.MEDIUM).await().status());
            }
            assertEquals(Status.Success, as.cecho().status(), "still usable after the three");
        }
        assertEquals(List.of(Status.Success, Status.DataSetDoesNotMatchSOPClassError, Status.Success), statuses);
        assertStored(files);
    }

    @Test
    void storescuSendsSeveralFilesOnOneAssociation() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescu")), "storescu is not installed");
        List<Path> files = files();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/storescu", "-v", "--no-halt", "-aec", AET, "-xs", "127.0.0.1",
                String.valueOf(server.getLocalPort())));
        files.forEach(f -> cmd.add(f.toString()));
        String log = Fixtures.run(60, null, cmd.toArray(String[]::new));
        assertEquals(1, count(log, "Association Accepted"), log);
        assertEquals(2, count(log, "Received Store Response (Success)"), log);
        assertEquals(1, count(log, "Received Store Response (Error: DataSetDoesNotMatchSOPClass)"), log);
        assertStored(files);
    }

    private void assertStored(List<Path> files) throws IOException {
        assertEquals(0, spooled.get(), "the stream variant never spools");
        assertEquals(2, stored.size(), stored.toString());
        assertFalse(stored.containsKey("1.2.7.1.1.1"));
        for (int i : new int[] {0, 2}) {
            Path received = stored.get("1.2.7.1.1." + i);
            assertArrayEquals(Fixtures.datasetBytes(files.get(i)), Fixtures.datasetBytes(received), files.get(i).toString());
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
