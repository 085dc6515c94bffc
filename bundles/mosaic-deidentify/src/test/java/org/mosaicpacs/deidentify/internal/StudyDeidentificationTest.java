package org.mosaicpacs.deidentify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.archive.internal.ArchiveConfiguration;
import org.mosaicpacs.archive.internal.ArchiveIngestService;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/**
 * What mosaic:deidentify does, with the real parts: the Derby index and the mapping store in one in-memory
 * database, the file storage in a temporary folder and the real ingest pipeline of mosaic-archive.
 */
class StudyDeidentificationTest {

    @TempDir
    Path temp;

    private ArchiveIndex index;
    private StorageBackend storage;
    private IngestService ingest;
    private MappingStore store;
    private final Map<String, StorageBackend> backends = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        var db = Configs.memoryDatabase("archive");
        index = new DerbyArchiveIndex(db, Configs.config(DerbyIndexConfiguration.class, Map.of()));
        storage = new FsStorageBackend(Configs.config(FsStorageConfiguration.class,
                Map.of("root", temp.resolve("storage").toString(), "fsync", false)));
        backends.put(storage.id(), storage);
        ArchiveIngestService archive = new ArchiveIngestService(Configs.config(ArchiveConfiguration.class,
                Map.of("journalDirectory", temp.resolve("journal").toString())));
        Configs.bind(archive, "bindIndex", ArchiveIndex.class, index);
        Configs.bind(archive, "bindStorage", StorageBackend.class, storage);
        ingest = archive;
        store = new MappingStore(db);
    }

    private void receive(Attributes ds) throws Exception {
        IngestResult r = ingest.ingest(new ByteArrayInputStream(Part10PeerTest.part10(ds, UID.ExplicitVRLittleEndian)),
                new Origin("CT01", "MOSAIC", "127.0.0.1"));
        assertTrue(r.outcome().isAcknowledged(), r.outcome() + " " + r.message());
    }

    @Test
    void aDeidentifiedCopyIsANewStudyFindableAndRetrievable() throws Exception {
        String study = "1.2.826.0.1.3680043.2.1143.50";
        for (int i = 1; i <= 3; i++) {
            receive(EngineTest.image(study, study + ".1", study + ".1." + i));
        }
        AnnexEDeidentifier service = new AnnexEDeidentifier(store,
                new ProfileDefinition("research-a", new String[] {"RETAIN_LONGITUDINAL_MODIFIED_DATES"}, "", "", 10, 365,
                        new String[0], new String[0], true));
        StudyDeidentification job = new StudyDeidentification(index, backends::get, ingest, service);

        StudyDeidentification.Outcome o = job.deidentify(study, "research-a");
        assertEquals(List.of(), o.problems());
        assertEquals(3, o.copied());
        assertNotEquals(study, o.studyInstanceUID());

        List<InstanceLocation> copies = index.locate(o.studyInstanceUID(), null, null);
        assertEquals(3, copies.size(), "the copy is indexed");
        for (InstanceLocation l : copies) {
            try (InputStream in = storage.read(l.location().key()); DicomInputStream dis = new DicomInputStream(in)) {
                dis.readFileMetaInformation();
                Attributes ds = dis.readDataset();
                assertEquals("YES", ds.getString(Tag.PatientIdentityRemoved));
                assertTrue(ds.getString(Tag.PatientID).startsWith("RESEARCH-A-"));
                assertNotEquals("20210315", ds.getString(Tag.StudyDate));
            }
        }
        Attributes keys = new Attributes();
        keys.setString(Tag.PatientID, VR.LO, copies.isEmpty() ? "" : readPatientId(copies.get(0)));
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        List<String> found = new ArrayList<>();
        index.query(QueryRequest.of(QueryLevel.STUDY, keys), a -> found.add(a.getString(Tag.StudyInstanceUID)));
        assertEquals(List.of(o.studyInstanceUID()), found, "findable by its pseudonymous Patient ID");
        assertEquals(3, index.locate(study, null, null).size(), "the original study is untouched");

        StudyDeidentification.Outcome again = job.deidentify(study, "research-a");
        assertEquals(o.studyInstanceUID(), again.studyInstanceUID(), "the same project gives the same new study");
        assertEquals(3, index.locate(o.studyInstanceUID(), null, null).size(), "and no second copy");
        assertEquals(study, store.mappings("research-a", o.studyInstanceUID(), 10).get(0).original(),
                "the mapping store leads back to the original study");

        StudyDeidentification.Outcome missing = job.deidentify("1.2.3.999", "research-a");
        assertEquals(0, missing.copied());
        assertEquals(List.of("no such study in the archive"), missing.problems());
    }

    private String readPatientId(InstanceLocation l) throws Exception {
        try (InputStream in = storage.read(l.location().key()); DicomInputStream dis = new DicomInputStream(in)) {
            dis.readFileMetaInformation();
            return dis.readDataset().getString(Tag.PatientID);
        }
    }

    /** A DataSource whose commits fail while {@code fail} is set (a full disk, a lost database), as a crash would. */
    private static javax.sql.DataSource failingCommits(javax.sql.DataSource db, java.util.concurrent.atomic.AtomicBoolean fail) {
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(StudyDeidentificationTest.class.getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    Object r = invoke(method, db, args);
                    if (!(r instanceof java.sql.Connection c)) {
                        return r;
                    }
                    return java.lang.reflect.Proxy.newProxyInstance(StudyDeidentificationTest.class.getClassLoader(),
                            new Class<?>[] {java.sql.Connection.class}, (p2, m2, a2) -> {
                                if (m2.getName().equals("commit") && fail.get()) {
                                    throw new java.sql.SQLException("the database went away (test)");
                                }
                                return invoke(m2, c, a2);
                            });
                });
    }

    private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void aBatchWhoseMappingsAreNotCommittedStoresNoCopyAndTheNextRunGivesTheSameStudy() throws Exception {
        String study = "1.2.826.0.1.3680043.2.1143.51";
        for (int i = 1; i <= 3; i++) {
            receive(EngineTest.image(study, study + ".1", study + ".1." + i));
        }
        var db = Configs.memoryDatabase("mappings");
        java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean();
        MappingStore failing = new MappingStore(failingCommits(db, fail));
        ProfileDefinition def = new ProfileDefinition("research-b", new String[0], "", "", 10, 365, new String[0],
                new String[0], true);
        AnnexEDeidentifier service = new AnnexEDeidentifier(failing, def);
        service.profile("research-b"); // the project's secret is made and committed first
        fail.set(true);
        StudyDeidentification.Outcome o = new StudyDeidentification(index, backends::get, ingest, service)
                .deidentify(study, "research-b");
        assertEquals(0, o.copied(), "no copy without its mapping");
        assertEquals(3, o.problems().size(), o.problems().toString());
        assertTrue(o.problems().get(0).contains("mapping store failed"), o.problems().toString());
        List<String> studies = new ArrayList<>();
        Attributes keys = new Attributes();
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        index.query(QueryRequest.of(QueryLevel.STUDY, keys), a -> studies.add(a.getString(Tag.StudyInstanceUID)));
        assertEquals(List.of(study), studies, "nothing was stored");
        assertEquals(List.of(), new MappingStore(db).mappings("research-b", null, 100)
                .stream().filter(m -> m.kind().equals("uid")).toList(), "nothing was recorded");

        // restarted (a new store and service on the same database): the same UIDs, now recorded and stored
        fail.set(false);
        MappingStore restarted = new MappingStore(db);
        StudyDeidentification.Outcome again = new StudyDeidentification(index, backends::get, ingest,
                new AnnexEDeidentifier(restarted, def)).deidentify(study, "research-b");
        assertEquals(List.of(), again.problems());
        assertEquals(3, again.copied());
        for (InstanceLocation l : index.locate(again.studyInstanceUID(), null, null)) {
            assertEquals(l.sopInstanceUID().isEmpty(), false);
            assertEquals(1, restarted.mappings("research-b", l.sopInstanceUID(), 10).size(), "recorded");
        }
    }

    @Test
    void aBatchLostBeforeItsCommitGivesTheSameUIDsAfterARestart() throws Exception {
        var db = Configs.memoryDatabase("mappings");
        ProfileDefinition def = new ProfileDefinition("research-c", new String[0], "", "", 10, 365, new String[0],
                new String[0], true);
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            inputs.add(Part10PeerTest.part10(EngineTest.image("1.2.3.52", "1.2.3.52.1", "1.2.3.52.1." + i),
                    UID.ExplicitVRLittleEndian));
        }
        AnnexEDeidentifier first = new AnnexEDeidentifier(new MappingStore(db), def);
        AnnexEDeidentifier.Batch lost = first.batch("research-c");
        List<org.mosaicpacs.api.deidentify.DeidentifiedInstance> before = new ArrayList<>();
        for (byte[] in : inputs) {
            before.add(lost.deidentify(new ByteArrayInputStream(in), new java.io.ByteArrayOutputStream()));
        }
        assertEquals(5, lost.size());
        // the process dies here: no commit
        MappingStore restartedStore = new MappingStore(db);
        assertEquals(List.of(), restartedStore.mappings("research-c", null, 100).stream()
                .filter(m -> m.kind().equals("uid")).toList(), "a lost batch records nothing, not half of it");
        AnnexEDeidentifier.Batch batch = new AnnexEDeidentifier(restartedStore, def).batch("research-c");
        for (int i = 0; i < inputs.size(); i++) {
            var d = batch.deidentify(new ByteArrayInputStream(inputs.get(i)), new java.io.ByteArrayOutputStream());
            assertEquals(before.get(i), d, "the same UIDs as before the crash");
        }
        batch.commit();
        assertEquals(0, batch.size());
        for (var d : before) {
            assertEquals(d.originalSOPInstanceUID(), restartedStore.mappings("research-c", d.sopInstanceUID(), 10).get(0)
                    .original());
        }
        assertEquals("1.2.3.52", restartedStore.mappings("research-c", before.get(0).studyInstanceUID(), 10).get(0)
                .original());
    }
}
