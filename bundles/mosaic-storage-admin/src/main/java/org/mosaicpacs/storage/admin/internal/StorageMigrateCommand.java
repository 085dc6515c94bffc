package org.mosaicpacs.storage.admin.internal;

import java.nio.file.Path;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.config.SystemProperties;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.storage.StorageBackend;

/**
 * {@code mosaic:storage-migrate --from A --to B [--study UID]... [--before YYYYMMDD]}: moves studies between
 * backends, verified by SHA-256, the index re-pointed before the source is deleted; run it again to finish
 * a run that was interrupted.
 */
@Service
@Command(scope = "mosaic", name = "storage-migrate",
        description = "Moves studies from one storage backend to another (verified by SHA-256, resumable)")
public class StorageMigrateCommand implements Action {

    /** Where the migrations keep their journals. */
    static final String JOURNALS = "${mosaic.data}/storage-migration";

    @Reference
    private ArchiveIndex index;

    @Reference(optional = true)
    private List<StorageBackend> backends;

    @Option(name = "--from", required = true, description = "the storage id the studies are in")
    @Completion(StorageIdCompleter.class)
    private String from;

    @Option(name = "--to", required = true, description = "the storage id they go to")
    @Completion(StorageIdCompleter.class)
    private String to;

    @Option(name = "--study", multiValued = true, description = "Study Instance UID (repeatable); default: every study")
    private List<String> studies;

    @Option(name = "--before", description = "only studies whose Study Date is before this date (YYYYMMDD)")
    private String before;

    @Option(name = "--in-place", description = "the objects of --from are already in --to under the same keys "
            + "(one folder or bucket known by two ids, e.g. fs-main after an upgrade): verify each by SHA-256 and "
            + "re-point the index; nothing is copied or deleted; --from need not run")
    private boolean inPlace;

    @Override
    public Object execute() throws Exception {
        StorageConsole console = new StorageConsole(index, backends, null);
        StorageBackend source = console.running(from);
        StorageBackend target = console.running(to);
        if ((source == null && !inPlace) || target == null) {
            System.err.println("storage " + (source == null ? from : to) + " is not running (mosaic:storage-list)");
            return null;
        }
        if (from.equals(to)) {
            System.err.println("--from and --to are the same");
            return null;
        }
        List<String> selected;
        try {
            selected = studies != null && !studies.isEmpty() ? studies : StorageMigration.studies(index, before);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return null;
        }
        StorageMigration migration = new StorageMigration(index, from, inPlace ? null : source, target,
                Path.of(SystemProperties.expand(JOURNALS)));
        StorageMigration.Result r = migration.run(selected, new StorageMigration.Listener() {
            @Override
            public void study(String studyUID, int number, int count, int moved, int instances) {
                if (instances > 0) {
                    System.out.println("[" + number + "/" + count + "] study " + studyUID + ": " + moved + " of "
                            + instances + " instances moved to " + to);
                }
            }

            @Override
            public void problem(String sop, String why) {
                System.err.println("instance " + sop + " not moved: " + why);
            }
        });
        System.out.println("moved " + r.moved() + " instances (" + r.bytes() + " bytes) of " + r.studies()
                + " studies from " + from + " to " + to + (r.resumed() > 0 ? "; finished " + r.resumed()
                + " moves of an interrupted run" : "") + (r.problems() > 0 ? "; " + r.problems()
                + " not moved (above), run again or see the log" : ""));
        return null;
    }
}
