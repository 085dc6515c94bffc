package org.mosaicpacs.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/**
 * Orthanc, an archive nobody here wrote, as a peer of the started distribution: a private Orthanc (its own
 * configuration in a temporary folder, DICOM and HTTP on free loopback ports, Mosaic's AE in its
 * DicomModalities) is a C-MOVE destination of the archive ({@code moveDestinations} in
 * {@code etc/org.mosaicpacs.dimse.cfg}), and a C-STORE source (its REST API {@code POST /modalities/mosaic/store}
 * sends to the archive). Each way, the instances arrive intact. Skipped when /usr/sbin/Orthanc or dcmtk is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrthancIT {

    private static final Path ORTHANC = Path.of("/usr/sbin/Orthanc");

    private Distribution mosaic;
    private Process orthanc;
    private int orthancHttp;
    private final Map<String, Path> sent = new HashMap<>();
    private Path files;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Files.isExecutable(ORTHANC), "Orthanc is not installed");
        assumeTrue(Distribution.dcmtkInstalled(), "dcmtk is not installed");
        mosaic = new Distribution("orthanc-it");
        files = Files.createDirectories(mosaic.work.resolve("files"));
        Path dir = Files.createDirectories(mosaic.work.resolve("orthanc"));
        int orthancDicom = Ports.freePort();
        orthancHttp = Ports.freePort();
        String config = """
                {
                  "Name": "mosaic-orthanc-it",
                  "StorageDirectory": "%1$s/storage",
                  "IndexDirectory": "%1$s/storage",
                  "DicomAet": "ORTHANC",
                  "DicomPort": %2$d,
                  "HttpPort": %3$d,
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "DicomCheckCalledAet": true,
                  "DicomAlwaysAllowStore": true,
                  "Plugins": [],
                  "DicomModalities": { "mosaic": ["MOSAIC", "127.0.0.1", %4$d] }
                }
                """.formatted(dir, orthancDicom, orthancHttp, mosaic.dicomPort);
        Path json = Files.writeString(dir.resolve("orthanc.json"), config);
        orthanc = new ProcessBuilder(ORTHANC.toString(), json.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("orthanc.log").toFile()).start();
        Ports.editCfg(mosaic.dimseCfg(), "moveDestinations", "ORTHANC=127.0.0.1:" + orthancDicom);
        mosaic.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Ports.httpStatus(orthancUrl("/system")) != 200 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertEquals(200, Ports.httpStatus(orthancUrl("/system")), "Orthanc answers on its HTTP port; see orthanc.log");
    }

    @AfterAll
    void stop() throws Exception {
        if (orthanc != null) {
            orthanc.destroy();
            if (!orthanc.waitFor(20, TimeUnit.SECONDS)) {
                orthanc.destroyForcibly();
            }
        }
        if (mosaic != null) {
            mosaic.stop();
        }
    }

    @Test
    @Order(1)
    void orthancAsAMoveDestinationReceivesTheStudyIntact() throws Exception {
        String study = uid();
        String series = uid();
        List<Path> batch = new ArrayList<>();
        batch.add(make("ORTHANC^MOVE", "PID-OM", study, series, 1, UID.ExplicitVRLittleEndian));
        batch.add(make("ORTHANC^MOVE", "PID-OM", study, series, 2, UID.ImplicitVRLittleEndian));
        batch.add(make("ORTHANC^MOVE", "PID-OM", study, series, 3, UID.ExplicitVRLittleEndian));
        Map<String, String> statuses = mosaic.storescu(List.of("-R"), batch);
        assertEquals(3, statuses.size(), statuses.toString());
        statuses.forEach((iuid, status) -> assertEquals("0x0000", status, iuid));

        Distribution.Result r = mosaic.exec(List.of("movescu", "-S", "-aec", Distribution.AET, "-aem", "ORTHANC", "127.0.0.1",
                mosaic.port(), "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study), mosaic.work, Distribution.TOOL);
        assertEquals(0, r.exit(), r.output());

        // what Orthanc has of the study: every instance, each one as sent
        String found = post("/tools/find", "{\"Level\":\"Instance\",\"Query\":{\"StudyInstanceUID\":\"" + study + "\"}}");
        List<String> ids = ids(found);
        assertEquals(3, ids.size(), found);
        Set<String> uids = new TreeSet<>();
        for (String id : ids) {
            Attributes got = read(get("/instances/" + id + "/file"));
            String iuid = got.getString(Tag.SOPInstanceUID);
            uids.add(iuid);
            assertEquals(read(Files.readAllBytes(sent.get(iuid))), got, "instance " + iuid + " as Orthanc received it");
        }
        assertEquals(statuses.keySet(), uids);
    }

    @Test
    @Order(2)
    void orthancAsAStoreSourceSendsInstancesThatArriveIntact() throws Exception {
        String study = uid();
        String series = uid();
        List<Path> batch = List.of(
                make("ORTHANC^STORE", "PID-OS", study, series, 1, UID.ExplicitVRLittleEndian),
                make("ORTHANC^STORE", "PID-OS", study, series, 2, UID.ExplicitVRLittleEndian));
        List<String> ids = new ArrayList<>();
        for (Path f : batch) {
            // uploaded over Orthanc's REST API (not through Mosaic)
            HttpResponse<String> rsp = http().send(HttpRequest.newBuilder(URI.create(orthancUrl("/instances")))
                    .POST(HttpRequest.BodyPublishers.ofFile(f)).header("Content-Type", "application/dicom").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, rsp.statusCode(), rsp.body());
            ids.add(field(rsp.body(), "ID"));
        }
        // Orthanc's C-STORE SCU sends them to the archive
        String job = post("/modalities/mosaic/store", "[\"" + String.join("\",\"", ids) + "\"]");
        assertTrue(job.contains("\"FailedInstancesCount\" : 0") || job.contains("\"FailedInstancesCount\": 0")
                || !job.contains("FailedInstancesCount"), job);
        assertTrue(job.contains("\"InstancesCount\" : 2") || job.contains("\"InstancesCount\": 2"), job);

        Path out = Files.createDirectories(mosaic.work.resolve("getscu-from-orthanc"));
        Distribution.Result r = mosaic.exec(List.of("getscu", "-S", "-aec", Distribution.AET, "127.0.0.1", mosaic.port(),
                "-od", out.toString(), "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study), mosaic.work,
                Distribution.TOOL);
        assertEquals(0, r.exit(), r.output());
        Set<String> got = new TreeSet<>();
        try (Stream<Path> list = Files.list(out)) {
            for (Path f : list.filter(Files::isRegularFile).toList()) {
                Attributes a = read(Files.readAllBytes(f));
                String iuid = a.getString(Tag.SOPInstanceUID);
                got.add(iuid);
                assertEquals(read(Files.readAllBytes(sent.get(iuid))), a, "instance " + iuid + " sent by Orthanc, retrieved from Mosaic");
            }
        }
        assertEquals(2, got.size(), "both instances Orthanc sent are in the archive: " + got);
    }

    // ---- Orthanc's REST API ------------------------------------------------------------------------

    private String orthancUrl(String path) {
        return "http://127.0.0.1:" + orthancHttp + path;
    }

    private String post(String path, String json) throws Exception {
        HttpResponse<String> rsp = http().send(HttpRequest.newBuilder(URI.create(orthancUrl(path)))
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, rsp.statusCode(), path + ": " + rsp.body());
        return rsp.body();
    }

    private byte[] get(String path) throws Exception {
        HttpResponse<byte[]> rsp = http().send(HttpRequest.newBuilder(URI.create(orthancUrl(path))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, rsp.statusCode(), path);
        return rsp.body();
    }

    private static List<String> ids(String jsonArray) {
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("\"([0-9a-f-]{20,})\"").matcher(jsonArray);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    // ---- data ----------------------------------------------------------------------------------------

    private static Attributes read(byte[] file) throws IOException {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(file))) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    private Path make(String name, String pid, String study, String series, int number, String tsuid) throws IOException {
        String iuid = uid();
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.StudyDate, VR.DA, "20260115");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "ORTHANC1");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientName, VR.PN, name + "=山田^太郎");
        ds.setString(Tag.PatientID, VR.LO, pid);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.SeriesNumber, VR.IS, "1");
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(number));
        ds.newSequence(Tag.ReferencedStudySequence, 1).addNewItem().setString(Tag.ReferencedSOPInstanceUID, VR.UI, study);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 64);
        ds.setInt(Tag.Columns, VR.US, 64);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[64 * 64 * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (byte) (i * 3 + number);
            pixels[i + 1] = (byte) ((i / 2) & 0x0f);
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        Path file = files.resolve(iuid + ".dcm");
        DicomOutputStream.writeFile(file, ds, tsuid);
        sent.put(iuid, file);
        return file;
    }

    private static String uid() {
        return "2.25." + new BigInteger(1, ByteBuffer.allocate(16).putLong(UUID.randomUUID().getMostSignificantBits())
                .putLong(UUID.randomUUID().getLeastSignificantBits()).array());
    }

    /**
     * A new client, so a new connection, for every request: Orthanc closes idle keep-alive connections, and
     * the JDK client then fails a POST sent on such a connection ("header parser received no bytes") instead
     * of retrying it.
     */
    static HttpClient http() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

}
