package org.mosaicpacs.deidentify.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code mosaic:deidentify-map}: the mapping store, for re-identification by an admin: which original
 * patient and UIDs a project's pseudonyms and new UIDs stand for. The only way the mappings are read.
 */
@Service
@Command(scope = "mosaic", name = "deidentify-map",
        description = "Shows the de-identification mappings (original -> pseudonym, UIDs, date offsets) of a project; for re-identification")
public class DeidentifyMapCommand implements Action {

    @Reference
    private MappingStore store;

    @Option(name = "-p", aliases = "--profile", description = "Only this profile (project)")
    @Completion(ProfileCompleter.class)
    private String profile;

    @Argument(index = 0, name = "value", description = "Only the mappings whose original or replacement is this value "
            + "(a pseudonymous Patient ID, a new or original UID)")
    private String value;

    @Option(name = "--limit", description = "At most this many rows (default 100)")
    private int limit = 100;

    @Option(name = "--no-format", description = "Disable table rendered output")
    private boolean noFormat;

    @Override
    public Object execute() throws Exception {
        List<MappingStore.Mapping> rows = store.mappings(profile, value, Math.max(1, limit));
        ShellTable table = new ShellTable();
        table.column("Profile");
        table.column("Kind");
        table.column("Original");
        table.column("Replacement");
        table.column("DateOffsetDays").alignRight();
        table.emptyTableText("No mappings");
        for (MappingStore.Mapping m : rows) {
            table.addRow().addContent(m.project(), m.kind(), m.original(), m.replacement(),
                    m.dateOffsetDays() == null ? "" : m.dateOffsetDays());
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
