package org.mosaicpacs.dicomweb.internal;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.mosaicpacs.api.deidentify.Deidentifier;
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
    private final boolean deidentified;

    Archive(Supplier<ArchiveIndex> index, Supplier<IngestService> ingest, Function<String, StorageBackend> storage) {
        this(index, ingest, storage, false);
    }

    private Archive(Supplier<ArchiveIndex> index, Supplier<IngestService> ingest, Function<String, StorageBackend> storage,
                    boolean deidentified) {
        this.index = Objects.requireNonNull(index);
        this.ingest = Objects.requireNonNull(ingest);
        this.storage = Objects.requireNonNull(storage);
        this.deidentified = deidentified;
    }

    /**
     * The archive as one request of a client marked for de-identification sees it: every stored object it reads is
     * de-identified with {@code profile} ({@link DeidentifyingStorage}); nothing can be stored through it. One per
     * request.
     */
    Archive deidentifying(Deidentifier deidentifier, String profile, String aeTitle) {
        java.util.Map<String, DeidentifyingStorage> views = new java.util.HashMap<>();
        return new Archive(index, () -> {
            throw new WebException(403, "remote AE " + aeTitle + " gets de-identified data: it cannot store here");
        }, id -> {
            StorageBackend b = storage.apply(id);
            return b == null ? null : views.computeIfAbsent(id, k -> new DeidentifyingStorage(b, deidentifier, profile,
                    aeTitle));
        }, true);
    }

    /**
     * Whether objects read are de-identified: answers then name no original UID of their own (no Content-Location),
     * sizes are those of the de-identified objects, and nothing identified (cached metadata, index values) is sent.
     */
    boolean deidentified() {
        return deidentified;
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
