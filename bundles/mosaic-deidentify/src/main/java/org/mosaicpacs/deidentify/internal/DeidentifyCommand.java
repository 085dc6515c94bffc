package org.mosaicpacs.deidentify.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.api.deidentify.StudyDeidentifier;

/** {@code mosaic:deidentify}: de-identified copies of studies, as new studies of the archive. */
@Service
@Command(scope = "mosaic", name = "deidentify",
        description = "Makes a de-identified copy of each study with a profile: a new study, stored and indexed; "
                + "prints the original and the new Study Instance UID")
public class DeidentifyCommand implements Action {

    @Reference
    private StudyDeidentifier copies;

    @Option(name = "-p", aliases = "--profile", required = true, description = "The profile (project), e.g. basic")
    @Completion(ProfileCompleter.class)
    private String profile;

    @Option(name = "-s", aliases = "--study", multiValued = true, description = "Study Instance UID (repeatable)")
    private List<String> studyOptions;

    @Argument(index = 0, name = "studies", multiValued = true, description = "More Study Instance UIDs")
    private List<String> studyArguments;

    @Option(name = "--no-format", description = "Disable table rendered output")
    private boolean noFormat;

    @Override
    public Object execute() throws Exception {
        List<String> studies = new ArrayList<>();
        if (studyOptions != null) {
            studies.addAll(studyOptions);
        }
        if (studyArguments != null) {
            studies.addAll(studyArguments);
        }
        if (studies.isEmpty()) {
            System.err.println("no study given: mosaic:deidentify --profile NAME --study UID [UID...]");
            return null;
        }
        if (!copies.profiles().contains(profile)) {
            System.err.println("unknown profile '" + profile + "'; profiles: " + copies.profiles());
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("OriginalStudyInstanceUID");
        table.column("StudyInstanceUID");
        table.column("Instances").alignRight();
        table.column("Problems");
        int done = 0;
        for (String uid : studies) {
            StudyDeidentifier.StudyCopy o = copies.deidentifyStudy(uid.strip(), profile)
                    .orElseGet(() -> new StudyDeidentifier.StudyCopy(uid.strip(), "", 0,
                            List.of(StudyDeidentification.NOT_FOUND)));
            if (studies.size() > 1) {
                // progress for long runs; the table follows at the end
                System.err.printf("%d/%d %s -> %s (%d instances)%n", ++done, studies.size(), o.originalStudyInstanceUID(),
                        o.studyInstanceUID().isEmpty() ? "-" : o.studyInstanceUID(), o.instances());
            }
            table.addRow().addContent(o.originalStudyInstanceUID(), o.studyInstanceUID(), o.instances(),
                    o.problems().isEmpty() ? "" : o.problems().size() + ": " + o.problems().get(0));
            for (String p : o.problems()) {
                System.err.println(uid + ": " + p);
            }
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
