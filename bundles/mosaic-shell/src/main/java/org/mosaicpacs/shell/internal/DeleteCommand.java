package org.mosaicpacs.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.storage.StorageBackend;

/**
 * {@code mosaic:delete}: removes a study, a series or an instance from the index, then deletes the
 * objects from their storage backends.
 */
@Service
@Command(scope = "mosaic", name = "delete",
        description = "Deletes a study, a series or an instance from the index and from storage")
public class DeleteCommand implements Action {

    @Reference
    private ArchiveIndex index;

    @Reference(optional = true)
    private List<StorageBackend> backends;

    @Option(name = "--study", required = true, description = "Study Instance UID")
    @Completion(StudyUidCompleter.class)
    private String study;

    @Option(name = "--series", description = "Series Instance UID (only this series)")
    private String series;

    @Option(name = "--instance", description = "SOP Instance UID (only this instance; needs --series)")
    private String instance;

    @Override
    public Object execute() throws Exception {
        if (instance != null && series == null) {
            System.err.println("--instance needs --series");
            return null;
        }
        List<ArchiveMaintenance.Deleted> deleted = new ArchiveMaintenance(index, backends).delete(study, series, instance);
        for (ArchiveMaintenance.Deleted d : deleted) {
            System.out.println("deleted " + d.instance().sopInstanceUID() + " (series " + d.instance().seriesInstanceUID()
                    + ", " + d.instance().location().storageId() + ":" + d.instance().location().key() + "): " + d.outcome());
        }
        System.out.println(deleted.isEmpty() ? "Nothing matched: nothing deleted" : deleted.size() + " instance(s) deleted from the index");
        return null;
    }
}
