package org.mosaicpacs.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;

/** {@code mosaic:studies}: the studies of the index, as a table. */
@Service
@Command(scope = "mosaic", name = "studies", description = "Lists the studies of the archive's index")
public class StudiesCommand implements Action {

    @Reference
    private ArchiveIndex index;

    @Option(name = "-p", aliases = "--patient-id", description = "Patient ID (wildcards * and ?)")
    private String patientID;

    @Option(name = "-n", aliases = "--patient-name", description = "Patient Name, any case (wildcards * and ?), e.g. DOE^*")
    private String patientName;

    @Option(name = "-d", aliases = "--date", description = "Study Date or range: 20240101, 20240101-20241231, 20240101-, -20241231")
    private String dateRange;

    @Option(name = "--limit", description = "At most this many studies (default 100; 0: all)")
    private int limit = 100;

    @Option(name = "--offset", description = "Skip this many studies first")
    private int offset;

    @Option(name = "--no-format", description = "Disable table rendered output")
    private boolean noFormat;

    @Override
    public Object execute() throws Exception {
        ShellTable table = new ShellTable();
        table.column("StudyInstanceUID");
        table.column("Date");
        table.column("PatientID");
        table.column("PatientName");
        table.column("Modalities");
        table.column("Series").alignRight();
        table.column("Instances").alignRight();
        table.emptyTableText("No studies");
        List<ArchiveMaintenance.StudyRow> rows;
        try {
            rows = new ArchiveMaintenance(index, null).studies(patientID, patientName, dateRange, Math.max(0, offset), limit);
        } catch (IndexException e) {
            if (!e.isInvalidRequest()) {
                throw e;
            }
            System.err.println("invalid filter: " + e.getMessage());
            return null;
        }
        for (ArchiveMaintenance.StudyRow r : rows) {
            table.addRow().addContent(r.studyInstanceUID(), r.date(), r.patientID(), r.patientName(),
                    r.modalities(), r.series(), r.instances());
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
