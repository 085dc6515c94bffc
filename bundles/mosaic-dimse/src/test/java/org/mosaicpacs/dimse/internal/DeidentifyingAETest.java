package org.mosaicpacs.dimse.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.deidentify.internal.AnnexEDeidentifier;
import org.mosaicpacs.deidentify.internal.MappingStore;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;

/**
 * Remote AEs marked for de-identification, with the real archive (Derby index, file storage, ingest) and the
 * real Annex E engine of mosaic-deidentify (with its Derby mapping store): DCMTK's getscu and movescu to
 * storescp receive de-identified instances for a marked AE and the originals for another; storescu from a
 * marked calling AE stores only a de-identified copy; without the de-identifier (or with an unknown profile)
 * nothing is sent and nothing is stored.
 */
class DeidentifyingAETest {

    static final String STUDY = "1.2.826.0.1.3680043.10.543.7001";
    static final String SERIES = STUDY + ".1";
    static final String NAME = "Secretname^Patricia";
    static final String PATIENT_ID = "PID-SECRET-7";
    static final String STORE_STUDY = "1.2.826.0.1.3680043.10.543.7002";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path temp;

    RealArchive archive;
    ArchiveAE ae;
    Process storescp;
    final AtomicReference<Deidentifier> deidentifier = new AtomicReference<>();
    final List<String> originalUids = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(TestArchive.tool("getscu") && TestArchive.tool("movescu") && TestArchive.tool("storescp")
                && TestArchive.tool("storescu") && TestArchive.tool("dcmdump"), "DCMTK is not installed");
        archive = new RealArchive(temp.resolve("archive"));
        for (int i = 1; i <= 2; i++) {
            Attributes ds = image(STUDY, SERIES, SERIES + "." + i);
            originalUids.add(SERIES + "." + i);
            Path f = RealArchive.write(temp.resolve("originals"), ds);
            assertTrue(archive.ingest.ingest(f, new Origin("MODALITY", "MOSAIC", "")).outcome().isAcknowledged());
        }
        deidentifier.set(annexE());
        ae = new ArchiveAE(archive.settings(Map.of()), NetworkSettings.DEFAULT, () -> archive.ingest,
                () -> archive.index, archive.backends::get, () -> archive.remoteAEs, deidentifier::get);
    }

    @AfterEach
    void stop() throws Exception {
        if (storescp != null) {
            storescp.destroy();
            if (!storescp.waitFor(10, TimeUnit.SECONDS)) {
                storescp.destroyForcibly();
            }
        }
        if (ae != null) {
            ae.close();
        }
    }

    /** The real de-identifier of mosaic-deidentify with its mapping store in a Derby database of its own. */
    private static Deidentifier annexE() throws Exception {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName("memory:deid" + DATABASES.incrementAndGet());
        ds.setCreateDatabase("create");
        AnnexEDeidentifier d = new AnnexEDeidentifier();
        Method setStore = AnnexEDeidentifier.class.getDeclaredMethod("setStore", MappingStore.class);
        setStore.setAccessible(true);
        setStore.invoke(d, new MappingStore(ds));
        return d;
    }

    static Attributes image(String study, String series, String iuid) {
        Attributes ds = RealArchive.image(study, series, iuid);
        ds.setString(Tag.PatientName, VR.PN, NAME);
        ds.setString(Tag.PatientID, VR.LO, PATIENT_ID);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19610214");
        ds.setString(Tag.InstitutionName, VR.LO, "Hospital Secretville");
        return ds;
    }

    private void mark(String aeTitle, int port, String onRetrieve, String onStore) {
        archive.remoteAEs.add(new RemoteApplicationEntity(aeTitle, "127.0.0.1", port, false, "", onRetrieve, onStore));
    }

    private String port() {
        return String.valueOf(ae.port());
    }

    private static List<Path> files(Path folder) throws Exception {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** No identifying value of the originals in the bytes, dcmdump reads it cleanly, and it says so. */
    private void assertDeidentified(List<Path> received) throws Exception {
        assertEquals(2, received.size(), "both instances arrived: " + received);
        Set<String> sops = new TreeSet<>();
        for (Path f : received) {
            String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            for (String identifying : List.of("Secretname", "Patricia", PATIENT_ID, "19610214", "Secretville", STUDY,
                    SERIES)) {
                assertFalse(bytes.contains(identifying), f + " holds " + identifying);
            }
            String dump = RealArchive.run(60, null, "/usr/bin/dcmdump", "-q", f.toString());
            assertTrue(dump.contains("(0012,0062) CS [YES]"), "Patient Identity Removed YES:\n" + dump);
            try (DicomInputStream in = new DicomInputStream(f)) {
                in.readFileMetaInformation();
                Attributes ds = in.readDataset();
                assertTrue(ds.getString(Tag.PatientID, "").startsWith("BASIC-"), "the pseudonym: " + ds);
                sops.add(ds.getString(Tag.SOPInstanceUID));
            }
        }
        assertEquals(2, sops.size());
        for (String uid : originalUids) {
            assertFalse(sops.contains(uid));
        }
    }

    private static void assertOriginals(List<Path> received) throws Exception {
        assertEquals(2, received.size(), "both instances arrived: " + received);
        for (Path f : received) {
            String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertTrue(bytes.contains("Secretname^Patricia") && bytes.contains(PATIENT_ID) && bytes.contains(STUDY),
                    "an unmarked AE gets the original " + f);
        }
    }

    private TestArchive.Result getscu(String aet, Path out) throws Exception {
        Files.createDirectories(out);
        return TestArchive.run(120, "/usr/bin/getscu", "-S", "-aet", aet, "-aec", "MOSAIC", "-od", out.toString(),
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + STUDY, "127.0.0.1", port());
    }

    private void assertSpoolEmpty() throws Exception {
        assertEquals(List.of(), files(temp.resolve("archive/spool")), "no de-identified copy is left in the spool");
    }

    @Test
    void getscuOfAMarkedAEReceivesDeidentifiedInstancesAndAnUnmarkedOneTheOriginals() throws Exception {
        mark("RESEARCH", 11112, "basic", "");
        getscu("RESEARCH", temp.resolve("research"));
        assertDeidentified(files(temp.resolve("research")));
        getscu("VIEWER", temp.resolve("viewer"));
        assertOriginals(files(temp.resolve("viewer")));
        assertSpoolEmpty();
    }

    @Test
    void movescuToAMarkedDestinationDeliversDeidentifiedInstances() throws Exception {
        int port = ArchiveRetrieveTest.freePort();
        mark("RESEARCH", port, "basic", "");
        Path received = Files.createDirectories(temp.resolve("storescp"));
        storescp = new ProcessBuilder("/usr/bin/storescp", "-aet", "RESEARCH", "-od", received.toString(),
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(temp.resolve("storescp.log").toFile())
                .start();
        ArchiveRetrieveTest.waitForPort(port);
        TestArchive.Result r = TestArchive.run(120, "/usr/bin/movescu", "-S", "-aet", "VIEWER", "-aec", "MOSAIC",
                "-aem", "RESEARCH", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + STUDY, "127.0.0.1",
                port());
        assertEquals(0, r.exit(), r.output());
        assertDeidentified(files(received));

        // the same destination unmarked: the originals
        mark("RESEARCH", port, "", "");
        Path again = Files.createDirectories(temp.resolve("storescp2"));
        storescp.destroy();
        storescp.waitFor(10, TimeUnit.SECONDS);
        storescp = new ProcessBuilder("/usr/bin/storescp", "-aet", "RESEARCH", "-od", again.toString(),
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(temp.resolve("storescp2.log").toFile())
                .start();
        ArchiveRetrieveTest.waitForPort(port);
        TestArchive.run(120, "/usr/bin/movescu", "-S", "-aet", "VIEWER", "-aec", "MOSAIC", "-aem", "RESEARCH", "-k",
                "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + STUDY, "127.0.0.1", port());
        assertOriginals(files(again));
        assertSpoolEmpty();
    }

    @Test
    void retrievesOfAMarkedAEFailClosedWithoutTheDeidentifierOrWithAnUnknownProfile() throws Exception {
        mark("RESEARCH", 11112, "basic", "");
        mark("OTHER", 11113, "no-such-profile", "");
        deidentifier.set(null);
        TestArchive.Result r = getscu("RESEARCH", temp.resolve("without"));
        assertEquals(List.of(), files(temp.resolve("without")), "nothing is sent without the de-identifier");
        // A702 or B000, as getscu words it ("Refused: OutOfResourcesSubOperations" or "...OneOrMoreFailures")
        assertTrue(r.output().contains("OutOfResourcesSubOperations") || r.output().toLowerCase().contains("fail"),
                "getscu reports failed sub-operations:\n" + r.output());

        deidentifier.set(annexE());
        getscu("OTHER", temp.resolve("unknown"));
        assertEquals(List.of(), files(temp.resolve("unknown")), "nothing is sent with an unknown profile");
        assertSpoolEmpty();
    }

    private Path studyToStore() throws Exception {
        Path folder = temp.resolve("tostore");
        for (int i = 1; i <= 2; i++) {
            RealArchive.write(folder, image(STORE_STUDY, STORE_STUDY + ".1", STORE_STUDY + ".1." + i));
        }
        return folder;
    }

    private TestArchive.Result storescu(String aet, Path folder) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/storescu", "-v", "-aet", aet, "-aec", "MOSAIC",
                "127.0.0.1", port()));
        for (Path f : files(folder)) {
            cmd.add(f.toString());
        }
        return TestArchive.run(120, cmd.toArray(String[]::new));
    }

    /** The Study Instance UIDs of the archive's stored objects, read from the files of the storage. */
    private Set<String> storedStudies() throws Exception {
        Set<String> studies = new TreeSet<>();
        for (Path f : files(temp.resolve("archive/storage"))) {
            byte[] head = new byte[132];
            try (var in = Files.newInputStream(f)) {
                if (in.readNBytes(head, 0, 132) < 132 || !new String(head, 128, 4, StandardCharsets.US_ASCII)
                        .equals("DICM")) {
                    continue; // not a stored object (the backend's own files)
                }
            }
            try (DicomInputStream in = new DicomInputStream(f)) {
                in.readFileMetaInformation();
                studies.add(in.readDataset().getString(Tag.StudyInstanceUID));
            }
        }
        return studies;
    }

    @Test
    void storescuFromAMarkedCallingAEStoresOnlyADeidentifiedCopy() throws Exception {
        mark("SCANNER", 11114, "", "basic");
        Path folder = studyToStore();
        TestArchive.Result r = storescu("SCANNER", folder);
        assertEquals(0, r.exit(), r.output());
        assertTrue(archive.index.locate(STORE_STUDY, null, null).isEmpty(), "the original study is not indexed");
        Set<String> studies = storedStudies();
        studies.remove(STUDY);
        assertEquals(1, studies.size(), "one new, de-identified study: " + studies);
        String newStudy = studies.iterator().next();
        assertNotEquals(STORE_STUDY, newStudy);
        var located = archive.index.locate(newStudy, null, null);
        assertEquals(2, located.size(), "the de-identified copies are indexed");
        List<Path> stored = new ArrayList<>();
        for (var loc : located) {
            Path f = Files.createTempFile(temp, "stored-", ".dcm");
            Files.write(f, RealArchive.read(archive.storage, loc.location().key()));
            stored.add(f);
        }
        originalUids.clear();
        originalUids.add(STORE_STUDY + ".1.1");
        originalUids.add(STORE_STUDY + ".1.2");
        assertDeidentifiedStore(stored);
        assertSpoolEmpty();
    }

    private void assertDeidentifiedStore(List<Path> stored) throws Exception {
        for (Path f : stored) {
            String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            for (String identifying : List.of("Secretname", PATIENT_ID, "Secretville", STORE_STUDY)) {
                assertFalse(bytes.contains(identifying), f + " holds " + identifying);
            }
        }
    }

    @Test
    void storesOfAMarkedCallingAEAreRefusedWithoutTheDeidentifierOrWithAnUnknownProfile() throws Exception {
        mark("SCANNER", 11114, "", "basic");
        mark("SCANNER2", 11115, "", "no-such-profile");
        Path folder = studyToStore();
        Set<String> before = storedStudies();
        deidentifier.set(null);
        TestArchive.Result r = storescu("SCANNER", folder);
        assertTrue(r.output().contains("Out of Resources") || r.output().contains("A700")
                || r.output().contains("OutOfResources"), "storescu is told A700:\n" + r.output());
        assertEquals(before, storedStudies(), "nothing was stored");

        deidentifier.set(annexE());
        r = storescu("SCANNER2", folder);
        assertTrue(r.output().contains("0x110") || r.output().contains("Processing Failure")
                || r.output().contains("ProcessingFailure"), "storescu is told 0110:\n" + r.output());
        assertEquals(before, storedStudies(), "nothing was stored");
        assertTrue(archive.index.locate(STORE_STUDY, null, null).isEmpty());

        // unmarked, the same files are stored as they are
        storescu("MODALITY", folder);
        assertEquals(2, archive.index.locate(STORE_STUDY, null, null).size());
        assertSpoolEmpty();
    }
}
