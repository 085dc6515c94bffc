package org.mosaicpacs.shell.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.ServiceClassUser;
import org.mosaicpacs.api.ae.ServiceClassUser.StoreResult;

/** {@code mosaic:store}: C-STORE of a file or of the files of a folder from the archive AE to a remote AE. */
@Service
@Command(scope = "mosaic", name = "store", description = "Sends a DICOM file, or every file of a folder tree, to a "
        + "remote AE with C-STORE on one association, and prints the status of each")
public class StoreCommand implements Action {

    @Reference
    private RemoteApplicationEntities remoteAEs;

    @Reference
    private ServiceClassUser scu;

    @Argument(index = 0, name = "path", description = "A Part 10 file or a folder", required = true)
    @Completion(FileCompleter.class)
    private String path;

    @Argument(index = 1, name = "aeTitle", description = "AE title of a configured remote AE", required = true)
    @Completion(RemoteAECompleter.class)
    private String aeTitle;

    @Option(name = "-q", aliases = "--quiet", description = "Print only the files that were not stored, and the summary")
    private boolean quiet;

    @Option(name = "--no-format", description = "Disable table rendered output")
    private boolean noFormat;

    @Override
    public Object execute() {
        List<StoreResult> results;
        try {
            results = new RemoteAEConsole(remoteAEs, scu).store(Path.of(path), aeTitle);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.out.println(e.getMessage());
            return null;
        } catch (IOException e) {
            System.out.println("C-STORE to " + aeTitle + " failed: " + e.getMessage());
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("File");
        table.column("SOP Instance UID");
        table.column("Status");
        table.column("Comment");
        table.emptyTableText(quiet ? "Every file stored" : "No files");
        List<StoreResult> shown = quiet ? results.stream().filter(r -> !r.isSuccess()).toList() : results;
        for (String[] row : RemoteAEConsole.rows(shown)) {
            table.addRow().addContent((Object[]) row);
        }
        table.print(System.out, !noFormat);
        System.out.println(RemoteAEConsole.summary(results));
        return null;
    }
}
