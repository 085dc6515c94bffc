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
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.InstanceStoredListener;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.IngestInterception;
import org.mosaicpacs.api.storage.StorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
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
 * intents left in the journal by an earlier run are reconciled. Once both the index and the configured
 * backend are present, a background thread checks that every indexed instance has its stored object
 * ({@link StartupCheck}; reported, never repaired). The plugin runtime's {@link IngestInterception}, when present,
 * is asked once per instance after validation and before the write (coerce or refuse). Also a {@link HealthIndicator} ("archive"): DOWN while
 * the configured backend or the index is missing; UP otherwise, with what the start-up check found.
 */
@Component(service = {IngestService.class, HealthIndicator.class}, configurationPid = ArchiveIngestService.PID)
@Designate(ocd = ArchiveConfiguration.class)
public final class ArchiveIngestService implements IngestService, HealthIndicator {

    static final String PID = "org.mosaicpacs.archive";
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveIngestService.class);

    private final Map<String, StorageBackend> backends = new ConcurrentHashMap<>();
    private final Collection<InstanceStoredListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ArchiveIndex index;
    private volatile IngestInterception interception;

    private volatile String storageId;
    private final IngestPipeline pipeline;
    private final List<IngestJournal.Intent> leftOver;
    private final IngestJournal journal;
    private final boolean checkAtStart;
    private final String journalDirectory;
    private Thread startupCheck;
    private volatile boolean closed;
    private volatile String startupFindings = "";

    @Activate
    public ArchiveIngestService(ArchiveConfiguration configuration) throws IOException {
        StorageRules rules = StorageRules.parse(configuration.storageId(), configuration.storageRules());
        this.storageId = rules.defaultTarget();
        this.journalDirectory = configuration.journalDirectory();
        this.journal = new IngestJournal(Path.of(SystemProperties.expand(journalDirectory)));
        this.leftOver = new CopyOnWriteArrayList<>(journal.leftOver());
        this.pipeline = new IngestPipeline(settings(configuration, storageId),
                () -> index, backends::get, () -> listeners, () -> interception, journal);
        pipeline.reconfigure(settings(configuration, storageId), rules);
        this.checkAtStart = configuration.checkAtStart();
        reconcile();
        startCheck();
    }

    private static IngestPipeline.Settings settings(ArchiveConfiguration configuration, String storageId) {
        return new IngestPipeline.Settings(storageId, configuration.duplicatePolicy(),
                configuration.requirePatientID(), Coercion.parseAll(configuration.coercions()),
                Math.max(64, configuration.maxHeaderKiB()) * 1024L, configuration.validateContent());
    }

    /**
     * A configuration change, taken live: the component stays registered (so no C-STORE finds the ingest
     * service missing), ingests in progress finish on the backend they chose, the next ones follow the new
     * target and rules. Rules or coercions that cannot be read are refused (logged) and the current ones
     * kept. The journal directory is read at activation only.
     */
    @Modified
    void modified(ArchiveConfiguration configuration) {
        StorageRules rules;
        IngestPipeline.Settings next;
        try {
            rules = StorageRules.parse(configuration.storageId(), configuration.storageRules());
            next = settings(configuration, rules.defaultTarget());
        } catch (IllegalArgumentException e) {
            LOG.error("configuration {} refused, the archive keeps storing as before: {}", PID, e.getMessage());
            return;
        }
        if (!journalDirectory.equals(configuration.journalDirectory())) {
            LOG.warn("journalDirectory changes at the next start of the archive; the journal stays in {}",
                    journalDirectory);
        }
        String before = storageId;
        storageId = rules.defaultTarget();
        pipeline.reconfigure(next, rules);
        if (!before.equals(storageId)) {
            LOG.info("write target is now {} (was {}); ingests in progress finish on {}", storageId, before, before);
        }
        if (!rules.rules().isEmpty()) {
            LOG.info("storage rules: {}", rules.rules());
        }
    }

    /** The rules that choose the write target now (the console shows them). */
    StorageRules storageRules() {
        return pipeline.rules();
    }

    /**
     * Waits (at most {@link #DRAIN_SECONDS}) for the ingests in progress, which took this service before it was
     * unregistered, then closes the journal: no intent begins after that, and the journal's log stays its own (the
     * next instance of this component leaves it alone) until the last ingest in progress has ended its intent.
     */
    @Deactivate
    void deactivate() {
        closed = true;
        try {
            if (!journal.awaitIdle(DRAIN_SECONDS * 1000L)) {
                LOG.warn("ingests still in progress after {} s; they finish on their own, new ones are refused",
                        DRAIN_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            journal.close();
        } catch (IOException e) {
            LOG.warn("cannot close the ingest journal", e);
        }
    }

    private static final int DRAIN_SECONDS = 30;

    /** Starts the start-up check once, when the index and the configured backend are both there. */
    private synchronized void startCheck() {
        ArchiveIndex idx = index;
        if (!checkAtStart || startupCheck != null || idx == null || !backends.containsKey(storageId)) {
            return;
        }
        startupCheck = new Thread(() -> {
            try {
                StartupCheck.Result r = new StartupCheck(idx, backends::get, () -> closed).run();
                String problem = r.problem();
                startupFindings = problem;
                if (problem.isEmpty()) {
                    LOG.info("start-up check: all {} indexed instances have their stored object", r.instances());
                } else {
                    LOG.warn("start-up check: {}; e.g. {}", problem, r.examples());
                }
            } catch (IndexException | RuntimeException e) {
                startupFindings = "start-up check failed: " + e.getMessage();
                LOG.warn("start-up check of the index against storage failed", e);
            }
        }, "mosaic-archive-startup-check");
        startupCheck.setDaemon(true);
        startupCheck.start();
    }

    /** Waits for the start-up check (tests). */
    void awaitStartupCheck() throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = startupCheck;
        }
        if (t != null) {
            t.join();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindIndex(ArchiveIndex index) {
        this.index = index;
        if (pipeline != null) {
            reconcile();
            startCheck();
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
            startCheck();
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

    /**
     * The plugin runtime's interceptors ({@code mosaic-plugins}), asked once per instance before it is written.
     * Optional and dynamic: while it is absent (or being replaced) instances are stored without it.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindInterception(IngestInterception interception) {
        this.interception = interception;
    }

    void unbindInterception(IngestInterception interception) {
        if (this.interception == interception) {
            this.interception = null;
        }
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
        String findings = startupFindings;
        return Health.up("storing into " + storageId + (leftOver.isEmpty() ? "" : ", " + leftOver.size()
                + " interrupted ingests still to reconcile") + (findings.isEmpty() ? "" : "; " + findings));
    }
}
