package org.mosaicpacs.dimse.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.api.ae.ServiceClassUser.StoreResult;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.deidentify.internal.AnnexEDeidentifier;
import org.mosaicpacs.deidentify.internal.MappingStore;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;

/**
 * {@code ServiceClassUser.send}: archived instances go from the real file storage (Derby index, ingest) to
 * DCMTK's storescp on one association, read from the backend while sent. To an AE marked {@code
 * deidentifyOnRetrieve} they go de-identified (the real Annex E engine), and nothing at all without the
 * de-identifier; an instance whose storage is gone is reported and the others still go; an unreachable AE
 * is an {@link java.io.IOException}.
 */
class SendArchivedTest {

    static final String STUDY = "1.2.826.0.1.3680043.10.543.7101";
    static final String SERIES = STUDY + ".1";
    static final String NAME = "Forwardee^Priscilla";
    static final String PATIENT_ID = "PID-FWD-4711";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path temp;

    RealArchive archive;
    Requester requester;
    Process storescp;
    int port;
    final AtomicReference<Deidentifier> deidentifier = new AtomicReference<>();
    List<InstanceLocation> stored;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(TestArchive.tool("storescp") && TestArchive.tool("dcmdump"), "DCMTK is not installed");
        archive = new RealArchive(temp.resolve("archive"));
        for (int i = 1; i <= 3; i++) {
            Attributes ds = RealArchive.image(STUDY, SERIES, SERIES + "." + i);
            ds.setString(Tag.PatientName, VR.PN, NAME);
            ds.setString(Tag.PatientID, VR.LO, PATIENT_ID);
            ds.setString(Tag.InstitutionName, VR.LO, "Forward General");
            Path f = RealArchive.write(temp.resolve("originals"), ds);
            assertTrue(archive.ingest.ingest(f, new Origin("MODALITY", "MOSAIC", "")).outcome().isAcknowledged());
        }
        stored = archive.index.locate(STUDY, null, null);
        assertEquals(3, stored.size());
        Path spool = Files.createDirectories(temp.resolve("spool"));
        requester = new Requester("MOSAIC", () -> archive.remoteAEs, null, List.of("TLSv1.3"), 20_000,
                archive.backends::get, deidentifier::get, spool);
        port = ArchiveRetrieveTest.freePort();
    }

    @AfterEach
    void stop() throws Exception {
        stopStorescp();
        if (requester != null) {
            requester.close();
        }
    }

    private Path startStorescp(String aet, String folder) throws Exception {
        Path received = Files.createDirectories(temp.resolve(folder));
        storescp = new ProcessBuilder("/usr/bin/storescp", "-aet", aet, "-od", received.toString(),
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(temp.resolve(folder + ".log").toFile())
                .start();
        ArchiveRetrieveTest.waitForPort(port);
        return received;
    }

    private void stopStorescp() throws InterruptedException {
        if (storescp != null) {
            storescp.destroy();
            if (!storescp.waitFor(10, TimeUnit.SECONDS)) {
                storescp.destroyForcibly();
            }
            storescp = null;
        }
    }

    private static List<Path> files(Path folder) throws Exception {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static Attributes dataset(Path f) throws Exception {
        try (DicomInputStream in = new DicomInputStream(f)) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    /** The real de-identifier of mosaic-deidentify with its mapping store in a Derby database of its own. */
    private static Deidentifier annexE() throws Exception {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName("memory:senddeid" + DATABASES.incrementAndGet());
        ds.setCreateDatabase("create");
        AnnexEDeidentifier d = new AnnexEDeidentifier();
        Method setStore = AnnexEDeidentifier.class.getDeclaredMethod("setStore", MappingStore.class);
        setStore.setAccessible(true);
        setStore.invoke(d, new MappingStore(ds));
        return d;
    }

    @Test
    void archivedInstancesArriveAsStoredWithTheirUids() throws Exception {
        archive.remoteAEs.add(new RemoteApplicationEntity("PEER", "127.0.0.1", port));
        Path received = startStorescp("PEER", "plain");
        List<StoreResult> results = requester.send("PEER", stored);
        assertEquals(3, results.size());
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 3; i++) {
            StoreResult r = results.get(i);
            assertTrue(r.isSuccess(), r.toString());
            assertNull(r.file());
            assertEquals(stored.get(i).sopInstanceUID(), r.sopInstanceUID());
            assertEquals(r.sopInstanceUID(), r.sentSOPInstanceUID());
            expected.add(r.sopInstanceUID());
        }
        List<Path> files = files(received);
        assertEquals(3, files.size(), files.toString());
        Set<String> got = new TreeSet<>();
        for (Path f : files) {
            String dump = RealArchive.run(60, null, "/usr/bin/dcmdump", "-q", f.toString());
            assertTrue(dump.contains(NAME), dump);
            got.add(dataset(f).getString(Tag.SOPInstanceUID));
        }
        assertEquals(expected, got);
        // the stored bytes went as they are: same data set as the archived object
        byte[] archived = RealArchive.read(archive.storage, stored.get(0).location().key());
        Path first = files.stream().filter(f -> {
            try {
                return dataset(f).getString(Tag.SOPInstanceUID).equals(stored.get(0).sopInstanceUID());
            } catch (Exception e) {
                return false;
            }
        }).findFirst().orElseThrow();
        Path copy = Files.write(temp.resolve("archived.dcm"), archived);
        assertEquals(dataset(copy).toString(), dataset(first).toString());
    }

    @Test
    void aMarkedAEReceivesOnlyDeidentifiedCopies() throws Exception {
        archive.remoteAEs.add(new RemoteApplicationEntity("RESEARCH", "127.0.0.1", port, false, "", "basic", ""));
        Path received = startStorescp("RESEARCH", "research");

        deidentifier.set(null);
        List<StoreResult> refused = requester.send("RESEARCH", stored);
        for (StoreResult r : refused) {
            assertEquals(StoreResult.NOT_SENT, r.status(), r.toString());
            assertNull(r.sentSOPInstanceUID());
            assertTrue(r.errorComment().contains("de-identified"), r.errorComment());
        }
        assertEquals(List.of(), files(received), "nothing identified reaches a marked AE without the de-identifier");

        deidentifier.set(annexE());
        List<StoreResult> results = requester.send("RESEARCH", stored);
        List<String> sent = new ArrayList<>();
        for (StoreResult r : results) {
            assertTrue(r.isSuccess(), r.toString());
            assertNotEquals(r.sopInstanceUID(), r.sentSOPInstanceUID());
            sent.add(r.sentSOPInstanceUID());
        }
        List<Path> files = files(received);
        assertEquals(3, files.size());
        Set<String> got = new TreeSet<>();
        for (Path f : files) {
            String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            for (String identifying : List.of("Forwardee", "Priscilla", PATIENT_ID, "Forward General", STUDY)) {
                assertFalse(bytes.contains(identifying), f + " holds " + identifying);
            }
            String dump = RealArchive.run(60, null, "/usr/bin/dcmdump", "-q", f.toString());
            assertTrue(dump.contains("(0012,0062) CS [YES]"), dump);
            got.add(dataset(f).getString(Tag.SOPInstanceUID));
        }
        assertEquals(new TreeSet<>(sent), got);
        assertEquals(List.of(), files(temp.resolve("spool")), "no de-identified copy is left in the spool");
    }

    @Test
    void anInstanceWithoutItsStorageIsReportedAndTheOthersGo() throws Exception {
        archive.remoteAEs.add(new RemoteApplicationEntity("PEER", "127.0.0.1", port));
        Path received = startStorescp("PEER", "partial");
        InstanceLocation gone = stored.get(1);
        InstanceLocation elsewhere = new InstanceLocation(gone.studyInstanceUID(), gone.seriesInstanceUID(),
                gone.sopInstanceUID(), gone.sopClassUID(), new StorageLocation("no-such-storage", gone.location().key(),
                UID.ExplicitVRLittleEndian, 0, ""), gone.received());
        List<StoreResult> results = requester.send("PEER", List.of(stored.get(0), elsewhere, stored.get(2)));
        assertTrue(results.get(0).isSuccess());
        assertEquals(StoreResult.NOT_SENT, results.get(1).status());
        assertTrue(results.get(1).errorComment().contains("no-such-storage"), results.get(1).errorComment());
        assertTrue(results.get(2).isSuccess());
        assertEquals(2, files(received).size());
    }

    @Test
    void anUnreachableOrUnknownAEIsAnError() throws Exception {
        archive.remoteAEs.add(new RemoteApplicationEntity("DOWN", "127.0.0.1", port));
        assertThrows(java.io.IOException.class, () -> requester.send("DOWN", stored));
        assertThrows(IllegalArgumentException.class, () -> requester.send("NOBODY", stored));
    }
}
