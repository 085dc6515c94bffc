package org.mosaicpacs.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.mosaicpacs.api.ae.RemoteApplicationEntities;

/** Completes the AE titles of the configured remote AEs. */
@Service
public class RemoteAECompleter implements Completer {

    @Reference
    private RemoteApplicationEntities remoteAEs;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter strings = new StringsCompleter();
        try {
            strings.getStrings().addAll(new RemoteAEConsole(remoteAEs, null).aeTitles());
        } catch (RuntimeException e) {
            return -1;
        }
        return strings.complete(session, commandLine, candidates);
    }
}
