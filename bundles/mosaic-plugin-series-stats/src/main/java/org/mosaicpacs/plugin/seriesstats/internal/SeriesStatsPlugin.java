package org.mosaicpacs.plugin.seriesstats.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.mosaicpacs.api.config.SystemProperties;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.plugin.EndpointRequest;
import org.mosaicpacs.api.plugin.EndpointResponse;
import org.mosaicpacs.api.plugin.PluginConstants;
import org.mosaicpacs.api.plugin.PluginEndpoint;
import org.mosaicpacs.api.plugin.SeriesStable;
import org.mosaicpacs.api.plugin.SeriesStableHook;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
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
 * The series-stats plugin: when a series is stable, reads its instances' headers (up to Pixel Data) from
 * storage and keeps its facts as JSON in a file per series; serves them under {@code /plugins/series-stats}:
 * {@code GET /series} lists the series, {@code GET /series/<Series Instance UID>} gives one.
 */
@Component(service = {SeriesStableHook.class, PluginEndpoint.class}, configurationPid = SeriesStatsPlugin.PID,
        property = PluginConstants.PLUGIN_NAME + "=series-stats")
@Designate(ocd = SeriesStatsPlugin.Config.class)
public final class SeriesStatsPlugin implements SeriesStableHook, PluginEndpoint {

    static final String PID = "org.mosaicpacs.plugin.seriesstats";
    private static final Logger LOG = LoggerFactory.getLogger(SeriesStatsPlugin.class);
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

    @ObjectClassDefinition(name = "Mosaic PACS plugin series-stats", description = "Per-series facts on series stable")
    public @interface Config {
        @AttributeDefinition(name = "Directory", description = "Where the facts are kept, one JSON file per series. "
                + "${mosaic.data} is replaced by the system property mosaic.data.")
        String directory() default "${mosaic.data}/plugins/series-stats";
    }

    private final Path directory;
    private final Map<String, StorageBackend> backends = new ConcurrentHashMap<>();
    private volatile ArchiveIndex index;

    @Activate
    public SeriesStatsPlugin(Config config) {
        this.directory = Path.of(SystemProperties.expand(config.directory()));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindIndex(ArchiveIndex index) {
        this.index = index;
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

    @Override
    public void seriesStable(SeriesStable event) throws Exception {
        ArchiveIndex current = index;
        if (current == null) {
            throw new IllegalStateException("no index: cannot read series " + event.seriesInstanceUID());
        }
        List<InstanceLocation> instances = current.locate(event.studyInstanceUID(), event.seriesInstanceUID(), null);
        if (instances.isEmpty()) {
            return;
        }
        SeriesFacts facts = new SeriesFacts(event.studyInstanceUID(), event.seriesInstanceUID());
        for (InstanceLocation instance : instances) {
            StorageBackend backend = backends.get(instance.location().storageId());
            if (backend == null) {
                LOG.warn("series-stats: storage {} of {} is not running; instance skipped",
                        instance.location().storageId(), instance.sopInstanceUID());
                continue;
            }
            try (InputStream in = backend.read(instance.location().key()); DicomInputStream dis = new DicomInputStream(in)) {
                Attributes header = dis.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
                facts.add(header);
            }
        }
        Files.createDirectories(directory);
        Path temp = directory.resolve(event.seriesInstanceUID() + ".json.tmp");
        Files.writeString(temp, facts.toJson(), StandardCharsets.UTF_8);
        Files.move(temp, directory.resolve(event.seriesInstanceUID() + ".json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public EndpointResponse handle(EndpointRequest request) throws IOException {
        if (!request.method().equals("GET")) {
            return EndpointResponse.text(405, "GET only");
        }
        String path = request.path();
        if (path.equals("/series") || path.equals("/series/") || path.isEmpty() || path.equals("/")) {
            StringBuilder list = new StringBuilder("{\"series\":[");
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.list(directory)) {
                    list.append(String.join(",", files.map(f -> f.getFileName().toString())
                            .filter(n -> n.endsWith(".json")).map(n -> "\"" + n.substring(0, n.length() - 5) + "\"")
                            .sorted().toList()));
                }
            }
            return EndpointResponse.json(list.append("]}").toString());
        }
        if (path.startsWith("/series/")) {
            String uid = path.substring("/series/".length());
            Path file = directory.resolve(uid + ".json");
            if (UID.matcher(uid).matches() && Files.isRegularFile(file)) {
                return EndpointResponse.json(Files.readString(file, StandardCharsets.UTF_8));
            }
            return EndpointResponse.notFound("no facts for series " + uid + " (yet: they come when it is stable)");
        }
        return EndpointResponse.notFound("GET /plugins/series-stats/series[/<Series Instance UID>]");
    }
}
