package org.mosaicpacs.dicom.tool;

import java.io.PrintStream;

/** The standard streams of a run, and whether -v was given. */
final class Console {

    final PrintStream out;
    final PrintStream err;
    final boolean verbose;

    Console(PrintStream out, PrintStream err, boolean verbose) {
        this.out = out;
        this.err = err;
        this.verbose = verbose;
    }
}
