package org.mosaicpacs.shell.internal;

import java.io.IOException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.ServiceClassUser;

/** {@code mosaic:echo}: C-ECHO from the archive AE to a remote AE. */
@Service
@Command(scope = "mosaic", name = "echo", description = "Sends a C-ECHO from the archive AE to a remote AE and prints the "
        + "status and the round trip")
public class EchoCommand implements Action {

    @Reference
    private RemoteApplicationEntities remoteAEs;

    @Reference
    private ServiceClassUser scu;

    @Argument(index = 0, name = "aeTitle", description = "AE title of a configured remote AE", required = true)
    @Completion(RemoteAECompleter.class)
    private String aeTitle;

    @Override
    public Object execute() {
        try {
            System.out.println(new RemoteAEConsole(remoteAEs, scu).echo(aeTitle));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.out.println(e.getMessage());
        } catch (IOException e) {
            System.out.println("C-ECHO to " + aeTitle + " failed: " + e.getMessage());
        }
        return null;
    }
}
