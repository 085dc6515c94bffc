package org.mosaicpacs.plugins.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.servlet.Servlet;

import org.mosaicpacs.api.config.SystemProperties;
import org.mosaicpacs.api.event.InstanceStored;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.ingest.InstanceStoredListener;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.EndpointRequest;
import org.mosaicpacs.api.plugin.EndpointResponse;
import org.mosaicpacs.api.plugin.IngestInterception;
import org.mosaicpacs.api.plugin.IngestInterceptor;
import org.mosaicpacs.api.plugin.InstanceStoredHook;
import org.mosaicpacs.api.plugin.PluginConstants;
import org.mosaicpacs.api.plugin.PluginEndpoint;
import org.mosaicpacs.api.plugin.PluginMetrics;
import org.mosaicpacs.api.plugin.QueryRetrieveHook;
import org.mosaicpacs.api.plugin.QueryRetrieveInterception;
import org.mosaicpacs.api.plugin.SeriesStable;
import org.mosaicpacs.api.plugin.SeriesStableHook;
import org.mosaicpacs.api.plugin.StudyStable;
import org.mosaicpacs.api.plugin.StudyStableHook;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.dicom.data.Attributes;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin runtime: collects the plugins' hooks from the whiteboard and calls them, each plugin on a
 * {@link PluginWorker} of its own. It is an {@link InstanceStoredListener} of the archive (it only queues,
 * so the ingest thread never waits for a plugin), the {@link IngestInterception} the ingest pipeline
 * calls, the {@link QueryRetrieveInterception} the query and retrieve services call, the timer of the stable events, and the dispatcher of {@code /plugins/<name>/}.
 */
@Component(service = {InstanceStoredListener.class, IngestInterception.class, QueryRetrieveInterception.class,
        PluginRuntime.class}, configurationPid = PluginRuntime.PID, immediate = true)
@Designate(ocd = PluginsConfiguration.class)
public final class PluginRuntime implements InstanceStoredListener, IngestInterception, QueryRetrieveInterception {

    static final String PID = "org.mosaicpacs.plugins";
    static final String INSTANCE_STORED = "instance-stored";
    static final String SERIES_STABLE = "series-stable";
    static final String STUDY_STABLE = "study-stable";
    static final String INGEST_INTERCEPTOR = "ingest-interceptor";
    static final String QUERY_RETRIEVE = "query-retrieve";
    static final String ENDPOINT = "http-endpoint";
    static final String METRICS = "metrics";
    /** Calls of one interceptor that may hang at once before it is skipped. */
    private static final int INTERCEPTOR_PERMITS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(PluginRuntime.class);

    /** A registered hook and the plugin (service) it belongs to. */
    private record Hook<T>(long serviceId, int ranking, T hook, Semaphore permits) {
    }

    /** One line of {@code mosaic:plugin-list}; {@code metrics} is the plugin's own ({@link PluginMetrics}), or empty. */
    record PluginInfo(String name, String bundle, Set<String> hooks, PluginWorker.Counts counts, String metrics) {
    }

    private final BundleContext context;
    private final PluginsConfiguration configuration;
    private final Clock clock;
    private final StabilityTracker tracker;
    private final Map<Long, PluginWorker> workers = new ConcurrentHashMap<>();
    private final Map<Long, Hook<InstanceStoredHook>> storedHooks = new ConcurrentHashMap<>();
    private final Map<Long, Hook<SeriesStableHook>> seriesHooks = new ConcurrentHashMap<>();
    private final Map<Long, Hook<StudyStableHook>> studyHooks = new ConcurrentHashMap<>();
    private final Map<Long, Hook<IngestInterceptor>> interceptors = new ConcurrentHashMap<>();
    private final Map<Long, Hook<QueryRetrieveHook>> queryRetrieveHooks = new ConcurrentHashMap<>();
    private final Map<Long, Hook<PluginEndpoint>> endpoints = new ConcurrentHashMap<>();
    private final Map<Long, Hook<PluginMetrics>> metrics = new ConcurrentHashMap<>();
    private final ExecutorService interceptionThreads;
    private final ScheduledExecutorService timer;
    private final ServiceRegistration<Servlet> servlet;

    @Activate
    public PluginRuntime(BundleContext context, PluginsConfiguration configuration) {
        this(context, configuration, Clock.systemUTC(), true);
    }

    /** For tests: a clock of their own, and no timer when they call {@link #tick()} themselves. */
    PluginRuntime(BundleContext context, PluginsConfiguration configuration, Clock clock, boolean startTimer) {
        this.context = context;
        this.configuration = configuration;
        this.clock = clock;
        this.tracker = new StabilityTracker(Path.of(SystemProperties.expand(configuration.pendingFile())),
                Duration.ofSeconds(Math.max(0, configuration.seriesStableSeconds())),
                Duration.ofSeconds(Math.max(0, configuration.studyStableSeconds())));
        this.interceptionThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mosaic-plugin-interceptor");
            t.setDaemon(true);
            return t;
        });
        if (startTimer) {
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mosaic-plugin-stable-timer");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::tickQuietly, 1, 1, TimeUnit.SECONDS);
        } else {
            this.timer = null;
        }
        if (context != null) {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, "/plugins/*");
            properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "mosaic-plugins");
            this.servlet = context.registerService(Servlet.class, new PluginServlet(this), properties);
        } else {
            this.servlet = null;
        }
    }

    @Deactivate
    void deactivate() {
        if (servlet != null) {
            try {
                servlet.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        tickQuietly();
        interceptionThreads.shutdownNow();
        workers.values().forEach(PluginWorker::close);
        workers.clear();
    }

    // ---- the whiteboard ----------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindInstanceStoredHook(InstanceStoredHook hook, Map<String, Object> properties) {
        add(storedHooks, INSTANCE_STORED, hook, properties);
    }

    void unbindInstanceStoredHook(InstanceStoredHook hook, Map<String, Object> properties) {
        remove(storedHooks, INSTANCE_STORED, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSeriesStableHook(SeriesStableHook hook, Map<String, Object> properties) {
        add(seriesHooks, SERIES_STABLE, hook, properties);
    }

    void unbindSeriesStableHook(SeriesStableHook hook, Map<String, Object> properties) {
        remove(seriesHooks, SERIES_STABLE, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindStudyStableHook(StudyStableHook hook, Map<String, Object> properties) {
        add(studyHooks, STUDY_STABLE, hook, properties);
    }

    void unbindStudyStableHook(StudyStableHook hook, Map<String, Object> properties) {
        remove(studyHooks, STUDY_STABLE, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindIngestInterceptor(IngestInterceptor hook, Map<String, Object> properties) {
        add(interceptors, INGEST_INTERCEPTOR, hook, properties);
    }

    void unbindIngestInterceptor(IngestInterceptor hook, Map<String, Object> properties) {
        remove(interceptors, INGEST_INTERCEPTOR, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindQueryRetrieveHook(QueryRetrieveHook hook, Map<String, Object> properties) {
        add(queryRetrieveHooks, QUERY_RETRIEVE, hook, properties);
    }

    void unbindQueryRetrieveHook(QueryRetrieveHook hook, Map<String, Object> properties) {
        remove(queryRetrieveHooks, QUERY_RETRIEVE, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPluginEndpoint(PluginEndpoint hook, Map<String, Object> properties) {
        add(endpoints, ENDPOINT, hook, properties);
    }

    void unbindPluginEndpoint(PluginEndpoint hook, Map<String, Object> properties) {
        remove(endpoints, ENDPOINT, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPluginMetrics(PluginMetrics hook, Map<String, Object> properties) {
        add(metrics, METRICS, hook, properties);
    }

    void unbindPluginMetrics(PluginMetrics hook, Map<String, Object> properties) {
        remove(metrics, METRICS, properties);
    }

    private <T> void add(Map<Long, Hook<T>> hooks, String kind, T hook, Map<String, Object> properties) {
        long id = serviceId(properties);
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        PluginWorker worker = workers.computeIfAbsent(id, i -> new PluginWorker(nameOf(properties), bundleOf(id),
                configuration.queueCapacity(), configuration.slowCallMillis()));
        worker.hooks().add(kind);
        hooks.put(id, new Hook<>(id, ranking instanceof Integer r ? r : 0, hook, new Semaphore(INTERCEPTOR_PERMITS)));
        LOG.info("Plugin {}: {} hook registered", worker.name(), kind);
    }

    private <T> void remove(Map<Long, Hook<T>> hooks, String kind, Map<String, Object> properties) {
        long id = serviceId(properties);
        hooks.remove(id);
        PluginWorker worker = workers.get(id);
        if (worker != null) {
            worker.hooks().remove(kind);
            if (worker.hooks().isEmpty() && workers.remove(id, worker)) {
                worker.close();
                LOG.info("Plugin {} removed", worker.name());
            }
        }
    }

    private static long serviceId(Map<String, Object> properties) {
        Object id = properties.get(Constants.SERVICE_ID);
        if (!(id instanceof Long l)) {
            throw new IllegalArgumentException("a service without service.id: " + properties);
        }
        return l;
    }

    private static String nameOf(Map<String, Object> properties) {
        Object name = properties.get(PluginConstants.PLUGIN_NAME);
        if (name instanceof String s && !s.isBlank()) {
            return s.trim();
        }
        Object component = properties.get("component.name");
        return component instanceof String c ? c : "service-" + properties.get(Constants.SERVICE_ID);
    }

    private String bundleOf(long serviceId) {
        if (context == null) {
            return "";
        }
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(" + Constants.SERVICE_ID + "=" + serviceId + ")");
            return refs == null || refs[0].getBundle() == null ? "" : refs[0].getBundle().getSymbolicName();
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return "";
        }
    }

    // ---- notification hooks ------------------------------------------------------------------------

    /** Called by the archive on the ingesting thread: records the instance for the stable events and queues it. */
    @Override
    public void instanceStored(InstanceStored event) {
        try {
            tracker.stored(event.instance().studyInstanceUID(), event.instance().seriesInstanceUID(), clock.instant());
            deliver(storedHooks, INSTANCE_STORED, (h, w) -> h.instanceStored(event));
        } catch (RuntimeException e) {
            LOG.warn("The plugin runtime failed to queue the stored instance {}", event.instance().sopInstanceUID(), e);
        }
    }

    /** A hook call on one plugin. */
    @FunctionalInterface
    private interface HookCall<T> {
        void call(T hook, PluginWorker worker) throws Exception;
    }

    private <T> void deliver(Map<Long, Hook<T>> hooks, String kind, HookCall<T> call) {
        for (Hook<T> h : hooks.values()) {
            PluginWorker worker = workers.get(h.serviceId());
            if (worker != null) {
                worker.submit(kind, () -> call.call(h.hook(), worker));
            }
        }
    }

    /** One turn of the timer: fires the stable events that are due and writes the pending file. */
    void tick() {
        StabilityTracker.Due due = tracker.due(clock.instant());
        for (SeriesStable s : due.series()) {
            deliver(seriesHooks, SERIES_STABLE, (h, w) -> h.seriesStable(s));
        }
        for (StudyStable s : due.studies()) {
            deliver(studyHooks, STUDY_STABLE, (h, w) -> h.studyStable(s));
        }
        tracker.flush();
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("The stable-event timer failed; it tries again in a second", e);
        }
    }

    // ---- intervention hooks ------------------------------------------------------------------------

    @Override
    public Result intercept(Attributes dataset, Origin origin) {
        Attributes current = dataset;
        boolean coerced = false;
        for (Hook<IngestInterceptor> h : ranked(interceptors)) {
            PluginWorker worker = workers.get(h.serviceId());
            if (worker == null) {
                continue;
            }
            Attributes copy = new Attributes(current);
            Optional<Verdict> answer = ask(h, worker, INGEST_INTERCEPTOR, () -> h.hook().intercept(copy, origin),
                    "the instance");
            if (answer.isEmpty()) {
                continue;
            }
            Verdict v = answer.get();
            if (v.decision() == Verdict.Decision.REJECT) {
                LOG.info("Plugin {} rejected an instance from {}: {} {}", worker.name(), origin.callingAETitle(),
                        Integer.toHexString(v.status()), v.comment());
                return new Result(v, dataset, worker.name());
            }
            if (v.decision() == Verdict.Decision.COERCED) {
                current = copy;
                coerced = true;
            }
        }
        return new Result(coerced ? Verdict.coerced() : Verdict.accept(), current, "");
    }

    @Override
    public QueryResult beforeQuery(QueryLevel level, Attributes keys, Origin origin) {
        Attributes current = keys;
        boolean coerced = false;
        for (Hook<QueryRetrieveHook> h : ranked(queryRetrieveHooks)) {
            PluginWorker worker = workers.get(h.serviceId());
            if (worker == null) {
                continue;
            }
            Attributes copy = new Attributes(current);
            Optional<Verdict> answer = ask(h, worker, QUERY_RETRIEVE, () -> h.hook().beforeQuery(level, copy, origin),
                    "the query");
            if (answer.isEmpty()) {
                continue;
            }
            Verdict v = answer.get();
            if (v.decision() == Verdict.Decision.REJECT) {
                LOG.info("Plugin {} rejected a {} query from {} {}: {} {}", worker.name(), level,
                        origin.callingAETitle(), origin.remoteHost(), Integer.toHexString(v.status()), v.comment());
                return new QueryResult(v, keys, worker.name());
            }
            if (v.decision() == Verdict.Decision.COERCED) {
                current = copy;
                coerced = true;
            }
        }
        return new QueryResult(coerced ? Verdict.coerced() : Verdict.accept(), current, "");
    }

    @Override
    public RetrieveResult beforeRetrieve(String studyInstanceUID, String seriesInstanceUID, String sopInstanceUID,
                                         Origin origin, String destinationAETitle) {
        String series = seriesInstanceUID == null ? "" : seriesInstanceUID;
        String sop = sopInstanceUID == null ? "" : sopInstanceUID;
        String destination = destinationAETitle == null ? "" : destinationAETitle;
        for (Hook<QueryRetrieveHook> h : ranked(queryRetrieveHooks)) {
            PluginWorker worker = workers.get(h.serviceId());
            if (worker == null) {
                continue;
            }
            Optional<Verdict> answer = ask(h, worker, QUERY_RETRIEVE,
                    () -> h.hook().beforeRetrieve(studyInstanceUID, series, sop, origin, destination), "the retrieve");
            if (answer.isPresent() && answer.get().decision() == Verdict.Decision.REJECT) {
                Verdict v = answer.get();
                LOG.info("Plugin {} rejected a retrieve of study {} from {} {}: {} {}", worker.name(), studyInstanceUID,
                        origin.callingAETitle(), origin.remoteHost(), Integer.toHexString(v.status()), v.comment());
                return new RetrieveResult(v, worker.name());
            }
        }
        return new RetrieveResult(Verdict.accept(), "");
    }

    /** The hooks of one kind, highest {@code service.ranking} first, then in the order they came. */
    private static <T> List<Hook<T>> ranked(Map<Long, Hook<T>> hooks) {
        List<Hook<T>> ordered = new ArrayList<>(hooks.values());
        ordered.sort(Comparator.comparingInt((Hook<T> h) -> h.ranking()).reversed().thenComparingLong(Hook::serviceId));
        return ordered;
    }

    /**
     * Asks one intervention hook, within the time budget; empty when it failed, hung or was skipped (too many of
     * its calls still hang). The call runs on a thread of the runtime, so a hanging hook holds only that thread.
     */
    private <T> Optional<Verdict> ask(Hook<T> h, PluginWorker worker, String kind, Callable<Verdict> call, String what) {
        if (!h.permits().tryAcquire()) {
            worker.countSlow();
            return Optional.empty();
        }
        Future<Verdict> future;
        try {
            future = interceptionThreads.submit(() -> {
                try {
                    return call.call();
                } finally {
                    h.permits().release();
                }
            });
        } catch (RejectedExecutionException e) {
            h.permits().release();
            return Optional.empty();
        }
        try {
            Verdict v = future.get(Math.max(1, configuration.interceptorTimeoutMillis()), TimeUnit.MILLISECONDS);
            if (v == null) {
                worker.countFailure();
                LOG.warn("Plugin {} ({}) answered no verdict; {} goes on unchanged", worker.name(), kind, what);
                return Optional.empty();
            }
            worker.countDelivered();
            return Optional.of(v);
        } catch (TimeoutException e) {
            future.cancel(true);
            worker.countSlow();
            LOG.warn("Plugin {} ({}) did not answer within {} ms; {} goes on without it", worker.name(), kind,
                    configuration.interceptorTimeoutMillis(), what);
            return Optional.empty();
        } catch (ExecutionException e) {
            worker.countFailure();
            LOG.warn("Plugin {} ({}) failed; {} goes on unchanged", worker.name(), kind, what, e.getCause());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    // ---- HTTP endpoints ----------------------------------------------------------------------------

    /** Names of the plugins that have an endpoint. */
    Set<String> endpointNames() {
        Set<String> names = new TreeSet<>();
        for (Hook<PluginEndpoint> h : endpoints.values()) {
            PluginWorker w = workers.get(h.serviceId());
            if (w != null) {
                names.add(w.name());
            }
        }
        return names;
    }

    /** Lets the plugin of that name answer; empty when no plugin of that name has an endpoint. */
    Optional<EndpointResponse> handle(String name, EndpointRequest request) {
        Hook<PluginEndpoint> found = null;
        PluginWorker worker = null;
        for (Hook<PluginEndpoint> h : endpoints.values()) {
            PluginWorker w = workers.get(h.serviceId());
            if (w != null && w.name().equals(name) && (found == null || h.serviceId() < found.serviceId())) {
                found = h;
                worker = w;
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        EndpointResponse[] answer = new EndpointResponse[1];
        Hook<PluginEndpoint> endpoint = found;
        boolean ok = worker.timed(ENDPOINT, () -> {
            answer[0] = endpoint.hook().handle(request);
            if (answer[0] == null) {
                throw new IllegalStateException("the endpoint answered null");
            }
        }, false);
        return Optional.of(ok ? answer[0] : EndpointResponse.text(500, "plugin " + name + " failed to answer"));
    }

    // ---- what the console shows --------------------------------------------------------------------

    List<PluginInfo> plugins() {
        List<PluginInfo> list = new ArrayList<>();
        for (Map.Entry<Long, PluginWorker> e : workers.entrySet()) {
            PluginWorker w = e.getValue();
            String own = metricsOf(e.getKey(), w); // first: a failure of it is in the counts
            list.add(new PluginInfo(w.name(), w.bundle(), new TreeSet<>(w.hooks()), w.counts(), own));
        }
        list.sort(Comparator.comparing(PluginInfo::name));
        return list;
    }

    /** The plugin's own counters as {@code name=value, ...}; empty without {@link PluginMetrics}, {@code ?} when it failed. */
    private String metricsOf(long serviceId, PluginWorker worker) {
        Hook<PluginMetrics> h = metrics.get(serviceId);
        if (h == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        boolean ok = worker.timed(METRICS, () -> {
            Map<String, Long> answer = h.hook().metrics();
            if (answer == null) {
                throw new IllegalStateException("the metrics were null");
            }
            answer.forEach((k, v) -> parts.add(k + "=" + v));
        }, false);
        if (!ok) {
            return "?";
        }
        return String.join(", ", parts);
    }

    int pendingSeries() {
        return tracker.pendingSeries();
    }

    int pendingStudies() {
        return tracker.pendingStudies();
    }
}
