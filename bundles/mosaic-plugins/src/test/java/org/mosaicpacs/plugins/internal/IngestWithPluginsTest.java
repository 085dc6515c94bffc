package org.mosaicpacs.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mosaicpacs.plugins.internal.TestSupport.await;
import static org.mosaicpacs.plugins.internal.TestSupport.plugin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.archive.internal.ArchiveConfiguration;
import org.mosaicpacs.archive.internal.PluginsArchiveForTests;
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
 * The real ingest service (mosaic-archive) on the real index (embedded Derby) and file storage, with the plugin
 * runtime as its listener: a throwing plugin and a hanging one change nothing for the sender.
 */
class IngestWithPluginsTest {

    private static final String STUDY = "1.2.826.0.1.3680043.10.1077.60";

    @TempDir
    Path temp;

    private PluginRuntime runtime;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (runtime != null) {
            runtime.deactivate();
        }
    }

    @Test
    void aThrowingAndAHangingPluginNeitherFailNorHoldTheIngest() throws Exception {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:pluginsingest");
        dataSource.setCreateDatabase("create");
        ArchiveIndex index = new DerbyArchiveIndex(dataSource, config(DerbyIndexConfiguration.class, Map.of()));
        FsStorageBackend storage = new FsStorageBackend(config(FsStorageConfiguration.class,
                Map.of("root", temp.resolve("storage").toString(), "fsync", false)));
        runtime = new PluginRuntime(null, TestSupport.config(temp.resolve("pending.txt"), 2, 1000),
                new TestSupport.MovableClock(), false);
        IngestService ingest = PluginsArchiveForTests.ingestService(config(ArchiveConfiguration.class,
                Map.of("journalDirectory", temp.resolve("journal").toString())), index, storage, runtime);
        CountDownLatch hangingStarted = new CountDownLatch(1);
        runtime.bindInstanceStoredHook(e -> {
            throw new IllegalStateException("a broken plugin");
        }, plugin("broken"));
        runtime.bindInstanceStoredHook(e -> {
            hangingStarted.countDown();
            release.await();
        }, plugin("hanging"));
        List<String> counted = new CopyOnWriteArrayList<>();

        IngestResult first = ingest.ingest(new ByteArrayInputStream(instance(1)), new Origin("CT01", "MOSAIC", ""));
        assertEquals(IngestResult.Outcome.STORED, first.outcome());
        hangingStarted.await();
        runtime.bindInstanceStoredHook(e -> counted.add(e.instance().sopInstanceUID()), plugin("counter"));
        for (int i = 2; i <= 6; i++) {
            IngestResult r = ingest.ingest(new ByteArrayInputStream(instance(i)), new Origin("CT01", "MOSAIC", ""));
            assertEquals(IngestResult.Outcome.STORED, r.outcome(), r.message());
            int n = i - 1;
            await("the counter to see instance " + i, () -> counted.size() == n);
        }

        assertEquals(6, index.locate(STUDY, null, null).size(), "every instance stored and indexed");
        await("6 failures of the broken plugin", () -> failures("broken") == 6);
        PluginWorker.Counts hanging = counts("hanging");
        assertEquals(3, hanging.queued(), "one running, two waiting: " + hanging);
        assertEquals(3, hanging.dropped(), hanging.toString());
    }

    @Test
    void interceptorsCoerceAndRefuseWhatTheRealArchiveStores() throws Exception {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:pluginsintercept");
        dataSource.setCreateDatabase("create");
        ArchiveIndex index = new DerbyArchiveIndex(dataSource, config(DerbyIndexConfiguration.class, Map.of()));
        FsStorageBackend storage = new FsStorageBackend(config(FsStorageConfiguration.class,
                Map.of("root", temp.resolve("storage").toString(), "fsync", false)));
        runtime = new PluginRuntime(null, TestSupport.config(temp.resolve("pending.txt"), 2, 1000),
                new TestSupport.MovableClock(), false);
        IngestService ingest = PluginsArchiveForTests.ingestService(config(ArchiveConfiguration.class,
                Map.of("journalDirectory", temp.resolve("journal").toString())), index, storage, runtime, runtime);
        runtime.bindIngestInterceptor((ds, origin) -> {
            ds.setString(Tag.InstitutionName, VR.LO, "Site of " + origin.callingAETitle());
            return Verdict.coerced();
        }, plugin("site"));
        runtime.bindIngestInterceptor((ds, origin) -> ds.getString(Tag.SOPInstanceUID).endsWith(".2")
                ? Verdict.reject(0xA700, "quota exhausted") : Verdict.accept(), plugin("quota"));
        runtime.bindIngestInterceptor((ds, origin) -> {
            throw new IllegalStateException("a broken interceptor");
        }, plugin("broken"));

        IngestResult stored = ingest.ingest(new ByteArrayInputStream(instance(1)), new Origin("CT01", "MOSAIC", ""));
        IngestResult refused = ingest.ingest(new ByteArrayInputStream(instance(2)), new Origin("CT01", "MOSAIC", ""));

        assertEquals(IngestResult.Outcome.STORED, stored.outcome(), stored.message());
        try (DicomInputStream in = new DicomInputStream(storage.read(stored.instance().orElseThrow().location().key()))) {
            in.readFileMetaInformation();
            assertEquals("Site of CT01", in.readDataset().getString(Tag.InstitutionName));
        }
        assertEquals(IngestResult.Outcome.REJECTED_BY_PLUGIN, refused.outcome());
        assertEquals(0xA700, refused.status());
        assertEquals("quota exhausted", refused.message());
        assertEquals(1, index.locate(STUDY, null, null).size(), "the refused instance is not indexed");
        assertEquals(1, storage.list(o -> true), "nor stored");
        assertEquals(1, failures("broken"), "counted; the second round ended at the rejection before it");
    }

    private PluginWorker.Counts counts(String name) {
        return runtime.plugins().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().counts();
    }

    private long failures(String name) {
        return counts(name).failures();
    }

    private static byte[] instance(int number) throws Exception {
        String sop = STUDY + ".1." + number;
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, STUDY + ".1");
        ds.setString(Tag.PatientID, VR.LO, "PID-60");
        ds.setString(Tag.PatientName, VR.PN, "DOE^JOHN");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(buf)) {
            out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(UID.CTImageStorage, sop,
                    UID.ExplicitVRLittleEndian));
            out.writeDataset(ds);
        }
        return buf.toByteArray();
    }

    @SuppressWarnings("unchecked")
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            if (values.containsKey(name)) {
                return values.get(name);
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            return switch (name) {
                case "annotationType" -> type;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> type.getSimpleName();
                default -> throw new UnsupportedOperationException(name);
            };
        });
    }
}
