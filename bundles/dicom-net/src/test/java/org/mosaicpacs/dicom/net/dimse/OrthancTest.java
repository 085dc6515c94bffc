package org.mosaicpacs.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.net.Connection;

/**
 * Interoperability with Orthanc (Debian package {@code orthanc}), started by the test with a generated
 * configuration on loopback ports in a temp folder; skipped when /usr/sbin/Orthanc is missing. Our SCU
 * echoes and stores to Orthanc; Orthanc's C-ECHO, C-FIND, C-MOVE and C-STORE SCU reach our SCP.
 */
@Timeout(180)
class OrthancTest {

    static final Path ORTHANC = Path.of("/usr/sbin/Orthanc");

    @TempDir
    Path tmp;
    ExecutorService executor;
    ScheduledExecutorService scheduler;
    TestScp scp;
    Process orthanc;
    int httpPort;
    int dicomPort;

    @BeforeEach
    void setUp() {
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (orthanc != null) {
            orthanc.destroy();
            if (!orthanc.waitFor(15, TimeUnit.SECONDS)) {
                orthanc.destroyForcibly();
            }
        }
        if (scp != null) {
            scp.close();
        }
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    void startOrthanc() throws Exception {
        httpPort = freePort();
        dicomPort = freePort();
        Path storage = Files.createDirectories(tmp.resolve("orthanc-storage"));
        String config = "{\n"
                + "  \"Name\": \"MosaicTest\",\n"
                + "  \"StorageDirectory\": \"" + storage + "\",\n"
                + "  \"IndexDirectory\": \"" + storage + "\",\n"
                + "  \"Plugins\": [],\n"
                + "  \"HttpPort\": " + httpPort + ",\n"
                + "  \"RemoteAccessAllowed\": false,\n"
                + "  \"AuthenticationEnabled\": false,\n"
                + "  \"DicomAet\": \"ORTHANC\",\n"
                + "  \"DicomPort\": " + dicomPort + ",\n"
                + "  \"DicomCheckCalledAet\": false,\n"
                + "  \"DicomScuTimeout\": 20,\n"
                + "  \"DicomAssociationCloseDelay\": 0,\n"
                + "  \"DicomModalities\": { \"mosaic\": [\"" + TestScp.AET + "\", \"127.0.0.1\", " + scp.port() + "] }\n"
                + "}\n";
        Path file = tmp.resolve("orthanc.json");
        Files.writeString(file, config);
        orthanc = new ProcessBuilder(ORTHANC.toString(), file.toString()).directory(tmp.toFile())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("orthanc.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (get("/system").contains("ORTHANC")) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IOException("Orthanc did not start:\n" + Files.readString(tmp.resolve("orthanc.log")));
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    String post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("POST " + path + ": " + r.statusCode() + " " + r.body() + "\n"
                    + Files.readString(tmp.resolve("orthanc.log")));
        }
        return r.body();
    }

    static List<String> ids(String jsonArray) {
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("\"([0-9a-f-]{20,})\"").matcher(jsonArray);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void interoperability() throws Exception {
        assumeTrue(Files.isExecutable(ORTHANC), "Orthanc is not installed");
        scp = new TestScp(Files.createDirectories(tmp.resolve("scp")), executor, scheduler,
                new Connection("127.0.0.1", 0).setResponseTimeout(30_000));
        Path in = Files.createDirectories(tmp.resolve("in"));
        List<Path> study0 = new ArrayList<>();
        List<Path> study1 = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String cuid = i % 2 == 0 ? UID.CTImageStorage : UID.MRImageStorage;
            Attributes ds = Fixtures.image(cuid, "P" + (i / 2), "1.2.6." + (i / 2), "1.2.6." + (i / 2) + ".1",
                    "1.2.6." + (i / 2) + ".1." + i, 32);
            (i < 2 ? study0 : study1).add(Fixtures.write(in, ds, Fixtures.SYNTAXES[i]));
        }
        startOrthanc();
        scp.destinations.put("ORTHANC", new Connection("127.0.0.1", dicomPort));

        // our SCU -> Orthanc: C-ECHO and C-STORE of study 0
        AssociateRQBuilder rq = new AssociateRQBuilder("ORTHANC", "MOSAIC").addVerification();
        for (String cuid : List.of(UID.CTImageStorage, UID.MRImageStorage)) {
            rq.addContext(cuid, Fixtures.SYNTAXES);
        }
        try (DimseAssociation as = DimseAssociation.connect(new Connection().setResponseTimeout(30_000),
                new Connection("127.0.0.1", dicomPort), rq.build(), null, executor, scheduler)) {
            assertEquals(Status.Success, as.cecho().status());
            for (Path f : study0) {
                assertEquals(Status.Success, as.cstore(f, Commands.MEDIUM).await().status());
            }
        }
        assertEquals(2, ids(get("/instances")).size());

        // study 1 into our archive, with our SCU
        try (DimseAssociation as = DimseAssociation.connect(new Connection().setResponseTimeout(30_000),
                new Connection("127.0.0.1", scp.port()), new AssociateRQBuilder(TestScp.AET, "OURSCU")
                        .addContext(UID.CTImageStorage, Fixtures.SYNTAXES)
                        .addContext(UID.MRImageStorage, Fixtures.SYNTAXES).build(), null, executor, scheduler)) {
            for (Path f : study1) {
                assertEquals(Status.Success, as.cstore(f, Commands.MEDIUM).await().status());
            }
        }

        // Orthanc -> our SCP: C-ECHO, C-FIND, C-MOVE (to Orthanc), C-STORE
        post("/modalities/mosaic/echo", "{}");
        String query = post("/modalities/mosaic/query",
                "{\"Level\":\"Study\",\"Query\":{\"StudyInstanceUID\":\"\",\"PatientID\":\"P*\"}}");
        Matcher qid = Pattern.compile("\"ID\"\\s*:\\s*\"([^\"]+)\"").matcher(query);
        assertTrue(qid.find(), query);
        String answers = get("/queries/" + qid.group(1) + "/answers?expand");
        assertTrue(answers.contains("1.2.6.1"), answers);

        post("/modalities/mosaic/move", "{\"Level\":\"Study\",\"Resources\":[{\"StudyInstanceUID\":\"1.2.6.1\"}],"
                + "\"TargetAet\":\"ORTHANC\",\"Synchronous\":true}");
        List<String> instances = ids(get("/instances"));
        assertEquals(4, instances.size());

        scp.files.clear();
        scp.index.clear();
        StringBuilder body = new StringBuilder("{\"Resources\":[");
        for (int i = 0; i < instances.size(); i++) {
            body.append(i == 0 ? "" : ",").append('"').append(instances.get(i)).append('"');
        }
        post("/modalities/mosaic/store", body.append("],\"Synchronous\":true}").toString());
        assertEquals(4, scp.files.size());
        for (Path f : study0) {
            Attributes sent = Fixtures.read(f);
            Path back = scp.files.get(sent.getString(org.mosaicpacs.dicom.data.Tag.SOPInstanceUID));
            Attributes received = Fixtures.read(back);
            for (int tag : new int[] {org.mosaicpacs.dicom.data.Tag.PatientID, org.mosaicpacs.dicom.data.Tag.StudyInstanceUID,
                org.mosaicpacs.dicom.data.Tag.Rows}) {
                assertEquals(sent.getString(tag), received.getString(tag));
            }
        }
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
