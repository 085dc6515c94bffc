package org.mosaicpacs.archive.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestResult.Outcome;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;
import org.mosaicpacs.storage.s3.internal.S3StorageBackend;
import org.mosaicpacs.storage.s3.internal.S3StorageConfiguration;
import org.mosaicpacs.storage.s3.testing.S3ProxyServer;

/**
 * The write target and its rules, changed while the archive ingests: the real archive component, the real
 * Derby index (in memory), the real file storage {@code default} and a real S3 backend {@code s3-main} on
 * S3Proxy. An ingest keeps the backend it chose; the next one follows the new configuration; none fails.
 */
class StorageTargetSwapTest {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path temp;

    private S3ProxyServer s3;
    private ArchiveIndex index;
    private final Map<String, StorageBackend> backends = new HashMap<>();
    private ArchiveIngestService archive;

    @BeforeEach
    void start() throws Exception {
        s3 = new S3ProxyServer(null);
        s3.createBucket("pacs");
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:swap" + DATABASES.incrementAndGet());
        dataSource.setCreateDatabase("create");
        index = new DerbyArchiveIndex(dataSource, IngestPipelineTest.config(DerbyIndexConfiguration.class, Map.of()));
        backends.put("default", new FsStorageBackend(IngestPipelineTest.config(FsStorageConfiguration.class,
                Map.of("root", temp.resolve("storage").toString(), "fsync", false))));
        backends.put("s3-main", new S3StorageBackend(IngestPipelineTest.config(S3StorageConfiguration.class, Map.of(
                "endpoint", s3.endpoint().toString(), "bucket", "pacs", "accessKey", S3ProxyServer.ACCESS_KEY,
                "_secretKey", S3ProxyServer.SECRET_KEY, "keyPrefix", "mosaic/"))));
        archive = new ArchiveIngestService(configuration("default"));
        backends.values().forEach(archive::bindStorage);
        archive.bindIndex(index);
    }

    @AfterEach
    void stop() throws Exception {
        archive.deactivate();
        s3.close();
    }

    private ArchiveConfiguration configuration(String storageId, String... rules) {
        return IngestPipelineTest.config(ArchiveConfiguration.class, Map.of("storageId", storageId,
                "storageRules", rules, "checkAtStart", false, "journalDirectory", temp.resolve("journal").toString()));
    }

    private static byte[] instance(String sop, String modality, String sopClass, int pixelBytes) throws IOException {
        Attributes ds = StreamingIngestTest.dataset("1.2.77", "1.2.77.1", sop, UID.ExplicitVRLittleEndian, pixelBytes);
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
        return StreamingIngestTest.part10(ds, UID.ExplicitVRLittleEndian);
    }

    private IngestResult ingest(byte[] part10, String callingAETitle) {
        return archive.ingest(new ByteArrayInputStream(part10), new Origin(callingAETitle, "MOSAIC", "127.0.0.1"));
    }

    /** Where the index says the instance is, and that its bytes there are the ones sent. */
    private String storedIn(String sop, byte[] sent) throws Exception {
        List<InstanceLocation> found = index.locate("1.2.77", "1.2.77.1", sop);
        assertEquals(1, found.size(), sop + " indexed once");
        InstanceLocation l = found.get(0);
        try (InputStream in = backends.get(l.location().storageId()).read(l.location().key())) {
            assertArrayEquals(sent, in.readAllBytes(), sop + " readable, byte for byte, from " + l.location().storageId());
        }
        return l.location().storageId();
    }

    @Test
    void rulesChooseTheTargetByCallingAETitleModalityAndSOPClass() throws Exception {
        archive.modified(configuration("default", "CallingAETitle=OLD_CT -> s3-main", "Modality=MR -> s3-main",
                "SOPClassUID=" + UID.SecondaryCaptureImageStorage + " -> s3-main"));
        byte[] ct = instance("1.2.77.1.1", "CT", UID.CTImageStorage, 2000);
        byte[] fromOldCt = instance("1.2.77.1.2", "CT", UID.CTImageStorage, 2000);
        byte[] mr = instance("1.2.77.1.3", "MR", UID.MRImageStorage, 2000);
        byte[] sc = instance("1.2.77.1.4", "OT", UID.SecondaryCaptureImageStorage, 2000);

        assertEquals(Outcome.STORED, ingest(ct, "CT_1").outcome());
        assertEquals(Outcome.STORED, ingest(fromOldCt, "OLD_CT").outcome());
        assertEquals(Outcome.STORED, ingest(mr, "CT_1").outcome());
        assertEquals(Outcome.STORED, ingest(sc, "CT_1").outcome());

        assertEquals("default", storedIn("1.2.77.1.1", ct), "no rule matches: the default target");
        assertEquals("s3-main", storedIn("1.2.77.1.2", fromOldCt), "by calling AE title");
        assertEquals("s3-main", storedIn("1.2.77.1.3", mr), "by modality");
        assertEquals("s3-main", storedIn("1.2.77.1.4", sc), "by SOP class");
    }

    @Test
    void aRuleThatCannotBeReadIsRefusedAndTheCurrentOnesKept() throws Exception {
        archive.modified(configuration("default", "Modality=MR -> s3-main"));
        archive.modified(configuration("s3-main", "Modalty=MR -> default"));
        byte[] mr = instance("1.2.77.1.5", "MR", UID.MRImageStorage, 2000);
        byte[] ct = instance("1.2.77.1.6", "CT", UID.CTImageStorage, 2000);
        assertEquals(Outcome.STORED, ingest(mr, "CT_1").outcome());
        assertEquals(Outcome.STORED, ingest(ct, "CT_1").outcome());
        assertEquals("s3-main", storedIn("1.2.77.1.5", mr));
        assertEquals("default", storedIn("1.2.77.1.6", ct), "the refused configuration changed nothing");
    }

    @Test
    void anIngestThatStartedWritingFinishesThereAndTheNextGoesToTheNewTarget() throws Exception {
        byte[] first = instance("1.2.77.1.7", "CT", UID.CTImageStorage, 200_000);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch swapped = new CountDownLatch(1);
        // the sender stalls in the middle of Pixel Data, when the backend has begun to take the bytes
        InputStream stalling = new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= first.length) {
                    return -1;
                }
                if (position >= 100_000 && writing.getCount() > 0) {
                    writing.countDown();
                    try {
                        swapped.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                int n = Math.min(len, Math.min(first.length - position, position < 100_000 ? 100_000 - position : len));
                System.arraycopy(first, position, b, off, n);
                position += n;
                return n;
            }
        };
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            Future<IngestResult> inFlight = sender.submit(() ->
                    archive.ingest(stalling, new Origin("CT_1", "MOSAIC", "127.0.0.1")));
            assertTrue(writing.await(60, TimeUnit.SECONDS), "the ingest reached the middle of its write");

            archive.modified(configuration("s3-main"));
            swapped.countDown();

            assertEquals(Outcome.STORED, inFlight.get(60, TimeUnit.SECONDS).outcome());
        } finally {
            sender.shutdownNow();
        }
        assertEquals("default", storedIn("1.2.77.1.7", first), "finished where it started");
        byte[] next = instance("1.2.77.1.8", "CT", UID.CTImageStorage, 2000);
        assertEquals(Outcome.STORED, ingest(next, "CT_1").outcome());
        assertEquals("s3-main", storedIn("1.2.77.1.8", next), "the next ingest goes to the new target");
        assertEquals("UP", archive.health().state().name());
        assertTrue(archive.health().detail().contains("storing into s3-main"), archive.health().detail());
    }

    @Test
    void swappingTheTargetBackAndForthDuringConcurrentIngestsFailsNone() throws Exception {
        int senders = 4;
        int perSender = 30;
        Map<String, byte[]> sent = new ConcurrentHashMap<>();
        Map<String, IngestResult> results = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perSender; i++) {
                    String sop = "1.2.77.1." + (100 + sender * perSender + i);
                    byte[] bytes = instance(sop, "CT", UID.CTImageStorage, 4000 + 200 * i);
                    sent.put(sop, bytes);
                    results.put(sop, ingest(bytes, "CT_" + sender));
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        // the admin swaps the target every 10 instances received: default, s3-main, default, ...
        int swaps = 0;
        try {
            while (done.get() < senders * perSender) {
                if (done.get() >= (swaps + 1) * 10) {
                    swaps++;
                    archive.modified(configuration(swaps % 2 == 1 ? "s3-main" : "default"));
                } else {
                    Thread.onSpinWait();
                }
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(swaps >= 2, "the target was swapped while instances arrived");
        Map<String, Integer> perBackend = new HashMap<>();
        for (Map.Entry<String, IngestResult> r : results.entrySet()) {
            assertEquals(Outcome.STORED, r.getValue().outcome(), r.getKey() + ": " + r.getValue().message());
            perBackend.merge(storedIn(r.getKey(), sent.get(r.getKey())), 1, Integer::sum);
        }
        assertEquals(senders * perSender, results.size());
        assertTrue(perBackend.getOrDefault("default", 0) > 0 && perBackend.getOrDefault("s3-main", 0) > 0,
                "both backends hold instances: " + perBackend);
        assertEquals(senders * perSender, perBackend.values().stream().mapToInt(Integer::intValue).sum());
    }
}
