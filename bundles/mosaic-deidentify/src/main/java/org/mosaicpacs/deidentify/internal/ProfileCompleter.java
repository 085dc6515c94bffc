package org.mosaicpacs.deidentify.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.mosaicpacs.api.deidentify.Deidentifier;

/** Completes the names of the de-identification profiles. */
@Service
public class ProfileCompleter implements Completer {

    @Reference(filter = "(" + Deidentifier.TYPE_PROPERTY + "=annex-e)")
    private Deidentifier deidentifier;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter strings = new StringsCompleter();
        strings.getStrings().addAll(deidentifier.profiles());
        return strings.complete(session, commandLine, candidates);
    }
}
