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

import org.junit.jupiter.api.Assumptions;
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

    private static void assumeTool(String name) {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin", name)), name + " (DCMTK) not installed");
    }

    private static void waitForPort(int port, Process owner) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline && owner.isAlive()) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        fail("nothing listens on port " + port);
    }

    private static Attributes image(String iuid) {
        Attributes a = sample();
        a.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        return a;
    }

    /** echo and store from the distribution's script to DCMTK's storescp, checked with dcmdump. */
    @Test
    void echoAndStoreToStorescp() throws Exception {
        assumeTool("storescp");
        assumeTool("dcmdump");
        Path received = Files.createDirectories(work.resolve("storescp"));
        Path in = Files.createDirectories(work.resolve("in/sub"));
        DicomOutputStream.writeFile(work.resolve("in/a.dcm"), image("2.25.801"), UID.ExplicitVRLittleEndian);
        DicomOutputStream.writeFile(in.resolve("b.dcm"), image("2.25.802"), UID.DeflatedExplicitVRLittleEndian);
        int port = Ports.freePort();
        Process scp = new ProcessBuilder("/usr/bin/storescp", "-aet", "STORESCP", "-od", received.toString(),
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(work.resolve("storescp.log").toFile())
                .start();
        try {
            waitForPort(port, scp);
            Result echo = run("echo", "-c", "STORESCP@127.0.0.1:" + port);
            assertEquals(0, echo.status, echo.err);
            assertTrue(new String(echo.out, StandardCharsets.UTF_8).contains("status 0000"), echo.err);
            assertEquals("", echo.err);

            Result store = run("store", "-c", "STORESCP@127.0.0.1:" + port, work.resolve("in").toString());
            String out = new String(store.out, StandardCharsets.UTF_8);
            assertEquals(0, store.status, out + store.err);
            assertTrue(out.startsWith("Sent 2 of 2 objects"), out);
            assertEquals("", store.err);
            List<Path> files;
            try (Stream<Path> s = Files.list(received)) {
                files = s.toList();
            }
            assertEquals(2, files.size(), files.toString());
            for (Path f : files) {
                Result dump = exec(List.of("/usr/bin/dcmdump", "-q", f.toString()));
                assertEquals(0, dump.status, dump.err);
                String text = new String(dump.out, StandardCharsets.UTF_8);
                assertTrue(text.contains("2.25.801") || text.contains("2.25.802"), text);
            }
        } finally {
            scp.destroy();
            scp.waitFor(10, TimeUnit.SECONDS);
        }
        Result refused = run("echo", "-c", "STORESCP@127.0.0.1:" + port);
        assertEquals(1, refused.status);
        assertEquals(1, refused.err.lines().count(), refused.err);
    }

    /** listen from the distribution's script, receiving from DCMTK's storescu; stopped by a signal. */
    @Test
    void listenReceivesFromStorescu() throws Exception {
        assumeTool("storescu");
        Path dir = work.resolve("listen");
        DicomOutputStream.writeFile(work.resolve("c.dcm"), image("2.25.803"), UID.ExplicitVRLittleEndian);
        int port = Ports.freePort();
        Path log = work.resolve("listen.log");
        Process listen = new ProcessBuilder(script.toString(), "listen", "-b", "LISTENER@127.0.0.1:" + port,
                "--directory", dir.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitForPort(port, listen);
            Result scu = exec(List.of("/usr/bin/storescu", "-aec", "LISTENER", "127.0.0.1", String.valueOf(port),
                    work.resolve("c.dcm").toString()));
            assertEquals(0, scu.status, new String(scu.out, StandardCharsets.UTF_8) + scu.err);
            Path got = dir.resolve("2.25.803.dcm");
            long deadline = System.currentTimeMillis() + 20_000;
            while (!Files.readString(log).contains("Received 2.25.803") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            String text = Files.readString(log);
            assertTrue(text.startsWith("Listening on LISTENER@127.0.0.1:" + port), text);
            assertTrue(text.contains("Received 2.25.803 SecondaryCaptureImageStorage"), text);
            assertTrue(Files.isRegularFile(got), text);
            Result dump = run("dump", got.toString());
            assertEquals(0, dump.status, dump.err);
            assertTrue(new String(dump.out, StandardCharsets.UTF_8).contains("[IT-1]"));
        } finally {
            listen.destroy();
            if (!listen.waitFor(20, TimeUnit.SECONDS)) {
                listen.destroyForcibly();
                fail("listen did not end on SIGTERM");
            }
        }
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
