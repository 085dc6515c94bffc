package org.mosaicpacs.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;

/** Completes Study Instance UIDs from the index (the first 100 it returns). */
@Service
public class StudyUidCompleter implements Completer {

    private static final int MAX = 100;

    @Reference
    private ArchiveIndex index;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter strings = new StringsCompleter();
        try {
            strings.getStrings().addAll(new ArchiveMaintenance(index, null).studyUIDs(MAX));
        } catch (IndexException | RuntimeException e) {
            return -1;
        }
        return strings.complete(session, commandLine, candidates);
    }
}
