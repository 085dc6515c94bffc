package org.mosaicpacs.archive.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mosaicpacs.archive.internal.IngestPipelineTest.config;
import static org.mosaicpacs.archive.internal.StreamingIngestTest.dataset;
import static org.mosaicpacs.archive.internal.StreamingIngestTest.part10;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.mosaicpacs.api.plugin.IngestInterception;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.api.storage.StorageBackend;
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

/**
 * The judge step with the plugins' {@link IngestInterception} (real Derby index in memory, real file storage):
 * a coercion is what gets stored and indexed, the header re-encoded and the received pixel bytes appended; a
 * rejection stores nothing and carries the plugin's status; an absent, failing or UID-changing interception
 * leaves the instance as received.
 */
class PluginInterceptionIngestTest {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Origin ORIGIN = new Origin("MODALITY", "MOSAIC", "10.1.2.3");

    @TempDir
    Path temp;

    private ArchiveIndex index;
    private StorageBackend storage;
    private final Map<String, StorageBackend> backends = new HashMap<>();
    private final List<InstanceStored> events = new CopyOnWriteArrayList<>();
    private final List<InstanceStoredListener> listeners = new ArrayList<>();

    /** What the interceptions of these tests saw: each call's header and origin. */
    private final List<Attributes> seen = new CopyOnWriteArrayList<>();
    private final List<Origin> origins = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:interception" + DATABASES.incrementAndGet());
        dataSource.setCreateDatabase("create");
        index = new DerbyArchiveIndex(dataSource, config(DerbyIndexConfiguration.class, Map.of()));
        storage = new FsStorageBackend(config(FsStorageConfiguration.class,
                Map.of("root", temp.resolve("storage").toString(), "fsync", false)));
        backends.put(storage.id(), storage);
        listeners.add(events::add);
    }

    private IngestPipeline pipeline(IngestInterception interception, String... coercions) throws IOException {
        return new IngestPipeline(new IngestPipeline.Settings("default", DuplicatePolicy.KEEP_FIRST, true,
                Coercion.parseAll(coercions)), () -> index, backends::get, () -> listeners, () -> interception,
                new IngestJournal(temp.resolve("journal")));
    }

    /** A real interception as the plugin runtime offers it: changes Patient's Name on a copy. */
    private IngestInterception renaming(String name) {
        return (dataset, origin) -> {
            seen.add(new Attributes(dataset));
            origins.add(origin);
            Attributes copy = new Attributes(dataset);
            copy.setString(Tag.PatientName, VR.PN, name);
            return new IngestInterception.Result(Verdict.coerced(), copy, "");
        };
    }

    /** A real interception that refuses every instance with a status and comment, naming its plugin. */
    private IngestInterception refusing(int status, String comment) {
        return (dataset, origin) -> {
            seen.add(new Attributes(dataset));
            return new IngestInterception.Result(Verdict.reject(status, comment), dataset, "gatekeeper");
        };
    }

    @Test
    void aCoercedHeaderIsStoredAndIndexedWithTheReceivedPixelBytesAppended() throws Exception {
        Attributes ds = dataset("1.2.7.1", "1.2.7.1.1", "1.2.7.1.1.1", UID.ExplicitVRLittleEndian, 40_000);
        byte[] sent = part10(ds, UID.ExplicitVRLittleEndian);

        IngestResult result = pipeline(renaming("ANON^RESEARCH"), "InstitutionName=Mosaic")
                .ingest(new ByteArrayInputStream(sent), ORIGIN);

        assertEquals(Outcome.STORED, result.outcome(), result.message());
        assertEquals(1, seen.size(), "asked once per instance");
        assertEquals("Mosaic", seen.get(0).getString(Tag.InstitutionName), "after the configured coercions");
        assertFalse(seen.get(0).contains(Tag.PixelData), "the header only, without Pixel Data");
        assertEquals(ORIGIN, origins.get(0));
        byte[] stored = stored(result);
        // byte for byte: file meta information and the coerced header encoded again, then the received rest
        long headerEnd = headerEnd(sent);
        Attributes expectedHeader = new Attributes(seen.get(0));
        expectedHeader.setString(Tag.PatientName, VR.PN, "ANON^RESEARCH");
        byte[] expected = concat(encode(fmi(sent), expectedHeader),
                Arrays.copyOfRange(sent, (int) headerEnd, sent.length));
        assertArrayEquals(expected, stored);
        assertEquals("ANON^RESEARCH", read(stored).getString(Tag.PatientName));
        assertArrayEquals(ds.getBytes(Tag.PixelData), read(stored).getBytes(Tag.PixelData));
        assertEquals("ANON^RESEARCH", patientNameInIndex("1.2.7.1"));
        assertEquals(1, events.size());
    }

    @Test
    void aCoercionFromAFileIsStoredToo() throws Exception {
        Path file = temp.resolve("in.dcm");
        Files.write(file, part10(dataset("1.2.7.2", "1.2.7.2.1", "1.2.7.2.1.1", UID.ImplicitVRLittleEndian, 20_000),
                UID.ImplicitVRLittleEndian));

        IngestResult result = pipeline(renaming("SMITH^ANNA")).ingest(file, ORIGIN);

        assertEquals(Outcome.STORED, result.outcome(), result.message());
        assertEquals("SMITH^ANNA", read(stored(result)).getString(Tag.PatientName));
        assertEquals("SMITH^ANNA", patientNameInIndex("1.2.7.2"));
    }

    @Test
    void aCoercedDeflatedDataSetIsInterceptedOnceAndStoredCoerced() throws Exception {
        Attributes ds = dataset("1.2.7.3", "1.2.7.3.1", "1.2.7.3.1.1", UID.DeflatedExplicitVRLittleEndian, 10_000);

        IngestResult result = pipeline(renaming("DEFLATED^ONE"))
                .ingest(new ByteArrayInputStream(part10(ds, UID.DeflatedExplicitVRLittleEndian)), ORIGIN);

        assertEquals(Outcome.STORED, result.outcome(), result.message());
        assertEquals(1, seen.size(), "the spool is not judged a second time");
        Attributes stored = read(stored(result));
        assertEquals("DEFLATED^ONE", stored.getString(Tag.PatientName));
        assertArrayEquals(ds.getBytes(Tag.PixelData), stored.getBytes(Tag.PixelData));
    }

    @Test
    void aRejectionStoresNothingAndCarriesThePluginsStatusAndComment() throws Exception {
        Attributes ds = dataset("1.2.7.4", "1.2.7.4.1", "1.2.7.4.1.1", UID.ExplicitVRLittleEndian, 40_000);
        InputStream sent = new ByteArrayInputStream(part10(ds, UID.ExplicitVRLittleEndian));

        IngestResult result = pipeline(refusing(0xA700, "quota of PID-1 exhausted")).ingest(sent, ORIGIN);

        assertEquals(Outcome.REJECTED_BY_PLUGIN, result.outcome());
        assertFalse(result.outcome().isAcknowledged());
        assertEquals(0xA700, result.status());
        assertEquals("quota of PID-1 exhausted", result.message());
        assertTrue(result.instance().isEmpty());
        assertEquals(0, sent.available(), "the stream is read to its end, so the sender can go on");
        assertEquals(0, storage.list(o -> true), "nothing in storage");
        assertEquals(0, index.locate("1.2.7.4", null, null).size(), "nothing in the index");
        assertTrue(events.isEmpty());
        assertTrue(journalEmpty());
    }

    @Test
    void aRejectionWithoutCommentNamesThePlugin() throws Exception {
        Path file = temp.resolve("in.dcm");
        Files.write(file, part10(dataset("1.2.7.5", "1.2.7.5.1", "1.2.7.5.1.1", UID.ExplicitVRLittleEndian, 2_000),
                UID.ExplicitVRLittleEndian));

        IngestResult result = pipeline(refusing(0xC000, "")).ingest(file, ORIGIN);

        assertEquals(Outcome.REJECTED_BY_PLUGIN, result.outcome());
        assertEquals(0xC000, result.status());
        assertEquals("refused by plugin gatekeeper", result.message());
        assertEquals(0, storage.list(o -> true));
    }

    @Test
    void withoutTheRuntimeOrWithAFailingOneTheInstanceIsStoredAsReceived() throws Exception {
        byte[] first = part10(dataset("1.2.7.6", "1.2.7.6.1", "1.2.7.6.1.1", UID.ExplicitVRLittleEndian, 2_000),
                UID.ExplicitVRLittleEndian);
        IngestResult absent = pipeline(null).ingest(new ByteArrayInputStream(first), ORIGIN);
        assertEquals(Outcome.STORED, absent.outcome(), absent.message());
        assertArrayEquals(first, stored(absent));

        byte[] second = part10(dataset("1.2.7.6", "1.2.7.6.1", "1.2.7.6.1.2", UID.ExplicitVRLittleEndian, 2_000),
                UID.ExplicitVRLittleEndian);
        IngestResult failing = pipeline((dataset, origin) -> {
            throw new IllegalStateException("the runtime broke");
        }).ingest(new ByteArrayInputStream(second), ORIGIN);
        assertEquals(Outcome.STORED, failing.outcome(), failing.message());
        assertArrayEquals(second, stored(failing));
    }

    @Test
    void aCoercionThatChangesTheSOPInstanceUIDIsIgnored() throws Exception {
        byte[] sent = part10(dataset("1.2.7.7", "1.2.7.7.1", "1.2.7.7.1.1", UID.ExplicitVRLittleEndian, 2_000),
                UID.ExplicitVRLittleEndian);
        IngestInterception renumbering = (dataset, origin) -> {
            Attributes copy = new Attributes(dataset);
            copy.setString(Tag.SOPInstanceUID, VR.UI, "1.2.7.7.1.99");
            return new IngestInterception.Result(Verdict.coerced(), copy, "");
        };

        IngestResult result = pipeline(renumbering).ingest(new ByteArrayInputStream(sent), ORIGIN);

        assertEquals(Outcome.STORED, result.outcome(), result.message());
        assertEquals("1.2.7.7.1.1", result.instance().orElseThrow().sopInstanceUID());
        assertArrayEquals(sent, stored(result), "stored as received");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private byte[] stored(IngestResult result) throws IOException {
        try (InputStream in = storage.read(result.instance().orElseThrow().location().key())) {
            return in.readAllBytes();
        }
    }

    private String patientNameInIndex(String study) throws Exception {
        Attributes keys = new Attributes();
        keys.setString(Tag.StudyInstanceUID, VR.UI, study);
        keys.setNull(Tag.PatientName, VR.PN);
        List<Attributes> matches = new ArrayList<>();
        index.query(QueryRequest.of(QueryLevel.STUDY, keys), m -> matches.add(m));
        assertEquals(1, matches.size());
        return matches.get(0).getString(Tag.PatientName);
    }

    private static Attributes read(byte[] part10) throws IOException {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10))) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    private static Attributes fmi(byte[] part10) throws IOException {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10))) {
            return in.readFileMetaInformation();
        }
    }

    private static long headerEnd(byte[] part10) throws IOException {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10))) {
            in.readFileMetaInformation();
            in.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
            return in.position();
        }
    }

    private static byte[] encode(Attributes fmi, Attributes header) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomOutputStream dos = new DicomOutputStream(out);
        dos.writeFileMetaInformation(fmi);
        dos.writeDataset(header);
        dos.finish();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private boolean journalEmpty() throws IOException {
        Path dir = temp.resolve("journal");
        if (!Files.exists(dir)) {
            return true;
        }
        return IngestJournal.openOnDisk(dir).isEmpty();
    }
}
