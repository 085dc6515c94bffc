package org.mosaicpacs.shell.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.ae.RemoteApplicationEntities;

/** {@code mosaic:ae-add}: adds (or replaces) a remote AE as a factory configuration {@code org.mosaicpacs.dimse.ae}. */
@Service
@Command(scope = "mosaic", name = "ae-add", description = "Adds a remote AE, or replaces the one with the same AE title "
        + "(a factory configuration org.mosaicpacs.dimse.ae, seen by the next association)")
public class AeAddCommand implements Action {

    @Reference
    private RemoteApplicationEntities remoteAEs;

    @Argument(index = 0, name = "aeTitle", description = "AE title of the remote AE (1 to 16 characters)", required = true)
    private String aeTitle;

    @Argument(index = 1, name = "host", description = "Host name or address it listens on", required = true)
    private String host;

    @Argument(index = 2, name = "port", description = "TCP port it listens on", required = true)
    private int port;

    @Option(name = "--tls", description = "Associations to it use TLS (the archive's key and trust store)")
    private boolean tls;

    @Option(name = "-d", aliases = "--description", description = "Free text for the admin")
    private String description = "";

    @Option(name = "--deidentify-retrieve", description = "De-identification profile applied to everything this AE "
            + "retrieves (C-MOVE destination, C-GET, forward); needs the feature mosaic-deidentify, else nothing is sent to it")
    private String deidentifyRetrieve = "";

    @Option(name = "--deidentify-store", description = "De-identification profile applied to everything this AE stores "
            + "as calling AE, before the archive keeps it; needs the feature mosaic-deidentify, else its stores are refused")
    private String deidentifyStore = "";

    @Option(name = "--web-client", multiValued = true, description = "An IP address or CIDR range (10.1.2.0/24) of HTTP "
            + "clients whose DICOMweb requests count as this AE's (with --deidentify-retrieve: their WADO retrievals are "
            + "de-identified, their QIDO searches refused); repeat the option or separate with commas")
    private List<String> webClients = new ArrayList<>();

    @Override
    public Object execute() throws Exception {
        try {
            System.out.println(new RemoteAEConsole(remoteAEs, null).add(aeTitle, host, port, tls, description,
                    deidentifyRetrieve, deidentifyStore, webClients));
        } catch (IllegalArgumentException e) {
            System.out.println("invalid remote AE: " + e.getMessage());
        }
        return null;
    }
}
