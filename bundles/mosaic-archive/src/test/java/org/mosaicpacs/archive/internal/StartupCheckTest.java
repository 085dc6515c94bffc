package org.mosaicpacs.archive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Map;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.health.Health;
import org.mosaicpacs.api.health.HealthState;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/**
 * The archive component as it starts: index rows whose stored object is gone are reported in the health
 * detail (and the log), and nothing is deleted.
 */
class StartupCheckTest {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    @TempDir
    Path temp;

    private ArchiveIngestService start(ArchiveIndex index, StorageBackend storage) throws Exception {
        ArchiveIngestService service = new ArchiveIngestService(IngestPipelineTest.config(ArchiveConfiguration.class,
                Map.of("journalDirectory", temp.resolve("journal").toString())));
        service.bindStorage(storage);
        service.bindIndex(index);
        service.awaitStartupCheck();
        return service;
    }

    @Test
    void indexRowsWithoutTheirObjectAreReportedAtStartNotDeleted() throws Exception {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:startup");
        dataSource.setCreateDatabase("create");
        ArchiveIndex index = new DerbyArchiveIndex(dataSource, IngestPipelineTest.config(DerbyIndexConfiguration.class, Map.of()));
        StorageBackend storage = new FsStorageBackend(IngestPipelineTest.config(FsStorageConfiguration.class,
                Map.of("root", temp.resolve("storage").toString(), "fsync", false)));

        ArchiveIngestService first = start(index, storage);
        assertEquals(Health.up("storing into default"), first.health(), "an empty archive is consistent");
        IngestResult lost = null;
        for (int i = 1; i <= 3; i++) {
            byte[] part10 = StreamingIngestTest.part10(StreamingIngestTest.dataset("1.2.8", "1.2.8.1", "1.2.8.1." + i,
                    UID.ExplicitVRLittleEndian, 1000), UID.ExplicitVRLittleEndian);
            IngestResult r = first.ingest(new ByteArrayInputStream(part10), new Origin("M", "MOSAIC", ""));
            assertTrue(r.outcome().isAcknowledged(), r.message());
            lost = i == 2 ? r : lost;
        }
        first.deactivate();
        // the disk loses one object while the archive is stopped
        storage.delete(lost.instance().orElseThrow().location().key());

        ArchiveIngestService restarted = start(index, storage);

        Health health = restarted.health();
        assertEquals(HealthState.UP, health.state(), "ingest still works");
        assertTrue(health.detail().contains("1 indexed instance has no stored object (of 3; see mosaic:check)"),
                health.detail());
        assertEquals(3, index.locate("1.2.8", null, null).size(), "reported, not deleted");
    }
}
