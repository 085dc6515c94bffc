package org.mosaicpacs.storage.admin.internal;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.StorageUsage;
import org.mosaicpacs.api.storage.StorageBackend;

/**
 * What {@code mosaic:storage-list}, {@code -add}, {@code -remove} and {@code -use} do, without the shell:
 * the running backends, their configurations, the archive's write target and what the index records in
 * each backend.
 */
final class StorageConsole {

    /** A storage id: what {@code storage-add} accepts as NAME (also the configuration's name). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** A refusal, with the sentence the console prints. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** One line of {@code storage-list}. */
    record Row(String id, String kind, boolean running, long objects, long bytes, String writeTarget) {
    }

    private final ArchiveIndex index;
    private final Collection<StorageBackend> backends;
    private final StorageConfigurations configurations;

    StorageConsole(ArchiveIndex index, Collection<StorageBackend> backends, StorageConfigurations configurations) {
        this.index = index;
        this.backends = backends == null ? List.of() : backends;
        this.configurations = configurations;
    }

    StorageBackend running(String id) {
        return backends.stream().filter(b -> b.id().equals(id)).findFirst().orElse(null);
    }

    /** Every backend that is configured, running or named by the index, in the order of their ids. */
    List<Row> list() throws IOException, IndexException {
        Map<String, StorageUsage> usage = index == null ? Map.of() : index.storageUsage();
        Map<String, String> kinds = new LinkedHashMap<>();
        for (StorageConfigurations.Configured c : configurations.configured()) {
            kinds.put(c.id(), c.kind());
        }
        TreeSet<String> ids = new TreeSet<>(kinds.keySet());
        backends.forEach(b -> ids.add(b.id()));
        ids.addAll(usage.keySet());
        String target = configurations.writeTarget();
        List<String> rules = configurations.rules();
        List<Row> rows = new ArrayList<>();
        for (String id : ids) {
            StorageUsage u = usage.getOrDefault(id, new StorageUsage(id, 0, 0));
            List<String> marks = new ArrayList<>();
            if (id.equals(target)) {
                marks.add("default");
            }
            for (String r : rules) {
                if (r.endsWith("-> " + id) || r.endsWith("->" + id)) {
                    marks.add(r.substring(0, r.indexOf("->")).strip());
                }
            }
            rows.add(new Row(id, kinds.getOrDefault(id, "?"), running(id) != null, u.objects(), u.bytes(),
                    String.join(", ", marks)));
        }
        return rows;
    }

    /** {@code storage-add NAME fs PATH}. */
    void addFileSystem(String name, String path) throws IOException, Refused {
        checkNew(name);
        if (path == null || path.isBlank()) {
            throw new Refused("storage-add " + name + " fs needs a PATH");
        }
        String root = path.strip();
        for (StorageConfigurations.Configured c : configurations.configured()) {
            if (c.kind().equals("fs") && root.equals(String.valueOf(c.properties().get("root")))) {
                throw new Refused("storage " + c.id() + " already keeps its files in " + root
                        + ": two ids on one folder would take each other's objects for orphans");
            }
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("storage.id", name);
        p.put("root", root);
        configurations.create("fs", name, p);
    }

    /** {@code storage-add NAME s3 --endpoint URL --bucket B [--region R] [--access-key K --secret-key S]}. */
    void addS3(String name, String endpoint, String bucket, String region, String accessKey, String secretKey,
               String keyPrefix) throws IOException, Refused {
        checkNew(name);
        if (bucket == null || bucket.isBlank()) {
            throw new Refused("storage-add " + name + " s3 needs --bucket");
        }
        if (endpoint != null && !endpoint.isBlank()) {
            try {
                URI u = URI.create(endpoint.strip());
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new Refused("--endpoint must be an http:// or https:// URL, not " + endpoint);
            }
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new Refused("give both --access-key and --secret-key, or neither (the keys then come from the "
                    + "environment of Karaf: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("storage.id", name);
        p.put("endpoint", endpoint == null ? "" : endpoint.strip());
        p.put("bucket", bucket.strip());
        if (region != null) {
            p.put("region", region.strip());
        }
        if (accessKey != null) {
            p.put("accessKey", accessKey);
            p.put(".secretKey", secretKey);
        }
        if (keyPrefix != null) {
            p.put("keyPrefix", keyPrefix);
        }
        configurations.create("s3", name, p);
    }

    private void checkNew(String name) throws IOException, Refused {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new Refused("NAME must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (running(name) != null || configurations.configured().stream().anyMatch(c -> c.id().equals(name))) {
            throw new Refused("storage " + name + " exists already");
        }
    }

    /** {@code storage-remove NAME}: refused while the index records objects there, or the archive writes there. */
    void remove(String name) throws IOException, IndexException, Refused {
        StorageUsage u = index.storageUsage().get(name);
        if (u != null && u.objects() > 0) {
            throw new Refused("storage " + name + " holds " + u.objects() + " indexed objects (" + u.bytes()
                    + " bytes): move them first, e.g. mosaic:storage-migrate --from " + name + " --to "
                    + configurations.writeTarget());
        }
        if (name.equals(configurations.writeTarget())) {
            throw new Refused("storage " + name + " is the write target: mosaic:storage-use another one first");
        }
        for (String r : configurations.rules()) {
            if (r.endsWith("-> " + name) || r.endsWith("->" + name)) {
                throw new Refused("storage " + name + " is the target of the rule '" + r
                        + "' (storageRules of " + StorageConfigurations.ARCHIVE_PID + "): change it first");
            }
        }
        if (!configurations.delete(name)) {
            throw new Refused("no configuration of a storage " + name + " (fs or s3)");
        }
    }

    /** {@code storage-use NAME}: the default write target. */
    void use(String name) throws IOException, Refused {
        if (running(name) == null) {
            throw new Refused("storage " + name + " is not running (mosaic:storage-list; its health in mosaic:health)");
        }
        configurations.setWriteTarget(name);
    }
}
