package org.mosaicpacs.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.json.DicomJsonParser;

/**
 * bin/mosaic-dicom of the unpacked distribution: runs from the jars in its own system/ folder, with
 * an empty home folder, on files this test writes; a broken file gives a nonzero status and one line
 * on stderr.
 */
class MosaicDicomToolIT {

    private final Path work = Path.of("target", "mosaic-dicom-tool").toAbsolutePath();
    private Path home;
    private Path script;

    /** The outcome of one run of the script. */
    private static final class Result {
        int status;
        byte[] out;
        String err;
    }

    @BeforeEach
    void unpack() throws Exception {
        if (Files.exists(work)) {
            exec(List.of("rm", "-rf", work.toString()));
        }
        Files.createDirectories(work);
        Path archive = Path.of(System.getProperty("mosaic.distribution"));
        Result untar = exec(List.of("tar", "xzf", archive.toString(), "-C", work.toString()));
        assertEquals(0, untar.status, untar.err);
        try (Stream<Path> entries = Files.list(work)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        script = home.resolve("bin/mosaic-dicom");
        assertTrue(Files.isExecutable(script), script + " is executable");
    }

    private static Attributes sample() {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, "2.25.777");
        a.setString(Tag.PatientName, VR.PN, "Doe^John=山田^太郎");
        a.setString(Tag.PatientID, VR.LO, "IT-1");
        a.newSequence(Tag.ReferencedSeriesSequence, 1).addNewItem().setString(Tag.SeriesInstanceUID, VR.UI, "2.25.778");
        a.setInt(Tag.PixelData, VR.OW, 1, 2, 3, 4);
        return a;
    }

    @Test
    void dumpAndJsonRunFromTheDistribution() throws Exception {
        Path file = work.resolve("sample.dcm");
        DicomOutputStream.writeFile(file, sample(), UID.ExplicitVRLittleEndian);

        Result dump = run("dump", file.toString());
        String out = new String(dump.out, StandardCharsets.UTF_8);
        assertEquals(0, dump.status, dump.err);
        assertTrue(out.contains("PatientName") && out.contains("[Doe^John=山田^太郎]"), out);
        assertTrue(out.contains("(FFFE,E000) item #1"), out);
        assertEquals("", dump.err);

        Result json = run("json", file.toString());
        assertEquals(0, json.status, json.err);
        assertEquals(sample(), new DicomJsonParser(new ByteArrayInputStream(json.out)).parse());
        assertEquals("", json.err);

        Result help = run("--help");
        assertEquals(0, help.status, help.err);
        assertTrue(new String(help.out, StandardCharsets.UTF_8).contains("transcode"));
    }

    @Test
    void brokenFileGivesOneLineOnStderr() throws Exception {
        Path good = work.resolve("good.dcm");
        DicomOutputStream.writeFile(good, sample(), UID.ExplicitVRLittleEndian);
        byte[] bytes = Files.readAllBytes(good);
        Path broken = work.resolve("broken.dcm");
        Files.write(broken, Arrays.copyOf(bytes, bytes.length - 3));

        Result r = run("dump", broken.toString());
        assertEquals(1, r.status);
        List<String> lines = r.err.lines().toList();
        assertEquals(1, lines.size(), r.err);
        assertTrue(lines.get(0).startsWith("mosaic-dicom: " + broken + ": "), r.err);
        assertFalse(r.err.contains("\tat "), r.err);
    }

    private Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        return exec(command);
    }

    private Result exec(List<String> command) throws Exception {
        Path emptyHome = Files.createDirectories(work.resolve("empty-home"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("HOME", emptyHome.toString());
        Process p = builder.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " did not finish in 120 s");
        }
        Result r = new Result();
        r.status = p.exitValue();
        r.out = out;
        r.err = new String(err.get(), StandardCharsets.UTF_8);
        return r;
    }
}
