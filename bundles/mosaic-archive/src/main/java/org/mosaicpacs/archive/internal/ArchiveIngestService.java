package org.mosaicpacs.archive.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.mosaicpacs.api.config.SystemProperties;
import org.mosaicpacs.api.health.Health;
import org.mosaicpacs.api.health.HealthIndicator;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.InstanceStoredListener;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link IngestService} of the archive. The index and the storage backends are dynamic references:
 * when the configured backend or the index is absent, ingest answers with a failure outcome, it does not
 * go away (so the DICOM services keep answering). At activation, and whenever a backend arrives, the
 * intents left in the journal by an earlier run are reconciled. Also a {@link HealthIndicator}
 * ("archive"): DOWN while the configured backend or the index is missing.
 */
@Component(service = {IngestService.class, HealthIndicator.class}, configurationPid = ArchiveIngestService.PID)
@Designate(ocd = ArchiveConfiguration.class)
public final class ArchiveIngestService implements IngestService, HealthIndicator {

    static final String PID = "org.mosaicpacs.archive";
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveIngestService.class);

    private final Map<String, StorageBackend> backends = new ConcurrentHashMap<>();
    private final Collection<InstanceStoredListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ArchiveIndex index;

    private final String storageId;
    private final IngestPipeline pipeline;
    private final List<IngestJournal.Intent> leftOver;

    @Activate
    public ArchiveIngestService(ArchiveConfiguration configuration) throws IOException {
        this.storageId = configuration.storageId();
        IngestJournal journal = new IngestJournal(Path.of(SystemProperties.expand(configuration.journalDirectory())));
        this.leftOver = new CopyOnWriteArrayList<>(journal.leftOver());
        this.pipeline = new IngestPipeline(new IngestPipeline.Settings(storageId, configuration.duplicatePolicy(),
                configuration.requirePatientID(), Coercion.parseAll(configuration.coercions()),
                Math.max(64, configuration.maxHeaderKiB()) * 1024L),
                () -> index, backends::get, () -> listeners, journal);
        reconcile();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindIndex(ArchiveIndex index) {
        this.index = index;
        if (pipeline != null) {
            reconcile();
        }
    }

    void unbindIndex(ArchiveIndex index) {
        if (this.index == index) {
            this.index = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStorage(StorageBackend backend) {
        backends.put(backend.id(), backend);
        if (pipeline != null) {
            reconcile();
        }
    }

    void unbindStorage(StorageBackend backend) {
        backends.remove(backend.id(), backend);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindListener(InstanceStoredListener listener) {
        listeners.add(listener);
    }

    void unbindListener(InstanceStoredListener listener) {
        listeners.remove(listener);
    }

    private synchronized void reconcile() {
        if (!leftOver.isEmpty()) {
            int settled = pipeline.reconcile(leftOver);
            leftOver.removeIf(i -> !java.nio.file.Files.exists(i.file()));
            if (settled > 0) {
                LOG.info("reconciled {} ingests interrupted by a stop or crash; {} left", settled, leftOver.size());
            }
        }
    }

    @Override
    public IngestResult ingest(Path part10File, Origin origin) {
        return pipeline.ingest(part10File, origin);
    }

    @Override
    public IngestResult ingest(InputStream part10Stream, Origin origin) {
        return pipeline.ingest(part10Stream, origin);
    }

    @Override
    public String name() {
        return "archive";
    }

    @Override
    public Health health() {
        if (index == null) {
            return Health.down("no ArchiveIndex: received instances are refused");
        }
        if (!backends.containsKey(storageId)) {
            return Health.down("storage " + storageId + " is not present: received instances are refused");
        }
        return Health.up("storing into " + storageId + (leftOver.isEmpty() ? "" : ", " + leftOver.size()
                + " interrupted ingests still to reconcile"));
    }
}
