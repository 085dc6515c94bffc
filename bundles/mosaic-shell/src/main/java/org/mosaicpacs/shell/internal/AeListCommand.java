package org.mosaicpacs.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;

/** {@code mosaic:ae-list}: the configured remote AEs, as a table. */
@Service
@Command(scope = "mosaic", name = "ae-list", description = "Lists the remote AEs the archive knows (C-MOVE destinations, "
        + "Storage Commitment requestors, targets of mosaic:echo and mosaic:store)")
public class AeListCommand implements Action {

    @Reference
    private RemoteApplicationEntities remoteAEs;

    @Option(name = "--no-format", description = "Disable table rendered output")
    private boolean noFormat;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("AE title");
        table.column("Host");
        table.column("Port").alignRight();
        table.column("TLS");
        table.column("Description");
        table.column("De-identify retrieve");
        table.column("De-identify store");
        table.column("Web clients");
        table.emptyTableText("No remote AEs (mosaic:ae-add adds one)");
        for (RemoteApplicationEntity ae : new RemoteAEConsole(remoteAEs, null).list()) {
            table.addRow().addContent(ae.aeTitle(), ae.hostname(), ae.port(), ae.tls() ? "yes" : "no", ae.description(),
                    ae.deidentifyOnRetrieve(), ae.deidentifyOnStore(), String.join(",", ae.webClients()));
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
