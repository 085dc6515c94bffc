package org.mosaicpacs.plugin.forward.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code mosaic:forward-list}: per destination, its rules, what waits, what failed and the last error; with {@code --failed} the failed instances. */
@Service
@Command(scope = "mosaic", name = "forward-list", description = "Lists the forward destinations: their rules, instances "
        + "pending and failed, sent, the next attempt and the last error")
public class ForwardListCommand implements Action {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    @Reference
    private ForwardPlugin plugin;

    @Option(name = "--failed", description = "List the failed instances (what mosaic:forward-retry requeues)")
    private boolean failed;

    @Option(name = "--no-format", description = "Disable table rendered output")
    private boolean noFormat;

    @Override
    public Object execute() {
        if (failed) {
            ShellTable table = new ShellTable();
            table.column("Destination");
            table.column("Rule");
            table.column("SOP Instance UID");
            table.column("Study Instance UID");
            table.column("Attempts").alignRight();
            table.column("Queued");
            table.column("Last error");
            table.emptyTableText("No failed instances");
            for (ForwardQueue.Entry e : plugin.queue().failed()) {
                table.addRow().addContent(e.destination(), e.rule(), e.sopInstanceUID(), e.studyInstanceUID(),
                        e.attempts(), time(e.queued()), e.lastError());
            }
            table.print(System.out, !noFormat);
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Destination");
        table.column("Rules");
        table.column("Pending").alignRight();
        table.column("Failed").alignRight();
        table.column("Sent").alignRight();
        table.column("Failed attempts").alignRight();
        table.column("Next attempt");
        table.column("Last error");
        table.emptyTableText("No forward rules (factory configuration " + ForwardRule.FACTORY_PID + ") and nothing queued");
        for (ForwardPlugin.DestinationStatus s : plugin.status()) {
            table.addRow().addContent(s.destination(), s.rules().isEmpty() ? "(no rule)" : String.join(",", s.rules()),
                    s.pending(), s.failed(), s.sent(), s.failedAttempts(), s.pending() == 0 ? "" : time(s.nextAttempt()),
                    s.lastError().isEmpty() ? "" : time(s.lastErrorAt()) + " " + s.lastError());
        }
        table.print(System.out, !noFormat);
        for (ForwardRule r : plugin.rules()) {
            System.out.println("Rule " + r);
        }
        return null;
    }

    private static String time(Instant t) {
        return t == null ? "" : TIME.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
