package org.mosaicpacs.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.storage.StorageBackend;

/**
 * {@code mosaic:check}: index and storage against each other. Every indexed instance must have its object
 * in its storage backend; every object a backend lists must be pointed to by an index row (else it is an
 * orphan). {@code --repair} removes the index rows whose object is gone and deletes the orphans older than
 * the grace period.
 */
@Service
@Command(scope = "mosaic", name = "check",
        description = "Checks index and storage against each other: missing objects and orphan objects")
public class CheckCommand implements Action {

    @Reference
    private ArchiveIndex index;

    @Reference(optional = true)
    private List<StorageBackend> backends;

    @Option(name = "--repair", description = "Remove from the index the instances whose object is gone, and delete "
            + "orphan objects older than the grace period")
    private boolean repair;

    @Option(name = "--grace", description = "Minutes: orphan objects younger than this are reported, never deleted "
            + "(an ingest writes its object before the index commits it); default 60")
    private long graceMinutes = 60;

    @Option(name = "--no-format", description = "Plain output, no table borders")
    private boolean noFormat;

    @Override
    public Object execute() throws Exception {
        if (graceMinutes < 0) {
            System.err.println("--grace must not be negative");
            return null;
        }
        ArchiveMaintenance.CheckReport r = new ArchiveMaintenance(index, backends)
                .check(repair, Duration.ofMinutes(graceMinutes), Instant.now());
        ShellTable table = new ShellTable();
        table.column("Problem");
        table.column("Storage");
        table.column("Object or instance");
        table.column("Action");
        table.emptyTableText("no inconsistency");
        for (InstanceLocation i : r.missing()) {
            table.addRow().addContent("object missing", i.location().storageId(), describe(i),
                    repair ? "removed from the index" : "");
        }
        for (InstanceLocation i : r.unknownBackend()) {
            table.addRow().addContent("storage not available", i.location().storageId(), describe(i), "kept");
        }
        for (ArchiveMaintenance.Orphan o : r.orphans()) {
            String action = o.deleted() ? "deleted" : o.recent() ? "kept: younger than the grace period"
                    : repair ? "kept" : "";
            table.addRow().addContent("orphan object", o.storageId(), o.object().key() + " (" + o.object().size()
                    + " bytes, " + o.object().modified() + ")", action);
        }
        for (String s : r.notListed()) {
            table.addRow().addContent("orphans not checked", s.substring(0, s.indexOf(':')), s.substring(s.indexOf(':') + 2), "");
        }
        for (String e : r.errors()) {
            table.addRow().addContent("error", "", e, "");
        }
        table.print(System.out, !noFormat);
        System.out.println(r.studies() + " studies, " + r.instances() + " instances checked, " + r.objects() + " stored objects listed: "
                + r.missing().size() + " missing, " + r.unknownBackend().size() + " on a storage not available, "
                + r.orphans().size() + " orphans, " + r.errors().size() + " errors"
                + (repair ? "; " + r.repaired() + " removed from the index, " + r.orphansDeleted() + " orphans deleted" : ""));
        return null;
    }

    private static String describe(InstanceLocation i) {
        return i.sopInstanceUID() + " (study " + i.studyInstanceUID() + ", series " + i.seriesInstanceUID() + ") at "
                + i.location().key();
    }
}
