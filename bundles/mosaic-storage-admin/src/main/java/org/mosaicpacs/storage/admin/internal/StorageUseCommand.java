package org.mosaicpacs.storage.admin.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.storage.StorageBackend;
import org.osgi.service.cm.ConfigurationAdmin;

/** {@code mosaic:storage-use NAME}: the archive's default write target, taken live. */
@Service
@Command(scope = "mosaic", name = "storage-use",
        description = "Makes a running storage backend the default write target of new instances; ingests in "
                + "progress finish where they began")
public class StorageUseCommand implements Action {

    @Reference(optional = true)
    private List<StorageBackend> backends;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Argument(index = 0, name = "NAME", required = true, description = "the storage id")
    @Completion(StorageIdCompleter.class)
    private String name;

    @Override
    public Object execute() throws Exception {
        ConfigAdminStorageConfigurations configurations = new ConfigAdminStorageConfigurations(configurationAdmin);
        String before = configurations.writeTarget();
        try {
            new StorageConsole(null, backends, configurations).use(name);
        } catch (StorageConsole.Refused e) {
            System.err.println(e.getMessage());
            return null;
        }
        System.out.println("write target: " + name + " (was " + before + "); new instances go there, those being "
                + "received finish in " + before);
        return null;
    }
}
