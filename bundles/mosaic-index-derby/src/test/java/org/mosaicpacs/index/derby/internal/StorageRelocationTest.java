package org.mosaicpacs.index.derby.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.index.StorageUsage;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.dicom.data.UID;

/** {@code relocate} and {@code storageUsage} on a real (in-memory) Derby index. */
class StorageRelocationTest {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private JdbcArchiveIndex index;

    @BeforeEach
    void freshDatabase() throws Exception {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:relocation" + DATABASES.incrementAndGet());
        dataSource.setCreateDatabase("create");
        index = new JdbcArchiveIndex(dataSource, new DerbyDialect());
        index.migrate();
    }

    private static StorageLocation in(String storageId, String sop, long size, String sha256) {
        return new StorageLocation(storageId, StorageKey.of(sop, "1"), UID.ExplicitVRLittleEndian, size, sha256);
    }

    private void store(String study, String sop, StorageLocation where) throws Exception {
        index.store(JdbcArchiveIndexTest.instance("P1", "Doe^John", study, "20200110", "101500", study + ".1", "CT",
                sop, 1), where, DuplicatePolicy.REJECT);
    }

    @Test
    void usageCountsAndSumsPerStorageId() throws Exception {
        store("1.2.1", "1.2.1.1.1", in("default", "1.2.1.1.1", 100, "aa"));
        store("1.2.1", "1.2.1.1.2", in("default", "1.2.1.1.2", 50, "bb"));
        store("1.2.2", "1.2.2.1.1", in("s3-main", "1.2.2.1.1", 7, "cc"));

        Map<String, StorageUsage> usage = index.storageUsage();

        assertEquals(new StorageUsage("default", 2, 150), usage.get("default"));
        assertEquals(new StorageUsage("s3-main", 1, 7), usage.get("s3-main"));
        assertEquals(2, usage.size());
    }

    @Test
    void relocatePointsTheInstanceAtTheNewCopyAndKeepsItsTransferSyntax() throws Exception {
        StorageLocation from = in("default", "1.2.1.1.1", 100, "aa");
        store("1.2.1", "1.2.1.1.1", from);
        StorageLocation to = new StorageLocation("s3-main", StorageKey.of("1.2.1.1.1", "2"), "ignored", 100, "aa");

        assertTrue(index.relocate("1.2.1.1.1", from, to));

        InstanceLocation now = index.locate("1.2.1", null, null).get(0);
        assertEquals("s3-main", now.location().storageId());
        assertEquals(to.key(), now.location().key());
        assertEquals(UID.ExplicitVRLittleEndian, now.location().transferSyntaxUID());
        assertEquals(Map.of("s3-main", new StorageUsage("s3-main", 1, 100)), index.storageUsage());
    }

    @Test
    void relocateChangesNothingWhenTheInstancePointsElsewhereOrIsGone() throws Exception {
        StorageLocation from = in("default", "1.2.1.1.1", 100, "aa");
        store("1.2.1", "1.2.1.1.1", from);
        StorageLocation other = in("fs-other", "1.2.1.1.1", 100, "aa");

        // a stale 'from' (the instance was replaced meanwhile): refused
        assertFalse(index.relocate("1.2.1.1.1", other, in("s3-main", "1.2.1.1.1", 100, "aa")));
        assertEquals("default", index.locate("1.2.1", null, null).get(0).location().storageId());

        index.delete("1.2.1", null, null);
        assertFalse(index.relocate("1.2.1.1.1", from, other));
        assertTrue(index.storageUsage().isEmpty());
    }
}
