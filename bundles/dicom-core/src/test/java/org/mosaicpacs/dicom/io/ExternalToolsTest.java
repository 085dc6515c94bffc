package org.mosaicpacs.dicom.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.UID;

/**
 * Checks the files we write with third-party readers when installed: dcmtk's dcmdump (no warnings)
 * and Debian's pydicom (reads every element). Skipped when the tools are missing.
 */
class ExternalToolsTest {

    private static final String[] SYNTAXES = {UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian,
        UID.ExplicitVRBigEndian, UID.DeflatedExplicitVRLittleEndian};

    private static List<Path> writeFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String ts : SYNTAXES) {
            for (boolean undefined : new boolean[] {false, true}) {
                Path f = dir.resolve(ts + (undefined ? "-undefined" : "") + ".dcm");
                Files.write(f, Fixtures.writeFile(Fixtures.sample(512), ts, undefined));
                files.add(f);
            }
        }
        Path f = dir.resolve("jpeg.dcm");
        Files.write(f, Fixtures.writeFile(Fixtures.encapsulated(), UID.JPEGBaseline8Bit, false));
        files.add(f);
        return files;
    }

    private static String[] run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timeout: " + cmd);
        }
        return new String[] {Integer.toString(p.exitValue()), new String(out, StandardCharsets.UTF_8),
            new String(err, StandardCharsets.UTF_8)};
    }

    @Test
    void dcmdumpAcceptsOurFiles(@TempDir Path dir) throws Exception {
        Path dcmdump = Paths.get("/usr/bin/dcmdump");
        Assumptions.assumeTrue(Files.isExecutable(dcmdump), "dcmtk not installed");
        for (Path f : writeFiles(dir)) {
            String[] r = run(List.of(dcmdump.toString(), "-q", f.toString()));
            assertEquals("0", r[0], f.getFileName() + ": " + r[2]);
            assertEquals("", r[2], f.getFileName() + " stderr");
        }
    }

    @Test
    void pydicomReadsOurFiles(@TempDir Path dir) throws Exception {
        Path python = Paths.get("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Assumptions.assumeTrue("0".equals(run(List.of(python.toString(), "-c", "import pydicom"))[0]),
                "pydicom not installed");
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "-c",
                "import sys, pydicom\n"
                + "for f in sys.argv[1:]:\n"
                + "    ds = pydicom.dcmread(f)\n"
                + "    n = sum(1 for e in ds.iterall() if repr(e.value) is not None)\n"
                + "    print(str(ds.PatientName), ds.Rows, ds.ReferencedSeriesSequence[1]"
                + ".ReferencedInstanceSequence[0].ReferencedSOPInstanceUID, n)\n"));
        List<Path> files = writeFiles(dir);
        files.forEach(f -> cmd.add(f.toString()));
        String[] r = run(cmd);
        assertEquals("0", r[0], r[2]);
        String[] lines = r[1].split("\n");
        assertEquals(files.size(), lines.length, r[1]);
        for (String line : lines) {
            assertEquals("Müller^Jürgen=山田^太郎 16 1.2.3.1.1", line.substring(0, line.lastIndexOf(' ')), line);
        }
    }
}
