package org.mosaicpacs.plugins.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code mosaic:plugin-list}: the plugins, their hooks and how they are doing, as a table. */
@Service
@Command(scope = "mosaic", name = "plugin-list", description = "Lists the plugins the archive runs: their hooks, "
        + "events waiting, delivered, failed, slow and dropped, and the plugin's own metrics")
public class PluginListCommand implements Action {

    @Reference
    private PluginRuntime runtime;

    @Option(name = "--no-format", description = "Disable table rendered output")
    private boolean noFormat;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Plugin");
        table.column("Bundle");
        table.column("Hooks");
        table.column("Queued").alignRight();
        table.column("Delivered").alignRight();
        table.column("Failures").alignRight();
        table.column("Slow").alignRight();
        table.column("Dropped").alignRight();
        table.column("Metrics");
        table.emptyTableText("No plugins (drop a plugin bundle into deploy/ or feature:install one)");
        for (PluginRuntime.PluginInfo p : runtime.plugins()) {
            table.addRow().addContent(p.name(), p.bundle(), String.join(",", p.hooks()), p.counts().queued(),
                    p.counts().delivered(), p.counts().failures(), p.counts().slow(), p.counts().dropped(), p.metrics());
        }
        table.print(System.out, !noFormat);
        System.out.println(runtime.pendingSeries() + " series and " + runtime.pendingStudies()
                + " studies wait to become stable");
        return null;
    }
}
