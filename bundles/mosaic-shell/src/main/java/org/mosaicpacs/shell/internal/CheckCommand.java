package org.mosaicpacs.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.storage.StorageBackend;

/** {@code mosaic:check}: whether the object of every indexed instance exists in its storage backend. */
@Service
@Command(scope = "mosaic", name = "check",
        description = "Checks that every instance of the index has its object in storage")
public class CheckCommand implements Action {

    @Reference
    private ArchiveIndex index;

    @Reference(optional = true)
    private List<StorageBackend> backends;

    @Option(name = "--repair", description = "Remove from the index the instances whose object is gone")
    private boolean repair;

    @Override
    public Object execute() throws Exception {
        ArchiveMaintenance.CheckReport r = new ArchiveMaintenance(index, backends).check(repair);
        for (InstanceLocation i : r.missing()) {
            System.out.println("missing: " + describe(i));
        }
        for (InstanceLocation i : r.unknownBackend()) {
            System.out.println("storage not available: " + describe(i));
        }
        for (String e : r.errors()) {
            System.out.println("error: " + e);
        }
        System.out.println(r.studies() + " studies, " + r.instances() + " instances checked: "
                + r.missing().size() + " missing, " + r.unknownBackend().size() + " on a storage not available, "
                + r.errors().size() + " errors"
                + (repair ? "; " + r.repaired() + " removed from the index" : ""));
        return null;
    }

    private static String describe(InstanceLocation i) {
        return i.sopInstanceUID() + " (study " + i.studyInstanceUID() + ", series " + i.seriesInstanceUID() + ") at "
                + i.location().storageId() + ":" + i.location().key();
    }
}
