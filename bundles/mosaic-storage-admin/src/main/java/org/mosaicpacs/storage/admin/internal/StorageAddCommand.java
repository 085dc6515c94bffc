package org.mosaicpacs.storage.admin.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.storage.StorageBackend;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * {@code mosaic:storage-add NAME fs PATH} and {@code mosaic:storage-add NAME s3 --endpoint URL --bucket B ...}:
 * creates the backend's factory configuration ({@code config:list} shows it); the backend starts from it.
 */
@Service
@Command(scope = "mosaic", name = "storage-add",
        description = "Adds a storage backend: NAME fs PATH, or NAME s3 --endpoint URL --bucket B [--region R] "
                + "[--access-key K --secret-key S]")
public class StorageAddCommand implements Action {

    @Reference(optional = true)
    private ArchiveIndex index;

    @Reference(optional = true)
    private List<StorageBackend> backends;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Argument(index = 0, name = "NAME", required = true, description = "the storage id (what the index records)")
    private String name;

    @Argument(index = 1, name = "KIND", required = true, description = "fs or s3")
    @Completion(value = StringsCompleter.class, values = {"fs", "s3"})
    private String kind;

    /** fs: PATH; s3: the options, which Karaf's parser takes as arguments once NAME and KIND are given. */
    @Argument(index = 2, name = "PATH | s3 options", multiValued = true,
            description = "fs: the folder the files are kept in; s3: --endpoint URL --bucket B [--region R] "
                    + "[--access-key K --secret-key S] [--key-prefix P]")
    @Completion(FileCompleter.class)
    private List<String> rest;

    @Option(name = "--endpoint", description = "s3: the server's URL (empty: AWS S3 in --region)")
    private String endpoint;

    @Option(name = "--bucket", description = "s3: the bucket (it must exist)")
    private String bucket;

    @Option(name = "--region", description = "s3: the region requests are signed for (default us-east-1)")
    private String region;

    @Option(name = "--access-key", description = "s3: the access key id")
    private String accessKey;

    @Option(name = "--secret-key", description = "s3: the secret key (kept as the private property .secretKey)")
    private String secretKey;

    @Option(name = "--key-prefix", description = "s3: every object key starts with it, e.g. mosaic/")
    private String keyPrefix;

    @Override
    public Object execute() throws Exception {
        StorageConsole console = new StorageConsole(index, backends, new ConfigAdminStorageConfigurations(configurationAdmin));
        try {
            String path = null;
            if (rest != null) {
                for (int i = 0; i < rest.size(); i++) {
                    String a = rest.get(i);
                    if (!a.startsWith("--")) {
                        if (path != null || !"fs".equals(kind)) {
                            throw new StorageConsole.Refused("unexpected argument " + a);
                        }
                        path = a;
                        continue;
                    }
                    if (i + 1 >= rest.size()) {
                        throw new StorageConsole.Refused(a + " needs a value");
                    }
                    String v = rest.get(++i);
                    switch (a) {
                        case "--endpoint" -> endpoint = v;
                        case "--bucket" -> bucket = v;
                        case "--region" -> region = v;
                        case "--access-key" -> accessKey = v;
                        case "--secret-key" -> secretKey = v;
                        case "--key-prefix" -> keyPrefix = v;
                        default -> throw new StorageConsole.Refused("unknown option " + a);
                    }
                }
            }
            switch (kind) {
                case "fs" -> console.addFileSystem(name, path);
                case "s3" -> console.addS3(name, endpoint, bucket, region, accessKey, secretKey, keyPrefix);
                default -> throw new StorageConsole.Refused("KIND is fs or s3, not " + kind);
            }
        } catch (StorageConsole.Refused e) {
            System.err.println(e.getMessage());
            return null;
        }
        System.out.println("storage " + name + " (" + kind + ") configured as "
                + StorageConfigurations.factoryPid(kind) + "~" + name + "; it starts within seconds"
                + ("s3".equals(kind) ? " once the feature mosaic-storage-s3 is installed" : "")
                + " (mosaic:storage-list, mosaic:health)");
        return null;
    }
}
