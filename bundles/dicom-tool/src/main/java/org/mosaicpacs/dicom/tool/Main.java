package org.mosaicpacs.dicom.tool;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry point of {@code mosaic-dicom}: {@code mosaic-dicom [-v] VERB [options] args}, with the
 * verbs of {@link Verbs#standard()} ({@code dump}, {@code json}, {@code xml}, {@code transcode}; over the
 * network {@code echo}, {@code store}, {@code find}, {@code get}, {@code move}, {@code listen}).
 *
 * <p>Exit status: 0 on success, 1 when the work fails (one line on stderr:
 * {@code mosaic-dicom: FILE: reason}; the stack trace too with {@code -v}), 2 for wrong arguments.
 */
public final class Main {

    /** The name of the command in messages. */
    static final String NAME = "mosaic-dicom";

    private Main() {
    }

    /** Runs the tool and exits the JVM with its status. */
    public static void main(String[] args) {
        quietLoggingSetup();
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs the tool in-process.
     *
     * @param args the command line after the program name
     * @param out standard output
     * @param err standard error
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(Verbs.standard(), args, out, err);
    }

    static int run(Verbs verbs, String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>();
        boolean verbose = false;
        boolean help = false;
        for (String a : args) {
            if (a.equals("-v") || a.equals("--verbose")) {
                verbose = true;
            } else if (a.equals("-h") || a.equals("--help")) {
                help = true;
            } else {
                rest.add(a);
            }
        }
        Console console = new Console(out, err, verbose);
        if (rest.isEmpty()) {
            usage(verbs, help ? out : err);
            return help ? 0 : 2;
        }
        String name = rest.remove(0);
        Verb verb = verbs.get(name);
        if (verb == null) {
            err.println(NAME + ": unknown command '" + name + "' (see " + NAME + " --help)");
            return 2;
        }
        if (help) {
            out.println(verb.help());
            return 0;
        }
        try {
            int status = verb.run(rest, console);
            out.flush();
            return status;
        } catch (UsageException e) {
            err.println(NAME + ": " + name + ": " + e.getMessage() + " (see " + NAME + " " + name + " --help)");
            return 2;
        } catch (ToolException e) {
            err.println(NAME + ": " + e.getMessage());
            if (verbose && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
            return 1;
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            err.println(NAME + ": " + name + ": " + ToolException.oneLine(String.valueOf(e)));
            if (verbose) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    /**
     * Lets SLF4J look for its binding while standard error is muted: without one (the
     * distribution's script adds none) SLF4J 1.7 prints three lines of warnings, which would break
     * the one-line error contract. A binding on the class path still works.
     */
    private static void quietLoggingSetup() {
        PrintStream err = System.err;
        try {
            System.setErr(new PrintStream(java.io.OutputStream.nullOutputStream()));
            org.slf4j.LoggerFactory.getILoggerFactory();
        } catch (RuntimeException | LinkageError e) {
            // logging stays unavailable; the tool does not need it
        } finally {
            System.setErr(err);
        }
    }

    private static void usage(Verbs verbs, PrintStream s) {
        s.println("usage: " + NAME + " [-v] COMMAND [options] ARGS");
        s.println();
        s.println("Commands:");
        verbs.all().forEach((n, v) -> s.printf("  %-10s %s%n", n, v.summary()));
        s.println();
        s.println("  -v, --verbose  print the stack trace of a failure");
        s.println("  -h, --help     this text; " + NAME + " COMMAND --help for a command");
    }
}
