package org.mosaicpacs.storage.admin.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.mosaicpacs.api.storage.StorageBackend;
import org.osgi.service.cm.ConfigurationAdmin;

/** Completes storage ids: the running backends and the configured ones. */
@Service
public class StorageIdCompleter implements Completer {

    @Reference(optional = true)
    private List<StorageBackend> backends;

    @Reference(optional = true)
    private ConfigurationAdmin configurationAdmin;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter strings = new StringsCompleter();
        if (backends != null) {
            backends.forEach(b -> strings.getStrings().add(b.id()));
        }
        if (configurationAdmin != null) {
            try {
                new ConfigAdminStorageConfigurations(configurationAdmin).configured()
                        .forEach(c -> strings.getStrings().add(c.id()));
            } catch (java.io.IOException | RuntimeException e) {
                // the running ones are enough
            }
        }
        return strings.complete(session, commandLine, candidates);
    }
}
