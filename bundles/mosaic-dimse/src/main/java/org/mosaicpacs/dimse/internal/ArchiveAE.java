package org.mosaicpacs.dimse.internal;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.config.SystemProperties;
import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.QueryRetrieveInterception;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.UIDDictionary;
import org.mosaicpacs.dicom.net.ApplicationEntity;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Device;
import org.mosaicpacs.dicom.net.TransferCapability;
import org.mosaicpacs.dicom.net.TransferCapability.Role;
import org.mosaicpacs.dicom.net.dimse.CFindSCP;
import org.mosaicpacs.dicom.net.dimse.CStoreSCP;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.Dimse;
import org.mosaicpacs.dicom.net.dimse.DicomServer;
import org.mosaicpacs.dicom.net.dimse.DicomServiceException;
import org.mosaicpacs.dicom.net.dimse.DicomServiceRegistry;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.PixelDataDecompression;
import org.mosaicpacs.dicom.net.dimse.RetrieveSCP;
import org.mosaicpacs.dicom.net.dimse.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's AE, without OSGi: a {@link DicomServer} with C-ECHO, C-STORE (to the
 * {@link IngestService}), C-FIND (from the {@link ArchiveIndex}), C-MOVE and C-GET (reading the stored
 * objects from the backends the index names), on threads of a bounded pool it owns. When the plugin runtime's
 * {@link QueryRetrieveInterception} is present, C-FIND asks it before the query and C-MOVE/C-GET before they send
 * anything; a rejection refuses the whole request with the plugin's status.
 */
final class ArchiveAE implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveAE.class);

    /** The settings, parsed from the configuration. */
    record Settings(String aeTitle, String bindAddress, int port, int maxAssociations, Set<String> acceptedCallingAETitles,
                    Map<String, Connection> moveDestinations, List<String> storageTransferSyntaxes,
                    boolean caseInsensitivePN, int queryLimit, int responseTimeoutMillis, int idleTimeoutMillis,
                    Path spoolDirectory) {
    }

    /**
     * The Maximum Length the AE advertises for the PDUs it receives, and its cap on those it sends (the
     * peer's advertised maximum applies too): 256 KiB.
     */
    static final int MAX_PDU_LENGTH = 256 * 1024;

    /** The query/retrieve information models served. */
    static final List<String> FIND_MODELS = List.of(UID.PatientRootQueryRetrieveInformationModelFind,
            UID.StudyRootQueryRetrieveInformationModelFind);
    static final List<String> RETRIEVE_MODELS = List.of(UID.PatientRootQueryRetrieveInformationModelMove,
            UID.PatientRootQueryRetrieveInformationModelGet, UID.StudyRootQueryRetrieveInformationModelMove,
            UID.StudyRootQueryRetrieveInformationModelGet);

    private final Settings settings;
    private final Supplier<IngestService> ingest;
    private final Supplier<ArchiveIndex> index;
    private final Function<String, StorageBackend> backends;
    private final Supplier<RemoteApplicationEntities> remoteAEs;
    private final Supplier<Deidentifier> deidentifier;
    private final Supplier<QueryRetrieveInterception> queryRetrieve;
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService scheduler;
    private final DicomServer server;
    private final DicomServer tlsServer;

    ArchiveAE(Settings settings, Supplier<IngestService> ingest, Supplier<ArchiveIndex> index,
              Function<String, StorageBackend> backends) throws IOException {
        this(settings, NetworkSettings.DEFAULT, ingest, index, backends, () -> null);
    }

    /**
     * @param network   TLS listener and key material, calling AE policy, Storage Commitment reports
     * @param remoteAEs the configured remote AEs (or {@code null} while absent), asked at each association
     */
    ArchiveAE(Settings settings, NetworkSettings network, Supplier<IngestService> ingest, Supplier<ArchiveIndex> index,
              Function<String, StorageBackend> backends, Supplier<RemoteApplicationEntities> remoteAEs)
            throws IOException {
        this(settings, network, ingest, index, backends, remoteAEs, () -> null);
    }

    /**
     * @param deidentifier the de-identifier (or {@code null} while absent) for remote AEs marked to have what they
     *                     retrieve or store de-identified; without it, those retrieves and stores fail
     */
    ArchiveAE(Settings settings, NetworkSettings network, Supplier<IngestService> ingest, Supplier<ArchiveIndex> index,
              Function<String, StorageBackend> backends, Supplier<RemoteApplicationEntities> remoteAEs,
              Supplier<Deidentifier> deidentifier) throws IOException {
        this(settings, network, ingest, index, backends, remoteAEs, deidentifier, () -> null);
    }

    /**
     * @param queryRetrieve the plugin runtime's query/retrieve hooks (or {@code null} while absent: no hook)
     */
    ArchiveAE(Settings settings, NetworkSettings network, Supplier<IngestService> ingest, Supplier<ArchiveIndex> index,
              Function<String, StorageBackend> backends, Supplier<RemoteApplicationEntities> remoteAEs,
              Supplier<Deidentifier> deidentifier, Supplier<QueryRetrieveInterception> queryRetrieve)
            throws IOException {
        this.settings = settings;
        this.queryRetrieve = queryRetrieve;
        this.remoteAEs = remoteAEs;
        this.deidentifier = deidentifier;
        this.ingest = ingest;
        this.index = index;
        this.backends = backends;
        Files.createDirectories(settings.spoolDirectory());
        cleanSpool(settings.spoolDirectory());
        // readers, services and the associations of C-MOVE: a few threads per association, bounded
        int threads = Math.max(8, settings.maxAssociations() * 4);
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads("mosaic-dimse-" + settings.aeTitle()));
        executor.allowCoreThreadTimeOut(true);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("mosaic-dimse-timer"));

        Connection connection = new Connection(settings.bindAddress(), settings.port())
                // fewer, larger P-DATA-TF PDUs than the 16 KiB default: less per-PDU work on big images
                .setMaxPduLengthReceive(MAX_PDU_LENGTH).setMaxPduLengthSend(MAX_PDU_LENGTH);
        if (settings.responseTimeoutMillis() > 0) {
            connection.setResponseTimeout(settings.responseTimeoutMillis());
        }
        if (settings.idleTimeoutMillis() > 0) {
            // a peer that goes silent (even in the middle of a PDU) is aborted and its resources freed
            connection.setIdleTimeout(settings.idleTimeoutMillis());
        }
        // key and trust material also for the associations we open (C-MOVE, Storage Commitment reports)
        connection.setSslContext(network.sslContext()).setTlsProtocols(network.tlsProtocols().toArray(String[]::new));
        ApplicationEntity ae = new ApplicationEntity(settings.aeTitle());
        if (!settings.acceptedCallingAETitles().isEmpty()) {
            ae.addAcceptedCallingAETitles(settings.acceptedCallingAETitles().toArray(String[]::new));
        }
        if (network.acceptOnlyRemoteAEs()) {
            ae.setCallingAETitlePolicy(aet -> settings.acceptedCallingAETitles().contains(aet)
                    || remoteAEs.get() != null && remoteAEs.get().lookup(aet).isPresent());
        }
        ae.addTransferCapability(TransferCapability.of(UID.StorageCommitmentPushModel, Role.SCP));
        ae.addTransferCapability(TransferCapability.of(UID.Verification, Role.SCP));
        for (String model : FIND_MODELS) {
            ae.addTransferCapability(TransferCapability.of(model, Role.SCP).withExtendedNegotiation(
                    QueryRules.FIND_OPTIONS));
        }
        for (String model : RETRIEVE_MODELS) {
            ae.addTransferCapability(TransferCapability.of(model, Role.SCP));
        }
        for (String cuid : storageSOPClasses()) {
            ae.addTransferCapability(new TransferCapability(cuid, Role.SCP, settings.storageTransferSyntaxes()));
            // C-GET: the requestor proposes the storage classes with the SCP role, we take the SCU role
            ae.addTransferCapability(new TransferCapability(cuid, Role.SCU, List.of(TransferCapability.ANY)));
        }
        Device device = new Device("mosaic").addConnection(connection).addApplicationEntity(ae)
                .setMaxAssociations(settings.maxAssociations());
        DicomServiceRegistry registry = new DicomServiceRegistry()
                .add(new Store(settings.spoolDirectory()))
                .add(new Find())
                .add(new Retrieve())
                .add(new StorageCommitmentSCP(index, backends, settings.moveDestinations()::get,
                        network.commitmentOnNewAssociation()));
        this.server = new DicomServer(device, connection, registry, executor, scheduler);
        Connection tlsConnection = network.tlsPort() >= 0 ? network.tlsConnection(connection) : null;
        if (tlsConnection != null) {
            device.addConnection(tlsConnection);
        }
        this.tlsServer = tlsConnection == null ? null
                : new DicomServer(device, tlsConnection, registry, executor, scheduler);
        try {
            server.start();
            if (tlsServer != null) {
                tlsServer.start();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("DICOM AE {} listening on port {}{}", settings.aeTitle(), server.getLocalPort(),
                tlsServer == null ? "" : " and TLS port " + tlsServer.getLocalPort());
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return the TLS listener's port, or -1 when there is none */
    int tlsPort() {
        return tlsServer == null ? -1 : tlsServer.getLocalPort();
    }

    /** Every storage SOP class of dicom-core's dictionary. */
    static List<String> storageSOPClasses() {
        List<String> list = new ArrayList<>();
        for (String uid : UIDDictionary.uids()) {
            if (UIDDictionary.isStorageSOPClass(uid)) {
                list.add(uid);
            }
        }
        Collections.sort(list);
        return list;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (tlsServer != null) {
            tlsServer.close();
        }
        executor.shutdownNow();
        scheduler.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Removes what a stop or crash left in the spool: half-received data sets and retrieve copies. */
    private static void cleanSpool(Path spool) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(spool)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.endsWith(".part") || name.startsWith("retrieve-")) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clean the spool {}", spool, e);
        }
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.warn("cannot delete {}", f);
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot delete {}", p);
        }
    }

    /** The C-STORE status of an ingest outcome (see the conformance statement). */
    static int status(IngestResult.Outcome outcome) {
        return switch (outcome) {
            case STORED, REPLACED -> Status.Success;
            case KEPT_FIRST -> Status.ElementsDiscarded;
            case REJECTED_DUPLICATE -> Status.DuplicateSOPInstance;
            case CANNOT_UNDERSTAND -> Status.CannotUnderstand;
            case INVALID -> Status.DataSetDoesNotMatchSOPClassError;
            case STORAGE_UNAVAILABLE -> Status.OutOfResources;
            case PROCESSING_FAILURE -> Status.ProcessingFailure;
            // the plugin's own status is in the result: see status(IngestResult)
            case REJECTED_BY_PLUGIN -> Status.ProcessingFailure;
        };
    }

    /** The C-STORE status of an ingest result: a plugin's rejection answers with the plugin's failure status. */
    static int status(IngestResult result) {
        if (result.outcome() == IngestResult.Outcome.REJECTED_BY_PLUGIN && Verdict.isFailure(result.status())) {
            return result.status();
        }
        return status(result.outcome());
    }

    /** The origin of a request on an association: its AE titles (the peer's address is not known here). */
    private static Origin origin(DimseAssociation as) {
        return new Origin(as.remoteAETitle(), as.localAETitle(), "");
    }

    private static String comment(String message) {
        return message.length() <= 64 ? message : message.substring(0, 64);
    }

    /**
     * C-STORE: the instance goes to the {@link IngestService} as a stream while it arrives (the archive
     * writes it to storage once, no spool file here); {@code CStoreSCP} drains what the archive did not
     * read before answering.
     */
    private final class Store extends CStoreSCP {

        Store(Path spool) {
            super(spool);
        }

        @Override
        protected int store(DimseAssociation as, int pcid, Attributes command, InputStream part10, String transferSyntax)
                throws IOException {
            IngestService service = ingest.get();
            if (service == null) {
                throw new DicomServiceException(Status.ProcessingFailure, "the archive is not available");
            }
            String profile = storeProfile(as);
            if (profile != null) {
                return status(command, as, deidentified(service, as, command, part10, profile));
            }
            return status(command, as, service.ingest(part10, origin(as)));
        }

        @Override
        protected int store(DimseAssociation as, int pcid, Attributes command, Path partFile, String transferSyntax)
                throws IOException {
            IngestService service = ingest.get();
            if (service == null) {
                throw new DicomServiceException(Status.ProcessingFailure, "the archive is not available");
            }
            String profile = storeProfile(as);
            if (profile != null) {
                try (InputStream in = Files.newInputStream(partFile)) {
                    return status(command, as, deidentified(service, as, command, in, profile));
                }
            }
            return status(command, as, service.ingest(partFile, origin(as)));
        }

        /** The de-identification profile for what the calling AE stores, or null when it is not marked. */
        private String storeProfile(DimseAssociation as) {
            RemoteApplicationEntities aes = remoteAEs.get();
            if (aes == null) {
                return null;
            }
            return aes.lookup(as.remoteAETitle()).map(a -> a.deidentifyOnStore()).filter(p -> !p.isEmpty())
                    .orElse(null);
        }

        /**
         * De-identifies the received instance into a spool file (bounded memory) and ingests that; without a
         * de-identifier, or when the profile fails, nothing is stored (A700 or 0110 with the reason).
         */
        private IngestResult deidentified(IngestService service, DimseAssociation as, Attributes command,
                                          InputStream part10, String profile) throws IOException {
            String sop = command.getString(Tag.AffectedSOPInstanceUID);
            Deidentifier d = deidentifier.get();
            if (d == null) {
                LOG.warn("C-STORE {} from {} refused: it must be de-identified with profile '{}', but the "
                        + "de-identification feature is not available", sop, as.remoteAETitle(), profile);
                throw new DicomServiceException(Status.OutOfResources, "de-identification not available");
            }
            Path file = Files.createTempFile(settings.spoolDirectory(), "deid-store-", ".dcm");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
                    d.deidentify(part10, out, profile);
                } catch (DeidentificationException e) {
                    LOG.warn("C-STORE {} from {} refused: de-identification with profile '{}' failed: {}", sop,
                            as.remoteAETitle(), profile, e.getMessage());
                    throw new DicomServiceException(Status.ProcessingFailure,
                            comment("not de-identified: " + e.getMessage()));
                }
                return service.ingest(file, origin(as));
            } finally {
                Files.deleteIfExists(file);
            }
        }

        private int status(Attributes command, DimseAssociation as, IngestResult result) throws DicomServiceException {
            int status = ArchiveAE.status(result);
            if (Status.isFailure(status)) {
                throw new DicomServiceException(status, comment(result.message()));
            }
            if (status != Status.Success) {
                LOG.info("C-STORE {} from {}: {} ({})", command.getString(Tag.AffectedSOPInstanceUID),
                        as.remoteAETitle(), result.outcome(), result.message());
            }
            return status;
        }
    }

    private final class Find extends CFindSCP {

        Find() {
            super(FIND_MODELS.toArray(String[]::new));
        }

        @Override
        protected Iterator<Attributes> query(DimseAssociation as, int pcid, Attributes command, Attributes keys)
                throws DicomServiceException {
            ArchiveIndex idx = index.get();
            if (idx == null) {
                throw new DicomServiceException(Status.UnableToProcess, "the index is not available");
            }
            QueryLevel level = level(command, keys);
            boolean relational = isRelational(as, pcid);
            if (!relational) {
                QueryRules.checkHierarchical(command.getString(Tag.AffectedSOPClassUID), level, keys);
            }
            QueryRetrieveInterception plugins = queryRetrieve.get();
            if (plugins != null) {
                QueryRetrieveInterception.QueryResult r = beforeQuery(plugins, level, keys, as);
                refuseIfRejected(r.verdict(), r.plugin(), "C-FIND", as);
                keys = r.keys();
            }
            QueryRequest request = QueryRequest.of(level, keys);
            if (relational) {
                request = request.withRelational();
            }
            if (isCombinedDateTime(as, pcid)) {
                request = request.withCombinedDateTime();
            }
            if (settings.caseInsensitivePN()) {
                request = request.withCaseInsensitivePN();
            }
            int msgId = Commands.messageId(command);
            int limit = settings.queryLimit();
            List<Attributes> matches = new ArrayList<>();
            try {
                // one more than the limit: to know that the limit cut the result
                idx.query(request, match -> {
                    matches.add(match);
                    return matches.size() <= limit && !as.isCancelRequested(msgId);
                });
            } catch (IndexException e) {
                throw new DicomServiceException(e.isInvalidRequest() ? Status.IdentifierDoesNotMatchSOPClass
                        : Status.UnableToProcess, comment(e.getMessage()));
            }
            if (matches.size() <= limit) {
                return new LimitedMatches(matches, null);
            }
            matches.remove(limit);
            LOG.warn("C-FIND from {} at {} level: more than {} matches, sent the first {} and A700; the query "
                    + "should be narrowed (queryLimit)", as.remoteAETitle(), level, limit, limit);
            return new LimitedMatches(matches, new DicomServiceException(Status.OutOfResources,
                    comment("more than " + limit + " matches: narrow the query")));
        }
    }

    /** Asks the plugins before a query; when the runtime itself fails, the query goes on as asked (logged). */
    private static QueryRetrieveInterception.QueryResult beforeQuery(QueryRetrieveInterception plugins,
                                                                     QueryLevel level, Attributes keys,
                                                                     DimseAssociation as) {
        try {
            return plugins.beforeQuery(level, keys, origin(as));
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("C-FIND from {}: the plugins' query hooks failed; the query goes on without them",
                    as.remoteAETitle(), e);
            return new QueryRetrieveInterception.QueryResult(Verdict.accept(), keys, "");
        }
    }

    /** Asks the plugins before a retrieve; when the runtime itself fails, the retrieve goes on (logged). */
    private static QueryRetrieveInterception.RetrieveResult beforeRetrieve(QueryRetrieveInterception plugins,
                                                                           String study, String series, String sop,
                                                                           DimseAssociation as, String destination) {
        try {
            return plugins.beforeRetrieve(study, series, sop, origin(as), destination);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("retrieve from {}: the plugins' retrieve hooks failed; it goes on without them",
                    as.remoteAETitle(), e);
            return new QueryRetrieveInterception.RetrieveResult(Verdict.accept(), "");
        }
    }

    /**
     * Answers a request a plugin rejected: its failure status and comment (Error Comment), nothing matched or sent.
     */
    private static void refuseIfRejected(Verdict verdict, String plugin, String what, DimseAssociation as)
            throws DicomServiceException {
        if (verdict.decision() != Verdict.Decision.REJECT) {
            return;
        }
        String text = verdict.comment().isBlank() ? "refused by plugin " + plugin : verdict.comment();
        LOG.info("{} from {} refused by plugin {}: {} {}", what, as.remoteAETitle(), plugin,
                Status.toString(verdict.status()), text);
        throw new DicomServiceException(verdict.status(), comment(text));
    }

    /** The Query/Retrieve Level of a request, checked against its information model. */
    static QueryLevel level(Attributes command, Attributes keys) throws DicomServiceException {
        QueryLevel level;
        try {
            level = QueryLevel.ofCode(keys.getString(Tag.QueryRetrieveLevel));
        } catch (IllegalArgumentException e) {
            throw new DicomServiceException(Status.IdentifierDoesNotMatchSOPClass, comment(e.getMessage()));
        }
        String cuid = command.getString(Tag.AffectedSOPClassUID);
        if (level == QueryLevel.PATIENT && cuid != null && cuid.startsWith("1.2.840.10008.5.1.4.1.2.2.")) {
            throw new DicomServiceException(Status.IdentifierDoesNotMatchSOPClass, "no PATIENT level in Study Root");
        }
        return level;
    }

    private final class Retrieve extends RetrieveSCP {

        /** Compressed instances for peers that accepted them only uncompressed. */
        private final Decompression decompression = new Decompression();

        /** The de-identifying list of the request being served on this thread, to delete its last spool file. */
        private final ThreadLocal<DeidentifyingRetrieve> deidentifying = new ThreadLocal<>();

        Retrieve() {
            super(aet -> settings.moveDestinations().get(aet), RETRIEVE_MODELS.toArray(String[]::new));
        }

        @Override
        public void onRequest(DimseAssociation as, int pcid, Dimse dimse, Attributes command, InputStream data)
                throws IOException {
            try {
                super.onRequest(as, pcid, dimse, command, data);
            } finally {
                DeidentifyingRetrieve d = deidentifying.get();
                deidentifying.remove();
                if (d != null) {
                    d.deleteCurrent();
                }
            }
        }

        @Override
        protected PixelDataDecompression decompression() {
            return decompression;
        }

        @Override
        protected DimseAssociation connect(DimseAssociation as, String destinationAET, Connection remote,
                                           List<Instance> instances) throws IOException {
            // the contexts come from the stored SOP classes and syntaxes, which de-identification keeps
            return super.connect(as, destinationAET, remote,
                    instances instanceof DeidentifyingRetrieve d ? d.originals() : instances);
        }

        @Override
        protected List<Instance> locate(DimseAssociation as, int pcid, Attributes command, Attributes keys)
                throws DicomServiceException {
            ArchiveIndex idx = index.get();
            if (idx == null) {
                throw new DicomServiceException(Status.UnableToProcess, "the index is not available");
            }
            QueryLevel level = level(command, keys);
            QueryRetrieveInterception plugins = queryRetrieve.get();
            String destination = command.getString(Tag.MoveDestination);
            String what = destination != null ? "C-MOVE" : "C-GET";
            List<InstanceLocation> found = new ArrayList<>();
            try {
                for (String study : studies(idx, level, keys)) {
                    List<String> series = level.compareTo(QueryLevel.SERIES) >= 0 ? values(keys, Tag.SeriesInstanceUID)
                            : List.of();
                    List<String> sops = level == QueryLevel.IMAGE ? values(keys, Tag.SOPInstanceUID) : List.of();
                    if (level.compareTo(QueryLevel.SERIES) >= 0 && series.isEmpty()) {
                        throw new DicomServiceException(Status.IdentifierDoesNotMatchSOPClass, "no Series Instance UID");
                    }
                    if (level == QueryLevel.IMAGE && sops.isEmpty()) {
                        throw new DicomServiceException(Status.IdentifierDoesNotMatchSOPClass, "no SOP Instance UID");
                    }
                    for (String se : series.isEmpty() ? Collections.<String>singletonList(null) : series) {
                        for (String sop : sops.isEmpty() ? Collections.<String>singletonList(null) : sops) {
                            if (plugins != null) {
                                // each item the request names, before anything is sent: one rejection refuses all
                                QueryRetrieveInterception.RetrieveResult r = beforeRetrieve(plugins, study,
                                        se == null ? "" : se, sop == null ? "" : sop, as,
                                        destination == null ? "" : destination.strip());
                                refuseIfRejected(r.verdict(), r.plugin(), what, as);
                            }
                            found.addAll(idx.locate(study, se, sop));
                        }
                    }
                }
            } catch (IndexException e) {
                throw new DicomServiceException(e.isInvalidRequest() ? Status.IdentifierDoesNotMatchSOPClass
                        : Status.UnableToProcess, comment(e.getMessage()));
            }
            if (found.isEmpty()) {
                return List.of();
            }
            // each object is read from its backend only while its sub-operation sends it: no copy, no buffer
            List<Instance> instances = new ArrayList<>(found.size());
            int present = 0;
            for (InstanceLocation loc : found) {
                if (backends.apply(loc.location().storageId()) != null) {
                    present++;
                } else {
                    LOG.warn("cannot retrieve {}: storage {} is not present", loc.sopInstanceUID(),
                            loc.location().storageId());
                }
                // the syntax the index recorded: C-MOVE proposes its contexts without opening the objects
                instances.add(new Instance(loc.sopClassUID(), loc.sopInstanceUID(), loc.location().transferSyntaxUID(),
                        () -> open(loc)));
            }
            if (present == 0) {
                throw new DicomServiceException(Status.UnableToPerformSubOperations, "storage not available");
            }
            // C-MOVE: the destination receives; C-GET: the requester does
            String moveDestination = command.getString(Tag.MoveDestination);
            String receiver = moveDestination != null ? moveDestination.strip() : as.remoteAETitle();
            String profile = DeidentifyingRetrieve.profileOf(remoteAEs, receiver).orElse(null);
            if (profile != null) {
                DeidentifyingRetrieve d = new DeidentifyingRetrieve(instances, receiver, profile, deidentifier,
                        settings.spoolDirectory());
                deidentifying.set(d);
                return d;
            }
            return instances;
        }

        /** Opens a stored object; the backend is looked up again, it may have gone since the index answered. */
        private InputStream open(InstanceLocation loc) throws IOException {
            StorageBackend backend = backends.apply(loc.location().storageId());
            if (backend == null) {
                throw new IOException("storage " + loc.location().storageId() + " is not present");
            }
            return backend.read(loc.location().key());
        }

        private List<String> studies(ArchiveIndex idx, QueryLevel level, Attributes keys)
                throws IndexException, DicomServiceException {
            List<String> studies = values(keys, Tag.StudyInstanceUID);
            if (!studies.isEmpty()) {
                return studies;
            }
            if (level != QueryLevel.PATIENT) {
                throw new DicomServiceException(Status.IdentifierDoesNotMatchSOPClass, "no Study Instance UID");
            }
            String pid = keys.getString(Tag.PatientID);
            if (pid == null || pid.isEmpty()) {
                throw new DicomServiceException(Status.IdentifierDoesNotMatchSOPClass, "no Patient ID");
            }
            Attributes q = new Attributes();
            q.setString(Tag.PatientID, org.mosaicpacs.dicom.data.VR.LO, pid);
            String issuer = keys.getString(Tag.IssuerOfPatientID);
            if (issuer != null) {
                q.setString(Tag.IssuerOfPatientID, org.mosaicpacs.dicom.data.VR.LO, issuer);
            }
            q.setNull(Tag.StudyInstanceUID, org.mosaicpacs.dicom.data.VR.UI);
            Set<String> uids = new LinkedHashSet<>();
            idx.query(QueryRequest.of(QueryLevel.STUDY, q).withRelational(), m -> {
                uids.add(m.getString(Tag.StudyInstanceUID));
                return true;
            });
            uids.remove(null);
            return new ArrayList<>(uids);
        }
    }

    private static List<String> values(Attributes keys, int tag) {
        String[] v = keys.getStrings(tag);
        if (v == null) {
            return List.of();
        }
        List<String> list = new ArrayList<>();
        for (String s : v) {
            if (s != null && !s.isBlank() && !s.contains("*") && !s.contains("?")) {
                list.add(s.trim());
            }
        }
        return list;
    }

    // ---- configuration parsing -----------------------------------------------------------------

    /** The values of a list setting: several values, each possibly comma separated; blanks dropped. */
    static List<String> list(String[] values) {
        List<String> list = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                if (v != null) {
                    for (String part : v.split(",")) {
                        if (!part.isBlank()) {
                            list.add(part.trim());
                        }
                    }
                }
            }
        }
        return list;
    }

    /** Move destinations: AET=host:port. */
    static Map<String, Connection> destinations(String[] values) {
        Map<String, Connection> map = new HashMap<>();
        for (String v : list(values)) {
            int eq = v.indexOf('=');
            int colon = v.lastIndexOf(':');
            if (eq <= 0 || colon < eq) {
                throw new IllegalArgumentException("move destination is not AET=host:port: " + v);
            }
            map.put(v.substring(0, eq).trim(), new Connection(v.substring(eq + 1, colon).trim(),
                    Integer.parseInt(v.substring(colon + 1).trim())));
        }
        return Map.copyOf(map);
    }

    static Settings settings(DimseConfiguration c) {
        return settings(c, () -> null);
    }

    /** The settings; C-MOVE destinations are the remote AEs first, then the {@code moveDestinations} setting. */
    static Settings settings(DimseConfiguration c, Supplier<RemoteApplicationEntities> remoteAEs) {
        String aet = SystemProperties.expand(c.aeTitle()).trim();
        if (aet.isEmpty()) {
            aet = "MOSAIC";
        }
        String port = SystemProperties.expand(c.port()).trim();
        List<String> ts = list(c.storageTransferSyntaxes());
        return new Settings(aet, c.bindAddress(), port.isEmpty() ? 11112 : Integer.parseInt(port),
                Math.max(1, c.maxAssociations()), new LinkedHashSet<>(list(c.acceptedCallingAETitles())),
                new MoveDestinations(destinations(c.moveDestinations()), remoteAEs), ts.isEmpty() ? List.of(TransferCapability.ANY) : ts,
                c.caseInsensitivePN(), Math.max(1, c.queryLimit()), Math.max(0, c.responseTimeoutSeconds()) * 1000,
                Math.max(0, c.idleTimeoutSeconds()) * 1000, Path.of(SystemProperties.expand(c.spoolDirectory())));
    }

    static String describe(Settings s) {
        return s.aeTitle() + " on " + s.bindAddress() + ":" + s.port() + (s.acceptedCallingAETitles().isEmpty() ? ""
                : ", calling AEs " + s.acceptedCallingAETitles()) + ", move destinations "
                + new java.util.TreeSet<>(s.moveDestinations().keySet()).toString().toUpperCase(Locale.ROOT)
                + ", storage syntaxes " + Arrays.toString(s.storageTransferSyntaxes().toArray());
    }
}
