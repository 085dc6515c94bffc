package org.mosaicpacs.storage.admin.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.storage.StorageBackend;
import org.osgi.service.cm.ConfigurationAdmin;

/** {@code mosaic:storage-remove NAME}: deletes a backend's configuration; refused while it holds indexed objects. */
@Service
@Command(scope = "mosaic", name = "storage-remove",
        description = "Removes a storage backend's configuration; refused while the index records objects in it "
                + "or the archive writes to it")
public class StorageRemoveCommand implements Action {

    @Reference
    private ArchiveIndex index;

    @Reference(optional = true)
    private List<StorageBackend> backends;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Argument(index = 0, name = "NAME", required = true, description = "the storage id")
    @Completion(StorageIdCompleter.class)
    private String name;

    @Override
    public Object execute() throws Exception {
        try {
            new StorageConsole(index, backends, new ConfigAdminStorageConfigurations(configurationAdmin)).remove(name);
        } catch (StorageConsole.Refused e) {
            System.err.println(e.getMessage());
            return null;
        }
        System.out.println("storage " + name + " removed (its configuration is deleted; the files or the bucket "
                + "are left as they are)");
        return null;
    }
}
