package org.mosaicpacs.storage.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.index.StorageUsage;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.data.UID;

/** {@code mosaic:storage-migrate}'s work from file storage to S3 (S3Proxy) and back, on the real Derby index. */
class StorageMigrationTest {

    @TempDir
    Path temp;

    private Fixture f;
    private Path journals;
    private final List<String> problems = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(temp);
        journals = temp.resolve("storage-migration");
        // three studies, eleven instances, in the file storage
        for (int i = 1; i <= 4; i++) {
            f.store(f.fs, "1.2.40", "20200105", "1.2.40.1." + i, 3000 + i);
        }
        for (int i = 1; i <= 5; i++) {
            f.store(f.fs, "1.2.41", "20240610", "1.2.41.1." + i, 70_000 + i);
        }
        for (int i = 1; i <= 2; i++) {
            f.store(f.fs, "1.2.42", "20251231", "1.2.42.1." + i, 10 + i);
        }
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    /** Reports problems; at every step checks that the instance is retrievable from where the index says. */
    private StorageMigration.Listener checking(StorageMigration.Step failAt, int failAtNth) {
        AtomicInteger seen = new AtomicInteger();
        return new StorageMigration.Listener() {
            @Override
            public void study(String studyUID, int number, int studies, int moved, int instances) {
            }

            @Override
            public void problem(String sop, String why) {
                problems.add(sop + ": " + why);
            }

            @Override
            public void step(StorageMigration.Step step, String sop) {
                try {
                    f.whereIs(sop.substring(0, 6), sop);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                if (step == failAt && seen.incrementAndGet() == failAtNth) {
                    throw new IllegalStateException("injected crash after " + step + " of " + sop);
                }
            }
        };
    }

    private StorageMigration.Result migrate(String from, String to, List<String> studies, StorageMigration.Listener l)
            throws Exception {
        return new StorageMigration(f.index, f.backend(from), f.backend(to), journals).run(studies, l);
    }

    private List<String> all() throws Exception {
        return StorageMigration.studies(f.index, null);
    }

    private void assertAllIn(String storageId) throws Exception {
        for (String sop : f.sent.keySet()) {
            assertEquals(storageId, f.whereIs(sop.substring(0, 6), sop), sop);
        }
    }

    @Test
    void movesEveryStudyToS3VerifiedAndBackAgain() throws Exception {
        StorageMigration.Result r = migrate("default", "s3-main", all(), checking(null, 0));

        assertEquals(11, r.moved());
        assertEquals(List.of(), problems);
        assertAllIn("s3-main");
        assertEquals(0, f.objectsIn(f.fs), "the sources are deleted");
        assertEquals(11, f.objectsIn(f.bucket));
        assertEquals(Map.of("s3-main", new StorageUsage("s3-main", 11, r.bytes())), f.index.storageUsage());
        assertFalse(Files.exists(journals.resolve("default--s3-main.journal")), "nothing pending: no journal left");

        StorageMigration.Result back = migrate("s3-main", "default", all(), checking(null, 0));
        assertEquals(11, back.moved());
        assertEquals(r.bytes(), back.bytes());
        assertAllIn("default");
        assertEquals(0, f.objectsIn(f.bucket));
        assertEquals(11, f.objectsIn(f.fs));
    }

    @Test
    void onlyTheStudiesAskedFor() throws Exception {
        migrate("default", "s3-main", List.of("1.2.41"), checking(null, 0));
        assertEquals("s3-main", f.whereIs("1.2.41", "1.2.41.1.3"));
        assertEquals("default", f.whereIs("1.2.40", "1.2.40.1.1"));

        assertEquals(List.of("1.2.40"), StorageMigration.studies(f.index, "20240610"), "Study Date before, not on");
        migrate("default", "s3-main", StorageMigration.studies(f.index, "20250101"), checking(null, 0));
        assertEquals("s3-main", f.whereIs("1.2.40", "1.2.40.1.4"));
        assertEquals("default", f.whereIs("1.2.42", "1.2.42.1.1"));
        assertThrows(IllegalArgumentException.class, () -> StorageMigration.studies(f.index, "2025-01-01"));
    }

    @Test
    void aRunKilledAfterTheIndexWasRePointedIsFinishedByTheNext() throws Exception {
        // killed between the index update of the 3rd instance and the deletion of its source
        assertThrows(IllegalStateException.class,
                () -> migrate("default", "s3-main", all(), checking(StorageMigration.Step.RELOCATED, 3)));
        assertTrue(Files.exists(journals.resolve("default--s3-main.journal")), "the journal survives the crash");
        assertEquals(9, f.objectsIn(f.fs), "2 moved; the 3rd's source is still there");
        assertEquals(3, f.objectsIn(f.bucket));

        StorageMigration.Result r = migrate("default", "s3-main", all(), checking(null, 0));

        assertEquals(1, r.resumed(), "the 3rd's source deleted");
        assertEquals(8, r.moved());
        assertEquals(List.of(), problems);
        assertAllIn("s3-main");
        assertEquals(0, f.objectsIn(f.fs), "nothing left behind");
        assertEquals(11, f.objectsIn(f.bucket), "nothing duplicated");
        assertFalse(Files.exists(journals.resolve("default--s3-main.journal")));
    }

    @Test
    void aRunKilledAfterACopyReusesTheVerifiedCopy() throws Exception {
        // killed after the 6th copy was written, before the index pointed to it
        assertThrows(IllegalStateException.class,
                () -> migrate("default", "s3-main", all(), checking(StorageMigration.Step.COPIED, 6)));
        assertEquals(6, f.objectsIn(f.bucket), "5 moved and one copy nothing points to yet");
        assertEquals(6, f.objectsIn(f.fs));

        StorageMigration.Result r = migrate("default", "s3-main", all(), checking(null, 0));

        assertEquals(6, r.moved());
        assertEquals(List.of(), problems, "the copy of the earlier run was verified and used");
        assertAllIn("s3-main");
        assertEquals(0, f.objectsIn(f.fs));
        assertEquals(11, f.objectsIn(f.bucket));
    }

    @Test
    void aCopyOfAnInstanceDeletedAfterTheCrashIsRemovedByTheNextRun() throws Exception {
        // killed after the 6th copy was written, before the index pointed to it
        IllegalStateException crash = assertThrows(IllegalStateException.class,
                () -> migrate("default", "s3-main", all(), checking(StorageMigration.Step.COPIED, 6)));
        String sop = crash.getMessage().substring(crash.getMessage().lastIndexOf(' ') + 1);
        assertEquals(6, f.objectsIn(f.bucket), "5 moved and one copy nothing points to yet");
        // then the instance is deleted from the archive (as mosaic:delete does: index first, then its object)
        for (InstanceLocation l : f.index.delete(sop.substring(0, 6), sop.substring(0, 6) + ".1", sop)) {
            f.backend(l.location().storageId()).delete(l.location().key());
        }
        f.sent.remove(sop);

        StorageMigration.Result r = migrate("default", "s3-main", all(), checking(null, 0));

        assertEquals(5, r.moved());
        assertEquals(List.of(), problems);
        assertAllIn("s3-main");
        assertEquals(0, f.objectsIn(f.fs));
        assertEquals(10, f.objectsIn(f.bucket), "the deleted instance's copy is gone too");
        assertFalse(Files.exists(journals.resolve("default--s3-main.journal")), "nothing left pending");
    }

    @Test
    void aSourceWhoseDigestIsNotTheIndexedOneIsNotMoved() throws Exception {
        byte[] bytes = {1, 2, 3, 4};
        StoredObject stored = f.fs.write(StorageKey.forInstance("1.2.43", "1.2.43.1", "1.2.43.1.1", "1"),
                new java.io.ByteArrayInputStream(bytes));
        f.sent.put("1.2.43.1.1", bytes);
        f.index.store(Fixture.dataset("1.2.43", "20200101", "1.2.43.1.1"), new StorageLocation("default", stored.key(),
                UID.ExplicitVRLittleEndian, 4, "00".repeat(32)), DuplicatePolicy.REJECT);

        StorageMigration.Result r = migrate("default", "s3-main", List.of("1.2.43"), checking(null, 0));

        assertEquals(0, r.moved());
        assertEquals(1, r.problems());
        assertTrue(problems.get(0).contains("not the one the index recorded"), problems.toString());
        assertEquals("default", f.whereIs("1.2.43", "1.2.43.1.1"), "left where it was");
        assertEquals(0, f.objectsIn(f.bucket), "the copy is deleted again");
    }

    @Test
    void anObjectInTheTargetThatTheMigrationDidNotWriteIsLeftAlone() throws Exception {
        StorageKey key = f.index.locate("1.2.42", null, "1.2.42.1.1").get(0).location().key();
        f.bucket.write(key, new java.io.ByteArrayInputStream(new byte[] {9, 9, 9}));

        StorageMigration.Result r = migrate("default", "s3-main", List.of("1.2.42"), checking(null, 0));

        assertEquals(1, r.moved());
        assertEquals(1, r.problems());
        assertEquals("default", f.whereIs("1.2.42", "1.2.42.1.1"));
        assertTrue(f.bucket.exists(key), "not ours: not deleted");
    }

    @Test
    void inPlaceRePointsTheObjectsOfAnOldIdWithoutCopyingOrDeleting() throws Exception {
        // an upgraded archive: the index says fs-main, the same folder now runs as default
        StorageKey key = StorageKey.forInstance("1.2.44", "1.2.44.1", "1.2.44.1.1", "1");
        byte[] bytes = {5, 6, 7, 8, 9};
        StoredObject stored = f.fs.write(key, new java.io.ByteArrayInputStream(bytes));
        f.sent.put("1.2.44.1.1", bytes);
        f.index.store(Fixture.dataset("1.2.44", "20200101", "1.2.44.1.1"), new StorageLocation("fs-main", key,
                UID.ExplicitVRLittleEndian, stored.size(), stored.sha256()), DuplicatePolicy.REJECT);
        long before = f.objectsIn(f.fs);

        StorageMigration.Result r = new StorageMigration(f.index, "fs-main", null, f.fs, journals)
                .run(List.of("1.2.44"), checking(null, 0));

        assertEquals(1, r.moved());
        assertEquals("default", f.whereIs("1.2.44", "1.2.44.1.1"));
        assertEquals(before, f.objectsIn(f.fs), "nothing copied, nothing deleted");
        assertEquals(null, f.index.storageUsage().get("fs-main"));
    }
}
