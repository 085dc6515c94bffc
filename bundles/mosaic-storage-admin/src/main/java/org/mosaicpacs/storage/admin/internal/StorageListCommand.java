package org.mosaicpacs.storage.admin.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.storage.StorageBackend;
import org.osgi.service.cm.ConfigurationAdmin;

/** {@code mosaic:storage-list}: the storage backends, what the index records in each, the write target. */
@Service
@Command(scope = "mosaic", name = "storage-list",
        description = "Lists the storage backends: name, kind, objects and bytes the index records there, write target")
public class StorageListCommand implements Action {

    @Reference
    private ArchiveIndex index;

    @Reference(optional = true)
    private List<StorageBackend> backends;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Option(name = "--no-format", description = "Plain output, no table borders")
    private boolean noFormat;

    @Override
    public Object execute() throws Exception {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Kind");
        table.column("State");
        table.column("Objects").alignRight();
        table.column("Bytes").alignRight();
        table.column("Write target");
        table.emptyTableText("no storage backend");
        for (StorageConsole.Row r : new StorageConsole(index, backends,
                new ConfigAdminStorageConfigurations(configurationAdmin)).list()) {
            table.addRow().addContent(r.id(), r.kind(), r.running() ? "running" : "not running", r.objects(), r.bytes(),
                    r.writeTarget());
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
