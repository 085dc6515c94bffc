package org.mosaicpacs.dimse.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.CStoreSCP;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DicomServiceRegistry;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.DimseFuture;
import org.mosaicpacs.dicom.net.dimse.DimseResponse;
import org.mosaicpacs.dicom.net.dimse.Status;

/**
 * C-GET and C-MOVE of the archive AE with the Derby index and file storage behind it: objects are streamed
 * from storage (no retrieve copy in the spool), converted to a native syntax the peer accepted, a
 * compressed object the peer cannot take (here a stand-in JPEG stream that cannot be decoded; real ones are
 * decompressed, see {@link DecompressOnRetrieveTest}) fails alone, and C-CANCEL stops a C-GET. DCMTK's getscu, movescu
 * and storescp are the peers; pydicom compares what arrived with the originals (skipped without them).
 */
class ArchiveRetrieveTest {

    static final String STUDY = "1.2.826.0.1.3680043.9.7433.1";
    static final String SERIES = STUDY + ".1";
    static final String COMPARE = Path.of("src/test/resources/compare_datasets.py").toAbsolutePath().toString();

    @TempDir
    Path temp;

    TestArchive archive;
    Process storescp;
    final Map<String, Path> originals = new LinkedHashMap<>();
    String compressedUid;

    @AfterEach
    void stop() throws Exception {
        if (storescp != null) {
            storescp.destroy();
            storescp.waitFor(10, TimeUnit.SECONDS);
        }
        if (archive != null) {
            archive.close();
        }
    }

    /**
     * One study of five: Explicit LE, Explicit BE, Deflated, Implicit LE, and one in JPEG Baseline whose stream
     * is a stand-in that no decoder can decode (it can be sent only as stored).
     */
    private void studyInEverySyntax(Map<String, Connection> destinations) throws Exception {
        archive = new TestArchive(temp.resolve("archive"), 100, destinations);
        String[] syntaxes = {UID.ExplicitVRLittleEndian, UID.ExplicitVRBigEndian, UID.DeflatedExplicitVRLittleEndian,
            UID.ImplicitVRLittleEndian};
        for (int i = 0; i < syntaxes.length; i++) {
            String iuid = SERIES + "." + (i + 1);
            originals.put(iuid, archive.put(TestArchive.image("P1", "Doe^Jane", STUDY, SERIES, iuid, i + 1),
                    syntaxes[i]));
        }
        compressedUid = SERIES + ".5";
        archive.put(TestArchive.encapsulated(TestArchive.image("P1", "Doe^Jane", STUDY, SERIES, compressedUid, 5)),
                UID.JPEGBaseline8Bit);
    }

    private static void assumeTools(String... tools) {
        for (String t : tools) {
            assumeTrue(TestArchive.tool(t), t + " is not installed");
        }
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
    }

    /** Each received file is in the one syntax the peer accepted and, compared by pydicom, equal to its original. */
    private void assertConvertedCopiesOfTheNativeOriginals(Path folder, String tsuid) throws Exception {
        List<Path> got;
        try (Stream<Path> s = Files.list(folder)) {
            got = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertEquals(4, got.size(), "the four native instances, not the compressed one: " + got);
        for (Path g : got) {
            Attributes fmi;
            String iuid;
            try (DicomInputStream in = new DicomInputStream(g)) {
                fmi = in.readFileMetaInformation();
                iuid = fmi.getString(Tag.MediaStorageSOPInstanceUID);
            }
            assertEquals(tsuid, fmi.getString(Tag.TransferSyntaxUID), g.toString());
            Path original = originals.get(iuid);
            TestArchive.Result r = TestArchive.run(60, "/usr/bin/python3", COMPARE, original.toString(), g.toString());
            assertEquals(0, r.exit(), "pydicom finds differences for " + iuid + ":\n" + r.output());
        }
    }

    private void assertNoRetrieveCopies() throws IOException {
        try (Stream<Path> s = Files.list(temp.resolve("archive/spool"))) {
            assertEquals(List.of(), s.toList(), "a retrieve leaves nothing in the spool");
        }
    }

    @Test
    void getscuAcceptingOneSyntaxGetsEveryNativeSyntaxConverted() throws Exception {
        assumeTools("getscu");
        studyInEverySyntax(Map.of());
        Path out = Files.createDirectories(temp.resolve("get"));
        // getscu 3.6.7's "+xi" proposes Explicit VR LE alone for the storage classes (not Implicit as its help
        // says): one accepted syntax all the same, so Implicit, Big Endian and Deflated must be converted
        TestArchive.Result r = TestArchive.run(120, "/usr/bin/getscu", "-S", "+xi", "-aec", "MOSAIC", "-od",
                out.toString(), "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + STUDY, "127.0.0.1",
                String.valueOf(archive.port()));
        assertConvertedCopiesOfTheNativeOriginals(out, UID.ExplicitVRLittleEndian);
        // getscu words it "1 Failed", "... failed" or (final status B000) "...OneOrMoreFailures"
        assertTrue(r.output().contains("1 Failed") || r.output().toLowerCase().contains("failed")
                || r.output().toLowerCase().contains("failures"),
                "getscu reports the failed sub-operation:\n" + r.output());
        assertNoRetrieveCopies();
    }

    @Test
    void movescuToStorescpAcceptingOnlyImplicit() throws Exception {
        assumeTools("movescu", "storescp");
        int port = freePort();
        studyInEverySyntax(Map.of("STORESCP", new Connection("127.0.0.1", port)));
        Path received = Files.createDirectories(temp.resolve("storescp"));
        storescp = new ProcessBuilder("/usr/bin/storescp", "+xi", "-aet", "STORESCP", "-od", received.toString(),
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(temp.resolve("storescp.log").toFile())
                .start();
        waitForPort(port);
        TestArchive.run(120, "/usr/bin/movescu", "-S", "-aec", "MOSAIC", "-aem", "STORESCP", "-k",
                "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + STUDY, "127.0.0.1",
                String.valueOf(archive.port()));
        assertConvertedCopiesOfTheNativeOriginals(received, UID.ImplicitVRLittleEndian);
        assertNoRetrieveCopies();

        // the same C-MOVE from our SCU, for the counts and the failed instance the final response names
        try (DimseAssociation as = connect(new AssociateRQBuilder("MOSAIC", "SCU")
                .addContext(UID.StudyRootQueryRetrieveInformationModelMove), null)) {
            DimseResponse rsp = as.cmove(UID.StudyRootQueryRetrieveInformationModelMove, Commands.MEDIUM,
                    studyKeys(), "STORESCP", null).await();
            assertEquals(Status.OneOrMoreFailures, rsp.status());
            assertEquals(4, rsp.command().getInt(Tag.NumberOfCompletedSuboperations, -1));
            assertEquals(1, rsp.command().getInt(Tag.NumberOfFailedSuboperations, -1));
            assertArrayEquals(new String[] {compressedUid}, rsp.dataset().getStrings(Tag.FailedSOPInstanceUIDList));
        }
    }

    @Test
    void cGetSendsTheStoredSyntaxWhenAcceptedAndFailsOnlyWhatCannotBeSent() throws Exception {
        studyInEverySyntax(Map.of());
        Map<String, String> received = new ConcurrentHashMap<>();
        DicomServiceRegistry registry = new DicomServiceRegistry().add(new CStoreSCP(
                Files.createDirectories(temp.resolve("scu-spool"))) {
            @Override
            protected int store(DimseAssociation as, int pcid, Attributes rq, Path part, String ts) {
                received.put(rq.getString(Tag.AffectedSOPInstanceUID), ts);
                return Status.Success;
            }
        });
        // Big Endian and Explicit LE proposed on one context each, as a workstation might
        AssociateRQBuilder rq = new AssociateRQBuilder("MOSAIC", "SCU")
                .addContext(UID.StudyRootQueryRetrieveInformationModelGet)
                .addStorageForGet(UID.CTImageStorage, UID.ExplicitVRBigEndian)
                .addStorageForGet(UID.CTImageStorage, UID.ExplicitVRLittleEndian);
        try (DimseAssociation as = connect(rq, registry)) {
            DimseResponse rsp = as.cget(UID.StudyRootQueryRetrieveInformationModelGet, Commands.MEDIUM, studyKeys(),
                    null).await();
            assertEquals(Status.OneOrMoreFailures, rsp.status());
            assertArrayEquals(new String[] {compressedUid}, rsp.dataset().getStrings(Tag.FailedSOPInstanceUIDList));
        }
        assertEquals(UID.ExplicitVRLittleEndian, received.get(SERIES + ".1"));
        assertEquals(UID.ExplicitVRBigEndian, received.get(SERIES + ".2"), "stored BE and accepted: sent as is");
        assertEquals(UID.ExplicitVRLittleEndian, received.get(SERIES + ".3"), "Deflated not accepted: Explicit LE");
        assertEquals(UID.ExplicitVRLittleEndian, received.get(SERIES + ".4"), "Implicit not accepted: Explicit LE");
        assertEquals(4, received.size());
    }

    @Test
    void aMissingObjectFailsItsSubOperationAndTheOthersGoOn() throws Exception {
        studyInEverySyntax(Map.of());
        // the stored object of instance 2 disappears behind the index's back
        try (Stream<Path> files = Files.walk(temp.resolve("archive/storage"))) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            for (Path p : all) {
                try (InputStream in = Files.newInputStream(p)) {
                    if (new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1)
                            .contains(SERIES + ".2")) {
                        Files.delete(p);
                    }
                }
            }
        }
        Map<String, String> received = new ConcurrentHashMap<>();
        DicomServiceRegistry registry = new DicomServiceRegistry().add(new CStoreSCP(
                Files.createDirectories(temp.resolve("scu-spool"))) {
            @Override
            protected int store(DimseAssociation as, int pcid, Attributes rq, Path part, String ts) {
                received.put(rq.getString(Tag.AffectedSOPInstanceUID), ts);
                return Status.Success;
            }
        });
        AssociateRQBuilder rq = new AssociateRQBuilder("MOSAIC", "SCU").addVerification()
                .addContext(UID.StudyRootQueryRetrieveInformationModelGet)
                .addStorageForGet(UID.CTImageStorage, UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian)
                .addStorageForGet(UID.CTImageStorage, UID.JPEGBaseline8Bit);
        try (DimseAssociation as = connect(rq, registry)) {
            DimseResponse rsp = as.cget(UID.StudyRootQueryRetrieveInformationModelGet, Commands.MEDIUM, studyKeys(),
                    null).await();
            assertEquals(Status.OneOrMoreFailures, rsp.status());
            assertArrayEquals(new String[] {SERIES + ".2"}, rsp.dataset().getStrings(Tag.FailedSOPInstanceUIDList));
            assertEquals(4, rsp.command().getInt(Tag.NumberOfCompletedSuboperations, -1));
            assertEquals(Status.Success, as.cecho().status(), "the association is still usable");
        }
        assertEquals(UID.JPEGBaseline8Bit, received.get(compressedUid), "accepted compressed: sent as stored");
        assertEquals(4, received.size());
    }

    @Test
    void cCancelStopsACGetBeforeTheNextSubOperation() throws Exception {
        studyInEverySyntax(Map.of());
        CompletableFuture<DimseFuture> get = new CompletableFuture<>();
        List<String> received = new ArrayList<>();
        DicomServiceRegistry registry = new DicomServiceRegistry().add(new CStoreSCP(
                Files.createDirectories(temp.resolve("scu-spool"))) {
            @Override
            protected int store(DimseAssociation as, int pcid, Attributes rq, Path part, String ts)
                    throws IOException {
                synchronized (received) {
                    received.add(rq.getString(Tag.AffectedSOPInstanceUID));
                    if (received.size() == 1) {
                        // the C-CANCEL-RQ goes out before this C-STORE-RSP: the SCP sees it before the next one
                        get.join().cancelOperation();
                    }
                }
                return Status.Success;
            }
        });
        AssociateRQBuilder rq = new AssociateRQBuilder("MOSAIC", "SCU")
                .addContext(UID.StudyRootQueryRetrieveInformationModelGet)
                .addStorageForGet(UID.CTImageStorage, UID.ExplicitVRLittleEndian);
        try (DimseAssociation as = connect(rq, registry)) {
            DimseFuture f = as.cget(UID.StudyRootQueryRetrieveInformationModelGet, Commands.MEDIUM, studyKeys(), null);
            get.complete(f);
            DimseResponse rsp = f.await();
            assertEquals(Status.Cancel, rsp.status());
            assertEquals(1, rsp.command().getInt(Tag.NumberOfCompletedSuboperations, -1));
            assertEquals(4, rsp.command().getInt(Tag.NumberOfRemainingSuboperations, -1));
        }
        assertEquals(1, received.size());
    }

    private DimseAssociation connect(AssociateRQBuilder rq, DicomServiceRegistry registry) throws IOException {
        return DimseAssociation.connect(new Connection().setResponseTimeout(60_000), archive.remote(), rq.build(),
                registry, archive.executor, archive.scheduler);
    }

    private static Attributes studyKeys() {
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        return keys;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits (bounded) until something listens on the port: storescp takes a moment to start. */
    static void waitForPort(int port) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("nothing listens on " + port);
    }
}
