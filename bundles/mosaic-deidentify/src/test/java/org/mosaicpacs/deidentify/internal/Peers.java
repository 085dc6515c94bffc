package org.mosaicpacs.deidentify.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs dcmtk's dcmdump and pydicom (through /usr/bin/python3) on files; tells whether they are installed. */
final class Peers {

    static final String PYTHON = "/usr/bin/python3";

    record Run(int exit, String output) {
    }

    private Peers() {
    }

    static boolean hasDcmdump() {
        try {
            return run(List.of("dcmdump", "--version")).exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean hasPydicom() {
        try {
            return Files.isExecutable(Path.of(PYTHON)) && run(List.of(PYTHON, "-c", "import pydicom")).exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** dcmdump with errors reported and no pixel data printed. */
    static Run dcmdump(Path file) throws IOException {
        return run(List.of("dcmdump", "-q", "+E", file.toString()));
    }

    /**
     * dcmdump of several files in one process, strict: stop on error ({@code -E}, its default), the dump itself
     * discarded; the output is what it reports on stderr (errors {@code E:}, warnings {@code W:}); its exit status
     * is not 0 when a file cannot be read.
     */
    static Run dcmdumpStrict(List<Path> files) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("dcmdump", "-E"));
        files.forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        byte[] err = p.getErrorStream().readAllBytes();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("timed out: dcmdump");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Run(p.exitValue(), new String(err, StandardCharsets.UTF_8));
    }

    /** pydicom reads each file and every element's value, at any depth; prints one line per failing file. */
    static Run pydicom(List<Path> files) throws IOException {
        String script = String.join("\n",
                "import sys, pydicom",
                "bad = 0",
                "for f in sys.argv[1:]:",
                "    try:",
                "        ds = pydicom.dcmread(f)",
                "        for e in ds.iterall():",
                "            repr(e.value)",
                "        assert ds.PatientIdentityRemoved == 'YES'",
                "    except Exception as ex:",
                "        bad += 1",
                "        print(f, type(ex).__name__, ex)",
                "sys.exit(1 if bad else 0)");
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", script));
        files.forEach(f -> cmd.add(f.toString()));
        return run(cmd);
    }

    static Run run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + command.get(0));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
