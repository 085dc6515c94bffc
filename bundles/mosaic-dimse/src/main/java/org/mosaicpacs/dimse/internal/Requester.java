package org.mosaicpacs.dimse.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.api.ae.ServiceClassUser;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.DimseResponse;
import org.mosaicpacs.dicom.net.dimse.RetrieveSCP.Instance;

/**
 * The archive as service class user towards its remote AEs ({@link ServiceClassUser}): C-ECHO and C-STORE
 * with the archive's AE title as calling AE title and, to AEs marked TLS, its key and trust material. Owns
 * the threads of its associations (ended when idle, and at {@link #close}). Archived instances ({@link #send})
 * go the way of a C-MOVE's sub-operations: read from their backend while sent, de-identified through
 * {@link DeidentifyingRetrieve} (fail closed) for an AE marked {@code deidentifyOnRetrieve}.
 */
final class Requester implements ServiceClassUser, Closeable {

    private final String callingAETitle;
    private final Supplier<RemoteApplicationEntities> remoteAEs;
    private final Connection local;
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private final Function<String, StorageBackend> backends;
    private final Supplier<Deidentifier> deidentifier;
    private final Path spool;
    /** Compressed instances go decompressed to an AE that accepted only uncompressed syntaxes (as for C-MOVE). */
    private final Decompression decompression = new Decompression();

    /** A requester that sends files and echoes, but no archived instances (no storage, no spool). */
    Requester(String callingAETitle, Supplier<RemoteApplicationEntities> remoteAEs, SSLContext sslContext,
              List<String> tlsProtocols, int responseTimeoutMillis) {
        this(callingAETitle, remoteAEs, sslContext, tlsProtocols, responseTimeoutMillis, id -> null, () -> null, null);
    }

    /**
     * @param callingAETitle        the archive's AE title
     * @param remoteAEs             the remote AEs (or {@code null} while absent)
     * @param sslContext            key and trust material for AEs marked TLS, or {@code null}
     * @param tlsProtocols          TLS versions
     * @param responseTimeoutMillis how long to wait for a response; 0: no limit
     * @param backends              the storage backends by id (absent: {@code null})
     * @param deidentifier          the de-identifier for AEs marked {@code deidentifyOnRetrieve} (absent: {@code null})
     * @param spool                 where a de-identified copy is spooled while it is sent; {@code null}: none, and
     *                              nothing is sent to a marked AE
     */
    Requester(String callingAETitle, Supplier<RemoteApplicationEntities> remoteAEs, SSLContext sslContext,
              List<String> tlsProtocols, int responseTimeoutMillis, Function<String, StorageBackend> backends,
              Supplier<Deidentifier> deidentifier, Path spool) {
        this.callingAETitle = callingAETitle;
        this.backends = backends;
        this.deidentifier = deidentifier;
        this.spool = spool;
        this.remoteAEs = remoteAEs;
        this.local = new Connection().setSslContext(sslContext).setTlsProtocols(tlsProtocols.toArray(String[]::new))
                .setResponseTimeout(responseTimeoutMillis);
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "mosaic-dimse-scu-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mosaic-dimse-scu-timer");
            t.setDaemon(true);
            return t;
        });
    }

    private RemoteApplicationEntity remote(String aeTitle) {
        RemoteApplicationEntities dir = remoteAEs.get();
        if (dir == null) {
            throw new IllegalStateException("the remote AEs are not available");
        }
        return dir.lookup(aeTitle).orElseThrow(() -> new IllegalArgumentException("no remote AE " + aeTitle
                + " is configured"));
    }

    @Override
    public VerificationResult verify(String aeTitle) throws IOException {
        RemoteApplicationEntity ae = remote(aeTitle);
        long start = System.nanoTime();
        try (DimseAssociation as = DimseAssociation.connect(local, MoveDestinations.connection(ae),
                new AssociateRQBuilder(ae.aeTitle(), callingAETitle).addVerification().build(), null, executor,
                scheduler)) {
            DimseResponse rsp = as.cecho();
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new VerificationResult(ae, rsp.status(), millis);
        }
    }

    @Override
    public List<StoreResult> store(String aeTitle, List<Path> files) throws IOException {
        RemoteApplicationEntity ae = remote(aeTitle);
        StoreResult[] results = new StoreResult[files.size()];
        String[] uids = new String[files.size()];
        List<Path> readable = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            try {
                uids[i] = sopInstanceUID(f);
                readable.add(f);
            } catch (IOException | RuntimeException e) {
                results[i] = new StoreResult(f, null, StoreResult.NOT_SENT, "not a DICOM file: " + e.getMessage());
            }
        }
        if (!readable.isEmpty()) {
            AssociateRQBuilder rq = new AssociateRQBuilder(ae.aeTitle(), callingAETitle).addStorageContexts(readable);
            try (DimseAssociation as = DimseAssociation.connect(local, MoveDestinations.connection(ae), rq.build(), null,
                    executor, scheduler)) {
                for (int i = 0; i < files.size(); i++) {
                    if (results[i] != null) {
                        continue;
                    }
                    Path f = files.get(i);
                    if (!as.isOpen()) {
                        results[i] = new StoreResult(f, uids[i], StoreResult.NOT_SENT, "association closed");
                        continue;
                    }
                    try {
                        DimseResponse rsp = as.cstore(f, Commands.MEDIUM).await();
                        String comment = rsp.errorComment();
                        results[i] = new StoreResult(f, uids[i], rsp.status(), comment == null ? "" : comment);
                    } catch (IOException e) {
                        results[i] = new StoreResult(f, uids[i], StoreResult.NOT_SENT, String.valueOf(e.getMessage()));
                    }
                }
            }
        }
        return List.of(results);
    }

    @Override
    public List<StoreResult> send(String aeTitle, List<InstanceLocation> locations) throws IOException {
        RemoteApplicationEntity ae = remote(aeTitle);
        StoreResult[] results = new StoreResult[locations.size()];
        List<Instance> instances = new ArrayList<>(locations.size());
        for (int i = 0; i < locations.size(); i++) {
            InstanceLocation loc = locations.get(i);
            if (backends.apply(loc.location().storageId()) == null) {
                results[i] = notSent(loc, "storage " + loc.location().storageId() + " is not present");
            }
            // the syntax the index recorded: the contexts are proposed without opening the objects
            instances.add(new Instance(loc.sopClassUID(), loc.sopInstanceUID(), loc.location().transferSyntaxUID(),
                    () -> open(loc)));
        }
        String profile = ae.deidentifyOnRetrieve();
        if (!profile.isEmpty() && spool == null) {
            for (int i = 0; i < results.length; i++) {
                if (results[i] == null) {
                    results[i] = notSent(locations.get(i), "not sent to " + ae.aeTitle()
                            + ": it must be de-identified and there is no spool folder");
                }
            }
        }
        List<Instance> proposed = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                proposed.add(instances.get(i));
            }
        }
        if (proposed.isEmpty()) {
            return List.of(results);
        }
        // the contexts come from the stored SOP classes and syntaxes, which de-identification keeps
        AssociateRQBuilder rq = new AssociateRQBuilder(ae.aeTitle(), callingAETitle).addStorageContextsFor(proposed,
                decompression);
        DeidentifyingRetrieve deidentifying = profile.isEmpty() ? null
                : new DeidentifyingRetrieve(instances, ae.aeTitle(), profile, deidentifier, spool);
        List<Instance> toSend = deidentifying == null ? instances : deidentifying;
        try (DimseAssociation as = DimseAssociation.connect(local, MoveDestinations.connection(ae), rq.build(), null,
                executor, scheduler)) {
            for (int i = 0; i < results.length; i++) {
                if (results[i] != null) {
                    continue;
                }
                InstanceLocation loc = locations.get(i);
                if (!as.isOpen()) {
                    results[i] = notSent(loc, "association closed");
                    continue;
                }
                try {
                    Instance inst = toSend.get(i);
                    DimseResponse rsp = as.cstore(inst, Commands.MEDIUM, decompression).await();
                    String comment = rsp.errorComment();
                    results[i] = new StoreResult(null, loc.sopInstanceUID(), rsp.status(), comment == null ? "" : comment,
                            inst.sopInstanceUid());
                } catch (IOException e) {
                    results[i] = notSent(loc, String.valueOf(e.getMessage()));
                }
            }
        } finally {
            if (deidentifying != null) {
                deidentifying.deleteCurrent();
            }
        }
        return List.of(results);
    }

    private static StoreResult notSent(InstanceLocation loc, String why) {
        return new StoreResult(null, loc.sopInstanceUID(), StoreResult.NOT_SENT, why, null);
    }

    /** Opens a stored object; the backend is looked up again, it may have gone meanwhile. */
    private InputStream open(InstanceLocation loc) throws IOException {
        StorageBackend backend = backends.apply(loc.location().storageId());
        if (backend == null) {
            throw new IOException("storage " + loc.location().storageId() + " is not present");
        }
        return backend.read(loc.location().key());
    }

    /** The Media Storage SOP Instance UID of a Part 10 file. */
    private static String sopInstanceUID(Path file) throws IOException {
        Attributes fmi;
        try (DicomInputStream in = new DicomInputStream(file)) {
            fmi = in.readFileMetaInformation();
        }
        String iuid = fmi == null ? null : fmi.getString(Tag.MediaStorageSOPInstanceUID);
        if (iuid == null) {
            throw new IOException("no file meta information with a Media Storage SOP Instance UID");
        }
        return iuid;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        scheduler.shutdownNow();
    }
}
