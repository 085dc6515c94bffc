package org.mosaicpacs.dicom.tool;

import java.util.List;

/**
 * One command of {@code mosaic-dicom}: {@code mosaic-dicom NAME [options] args}. To add a command,
 * implement this interface and list it in {@link Verbs#standard()}.
 */
interface Verb {

    /** The name typed on the command line, e.g. {@code dump}. */
    String name();

    /** One line for the list of commands. */
    String summary();

    /** The help text printed by {@code mosaic-dicom NAME --help}: a usage line, then options. */
    String help();

    /**
     * Runs the command.
     *
     * @param args the arguments after the verb, without {@code -v} and {@code --help}
     * @param console where to write output and messages
     * @return the exit status (0 on success)
     * @throws UsageException for wrong arguments (exit status 2)
     * @throws ToolException for a failure to report in one line (exit status 1)
     */
    int run(List<String> args, Console console) throws Exception;
}
