package org.mosaicpacs.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/**
 * DICOMweb of the distribution as OHIF reaches it: the tar.gz unpacked and started with {@code bin/start},
 * then the npm package {@code dicomweb-client} (installed into target/ with npm) stores two instances
 * (STOW-RS), searches them (QIDO-RS), reads the series metadata, a frame and an instance (WADO-RS). The
 * frame and the instance must be the bytes that were stored. Then a JPEG 2000 and a 12-bit JPEG instance are
 * stored and rendered: the codecs embedded in dicom-image work inside Karaf. Skipped without node and npm, or
 * when npm cannot install the package.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DicomWebIT {

    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final String STUDY = "1.2.826.0.1.3680043.10.1138.1";
    private static final String SERIES = STUDY + ".1";

    private final Path work = Path.of("target", "dicomweb-it").toAbsolutePath();
    private Path home;
    private Path npm;
    private Map<String, String> environment;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")) && Files.isExecutable(Path.of("/usr/bin/npm")),
                "node and npm are not installed");
        if (Files.exists(work)) {
            new ProcessBuilder("rm", "-rf", work.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
        }
        Files.createDirectories(work);
        npm = Files.createDirectories(work.resolve("npm"));
        Files.copy(Path.of("src/test/resources/dicomweb-it/client.js"), npm.resolve("client.js"));
        Files.writeString(npm.resolve("package.json"), "{\"name\":\"dicomweb-it\",\"private\":true}");
        Result installed = run(List.of("npm", "install", "--no-audit", "--no-fund", "dicomweb-client@0.10.4", "xhr2@0.2.1"),
                npm, Duration.ofSeconds(180));
        assumeTrue(installed.status == 0, "npm cannot install dicomweb-client: " + installed.output);

        Path archive = Path.of(System.getProperty("mosaic.distribution"));
        run(List.of("tar", "xzf", archive.toString(), "-C", work.toString()), work, Duration.ofSeconds(60));
        try (Stream<Path> entries = Files.list(work)) {
            home = entries.filter(p -> Files.isDirectory(p) && !p.equals(npm)).findFirst().orElseThrow();
        }
        Ports.editCfg(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(Ports.freePort()));
        Ports.editCfg(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort", Integer.toString(Ports.freePort()));
        Ports.editCfg(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort", Integer.toString(Ports.freePort()));
        environment = Map.of(
                "MOSAIC_HTTP_PORT", Integer.toString(Ports.freePort()),
                "MOSAIC_DICOM_PORT", Integer.toString(Ports.freePort()),
                "MOSAIC_DATA", work.resolve("archive-data").toString(),
                "JAVA_MAX_MEM", "512M");
        run(List.of(home.resolve("bin/start").toString()), home, Duration.ofSeconds(60));
        int status = -1;
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (status != 200 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            status = Ports.httpStatus(base().replace("/dicom-web", "/health"));
        }
        assertEquals(200, status, "GET /health after " + BOOT.toSeconds() + " s");
    }

    private String base() {
        return "http://127.0.0.1:" + environment.get("MOSAIC_HTTP_PORT") + "/dicom-web";
    }

    @AfterAll
    void stop() throws Exception {
        if (home != null && Files.exists(home.resolve("data/port"))) {
            run(List.of(home.resolve("bin/stop").toString()), home, Duration.ofSeconds(60));
        }
    }

    @Test
    void dicomwebClientStoresSearchesAndRetrieves() throws Exception {
        Path files = Files.createDirectories(work.resolve("files"));
        List<String> arguments = new ArrayList<>(List.of("node", "client.js", base(), STUDY, SERIES, SERIES + ".1"));
        byte[] pixels = null;
        for (int n = 1; n <= 2; n++) {
            Attributes ds = instance(SERIES + "." + n, n);
            if (n == 1) {
                pixels = ds.getBytes(Tag.PixelData, false);
            }
            Path file = files.resolve(n + ".dcm");
            DicomOutputStream.writeFile(file, ds, UID.ExplicitVRLittleEndian);
            arguments.add(file.toString());
        }
        Result r = run(arguments, npm, Duration.ofSeconds(120));
        assertEquals(0, r.status, r.output);
        String json = r.output.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(() -> new AssertionError(r.output));
        assertTrue(json.contains("\"stored\":2"), json);
        assertTrue(json.contains("\"studies\":[\"" + STUDY + "\"]"), json);
        assertTrue(json.contains("\"patientName\":\"WEB^CLIENT\""), json);
        assertTrue(json.contains("\"series\":[\"" + SERIES + "\"]"), json);
        assertTrue(json.contains("\"instances\":2"), json);
        assertTrue(json.contains("\"metadata\":2"), json);
        assertTrue(json.contains("\"rows\":16"), json);
        assertTrue(json.contains("\"frameBytes\":" + pixels.length), json);
        assertTrue(json.contains("\"frameSha256\":\"" + sha256(pixels) + "\""), json);
        assertTrue(json.contains("\"instanceSha256\":\"" + sha256(Files.readAllBytes(files.resolve("1.dcm"))) + "\""),
                "the retrieved instance is the stored file: " + json);
    }

    @Test
    void jpeg2000And12BitJpegRender() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String name : List.of("j2k-lossless-rct.dcm", "jpeg12-gray.dcm")) {
            byte[] file = Files.readAllBytes(Path.of("src/test/resources/dicomweb-it", name));
            Attributes ds;
            try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(file))) {
                ds = in.readDataset();
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("--MOSAICIT\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(file);
            body.writeBytes("\r\n--MOSAICIT--\r\n".getBytes(StandardCharsets.US_ASCII));
            HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(base() + "/studies"))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=MOSAICIT")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(stored.statusCode() == 200 || stored.statusCode() == 202, name + ": " + stored.body());
            String instance = base() + "/studies/" + ds.getString(Tag.StudyInstanceUID) + "/series/"
                    + ds.getString(Tag.SeriesInstanceUID) + "/instances/" + ds.getString(Tag.SOPInstanceUID);
            HttpResponse<byte[]> rendered = http.send(HttpRequest.newBuilder(URI.create(instance + "/rendered"))
                    .header("Accept", "image/png").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, rendered.statusCode(), name + ": " + new String(rendered.body(), StandardCharsets.UTF_8));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(rendered.body()));
            assertEquals(ds.getInt(Tag.Columns, 0), img.getWidth(), name);
            assertEquals(ds.getInt(Tag.Rows, 0), img.getHeight(), name);
            int min = 255;
            int max = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int gray = img.getRGB(x, y) & 0xFF;
                    min = Math.min(min, gray);
                    max = Math.max(max, gray);
                }
            }
            assertTrue(max - min > 100, name + " renders an image, not a flat field: " + min + ".." + max);
        }
    }

    private static Attributes instance(String sop, int number) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, "20240105");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientName, VR.PN, "WEB^CLIENT");
        ds.setString(Tag.PatientID, VR.LO, "WEB1");
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, SERIES);
        ds.setInt(Tag.InstanceNumber, VR.IS, number);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 16);
        ds.setInt(Tag.Columns, VR.US, 16);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[16 * 16 * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7 + number);
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private record Result(int status, String output) {
    }

    /** Runs a command; its output goes to a file (bin/start leaves Karaf holding the process's stdout). */
    private Result run(List<String> command, Path dir, Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "command", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (environment != null) {
            pb.environment().putAll(environment);
        }
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, command + " timed out: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
