package org.mosaicpacs.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import org.mosaicpacs.dicom.net.pdu.PresentationContextAC;

/** Our SCU against our SCP (the test archive), on loopback. */
@Timeout(60)
class DimseTest {

    @TempDir
    Path tmp;
    ExecutorService executor;
    ScheduledExecutorService scheduler;
    TestScp scp;
    final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        Files.createDirectories(tmp.resolve("scp"));
        scp = new TestScp(tmp.resolve("scp"), executor, scheduler, new Connection("127.0.0.1", 0).setResponseTimeout(10_000));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        scp.close();
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    DimseAssociation connect(AssociateRQBuilder rq, DicomServiceRegistry registry) throws IOException {
        DimseAssociation as = DimseAssociation.connect(new Connection().setResponseTimeout(10_000),
                new Connection("127.0.0.1", scp.port()), rq.build(), registry, executor, scheduler);
        closeables.add(as::abort);
        return as;
    }

    static AssociateRQBuilder rq() {
        return new AssociateRQBuilder(TestScp.AET, "TESTSCU");
    }

    List<Path> makeFiles(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String cuid = i % 2 == 0 ? UID.CTImageStorage : UID.MRImageStorage;
            Attributes ds = Fixtures.image(cuid, "P" + (i % 2), "1.2.3.4." + (i % 2), "1.2.3.4." + (i % 2) + ".1",
                    "1.2.3.4." + (i % 2) + ".1." + i, 16 + i);
            files.add(Fixtures.write(dir, ds, Fixtures.SYNTAXES[i % Fixtures.SYNTAXES.length]));
        }
        return files;
    }

    @Test
    void echo() throws IOException {
        DimseAssociation as = connect(rq().addVerification(), null);
        assertEquals(Status.Success, as.cecho().status());
        assertEquals(Status.Success, as.cecho().status());
        as.release();
    }

    @Test
    void storeSeveralSyntaxesVerbatim() throws IOException {
        List<Path> files = makeFiles(tmp.resolve("in"), 8);
        AssociateRQBuilder rq = rq();
        for (String cuid : List.of(UID.CTImageStorage, UID.MRImageStorage)) {
            for (String ts : Fixtures.SYNTAXES) {
                rq.addContext(cuid, ts);
            }
        }
        DimseAssociation as = connect(rq.asyncOperationsWindow(4, 1), null);
        assertEquals(4, as.maxOperationsInvoked());
        List<DimseFuture> futures = new ArrayList<>();
        for (Path f : files) {
            futures.add(as.cstore(f, Commands.MEDIUM));
        }
        for (DimseFuture f : futures) {
            assertEquals(Status.Success, f.await().status());
        }
        as.release();
        for (Path f : files) {
            Path stored = scp.files.get(Fixtures.read(f).getString(Tag.SOPInstanceUID));
            assertEquals(Fixtures.transferSyntax(f), Fixtures.transferSyntax(stored));
            assertArrayEquals(Fixtures.evenLength(Fixtures.datasetBytes(f)), Fixtures.datasetBytes(stored),
                    f.toString());
        }
    }

    @Test
    void storeConvertsWhenTheSyntaxWasNotAccepted() throws IOException {
        List<Path> files = makeFiles(tmp.resolve("in"), 4);
        DimseAssociation as = connect(rq().addContext(UID.CTImageStorage, UID.ImplicitVRLittleEndian)
                .addContext(UID.MRImageStorage, UID.ExplicitVRLittleEndian), null);
        for (Path f : files) {
            assertEquals(Status.Success, as.cstore(f, Commands.MEDIUM).await().status());
        }
        as.release();
        for (Path f : files) {
            Attributes sent = Fixtures.read(f);
            Path stored = scp.files.get(sent.getString(Tag.SOPInstanceUID));
            assertEquals("", Fixtures.diff(sent, Fixtures.read(stored)), f.toString());
        }
    }

    @Test
    void findMoveGet() throws Exception {
        List<Path> files = makeFiles(tmp.resolve("in"), 4);
        DimseAssociation as = connect(rq().addContext(UID.CTImageStorage, Fixtures.SYNTAXES)
                .addContext(UID.MRImageStorage, Fixtures.SYNTAXES), null);
        for (Path f : files) {
            assertEquals(Status.Success, as.cstore(f, Commands.MEDIUM).await().status());
        }
        as.release();

        // C-FIND, study level
        as = connect(rq().addContext(UID.StudyRootQueryRetrieveInformationModelFind), null);
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        keys.setNull(Tag.PatientName, VR.PN);
        keys.setString(Tag.PatientID, VR.LO, "P*");
        List<Attributes> studies = as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, keys);
        assertEquals(2, studies.size());
        assertEquals("Test^P0", studies.get(0).getString(Tag.PatientName));
        keys.setString(Tag.PatientID, VR.LO, "P1");
        assertEquals(List.of("1.2.3.4.1"), as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, keys).stream()
                .map(a -> a.getString(Tag.StudyInstanceUID)).toList());
        as.release();

        // C-MOVE to a second archive
        Files.createDirectories(tmp.resolve("dest"));
        TestScp dest = new TestScp(tmp.resolve("dest"), executor, scheduler, new Connection("127.0.0.1", 0));
        closeables.add(dest);
        scp.destinations.put(TestScp.AET, new Connection("127.0.0.1", dest.port()));
        as = connect(rq().addContext(UID.StudyRootQueryRetrieveInformationModelMove), null);
        Attributes moveKeys = new Attributes();
        moveKeys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        moveKeys.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3.4.0");
        List<DimseResponse> pending = new CopyOnWriteArrayList<>();
        DimseResponse rsp = as.cmove(UID.StudyRootQueryRetrieveInformationModelMove, Commands.MEDIUM, moveKeys,
                TestScp.AET, pending::add).await();
        assertEquals(Status.Success, rsp.status());
        assertArrayEquals(new int[] {-1, 2, 0, 0}, rsp.subOperations());
        assertEquals(1, pending.size());
        assertEquals(2, dest.files.size());
        rsp = as.cmove(UID.StudyRootQueryRetrieveInformationModelMove, Commands.MEDIUM, moveKeys, "NOWHERE", null)
                .await();
        assertEquals(Status.MoveDestinationUnknown, rsp.status());
        as.release();

        // C-GET on the same association
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
        as = connect(rq().addContext(UID.StudyRootQueryRetrieveInformationModelGet)
                .addStorageForGet(UID.CTImageStorage, Fixtures.SYNTAXES)
                .addStorageForGet(UID.MRImageStorage, Fixtures.SYNTAXES), local);
        Attributes getKeys = new Attributes();
        getKeys.setString(Tag.QueryRetrieveLevel, VR.CS, "PATIENT");
        getKeys.setString(Tag.PatientID, VR.LO, "P1");
        rsp = as.cget(UID.StudyRootQueryRetrieveInformationModelGet, Commands.MEDIUM, getKeys, null).await();
        assertEquals(Status.Success, rsp.status());
        assertEquals(2, received.size());
        as.release();
        for (Path r : received) {
            Path original = scp.files.get(r.getFileName().toString());
            assertArrayEquals(Fixtures.datasetBytes(original), Fixtures.datasetBytes(r));
        }
    }

    /**
     * Matches at hand: their pending responses leave buffered, several in one socket write; each still arrives
     * whole and in order, then Success, and the association goes on (two C-FINDs in a row).
     */
    @Test
    void findWithMatchesAtHandAnswersEveryMatchInOrder() throws Exception {
        List<Path> files = new ArrayList<>();
        Files.createDirectories(tmp.resolve("in"));
        for (int i = 0; i < 40; i++) {
            Attributes ds = Fixtures.image(UID.CTImageStorage, "H" + i, "1.2.6." + i, "1.2.6." + i + ".1",
                    "1.2.6." + i + ".1.1", 4);
            ds.setString(Tag.StudyDescription, VR.LO, "d".repeat(60));
            files.add(Fixtures.write(tmp.resolve("in"), ds, UID.ExplicitVRLittleEndian));
        }
        DimseAssociation as = connect(rq().addContext(UID.CTImageStorage)
                .addContext(UID.StudyRootQueryRetrieveInformationModelFind), null);
        for (Path f : files) {
            assertEquals(Status.Success, as.cstore(f, Commands.MEDIUM).await().status());
        }
        scp.findAtHand = true;
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        keys.setNull(Tag.PatientID, VR.LO);
        for (int round = 0; round < 2; round++) {
            List<Attributes> matches = new CopyOnWriteArrayList<>();
            DimseResponse rsp = as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, Commands.MEDIUM, keys,
                    matches::add).await();
            assertEquals(Status.Success, rsp.status());
            assertEquals(40, matches.size());
            for (int i = 0; i < 40; i++) {
                assertEquals("1.2.6." + i, matches.get(i).getString(Tag.StudyInstanceUID));
                assertEquals("H" + i, matches.get(i).getString(Tag.PatientID));
            }
        }
        as.release();
    }

    @Test
    void cancelFind() throws Exception {
        List<Path> files = makeFiles(tmp.resolve("in"), 2);
        for (int i = 0; i < 20; i++) {
            Attributes ds = Fixtures.image(UID.CTImageStorage, "Q" + i, "1.2.5." + i, "1.2.5." + i + ".1",
                    "1.2.5." + i + ".1.1", 4);
            files.add(Fixtures.write(tmp.resolve("in"), ds, UID.ExplicitVRLittleEndian));
        }
        DimseAssociation as = connect(rq().addContext(UID.CTImageStorage).addContext(UID.MRImageStorage, Fixtures.SYNTAXES)
                .addContext(UID.StudyRootQueryRetrieveInformationModelFind), null);
        for (Path f : files) {
            as.cstore(f, Commands.MEDIUM).await();
        }
        scp.findDelayMillis = 50;
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        List<Attributes> matches = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
        DimseFuture f = as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, Commands.MEDIUM, keys, m -> {
            matches.add(m);
            first.countDown();
        });
        assertTrue(first.await(10, java.util.concurrent.TimeUnit.SECONDS));
        f.cancelOperation();
        assertEquals(Status.Cancel, f.await().status());
        assertTrue(matches.size() < 22, "matches " + matches.size());
        // the association is still usable
        scp.findDelayMillis = 0;
        assertEquals(22, as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, keys).size());
        as.release();
    }

    @Test
    void hostileAndFailingRequests() throws Exception {
        DimseAssociation as = connect(rq().addVerification().addContext(UID.CTImageStorage)
                .addContext(TestScp.UNKNOWN_CLASS).addContext(TestScp.BROKEN_CLASS)
                .addContext(TestScp.NO_SERVICE_CLASS), null);
        // unknown SOP class: the presentation context is rejected with result 3
        assertEquals(PresentationContextAC.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                as.association().presentationContext(5).result());
        assertThrows(NoPresentationContextException.class, () -> as.cstore(TestScp.UNKNOWN_CLASS, "1.2", 0,
                (out, ts) -> out.write(new byte[8]), null));
        // garbage data set: a failure status, not a crash
        byte[] garbage = {0x08, 0x00, 0x16, 0x00, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F, 1, 2, 3, 4};
        DimseResponse rsp = as.cstore(UID.CTImageStorage, "1.2.3.garbage", 0, (out, ts) -> out.write(garbage), null)
                .await();
        assertTrue(Status.isFailure(rsp.status()), rsp.toString());
        assertEquals(Status.CannotUnderstand, rsp.status());
        // a handler throwing a RuntimeException: 0110, and the association goes on
        rsp = as.invoke(7, Commands.nRQ(Dimse.N_ACTION_RQ, 0, TestScp.BROKEN_CLASS, "1.2.3", false), null, null)
                .await();
        assertEquals(Status.ProcessingFailure, rsp.status());
        assertEquals("broken on purpose", rsp.errorComment());
        assertEquals(Status.Success, as.cecho().status());
        // accepted in negotiation, but no service registered: 0122
        rsp = as.invoke(9, Commands.nRQ(Dimse.N_ACTION_RQ, 0, TestScp.NO_SERVICE_CLASS, "1.2.3", false), null, null)
                .await();
        assertEquals(Status.SOPClassNotSupported, rsp.status());
        as.release();
        // and the server keeps serving
        DimseAssociation as2 = connect(rq().addVerification(), null);
        assertEquals(Status.Success, as2.cecho().status());
        as2.release();
    }

    @Test
    void responseTimeout() throws Exception {
        DimseAssociation as = connect(rq().addVerification().addContext(TestScp.SLOW_CLASS), null);
        as.setResponseTimeout(300);
        DimseFuture f = as.invoke(3, Commands.nRQ(Dimse.N_ACTION_RQ, 0, TestScp.SLOW_CLASS, "1.2", false), null,
                null);
        IOException e = assertThrows(IOException.class, f::await);
        assertTrue(e.getCause() instanceof DimseTimeoutException, e.toString());
        // the peer still performs the operation: the association is aborted
        assertTrue(as.association().awaitClose(5, java.util.concurrent.TimeUnit.SECONDS));
        assertFalse(as.isOpen());
    }

    @Test
    void windowIsEnforcedForOurRequests() throws Exception {
        DimseAssociation as = connect(rq().addVerification().addContext(TestScp.SLOW_CLASS), null);
        assertEquals(1, as.maxOperationsInvoked());
        DimseFuture slow = as.invoke(3, Commands.nRQ(Dimse.N_ACTION_RQ, 0, TestScp.SLOW_CLASS, "1.2", false), null,
                null);
        as.setResponseTimeout(200);
        IOException e = assertThrows(IOException.class, as::cecho);
        assertTrue(e.getMessage().contains("window"), e.getMessage());
        assertEquals(Status.Success, slow.await().status());
        assertEquals(Status.Success, as.cecho().status());
        as.release();
    }

    @Test
    void peerExceedingTheWindowIsAborted() throws Exception {
        org.mosaicpacs.dicom.net.Association raw = org.mosaicpacs.dicom.net.Association.connect(new Connection(),
                new Connection("127.0.0.1", scp.port()), rq().addContext(TestScp.SLOW_CLASS).build(),
                (a, pcid, command, last, fragment) -> { }, executor, scheduler);
        closeables.add(raw::abort);
        raw.sendMessage(1, new java.io.ByteArrayInputStream(Commands.encode(
                Commands.nRQ(Dimse.N_ACTION_RQ, 1, TestScp.SLOW_CLASS, "1.2", false))), null);
        raw.sendMessage(1, new java.io.ByteArrayInputStream(Commands.encode(
                Commands.nRQ(Dimse.N_ACTION_RQ, 2, TestScp.SLOW_CLASS, "1.2", false))), null);
        assertTrue(raw.awaitClose(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(raw.closeCause() instanceof org.mosaicpacs.dicom.net.AssociationAbortedException,
                String.valueOf(raw.closeCause()));
    }

    @Test
    void largeInstanceIsStreamedAndReleaseWaitsForOutstandingResponses() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path big = Fixtures.write(in, Fixtures.image(UID.CTImageStorage, "BIG", "1.2.7", "1.2.7.1", "1.2.7.1.1",
                8192), UID.ExplicitVRLittleEndian);
        assertTrue(Files.size(big) > 1_000_000);
        DimseAssociation as = connect(rq().addContext(UID.CTImageStorage).asyncOperationsWindow(2, 1), null);
        DimseFuture f = as.cstore(big, Commands.MEDIUM);
        as.release();  // waits for the C-STORE-RSP first
        assertTrue(f.isDone());
        assertEquals(Status.Success, f.await().status());
        assertArrayEquals(Fixtures.datasetBytes(big), Fixtures.datasetBytes(scp.files.get("1.2.7.1.1")));
    }

    @Test
    void storageContextsForFiles() throws Exception {
        List<Path> files = makeFiles(tmp.resolve("in"), 8);
        AssociateRQBuilder rq = rq().addStorageContexts(files);
        // CT: Implicit LE, Explicit BE, fallback; MR: Explicit LE, Deflated, fallback
        assertEquals(6, rq.size());
        DimseAssociation as = connect(rq, null);
        for (Path f : files) {
            assertEquals(Status.Success, as.cstore(f, Commands.MEDIUM).await().status());
        }
        as.release();
        for (Path f : files) {
            Path stored = scp.files.get(Fixtures.read(f).getString(Tag.SOPInstanceUID));
            assertEquals(Fixtures.transferSyntax(f), Fixtures.transferSyntax(stored));
        }
    }

    @Test
    void abortInTheMiddleOfADataSetLeavesNoPartFile() throws Exception {
        org.mosaicpacs.dicom.net.Association raw = org.mosaicpacs.dicom.net.Association.connect(new Connection(),
                new Connection("127.0.0.1", scp.port()), rq().addContext(UID.CTImageStorage).build(),
                (a, pcid, command, last, fragment) -> { }, executor, scheduler);
        closeables.add(raw::abort);
        org.mosaicpacs.dicom.net.MessageWriter w = raw.beginMessage(1);
        w.command().write(Commands.encode(Commands.cstoreRQ(1, UID.CTImageStorage, "1.2.3.cut", 0)));
        java.io.OutputStream data = w.dataSet();
        data.write(new byte[100_000]);
        data.flush();
        Path spool = tmp.resolve("scp").resolve("spool");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!(Files.isDirectory(spool) && hasPart(spool)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(hasPart(spool), "the data set is being spooled");
        raw.abort();
        deadline = System.nanoTime() + 5_000_000_000L;
        while (hasPart(spool) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(hasPart(spool), "the .part file is removed");
        DimseAssociation as = connect(rq().addVerification(), null);
        assertEquals(Status.Success, as.cecho().status());
        as.release();
    }

    private static boolean hasPart(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.toString().endsWith(".part"));
        }
    }

    @Test
    void concurrentAssociations() throws Exception {
        List<Path> files = makeFiles(tmp.resolve("in"), 8);
        List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            for (int c = 0; c < 4; c++) {
                List<Path> mine = files.subList(2 * c, 2 * c + 2);
                results.add(clients.submit(() -> {
                    DimseAssociation as = connect(rq().addStorageContexts(mine), null);
                    int ok = 0;
                    for (Path f : mine) {
                        ok += as.cstore(f, Commands.MEDIUM).await().status() == Status.Success ? 1 : 0;
                    }
                    as.release();
                    return ok;
                }));
            }
            int ok = 0;
            for (java.util.concurrent.Future<Integer> r : results) {
                ok += r.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertEquals(8, ok);
            assertEquals(8, scp.files.size());
        } finally {
            clients.shutdownNow();
        }
    }
}
