package org.mosaicpacs.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/** {@code mosaic:check} both ways, on the real index (Derby in memory) and the real file storage. */
class CheckOrphansTest {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Duration GRACE = Duration.ofMinutes(60);

    @TempDir
    Path temp;

    private ArchiveIndex index;
    private StorageBackend storage;
    private Path root;

    @BeforeEach
    void setUp() throws Exception {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:check" + DATABASES.incrementAndGet());
        dataSource.setCreateDatabase("create");
        index = new DerbyArchiveIndex(dataSource, config(DerbyIndexConfiguration.class, Map.of()));
        root = temp.resolve("storage");
        storage = new FsStorageBackend(config(FsStorageConfiguration.class, Map.of("root", root.toString(), "fsync", false)));
    }

    /** What the archive does for one instance: write, then index. */
    private StorageKey ingest(String study, String series, String sop) throws Exception {
        StorageKey key = StorageKey.forInstance(study, series, sop, "1");
        StoredObject stored = storage.write(key, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.PatientID, VR.LO, "PID");
        index.store(ds, StorageLocation.of(stored, "1.2.840.10008.1.2.1"), DuplicatePolicy.KEEP_FIRST);
        return key;
    }

    /** An object written, never indexed (a crash before the commit, a bug, a copy from elsewhere). */
    private StorageKey orphan(String sop, Instant modified) throws Exception {
        StorageKey key = StorageKey.forInstance("1.2.9", "1.2.9.1", sop, "1");
        storage.write(key, new ByteArrayInputStream(new byte[] {4, 5}));
        Files.setLastModifiedTime(fileOf(key), FileTime.from(modified));
        return key;
    }

    /** The file storage's layout: root/hh/hh/SHA-256 of the key. */
    private Path fileOf(StorageKey key) throws Exception {
        String hash = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return root.resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash);
    }

    @Test
    void findsMissingObjectsAndOrphansAndRepairsOnlyOldOrphans() throws Exception {
        Instant now = Instant.now();
        ingest("1.2.1", "1.2.1.1", "1.2.1.1.1");
        StorageKey lost = ingest("1.2.1", "1.2.1.1", "1.2.1.1.2");
        ingest("1.2.2", "1.2.2.1", "1.2.2.1.1");
        Files.delete(fileOf(lost));
        StorageKey old = orphan("1.2.9.1.1", now.minus(Duration.ofHours(5)));
        StorageKey young = orphan("1.2.9.1.2", now.minus(Duration.ofMinutes(5)));
        ArchiveMaintenance m = new ArchiveMaintenance(index, List.of(storage));

        ArchiveMaintenance.CheckReport report = m.check(false, GRACE, now);

        assertEquals(2, report.studies());
        assertEquals(3, report.instances());
        assertEquals(4, report.objects(), "2 indexed objects + 2 orphans are stored");
        assertEquals(List.of("1.2.1.1.2"), report.missing().stream().map(InstanceLocation::sopInstanceUID).toList());
        assertEquals(List.of(old, young).stream().sorted(java.util.Comparator.comparing(StorageKey::value)).toList(),
                report.orphans().stream().map(o -> o.object().key()).sorted(java.util.Comparator.comparing(StorageKey::value))
                        .toList());
        assertTrue(report.orphans().stream().noneMatch(ArchiveMaintenance.Orphan::deleted), "a check alone deletes nothing");
        assertTrue(storage.exists(old));

        ArchiveMaintenance.CheckReport repaired = m.check(true, GRACE, now);

        assertEquals(1, repaired.repaired(), "the row of the lost object is removed");
        assertEquals(1, repaired.orphansDeleted());
        assertFalse(storage.exists(old), "the old orphan is deleted");
        assertTrue(storage.exists(young), "an orphan younger than the grace period may be an ingest in flight: kept");
        assertTrue(repaired.orphans().stream().filter(o -> o.object().key().equals(young))
                .allMatch(ArchiveMaintenance.Orphan::recent));

        ArchiveMaintenance.CheckReport after = m.check(false, GRACE, now);
        assertEquals(0, after.missing().size());
        assertEquals(1, after.orphans().size());
        assertEquals(2, index.locate("1.2.1", null, null).size() + index.locate("1.2.2", null, null).size());

        ArchiveMaintenance.CheckReport later = m.check(true, GRACE, now.plus(Duration.ofHours(2)));
        assertEquals(1, later.orphansDeleted());
        assertFalse(storage.exists(young));
        assertEquals(2, storage.list(o -> true), "the two indexed objects are left");
    }

    @Test
    void anObjectTheIndexPointsToIsNeverAnOrphanAndBackendsThatCannotListAreNamed() throws Exception {
        ingest("1.2.3", "1.2.3.1", "1.2.3.1.1");
        ArchiveMaintenanceTest.KeySetBackend other = new ArchiveMaintenanceTest.KeySetBackend("s3-old");
        ArchiveMaintenance m = new ArchiveMaintenance(index, List.of(storage, other));

        ArchiveMaintenance.CheckReport report = m.check(true, Duration.ZERO, Instant.now().plusSeconds(3600));

        assertEquals(List.of(), report.orphans());
        assertEquals(1, report.objects());
        assertEquals(List.of("s3-old: cannot list its objects"), report.notListed());
        assertEquals(1, index.locate("1.2.3", null, null).size());
        assertEquals(1, storage.list(o -> true));
    }

    /** A typed configuration: the annotation's defaults, with some values replaced. */
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
