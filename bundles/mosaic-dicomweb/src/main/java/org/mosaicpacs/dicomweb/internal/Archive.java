package org.mosaicpacs.dicomweb.internal;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.servlet.http.HttpServletRequest;

import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.QueryRetrieveInterception;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.api.storage.StorageBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of the archive behind DICOMweb, as they are now: each may be absent (dynamic references),
 * and a request that needs an absent one is answered 503. The plugins' query/retrieve hooks are asked here
 * too; while the plugin runtime is absent there is no hook and every request goes on.
 */
final class Archive {

    private static final Logger LOG = LoggerFactory.getLogger(Archive.class);

    private final Supplier<ArchiveIndex> index;
    private final Supplier<IngestService> ingest;
    private final Function<String, StorageBackend> storage;
    private final Supplier<QueryRetrieveInterception> queryRetrieve;
    private final boolean deidentified;

    Archive(Supplier<ArchiveIndex> index, Supplier<IngestService> ingest, Function<String, StorageBackend> storage) {
        this(index, ingest, storage, () -> null);
    }

    /** @param queryRetrieve the plugin runtime's query/retrieve hooks, or null while it is absent */
    Archive(Supplier<ArchiveIndex> index, Supplier<IngestService> ingest, Function<String, StorageBackend> storage,
            Supplier<QueryRetrieveInterception> queryRetrieve) {
        this(index, ingest, storage, queryRetrieve, false);
    }

    private Archive(Supplier<ArchiveIndex> index, Supplier<IngestService> ingest, Function<String, StorageBackend> storage,
                    Supplier<QueryRetrieveInterception> queryRetrieve, boolean deidentified) {
        this.index = Objects.requireNonNull(index);
        this.ingest = Objects.requireNonNull(ingest);
        this.storage = Objects.requireNonNull(storage);
        this.queryRetrieve = Objects.requireNonNull(queryRetrieve);
        this.deidentified = deidentified;
    }

    /** Who sends an HTTP request, for the plugins: the client's address; no AE titles. */
    static Origin origin(HttpServletRequest request) {
        return new Origin("", "", request.getRemoteAddr());
    }

    /**
     * Asks the plugins before a QIDO-RS query: the query to run (with the keys a plugin coerced), or 403 with
     * the comment of the plugin that refused it.
     */
    QueryRequest beforeQuery(QueryRequest query, Origin origin) {
        QueryRetrieveInterception plugins = queryRetrieve.get();
        if (plugins == null) {
            return query;
        }
        QueryRetrieveInterception.QueryResult r;
        try {
            r = plugins.beforeQuery(query.level(), query.keys(), origin);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("the plugins' query hooks failed; the QIDO-RS query goes on without them", e);
            return query;
        }
        refuseIfRejected(r.verdict(), r.plugin(), "the query");
        return r.keys() == query.keys() ? query : new QueryRequest(query.level(), r.keys(), query.relational(),
                query.caseInsensitivePN(), query.combinedDateTime());
    }

    /**
     * Asks the plugins before a WADO-RS or WADO-URI retrieve of a study, series ({@code ""} for all) or instance
     * ({@code ""} for all); 403 with the comment of the plugin that refused it.
     */
    void beforeRetrieve(String study, String series, String instance, Origin origin) {
        QueryRetrieveInterception plugins = queryRetrieve.get();
        if (plugins == null) {
            return;
        }
        QueryRetrieveInterception.RetrieveResult r;
        try {
            r = plugins.beforeRetrieve(study, series == null ? "" : series, instance == null ? "" : instance, origin, "");
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("the plugins' retrieve hooks failed; the WADO request goes on without them", e);
            return;
        }
        refuseIfRejected(r.verdict(), r.plugin(), "the retrieve");
    }

    private static void refuseIfRejected(Verdict verdict, String plugin, String what) {
        if (verdict.decision() == Verdict.Decision.REJECT) {
            throw new WebException(403, (verdict.comment().isBlank() ? what + " is refused" : verdict.comment())
                    + " (plugin " + plugin + ", DICOM status " + String.format("%04X", verdict.status()) + ")");
        }
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
        }, queryRetrieve, true);
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
