package org.mosaicpacs.deidentify.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.mosaicpacs.api.deidentify.ConfidentialityOption;
import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.api.deidentify.Deidentifier;

/** {@code mosaic:deidentify-profiles}: the de-identification profiles and their options. */
@Service
@Command(scope = "mosaic", name = "deidentify-profiles", description = "Lists the de-identification profiles and their options")
public class ProfilesCommand implements Action {

    @Reference(filter = "(" + Deidentifier.TYPE_PROPERTY + "=annex-e)")
    private Deidentifier deidentifier;

    @Option(name = "--no-format", description = "Disable table rendered output")
    private boolean noFormat;

    @Override
    public Object execute() throws Exception {
        ShellTable table = new ShellTable();
        table.column("Profile");
        table.column("Options");
        table.column("PatientIdPrefix");
        table.emptyTableText("No profiles");
        for (String name : deidentifier.profiles()) {
            String options;
            String prefix;
            if (deidentifier instanceof AnnexEDeidentifier a) {
                try {
                    Profile p = a.profile(name);
                    StringBuilder sb = new StringBuilder();
                    for (ConfidentialityOption o : p.options()) {
                        sb.append(sb.length() == 0 ? "" : ", ").append(o.name());
                    }
                    options = sb.length() == 0 ? "(basic profile only)" : sb.toString();
                    prefix = p.patientIdPrefix();
                } catch (DeidentificationException e) {
                    options = "unusable: " + e.getMessage();
                    prefix = "";
                }
            } else {
                options = "";
                prefix = "";
            }
            table.addRow().addContent(name, options, prefix);
        }
        table.print(System.out, !noFormat);
        return null;
    }
}
