package org.mosaicpacs.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.mosaicpacs.api.ae.RemoteApplicationEntities;

/** {@code mosaic:ae-remove}: deletes the configuration of a remote AE. */
@Service
@Command(scope = "mosaic", name = "ae-remove", description = "Removes a remote AE (deletes its configuration)")
public class AeRemoveCommand implements Action {

    @Reference
    private RemoteApplicationEntities remoteAEs;

    @Argument(index = 0, name = "aeTitle", description = "AE title of a configured remote AE", required = true)
    @Completion(RemoteAECompleter.class)
    private String aeTitle;

    @Override
    public Object execute() throws Exception {
        try {
            System.out.println(new RemoteAEConsole(remoteAEs, null).remove(aeTitle));
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());
        }
        return null;
    }
}
