package org.mosaicpacs.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.api.health.ComponentHealth;
import org.mosaicpacs.api.health.HealthReport;
import org.mosaicpacs.api.health.HealthService;

/** {@code mosaic:health}: the same report as {@code GET /health}, as a table. */
@Service
@Command(scope = "mosaic", name = "health", description = "Shows the health of every Mosaic component")
public class HealthCommand implements Action {

    @Reference
    private HealthService health;

    @Option(name = "--no-format", description = "Disable table rendered output")
    private boolean noFormat;

    @Option(name = "-p", aliases = "--problems", description = "Show only the lines that are not healthy")
    private boolean problemsOnly;

    @Override
    public Object execute() {
        HealthReport report = health.report();
        System.out.println("Mosaic PACS is " + report.state()
                + (report.bootFinished() ? "" : " (boot features still being installed)"));
        ShellTable table = new ShellTable();
        table.column("Bundle");
        table.column("Component");
        table.column("State");
        table.column("Detail");
        table.emptyTableText(problemsOnly ? "No problems" : "No Mosaic components");
        for (ComponentHealth line : report.components()) {
            if (!problemsOnly || !line.state().isHealthy()) {
                table.addRow().addContent(line.bundle(), line.name(), line.state(), line.detail());
            }
        }
        table.print(System.out, !noFormat);
        for (String problem : report.problems()) {
            System.out.println("problem: " + problem);
        }
        return null;
    }
}
