package org.mosaicpacs.plugin.forward.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.mosaicpacs.api.ae.ServiceClassUser;
import org.mosaicpacs.api.config.SystemProperties;
import org.mosaicpacs.api.event.InstanceStored;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.plugin.EndpointRequest;
import org.mosaicpacs.api.plugin.EndpointResponse;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.IngestInterceptor;
import org.mosaicpacs.api.plugin.InstanceStoredHook;
import org.mosaicpacs.api.plugin.PluginConstants;
import org.mosaicpacs.api.plugin.PluginEndpoint;
import org.mosaicpacs.api.plugin.PluginMetrics;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forward plugin: each instance that a {@link ForwardRule} matches is queued durably for the rule's destination
 * while it is received, before the archive acknowledges it (as an {@link IngestInterceptor} that never changes or
 * refuses anything), and confirmed when the archive reports it stored ({@link InstanceStoredHook}); a sender thread
 * delivers the queue ({@link ForwardSender}). So an acknowledged instance is forwarded even when the report of its
 * storage is lost (a crash right after the acknowledgement, a full plugin queue): the sender finds it in the index.
 * Without the interceptor call (it timed out, or the plugin started meanwhile) the stored report queues it. Serves its
 * state under {@code /plugins/forward} ({@code GET /status}; {@code POST /retry[?destination=AE]}) and to the
 * console ({@code mosaic:forward-list}, {@code mosaic:forward-retry}); its counters go into {@code mosaic:plugin-list}
 * ({@link PluginMetrics}).
 */
@Component(service = {InstanceStoredHook.class, IngestInterceptor.class, PluginEndpoint.class, PluginMetrics.class,
        ForwardPlugin.class},
        configurationPid = ForwardPlugin.PID, property = PluginConstants.PLUGIN_NAME + "=forward")
@Designate(ocd = ForwardPlugin.Config.class)
public final class ForwardPlugin implements InstanceStoredHook, IngestInterceptor, PluginEndpoint, PluginMetrics {

    static final String PID = "org.mosaicpacs.plugin.forward";
    private static final Logger LOG = LoggerFactory.getLogger(ForwardPlugin.class);

    @ObjectClassDefinition(name = "Mosaic PACS plugin forward", description = "Delivery settings of the forward "
            + "plugin; the rules are factory configurations " + ForwardRule.FACTORY_PID)
    public @interface Config {
        @AttributeDefinition(name = "Directory", description = "Where the queue is kept (pending/ and failed/). "
                + "${mosaic.data} is replaced by the system property mosaic.data.")
        String directory() default "${mosaic.data}/plugins/forward";

        @AttributeDefinition(name = "Initial retry delay (s)", description = "Wait after a first failed attempt; "
                + "doubled after each further one")
        long initialRetryDelaySeconds() default 10;

        @AttributeDefinition(name = "Maximum retry delay (s)", description = "The longest wait between attempts")
        long maxRetryDelaySeconds() default 600;

        @AttributeDefinition(name = "Maximum attempts", description = "After so many failed attempts an instance moves "
                + "to the failed list (mosaic:forward-retry); 0: no limit")
        int maxAttempts() default 50;

        @AttributeDefinition(name = "Maximum age (h)", description = "An instance queued longer ago moves to the failed "
                + "list at its next failed attempt; 0: no limit")
        int maxAgeHours() default 72;

        @AttributeDefinition(name = "Batch size", description = "Instances sent on one association")
        int batchSize() default 50;

        @AttributeDefinition(name = "Unconfirmed grace (s)", description = "An instance is queued while it is "
                + "received, before the archive acknowledges it; it is sent once the archive reports it stored, or, "
                + "when that report was lost (a crash, a full plugin queue), after this wait once it is found in the "
                + "index; not found, it is looked for again after the same wait")
        long unconfirmedGraceSeconds() default 60;

        @AttributeDefinition(name = "Unconfirmed timeout (min)", description = "An instance queued while it was "
                + "received that is still not in the index so long after is dropped from the queue (the archive "
                + "refused it or its ingest failed)")
        long unconfirmedTimeoutMinutes() default 60;
    }

    private final ForwardQueue queue;
    private final ForwardSender sender;
    private final Clock clock;
    private final Duration unconfirmedGrace;
    private final List<ForwardRule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, StorageBackend> backends = new ConcurrentHashMap<>();
    private volatile ArchiveIndex index;
    private volatile ServiceClassUser scu;

    @Activate
    public ForwardPlugin(Config config) throws IOException {
        this(config, Clock.systemUTC(), true);
    }

    /** For tests: a clock of their own, and no sender thread when they call {@link #sender()}'s {@code runOnce}. */
    ForwardPlugin(Config config, Clock clock, boolean startSender) throws IOException {
        this.clock = clock;
        this.unconfirmedGrace = Duration.ofSeconds(Math.max(1, config.unconfirmedGraceSeconds()));
        this.queue = new ForwardQueue(Path.of(SystemProperties.expand(config.directory())));
        ForwardSender.Settings settings = new ForwardSender.Settings(
                new Backoff(Duration.ofSeconds(Math.max(1, config.initialRetryDelaySeconds())),
                        Duration.ofSeconds(Math.max(1, config.maxRetryDelaySeconds()))),
                config.maxAttempts(), Duration.ofHours(Math.max(0, config.maxAgeHours())), config.batchSize(),
                unconfirmedGrace, Duration.ofMinutes(Math.max(1, config.unconfirmedTimeoutMinutes())));
        this.sender = new ForwardSender(queue, settings, clock, () -> scu, () -> index);
        if (!queue.pending().isEmpty() || !queue.failed().isEmpty()) {
            LOG.info("forward: {} instance(s) pending and {} failed from before", queue.pending().size(),
                    queue.failed().size());
        }
        if (startSender) {
            sender.start("mosaic-plugin-forward-sender");
        }
    }

    @Deactivate
    void deactivate() {
        sender.stop();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRule(ForwardRule rule) {
        rules.add(rule);
        LOG.info("forward rule {}", rule);
    }

    void unbindRule(ForwardRule rule) {
        rules.remove(rule);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindServiceClassUser(ServiceClassUser scu) {
        this.scu = scu;
        sender.wakeUp();
    }

    void unbindServiceClassUser(ServiceClassUser scu) {
        if (this.scu == scu) {
            this.scu = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindIndex(ArchiveIndex index) {
        this.index = index;
        sender.wakeUp();
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
    }

    void unbindStorage(StorageBackend backend) {
        backends.remove(backend.id(), backend);
    }

    ForwardSender sender() {
        return sender;
    }

    ForwardQueue queue() {
        return queue;
    }

    List<ForwardRule> rules() {
        List<ForwardRule> list = new ArrayList<>(rules);
        list.sort(Comparator.comparing(ForwardRule::name).thenComparing(ForwardRule::destination));
        return list;
    }

    /**
     * Queues the instance for each destination whose rule matches, durably, before it returns. A failure to read the
     * Modality or to write the queue is thrown (the runtime counts it as a failure of the plugin) and logged with the
     * instance, so an admin can send it by hand.
     */
    @Override
    public void instanceStored(InstanceStored event) throws Exception {
        InstanceLocation instance = event.instance();
        if (queue.confirm(instance.sopInstanceUID(), clock.instant())) {
            sender.wakeUp(); // queued while it was received: due now
            return;
        }
        List<ForwardRule> candidates = new ArrayList<>();
        for (ForwardRule r : rules) {
            if (r.matches(event.callingAETitle(), instance.sopClassUID())) {
                candidates.add(r);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        String modality = null;
        if (candidates.stream().anyMatch(ForwardRule::needsModality)) {
            modality = modality(instance);
        }
        Map<String, ForwardRule> byDestination = new LinkedHashMap<>();
        for (ForwardRule r : candidates) {
            if (r.matches(event.callingAETitle(), instance.sopClassUID(), modality)) {
                byDestination.putIfAbsent(r.destination(), r);
            }
        }
        for (ForwardRule r : byDestination.values()) {
            try {
                queue.add(r.name(), r.destination(), instance.studyInstanceUID(), instance.seriesInstanceUID(),
                        instance.sopInstanceUID(), instance.sopClassUID(), event.callingAETitle(), clock.instant());
            } catch (IOException e) {
                LOG.error("forward: cannot queue {} of study {} for {}: {}; it is NOT forwarded",
                        instance.sopInstanceUID(), instance.studyInstanceUID(), r.destination(), e.getMessage());
                throw e;
            }
        }
        if (!byDestination.isEmpty()) {
            sender.wakeUp();
        }
    }

    /**
     * Queues the received instance, durably and unconfirmed, for each destination whose rule matches, before the
     * archive writes and acknowledges it; never changes or refuses it. A failure to write the queue is thrown (counted
     * as a failure of the plugin; the instance goes on, and the stored report queues it).
     */
    @Override
    public Verdict intercept(Attributes dataset, Origin origin) throws Exception {
        String sopClass = dataset.getString(Tag.SOPClassUID, "");
        String calling = origin == null || origin.callingAETitle() == null ? "" : origin.callingAETitle();
        String modality = dataset.getString(Tag.Modality, "");
        Map<String, ForwardRule> byDestination = new LinkedHashMap<>();
        for (ForwardRule r : rules) {
            if (r.matches(calling, sopClass, modality)) {
                byDestination.putIfAbsent(r.destination(), r);
            }
        }
        Instant now = clock.instant();
        for (ForwardRule r : byDestination.values()) {
            queue.addUnconfirmed(r.name(), r.destination(), dataset.getString(Tag.StudyInstanceUID, ""),
                    dataset.getString(Tag.SeriesInstanceUID, ""), dataset.getString(Tag.SOPInstanceUID, ""), sopClass,
                    calling, now, now.plus(unconfirmedGrace));
        }
        return Verdict.accept();
    }

    /** The Modality of a stored instance, read from its header. */
    private String modality(InstanceLocation instance) throws IOException {
        StorageBackend backend = backends.get(instance.location().storageId());
        if (backend == null) {
            throw new IOException("storage " + instance.location().storageId() + " of " + instance.sopInstanceUID()
                    + " is not running: its Modality cannot be read for the forward rules");
        }
        try (InputStream in = backend.read(instance.location().key()); DicomInputStream dis = new DicomInputStream(in)) {
            Attributes header = dis.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
            return header.getString(Tag.Modality, "");
        }
    }

    /**
     * Moves failed entries back to the queue.
     *
     * @param destination an AE title, or {@code null} for all
     * @return how many
     */
    int retry(String destination) throws IOException {
        int n = queue.requeue(e -> destination == null || e.destination().equals(destination), clock.instant());
        if (destination != null) {
            ForwardSender.DestinationState s = sender.state(destination);
            s.notBefore = Instant.EPOCH;
        }
        sender.wakeUp();
        return n;
    }

    /** One line per destination: what {@code mosaic:forward-list} and {@code /status} show. */
    record DestinationStatus(String destination, List<String> rules, int pending, int failed, long sent,
                             long failedAttempts, Instant nextAttempt, String lastError, Instant lastErrorAt) {
    }

    List<DestinationStatus> status() {
        Map<String, TreeSet<String>> ruleNames = new TreeMap<>();
        for (ForwardRule r : rules) {
            ruleNames.computeIfAbsent(r.destination(), d -> new TreeSet<>()).add(r.name());
        }
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, Instant> next = new TreeMap<>();
        for (ForwardQueue.Entry e : queue.pending()) {
            counts.computeIfAbsent(e.destination(), d -> new int[2])[0]++;
            next.merge(e.destination(), e.notBefore(), (a, b) -> a.isBefore(b) ? a : b);
        }
        for (ForwardQueue.Entry e : queue.failed()) {
            counts.computeIfAbsent(e.destination(), d -> new int[2])[1]++;
        }
        TreeSet<String> all = new TreeSet<>(ruleNames.keySet());
        all.addAll(counts.keySet());
        List<DestinationStatus> list = new ArrayList<>();
        for (String d : all) {
            int[] c = counts.getOrDefault(d, new int[2]);
            ForwardSender.DestinationState s = sender.state(d);
            Instant nextAttempt = next.get(d);
            if (nextAttempt != null && s.notBefore.isAfter(nextAttempt)) {
                nextAttempt = s.notBefore;
            }
            list.add(new DestinationStatus(d, List.copyOf(ruleNames.getOrDefault(d, new TreeSet<>())), c[0], c[1],
                    s.sent.get(), s.failedAttempts.get(), nextAttempt, s.lastError, s.lastErrorAt));
        }
        return list;
    }

    /** For {@code mosaic:plugin-list}: instances pending and failed now, sent, failed attempts and moved to failed. */
    @Override
    public Map<String, Long> metrics() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("pending", (long) queue.pending().size());
        m.put("failed", (long) queue.failed().size());
        m.put("sent", sender.sent());
        m.put("failedAttempts", sender.failedAttempts());
        m.put("movedToFailed", sender.gaveUp());
        return m;
    }

    @Override
    public EndpointResponse handle(EndpointRequest request) throws IOException {
        String path = request.path();
        if (path.isEmpty() || path.equals("/") || path.equals("/status")) {
            if (!request.method().equals("GET")) {
                return EndpointResponse.text(405, "GET /plugins/forward/status");
            }
            return EndpointResponse.json(statusJson());
        }
        if (path.equals("/retry")) {
            if (!request.method().equals("POST")) {
                return EndpointResponse.text(405, "POST /plugins/forward/retry[?destination=<AE title>]");
            }
            String destination = request.parameter("destination");
            int n = retry(destination == null || destination.isBlank() ? null : destination.strip());
            return EndpointResponse.json("{\"requeued\":" + n + "}");
        }
        return EndpointResponse.notFound("GET /plugins/forward/status, POST /plugins/forward/retry[?destination=AE]");
    }

    private String statusJson() {
        StringBuilder j = new StringBuilder("{\"destinations\":[");
        boolean first = true;
        for (DestinationStatus s : status()) {
            j.append(first ? "" : ",");
            first = false;
            j.append("{\"destination\":").append(quote(s.destination()))
                    .append(",\"rules\":[").append(String.join(",", s.rules().stream().map(ForwardPlugin::quote).toList()))
                    .append("],\"pending\":").append(s.pending())
                    .append(",\"failed\":").append(s.failed())
                    .append(",\"sent\":").append(s.sent())
                    .append(",\"failedAttempts\":").append(s.failedAttempts())
                    .append(",\"nextAttempt\":").append(s.nextAttempt() == null ? "null" : quote(s.nextAttempt().toString()))
                    .append(",\"lastError\":").append(quote(s.lastError()))
                    .append(",\"lastErrorAt\":").append(s.lastErrorAt() == null ? "null" : quote(s.lastErrorAt().toString()))
                    .append('}');
        }
        j.append("],\"sent\":").append(sender.sent())
                .append(",\"failedAttempts\":").append(sender.failedAttempts())
                .append(",\"movedToFailed\":").append(sender.gaveUp())
                .append(",\"droppedDeleted\":").append(sender.dropped())
                .append('}');
        return j.toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
