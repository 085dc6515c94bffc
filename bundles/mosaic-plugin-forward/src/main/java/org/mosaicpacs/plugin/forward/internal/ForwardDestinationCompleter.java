package org.mosaicpacs.plugin.forward.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the forward destinations (of the rules and of what is queued). */
@Service
public class ForwardDestinationCompleter implements Completer {

    @Reference
    private ForwardPlugin plugin;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter strings = new StringsCompleter();
        plugin.status().forEach(s -> strings.getStrings().add(s.destination()));
        return strings.complete(session, commandLine, candidates);
    }
}
