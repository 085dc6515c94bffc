package org.mosaicpacs.archive.internal;

import java.io.IOException;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.InstanceStoredListener;
import org.mosaicpacs.api.plugin.IngestInterception;
import org.mosaicpacs.api.storage.StorageBackend;

/**
 * The real ingest service of mosaic-archive, wired by hand as Declarative Services would wire it (its bind
 * methods are package private, hence this class in its package, in the tests only).
 */
public final class PluginsArchiveForTests {

    private PluginsArchiveForTests() {
    }

    public static IngestService ingestService(ArchiveConfiguration configuration, ArchiveIndex index,
                                              StorageBackend storage, InstanceStoredListener listener) throws IOException {
        ArchiveIngestService service = new ArchiveIngestService(configuration);
        service.bindIndex(index);
        service.bindStorage(storage);
        service.bindListener(listener);
        return service;
    }

    /** The same, with the plugin runtime's interceptors bound too. */
    public static IngestService ingestService(ArchiveConfiguration configuration, ArchiveIndex index,
                                              StorageBackend storage, InstanceStoredListener listener,
                                              IngestInterception interception) throws IOException {
        ArchiveIngestService service = new ArchiveIngestService(configuration);
        service.bindIndex(index);
        service.bindStorage(storage);
        service.bindListener(listener);
        service.bindInterception(interception);
        return service;
    }
}
