package org.mosaicpacs.dicomweb.internal;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.storage.StorageBackend;

/**
 * The services of the archive behind DICOMweb, as they are now: each may be absent (dynamic references),
 * and a request that needs an absent one is answered 503.
 */
final class Archive {

    private final Supplier<ArchiveIndex> index;
    private final Supplier<IngestService> ingest;
    private final Function<String, StorageBackend> storage;

    Archive(Supplier<ArchiveIndex> index, Supplier<IngestService> ingest, Function<String, StorageBackend> storage) {
        this.index = Objects.requireNonNull(index);
        this.ingest = Objects.requireNonNull(ingest);
        this.storage = Objects.requireNonNull(storage);
    }

    ArchiveIndex index() {
        ArchiveIndex i = index.get();
        if (i == null) {
            throw WebException.unavailable("the archive index is not available");
        }
        return i;
    }

    IngestService ingest() {
        IngestService i = ingest.get();
        if (i == null) {
            throw WebException.unavailable("the ingest service is not available: nothing can be stored now");
        }
        return i;
    }

    StorageBackend storage(String id) {
        StorageBackend b = storage.apply(id);
        if (b == null) {
            throw WebException.unavailable("storage " + id + " is not available");
        }
        return b;
    }
}
