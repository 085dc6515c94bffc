package org.mosaicpacs.archive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.event.InstanceStored;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestResult.Outcome;
import org.mosaicpacs.api.ingest.InstanceStoredListener;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/** The pipeline with the real Derby index (in memory) and the real file storage (in a temp folder). */
class IngestPipelineTest {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Origin ORIGIN = new Origin("MODALITY", "MOSAIC", "127.0.0.1");

    @TempDir
    Path temp;

    private EmbeddedDataSource dataSource;
    private ArchiveIndex index;
    private StorageBackend storage;
    private Path storageRoot;
    private final Map<String, StorageBackend> backends = new HashMap<>();
    private final List<InstanceStored> events = new CopyOnWriteArrayList<>();
    private final Collection<InstanceStoredListener> listeners = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:archive" + DATABASES.incrementAndGet());
        dataSource.setCreateDatabase("create");
        index = new DerbyArchiveIndex(dataSource, config(DerbyIndexConfiguration.class, Map.of()));
        storageRoot = temp.resolve("storage");
        storage = new FsStorageBackend(config(FsStorageConfiguration.class,
                Map.of("root", storageRoot.toString(), "fsync", false)));
        backends.put(storage.id(), storage);
        listeners.add(events::add);
    }

    private IngestPipeline pipeline(DuplicatePolicy policy, String... coercions) throws IOException {
        return new IngestPipeline(new IngestPipeline.Settings("default", policy, true, Coercion.parseAll(coercions)),
                () -> index, backends::get, () -> listeners, new IngestJournal(temp.resolve("journal")));
    }

    @Test
    void storesIndexesAndPublishes() throws Exception {
        Path file = file("1.2.3.1", "1.2.3.1.1", "1.2.3.1.1.1", UID.ExplicitVRLittleEndian);
        listeners.add(e -> {
            throw new IllegalStateException("a failing listener");
        });
        IngestResult result = pipeline(DuplicatePolicy.KEEP_FIRST).ingest(file, ORIGIN);
        assertEquals(Outcome.STORED, result.outcome(), result.message());
        assertEquals(1, storedObjects());
        assertEquals(1, index.locate("1.2.3.1", null, null).size());
        assertEquals(1, events.size());
        assertEquals("MODALITY", events.get(0).callingAETitle());
        try (InputStream in = storage.read(result.instance().orElseThrow().location().key())) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(file), in.readAllBytes()), "stored as received");
        }
        assertTrue(journalEmpty());
    }

    @Test
    void duplicatesFollowThePolicy() throws Exception {
        Path file = file("1.2.3.2", "1.2.3.2.1", "1.2.3.2.1.1", UID.ImplicitVRLittleEndian);
        assertEquals(Outcome.STORED, pipeline(DuplicatePolicy.KEEP_FIRST).ingest(file, ORIGIN).outcome());
        assertEquals(Outcome.KEPT_FIRST, pipeline(DuplicatePolicy.KEEP_FIRST).ingest(file, ORIGIN).outcome());
        assertEquals(Outcome.REJECTED_DUPLICATE, pipeline(DuplicatePolicy.REJECT).ingest(file, ORIGIN).outcome());
        assertEquals(1, storedObjects(), "the discarded copies are deleted");
        assertEquals(Outcome.REPLACED, pipeline(DuplicatePolicy.REPLACE).ingest(file, ORIGIN).outcome());
        assertEquals(1, storedObjects(), "the replaced copy is deleted");
        assertEquals(2, events.size(), "stored and replaced are published");
    }

    @Test
    void aFailingIndexLeavesNoStoredObject() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DROP TABLE instance");
        }
        Path file = file("1.2.3.3", "1.2.3.3.1", "1.2.3.3.1.1", UID.ExplicitVRLittleEndian);
        IngestResult result = pipeline(DuplicatePolicy.KEEP_FIRST).ingest(file, ORIGIN);
        assertEquals(Outcome.PROCESSING_FAILURE, result.outcome(), result.message());
        assertEquals(0, storedObjects());
        assertTrue(journalEmpty());
        assertTrue(events.isEmpty());
    }

    /**
     * Concurrent ingests into one study (their index stores committed in groups when they meet): every
     * acknowledged instance is stored and indexed; the one the index refuses (a constraint added for the test)
     * fails, and leaves neither its object nor its intent, without failing the instances committed beside it.
     */
    @Test
    void concurrentIngestsAreAllIndexedAndARefusedOneLeavesNothing() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE instance ADD CONSTRAINT test_refused CHECK (sop_iuid <> '1.2.3.9.1.17')");
        }
        IngestPipeline pipeline = pipeline(DuplicatePolicy.REJECT);
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            files.add(file("1.2.3.9", "1.2.3.9.1", "1.2.3.9.1." + i, UID.ExplicitVRLittleEndian));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        Map<String, IngestResult> results = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (Path f : files) {
                runs.add(pool.submit(() -> {
                    try (InputStream in = Files.newInputStream(f)) {
                        results.put(f.getFileName().toString(), pipeline.ingest(in, ORIGIN));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> r : runs) {
                r.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (Map.Entry<String, IngestResult> e : results.entrySet()) {
            Outcome expected = e.getKey().equals("1.2.3.9.1.17.dcm") ? Outcome.PROCESSING_FAILURE : Outcome.STORED;
            assertEquals(expected, e.getValue().outcome(), e.getKey() + ": " + e.getValue().message());
        }
        assertEquals(40, results.size());
        assertEquals(39, index.locate("1.2.3.9", null, null).size());
        assertEquals(39, storedObjects(), "the refused instance's object is deleted");
        assertEquals(39, events.size());
        assertTrue(journalEmpty());
    }

    @Test
    void aMissingStorageBackendIsAFailureStatus() throws Exception {
        backends.clear();
        Path file = file("1.2.3.4", "1.2.3.4.1", "1.2.3.4.1.1", UID.ExplicitVRLittleEndian);
        IngestResult result = pipeline(DuplicatePolicy.KEEP_FIRST).ingest(file, ORIGIN);
        assertEquals(Outcome.STORAGE_UNAVAILABLE, result.outcome());
        assertFalse(result.outcome().isAcknowledged());
        assertEquals(0, index.locate("1.2.3.4", null, null).size());
    }

    @Test
    void invalidInstancesAreRefused() throws Exception {
        Attributes ds = dataset("1.2.3.5", "1.2.3.5.1", "1.2.3.5.1.1");
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.03");
        Path bad = temp.resolve("bad.dcm");
        DicomOutputStream.writeFile(bad, ds, UID.ExplicitVRLittleEndian);
        assertEquals(Outcome.INVALID, pipeline(DuplicatePolicy.KEEP_FIRST).ingest(bad, ORIGIN).outcome());
        ds = dataset("1.2.3.5", "1.2.3.5.1", "1.2.3.5.1.1");
        ds.remove(Tag.PatientID);
        DicomOutputStream.writeFile(bad, ds, UID.ExplicitVRLittleEndian);
        assertEquals(Outcome.INVALID, pipeline(DuplicatePolicy.KEEP_FIRST).ingest(bad, ORIGIN).outcome());
        Files.write(bad, new byte[] {1, 2, 3, 4, 5});
        assertEquals(Outcome.CANNOT_UNDERSTAND, pipeline(DuplicatePolicy.KEEP_FIRST).ingest(bad, ORIGIN).outcome());
        assertEquals(0, storedObjects());
    }

    @Test
    void coercionsGoToTheStoredObjectAndTheIndex() throws Exception {
        Path file = file("1.2.3.6", "1.2.3.6.1", "1.2.3.6.1.1", UID.ExplicitVRBigEndian);
        IngestResult result = pipeline(DuplicatePolicy.KEEP_FIRST, "IssuerOfPatientID?=HOSP_A", "InstitutionName=Mosaic")
                .ingest(Files.newInputStream(file), ORIGIN);
        assertEquals(Outcome.STORED, result.outcome(), result.message());
        Attributes stored;
        try (DicomInputStream in = new DicomInputStream(storage.read(result.instance().orElseThrow().location().key()))) {
            in.readFileMetaInformation();
            stored = in.readDataset();
        }
        assertEquals("HOSP_A", stored.getString(Tag.IssuerOfPatientID));
        assertEquals("Mosaic", stored.getString(Tag.InstitutionName));
        assertEquals("DOE^JOHN", stored.getString(Tag.PatientName));
        Attributes keys = new Attributes();
        keys.setString(Tag.PatientID, VR.LO, "PID-1");
        keys.setNull(Tag.IssuerOfPatientID, VR.LO);
        List<Attributes> matches = new ArrayList<>();
        index.query(QueryRequest.of(QueryLevel.PATIENT, keys), matches::add);
        assertEquals("HOSP_A", matches.get(0).getString(Tag.IssuerOfPatientID));
    }

    @Test
    void reconciliationDeletesWhatWasWrittenButNeverIndexed() throws Exception {
        IngestJournal journal = new IngestJournal(temp.resolve("journal"));
        StorageKey key = StorageKey.forInstance("1.2.3.7", "1.2.3.7.1", "1.2.3.7.1.1", "1");
        journal.begin("default", key.value(), "1.2.3.7", "1.2.3.7.1", "1.2.3.7.1.1");
        storage.write(key, new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}));
        // and one that was indexed before the crash: kept
        Path file = file("1.2.3.8", "1.2.3.8.1", "1.2.3.8.1.1", UID.ExplicitVRLittleEndian);
        IngestResult indexed = pipeline(DuplicatePolicy.KEEP_FIRST).ingest(file, ORIGIN);
        StorageKey indexedKey = indexed.instance().orElseThrow().location().key();
        journal.begin("default", indexedKey.value(), "1.2.3.8", "1.2.3.8.1", "1.2.3.8.1.1");
        assertEquals(2, storedObjects());

        journal.abandon(); // the crash
        IngestPipeline restarted = pipeline(DuplicatePolicy.KEEP_FIRST);
        assertEquals(2, restarted.reconcile(new IngestJournal(temp.resolve("journal")).leftOver()));
        assertFalse(storage.exists(key));
        assertTrue(storage.exists(indexedKey));
        assertTrue(journalEmpty());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static Attributes dataset(String study, String series, String sop) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, "20260101");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientName, VR.PN, "DOE^JOHN");
        ds.setString(Tag.PatientID, VR.LO, "PID-1");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.StudyID, VR.SH, "1");
        ds.setString(Tag.SeriesNumber, VR.IS, "1");
        ds.setString(Tag.InstanceNumber, VR.IS, "1");
        ds.setInt(Tag.Rows, VR.US, 2);
        ds.setInt(Tag.Columns, VR.US, 2);
        ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        return ds;
    }

    private Path file(String study, String series, String sop, String tsuid) throws IOException {
        Path file = temp.resolve(sop + ".dcm");
        DicomOutputStream.writeFile(file, dataset(study, series, sop), tsuid);
        return file;
    }

    private long storedObjects() throws IOException {
        return storage.list(o -> true);
    }

    /** Whether the journal on disk holds no open intent (what a restart would find left over). */
    private boolean journalEmpty() throws IOException {
        return IngestJournal.openOnDisk(temp.resolve("journal")).isEmpty();
    }

    /** A typed configuration: the annotation's defaults, with some values replaced. */
    @SuppressWarnings("unchecked")
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("annotationType")) {
                return type;
            }
            if (values.containsKey(name)) {
                return values.get(name);
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            return switch (name) {
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> type.getSimpleName();
                default -> throw new UnsupportedOperationException(name);
            };
        });
    }
}
