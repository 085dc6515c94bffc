package org.mosaicpacs.plugin.forward.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.ae.ServiceClassUser;
import org.mosaicpacs.api.event.InstanceStored;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.index.StoreOutcome;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.EndpointRequest;
import org.mosaicpacs.api.plugin.EndpointResponse;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
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
 * The forward plugin against the real index (embedded Derby), the real file storage and its real queue folder, with a
 * clock of its own (no waiting). The remote AE is a {@link ServiceClassUser} of the test that reads each instance from
 * the storage as the archive's would, and can be "down"; delivery to DCMTK's storescp is tested in the distribution
 * ({@code ForwardIT}) and {@code ServiceClassUser.send} itself in mosaic-dimse ({@code SendArchivedTest}).
 */
class ForwardPluginTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String STUDY = "1.2.826.0.1.3680043.10.1077.70";

    @TempDir
    Path temp;

    private ArchiveIndex index;
    private StorageBackend storage;
    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T08:00:00Z"));
    private final Peer peer = new Peer();

    @BeforeEach
    void setUp() throws Exception {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:forward" + DATABASES.incrementAndGet());
        dataSource.setCreateDatabase("create");
        index = new DerbyArchiveIndex(dataSource, config(DerbyIndexConfiguration.class, Map.of()));
        storage = new FsStorageBackend(config(FsStorageConfiguration.class,
                Map.of("root", temp.resolve("storage").toString(), "fsync", false)));
    }

    private ForwardPlugin plugin(Map<String, Object> settings, ForwardRule... rules) throws IOException {
        Map<String, Object> values = new HashMap<>(settings);
        values.putIfAbsent("directory", temp.resolve("forward").toString());
        ForwardPlugin p = new ForwardPlugin(config(ForwardPlugin.Config.class, values), clock, false);
        p.bindIndex(index);
        p.bindStorage(storage);
        p.bindServiceClassUser(peer);
        for (ForwardRule r : rules) {
            p.bindRule(r);
        }
        return p;
    }

    private static ForwardRule rule(String destination, Set<String> calling, Set<String> modalities, Set<String> classes) {
        return new ForwardRule("", destination, calling, modalities, classes);
    }

    /** Stores an instance into the real storage and index; returns the event the archive would publish. */
    private InstanceStored store(String sop, String modality, String cuid, String calling) throws Exception {
        String series = STUDY + (modality.equals("CT") ? ".1" : ".2");
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, cuid);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.PatientID, VR.LO, "PID-FWD");
        ds.setString(Tag.Modality, VR.CS, modality);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(buf)) {
            out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(cuid, sop, UID.ExplicitVRLittleEndian));
            out.writeDataset(ds);
        }
        StoredObject stored = storage.write(StorageKey.forInstance(STUDY, series, sop, "1"),
                new ByteArrayInputStream(buf.toByteArray()));
        StoreOutcome outcome = index.store(ds, StorageLocation.of(stored, UID.ExplicitVRLittleEndian),
                DuplicatePolicy.KEEP_FIRST);
        return new InstanceStored(outcome.indexed(), outcome.result(), calling, "MOSAIC");
    }

    @Test
    void rulesMatchOnCallingAETitleModalityAndSopClassAndEmptyMatchesAny() {
        ForwardRule any = rule("PEER", Set.of(), Set.of(), Set.of());
        assertTrue(any.matches("CT01", UID.CTImageStorage, null));
        assertFalse(any.needsModality());
        ForwardRule ctFromScanner = new ForwardRule(config(ForwardRule.Config.class, Map.of("destination", " PEER ",
                "callingAETitles", new String[] {"CT01, CT02"}, "modalities", new String[] {"CT\\PT"})));
        assertEquals("PEER", ctFromScanner.destination());
        assertEquals("PEER", ctFromScanner.name());
        assertTrue(ctFromScanner.needsModality());
        assertTrue(ctFromScanner.matches("CT02", UID.CTImageStorage, "PT"));
        assertFalse(ctFromScanner.matches("MR01", UID.CTImageStorage, "CT"));
        assertFalse(ctFromScanner.matches("CT01", UID.CTImageStorage, "MR"));
        assertFalse(ctFromScanner.matches("CT01", UID.CTImageStorage, null));
        ForwardRule sr = rule("PEER", Set.of(), Set.of(), Set.of("1.2.840.10008.5.1.4.1.1.88.22"));
        assertFalse(sr.matches("CT01", UID.CTImageStorage));
        assertTrue(sr.matches("CT01", "1.2.840.10008.5.1.4.1.1.88.22"));
        assertThrows(IllegalArgumentException.class, () -> rule("NOT\\AN AE", Set.of(), Set.of(), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> rule("", Set.of(), Set.of(), Set.of()));
    }

    @Test
    void backOffDoublesUpToTheMaximum() {
        Backoff b = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60));
        assertEquals(List.of(10L, 20L, 40L, 60L, 60L), List.of(b.delay(1).toSeconds(), b.delay(2).toSeconds(),
                b.delay(3).toSeconds(), b.delay(4).toSeconds(), b.delay(500).toSeconds()));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    }

    @Test
    void onlyMatchingInstancesAreQueuedAndTheModalityIsReadFromStorage() throws Exception {
        ForwardPlugin p = plugin(Map.of(), rule("CTPEER", Set.of(), Set.of("CT"), Set.of()),
                rule("ALL", Set.of("SCANNER"), Set.of(), Set.of()), rule("ALL", Set.of(), Set.of(), Set.of()));
        p.instanceStored(store(STUDY + ".1.1", "CT", UID.CTImageStorage, "SCANNER"));
        p.instanceStored(store(STUDY + ".2.1", "MR", UID.MRImageStorage, "OTHER"));
        List<String> queued = new ArrayList<>();
        for (ForwardQueue.Entry e : p.queue().pending()) {
            queued.add(e.destination() + " " + e.sopInstanceUID());
        }
        // two rules for ALL: queued once per destination
        assertEquals(List.of("CTPEER " + STUDY + ".1.1", "ALL " + STUDY + ".1.1", "ALL " + STUDY + ".2.1"), queued);
    }

    @Test
    void theQueueSurvivesARestartOfThePluginAndIsDeliveredInBatches() throws Exception {
        ForwardPlugin first = plugin(Map.of(), rule("PEER", Set.of(), Set.of(), Set.of()));
        for (int i = 1; i <= 5; i++) {
            first.instanceStored(store(STUDY + ".1." + i, "CT", UID.CTImageStorage, "CT01"));
        }
        first.deactivate();
        assertEquals(5, Files.list(temp.resolve("forward/pending")).count(), "one file per queued instance");

        ForwardPlugin restarted = plugin(Map.of("batchSize", 2), rule("PEER", Set.of(), Set.of(), Set.of()));
        assertEquals(5, restarted.queue().pending().size());
        assertEquals(Duration.ZERO, restarted.sender().runOnce());
        assertEquals(List.of(2), peer.batchSizes);
        while (!restarted.queue().pending().isEmpty()) {
            restarted.sender().runOnce();
        }
        assertEquals(List.of(2, 2, 1), peer.batchSizes, "one association per batch");
        assertEquals(List.of(STUDY + ".1.1", STUDY + ".1.2", STUDY + ".1.3", STUDY + ".1.4", STUDY + ".1.5"),
                peer.received, "in the order they were stored, read from the storage");
        assertEquals(0, Files.list(temp.resolve("forward/pending")).count());
        assertEquals(5, restarted.sender().sent());
    }

    @Test
    void aDestinationThatIsDownWaitsWithBackOffAndGetsEverythingWhenItIsBack() throws Exception {
        ForwardPlugin p = plugin(Map.of("initialRetryDelaySeconds", 5L, "maxRetryDelaySeconds", 20L),
                rule("PEER", Set.of(), Set.of(), Set.of()));
        peer.down = true;
        for (int i = 1; i <= 3; i++) {
            p.instanceStored(store(STUDY + ".1." + i, "CT", UID.CTImageStorage, "CT01"));
        }
        assertEquals(Duration.ZERO, p.sender().runOnce());
        assertEquals(1, peer.attempts);
        // on back-off: nothing is tried before 5 s, then 10 s, then 20 s, 20 s
        Duration wait = p.sender().runOnce();
        assertEquals(Duration.ofSeconds(5), wait);
        assertEquals(1, peer.attempts, "no association while the destination waits");
        for (long expected : new long[] {10, 20, 20}) {
            clock.advance(wait.minusSeconds(1));
            assertEquals(Duration.ofSeconds(1), p.sender().runOnce(), "not yet");
            clock.advance(Duration.ofSeconds(1));
            assertEquals(Duration.ZERO, p.sender().runOnce(), "an attempt");
            wait = p.sender().runOnce();
            assertEquals(Duration.ofSeconds(expected), wait);
        }
        assertEquals(4, peer.attempts);
        ForwardPlugin.DestinationStatus status = p.status().get(0);
        assertEquals(3, status.pending());
        assertTrue(status.lastError().contains("association failed: Connection refused"), status.lastError());
        EndpointResponse json = p.handle(new EndpointRequest("GET", "/status", Map.of(), null));
        assertTrue(new String(json.body(), StandardCharsets.UTF_8).contains("\"pending\":3"));
        assertEquals(3L, p.metrics().get("pending"));
        assertEquals(12L, p.metrics().get("failedAttempts"), "4 attempts of 3 instances");

        peer.down = false;
        clock.advance(Duration.ofSeconds(40));
        p.sender().runOnce();
        assertEquals(3, peer.received.size());
        assertTrue(p.queue().pending().isEmpty());
    }

    @Test
    void afterMaxAttemptsAnInstanceIsFailedAndARetryRequeuesItAlsoAfterARestart() throws Exception {
        ForwardPlugin p = plugin(Map.of("initialRetryDelaySeconds", 1L, "maxRetryDelaySeconds", 1L, "maxAttempts", 3),
                rule("PEER", Set.of(), Set.of(), Set.of()));
        peer.refuse = 0xA700;
        p.instanceStored(store(STUDY + ".1.1", "CT", UID.CTImageStorage, "CT01"));
        for (int i = 0; i < 3; i++) {
            p.sender().runOnce();
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(3, peer.attempts);
        assertTrue(p.queue().pending().isEmpty());
        assertEquals(1, p.queue().failed().size());
        assertEquals("C-STORE status A700: out of resources", p.queue().failed().get(0).lastError());
        p.sender().runOnce();
        assertEquals(3, peer.attempts, "a failed instance is not tried again by itself");
        p.deactivate();

        ForwardPlugin restarted = plugin(Map.of("maxAttempts", 3), rule("PEER", Set.of(), Set.of(), Set.of()));
        assertEquals(1, restarted.queue().failed().size(), "the failed list survives a restart");
        peer.refuse = 0;
        EndpointResponse retry = restarted.handle(new EndpointRequest("POST", "/retry", Map.of("destination",
                List.of("PEER")), null));
        assertEquals("{\"requeued\":1}", new String(retry.body(), StandardCharsets.UTF_8));
        restarted.sender().runOnce();
        assertEquals(List.of(STUDY + ".1.1"), peer.received);
        assertTrue(restarted.queue().failed().isEmpty() && restarted.queue().pending().isEmpty());
    }

    @Test
    void anInstanceDeletedFromTheArchiveIsDroppedAndAnUnreadableEntryIsMovedAside() throws Exception {
        ForwardPlugin p = plugin(Map.of(), rule("PEER", Set.of(), Set.of(), Set.of()));
        p.instanceStored(store(STUDY + ".1.1", "CT", UID.CTImageStorage, "CT01"));
        p.instanceStored(store(STUDY + ".1.2", "CT", UID.CTImageStorage, "CT01"));
        index.delete(STUDY, STUDY + ".1", STUDY + ".1.1");
        p.deactivate();
        Path broken = temp.resolve("forward/pending/0000000000000000099.entry");
        Files.writeString(broken, "destination=PEER\nqueued=yesterday\n");

        ForwardPlugin restarted = plugin(Map.of(), rule("PEER", Set.of(), Set.of(), Set.of()));
        assertTrue(Files.exists(temp.resolve("forward/pending/0000000000000000099.entry.unreadable")));
        restarted.sender().runOnce();
        assertEquals(List.of(STUDY + ".1.2"), peer.received);
        assertEquals(1, restarted.sender().dropped());
        assertTrue(restarted.queue().pending().isEmpty());
    }

    /** The header the archive's ingest hands to interceptors before it writes the instance. */
    private static Attributes received(String sop, String modality) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, STUDY + (modality.equals("CT") ? ".1" : ".2"));
        ds.setString(Tag.Modality, VR.CS, modality);
        return ds;
    }

    @Test
    void anInstanceIsQueuedWhileItIsReceivedAndSentAtOnceWhenTheArchiveReportsItStored() throws Exception {
        ForwardPlugin p = plugin(Map.of(), rule("CTPEER", Set.of("SCANNER"), Set.of("CT"), Set.of()));
        Origin scanner = new Origin("SCANNER", "MOSAIC", "127.0.0.1");
        assertEquals(Verdict.accept(), p.intercept(received(STUDY + ".1.1", "CT"), scanner));
        p.intercept(received(STUDY + ".2.1", "MR"), scanner);
        p.intercept(received(STUDY + ".1.9", "CT"), new Origin("OTHER", "MOSAIC", "127.0.0.1"));
        // only the matching one is queued, on disk before the archive writes (and acknowledges) it, not yet due
        assertEquals(1, Files.list(temp.resolve("forward/pending")).count());
        p.sender().runOnce();
        assertEquals(List.of(), peer.received, "not sent before the archive has stored it");

        p.instanceStored(store(STUDY + ".1.1", "CT", UID.CTImageStorage, "SCANNER"));
        p.sender().runOnce();
        assertEquals(List.of(STUDY + ".1.1"), peer.received, "sent once, at once");
        assertTrue(p.queue().pending().isEmpty());
        assertEquals(0, p.sender().dropped());
    }

    @Test
    void anAcknowledgedInstanceWhoseStoredReportWasLostIsForwardedAfterARestart() throws Exception {
        ForwardPlugin first = plugin(Map.of("unconfirmedGraceSeconds", 30L),
                rule("PEER", Set.of(), Set.of(), Set.of()));
        first.intercept(received(STUDY + ".1.1", "CT"), new Origin("CT01", "MOSAIC", "127.0.0.1"));
        store(STUDY + ".1.1", "CT", UID.CTImageStorage, "CT01"); // stored and acknowledged; then the JVM dies
        first.deactivate();

        ForwardPlugin restarted = plugin(Map.of("unconfirmedGraceSeconds", 30L),
                rule("PEER", Set.of(), Set.of(), Set.of()));
        assertEquals(1, restarted.queue().pending().size());
        restarted.sender().runOnce();
        assertEquals(List.of(), peer.received, "the grace for the stored report first");
        clock.advance(Duration.ofSeconds(31));
        restarted.sender().runOnce();
        assertEquals(List.of(STUDY + ".1.1"), peer.received, "found in the index: sent");
        assertTrue(restarted.queue().pending().isEmpty());
    }

    @Test
    void anInstanceQueuedWhileReceivedThatIsNeverStoredIsDroppedAfterTheTimeout() throws Exception {
        ForwardPlugin p = plugin(Map.of("unconfirmedGraceSeconds", 30L, "unconfirmedTimeoutMinutes", 10L),
                rule("PEER", Set.of(), Set.of(), Set.of()));
        p.intercept(received(STUDY + ".1.1", "CT"), new Origin("CT01", "MOSAIC", "127.0.0.1"));
        for (int i = 0; i < 19; i++) { // refused by the archive, or its ingest failed: never in the index
            clock.advance(Duration.ofSeconds(31));
            p.sender().runOnce();
            assertEquals(1, p.queue().pending().size(), "waits for it until the timeout, " + (i + 1) * 31 + " s");
        }
        clock.advance(Duration.ofSeconds(60));
        p.sender().runOnce();
        assertTrue(p.queue().pending().isEmpty(), "dropped after 10 minutes");
        assertEquals(1, p.sender().dropped());
        assertEquals(0, peer.attempts, "nothing was sent");
    }

    /** A remote AE as the archive's service class user reaches it: reads each instance from the storage. */
    final class Peer implements ServiceClassUser {
        boolean down;
        int refuse;
        int attempts;
        final List<Integer> batchSizes = new ArrayList<>();
        final List<String> received = new ArrayList<>();

        @Override
        public VerificationResult verify(String aeTitle) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<StoreResult> store(String aeTitle, List<Path> files) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<StoreResult> send(String aeTitle, List<InstanceLocation> instances) throws IOException {
            attempts++;
            if (down) {
                throw new IOException("Connection refused");
            }
            batchSizes.add(instances.size());
            List<StoreResult> results = new ArrayList<>();
            for (InstanceLocation loc : instances) {
                if (refuse != 0) {
                    results.add(new StoreResult(null, loc.sopInstanceUID(), refuse, "out of resources",
                            loc.sopInstanceUID()));
                    continue;
                }
                try (InputStream in = storage.read(loc.location().key()); DicomInputStream dis = new DicomInputStream(in)) {
                    Attributes ds = dis.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
                    received.add(ds.getString(Tag.SOPInstanceUID));
                }
                results.add(new StoreResult(null, loc.sopInstanceUID(), 0, "", loc.sopInstanceUID()));
            }
            return results;
        }
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
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
