package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.api.deidentify.DeidentifiedInstance;
import org.mosaicpacs.deidentify.internal.AnnexEDeidentifier;
import org.mosaicpacs.deidentify.internal.MappingStore;
import org.mosaicpacs.deidentify.internal.ProfileConfiguration;
import org.mosaicpacs.deidentify.internal.ProfileDefinition;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.io.DicomInputStream;

/**
 * WADO-RS, WADO-URI and QIDO-RS for an HTTP client marked for de-identification (its address is a web client of a
 * remote AE with {@code deidentifyOnRetrieve}), on the real Jetty, index, storage and ingest, with the real Annex E
 * de-identifier and its Derby mapping store: every answer is built from de-identified objects, with the UIDs the same
 * de-identifier gives the C-MOVE and C-GET path; searches are refused; without the de-identifier, the profile or the
 * AE configuration nothing is sent.
 */
class WadoDeidentifyTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String STUDY = "1.2.9";
    private static final String SERIES = "1.2.9.1";
    private static final String PATH = "/studies/" + STUDY + "/series/" + SERIES + "/instances/";
    private static final String[] SECRETS = {"SECRETNAME", "PID-SECRET", "20240105", STUDY + "\0", SERIES + ".1"};

    @TempDir
    Path temp;

    Fixture web;
    AnnexEDeidentifier engine;
    String mappingDatabase;
    Path first;
    Path second;

    @BeforeEach
    void start() throws Exception {
        web = new Fixture(temp);
        first = TestData.write(temp.resolve("in"), TestData.ct(STUDY, SERIES, SERIES + ".1", "SECRETNAME^JOHN",
                "PID-SECRET", "20240105", 1, 1), UID.ExplicitVRLittleEndian);
        second = TestData.write(temp.resolve("in"), TestData.ct(STUDY, SERIES, SERIES + ".2", "SECRETNAME^JOHN",
                "PID-SECRET", "20240105", 2, 3), UID.ExplicitVRLittleEndian);
        web.store(first);
        web.store(second);
        EmbeddedDataSource ds = new EmbeddedDataSource();
        mappingDatabase = "memory:deid-wado" + DATABASES.incrementAndGet();
        ds.setDatabaseName(mappingDatabase);
        ds.setCreateDatabase("create");
        engine = new AnnexEDeidentifier();
        call(engine, "setStore", MappingStore.class, new MappingStore(ds));
        // a profile that blanks the top 4 rows of these 24x32 CT images: pixels tell de-identified data apart
        call(engine, "addProfile", ProfileDefinition.class, new ProfileDefinition(Fixture.config(
                ProfileConfiguration.class, Map.of("name", "clean", "options", new String[] {"CLEAN_PIXEL_DATA"},
                        "cleanPixelRectangles", new String[] {"CT|*|24x32: 0 0 24 4"}))));
        web.instanceDeidentifier.set(engine);
        mark("RESEARCH", "basic", "127.0.0.0/8");
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
        EmbeddedDataSource drop = new EmbeddedDataSource();
        drop.setDatabaseName(mappingDatabase);
        drop.setConnectionAttributes("drop=true");
        try {
            drop.getConnection().close();
        } catch (java.sql.SQLException expected) {
            // 08006: dropped
        }
    }

    private static void call(Object target, String method, Class<?> type, Object arg) throws Exception {
        Method m = target.getClass().getDeclaredMethod(method, type);
        m.setAccessible(true);
        m.invoke(target, arg);
    }

    private void mark(String aeTitle, String profile, String... webClients) throws IOException {
        web.remoteAEs.get().add(new RemoteApplicationEntity(aeTitle, "research.example.org", 11112, false, "",
                profile, "", List.of(webClients)));
    }

    /** What the C-MOVE/C-GET path sends a marked AE: the same de-identifier, the same profile, on the stored file. */
    private Attributes deidentifiedAsOverDimse(Path file, String profile) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(file)) {
            engine.deidentify(in, out, profile);
        }
        return part10(out.toByteArray());
    }

    private static Attributes part10(byte[] bytes) throws IOException {
        DicomInputStream dis = new DicomInputStream(new ByteArrayInputStream(bytes));
        dis.readFileMetaInformation();
        return dis.readDataset();
    }

    private static void assertNoSecret(byte[] body) {
        assertNoSecret(body, SECRETS);
    }

    private static void assertNoSecret(byte[] body, String... secrets) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        for (String s : secrets) {
            int at = text.indexOf(s);
            assertFalse(at >= 0, () -> "the answer holds '" + s.strip() + "': "
                    + text.substring(Math.max(0, at - 60), Math.min(text.length(), at + 40)).replaceAll("[^ -~]", "."));
        }
    }

    @Test
    void instancesSeriesAndStudyAreDeidentifiedWithTheUIDsOfTheDimsePath() throws Exception {
        Attributes expected1 = deidentifiedAsOverDimse(first, "basic");
        Attributes expected2 = deidentifiedAsOverDimse(second, "basic");
        String accept = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
        for (String path : List.of("/studies/" + STUDY, "/studies/" + STUDY + "/series/" + SERIES)) {
            HttpResponse<byte[]> r = web.get(path, "Accept", accept);
            assertEquals(200, r.statusCode(), Fixture.text(r));
            assertNoSecret(r.body());
            List<Fixture.Part> parts = Fixture.multipart(r);
            assertEquals(2, parts.size());
            for (Fixture.Part part : parts) {
                assertNull(part.headers().get("content-location"), "a de-identified part names no original UID");
                Attributes ds = part10(part.content());
                assertEquals("YES", ds.getString(Tag.PatientIdentityRemoved));
                assertNotEquals(STUDY, ds.getString(Tag.StudyInstanceUID));
                assertEquals(expected1.getString(Tag.StudyInstanceUID), ds.getString(Tag.StudyInstanceUID));
                assertEquals(expected1.getString(Tag.SeriesInstanceUID), ds.getString(Tag.SeriesInstanceUID));
                assertEquals(expected1.getString(Tag.PatientID), ds.getString(Tag.PatientID));
                assertTrue(ds.getString(Tag.SOPInstanceUID).equals(expected1.getString(Tag.SOPInstanceUID))
                        || ds.getString(Tag.SOPInstanceUID).equals(expected2.getString(Tag.SOPInstanceUID)));
            }
        }
        HttpResponse<byte[]> one = web.get(PATH + SERIES + ".1", "Accept", accept);
        assertEquals(200, one.statusCode(), Fixture.text(one));
        assertEquals(expected1.getString(Tag.SOPInstanceUID),
                part10(Fixture.multipart(one).get(0).content()).getString(Tag.SOPInstanceUID));
        // converted to another transfer syntax: still de-identified
        HttpResponse<byte[]> implicit = web.get(PATH + SERIES + ".1", "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=" + UID.ImplicitVRLittleEndian);
        assertEquals(200, implicit.statusCode(), Fixture.text(implicit));
        assertNoSecret(implicit.body());
    }

    @Test
    void zipDownloadsHoldDeidentifiedEntriesNamedByTheDeidentifiedUIDs() throws Exception {
        Attributes expected1 = deidentifiedAsOverDimse(first, "basic");
        Attributes expected2 = deidentifiedAsOverDimse(second, "basic");
        String series = expected1.getString(Tag.SeriesInstanceUID);
        for (String path : List.of("/studies/" + STUDY, "/studies/" + STUDY + "/series/" + SERIES)) {
            HttpResponse<byte[]> r = web.get(path, "Accept", "application/zip");
            assertEquals(200, r.statusCode(), Fixture.text(r));
            assertFalse(r.headers().firstValue("Content-Disposition").orElse("").contains(STUDY));
            java.util.Map<String, byte[]> entries = ZipTest.unzip(r.body());
            assertEquals(java.util.Set.of(series + "/" + expected1.getString(Tag.SOPInstanceUID) + ".dcm",
                    series + "/" + expected2.getString(Tag.SOPInstanceUID) + ".dcm"), entries.keySet());
            for (byte[] entry : entries.values()) {
                assertNoSecret(entry);
                Attributes ds = part10(entry);
                assertEquals("YES", ds.getString(Tag.PatientIdentityRemoved));
                assertEquals(expected1.getString(Tag.StudyInstanceUID), ds.getString(Tag.StudyInstanceUID));
                assertEquals(expected1.getString(Tag.PatientID), ds.getString(Tag.PatientID));
            }
        }
    }

    @Test
    void xmlMetadataComesFromTheDeidentifiedObjects() throws Exception {
        Attributes expected = deidentifiedAsOverDimse(first, "basic");
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY + "/series/" + SERIES + "/metadata", "Accept",
                "multipart/related; type=\"application/dicom+xml\"");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        assertNoSecret(r.body(), "SECRETNAME", "PID-SECRET", "20240105");
        List<Fixture.Part> parts = Fixture.multipart(r);
        assertEquals(2, parts.size());
        for (Fixture.Part part : parts) {
            org.w3c.dom.Document xml = MetadataXmlTest.parse(part.content());
            assertEquals(List.of("Value=YES"), MetadataXmlTest.values(MetadataXmlTest.attribute(xml, "00120062")));
            assertEquals(List.of("Value=" + expected.getString(Tag.StudyInstanceUID)),
                    MetadataXmlTest.values(MetadataXmlTest.attribute(xml, "0020000D")));
        }
    }

    @Test
    void aClientThatIsNotMarkedGetsTheStoredObjects() throws Exception {
        web.remoteAEs.get().remove("RESEARCH");
        mark("ELSEWHERE", "basic", "10.0.0.0/8", "fd00::/8");
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY, "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals(200, r.statusCode());
        assertArrayEquals(Files.readAllBytes(first), Fixture.multipart(r).get(0).content());
        assertEquals(200, web.get("/studies?PatientID=PID-SECRET", "Accept", "application/dicom+json").statusCode());
    }

    @Test
    void metadataFramesBulkDataAndRenderedComeFromTheDeidentifiedObjects() throws Exception {
        web.remoteAEs.get().remove("RESEARCH");
        mark("RESEARCH", "clean", "127.0.0.1", "::1");
        Attributes expected = deidentifiedAsOverDimse(second, "clean");

        HttpResponse<byte[]> meta = web.get("/studies/" + STUDY + "/metadata", "Accept", "application/dicom+json");
        assertEquals(200, meta.statusCode(), Fixture.text(meta));
        // (its BulkDataURIs are under the path the client asked by, original UIDs it sent itself)
        assertNoSecret(meta.body(), "SECRETNAME", "PID-SECRET", "20240105");
        List<Attributes> all = Fixture.jsonArray(meta.body());
        assertEquals(2, all.size());
        for (Attributes a : all) {
            assertEquals("YES", a.getString(Tag.PatientIdentityRemoved));
            assertEquals(expected.getString(Tag.StudyInstanceUID), a.getString(Tag.StudyInstanceUID));
        }
        assertFalse(Files.exists(temp.resolve("metadata")) && Files.list(temp.resolve("metadata")).findAny().isPresent(),
                "de-identified metadata is not cached");

        byte[] pixels = expected.getBytes(Tag.PixelData, false);
        int frameLength = 24 * 32 * 2;
        HttpResponse<byte[]> frames = web.get(PATH + SERIES + ".2/frames/3,1", "Accept",
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        assertEquals(200, frames.statusCode(), Fixture.text(frames));
        List<Fixture.Part> parts = Fixture.multipart(frames);
        assertArrayEquals(java.util.Arrays.copyOfRange(pixels, 2 * frameLength, 3 * frameLength), parts.get(0).content());
        assertArrayEquals(java.util.Arrays.copyOfRange(pixels, 0, frameLength), parts.get(1).content());
        assertEquals(0, parts.get(1).content()[0], "the blanked rows");
        assertNotEquals(TestData.pixels(24 * 32 * 3, 2)[2], parts.get(1).content()[2]);

        HttpResponse<byte[]> bulk = web.get(PATH + SERIES + ".2/bulkdata/7FE00010", "Accept",
                "multipart/related; type=\"application/octet-stream\"");
        assertEquals(200, bulk.statusCode(), Fixture.text(bulk));
        assertArrayEquals(pixels, Fixture.multipart(bulk).get(0).content());

        for (String p : List.of(PATH + SERIES + ".2/rendered", PATH + SERIES + ".2/frames/2/rendered",
                PATH + SERIES + ".1/thumbnail", "/studies/" + STUDY + "/thumbnail",
                "/studies/" + STUDY + "/series/" + SERIES + "/thumbnail")) {
            HttpResponse<byte[]> r = web.get(p, "Accept", "image/png");
            assertEquals(200, r.statusCode(), p + ": " + Fixture.text(r));
            assertTrue(ImageIO.read(new ByteArrayInputStream(r.body())) != null, p);
        }
        // the rendered frame shows the blanked rows: the image was made from the de-identified pixels
        java.awt.image.BufferedImage img = ImageIO.read(new ByteArrayInputStream(
                web.get(PATH + SERIES + ".2/rendered?window=2048,4096", "Accept", "image/png").body()));
        assertEquals(0, img.getRaster().getSample(5, 1, 0));
    }

    @Test
    void wadoUriIsDeidentified() throws Exception {
        Attributes expected = deidentifiedAsOverDimse(first, "basic");
        String q = "/wado?requestType=WADO&studyUID=" + STUDY + "&seriesUID=" + SERIES + "&objectUID=" + SERIES + ".1";
        HttpResponse<byte[]> r = web.get(q + "&contentType=application/dicom");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        assertNoSecret(r.body());
        assertEquals(expected.getString(Tag.SOPInstanceUID), part10(r.body()).getString(Tag.SOPInstanceUID));
        HttpResponse<byte[]> converted = web.get(q + "&contentType=application/dicom&transferSyntax="
                + UID.ImplicitVRLittleEndian);
        assertEquals(200, converted.statusCode(), Fixture.text(converted));
        assertNoSecret(converted.body());
        HttpResponse<byte[]> jpeg = web.get(q);
        assertEquals(200, jpeg.statusCode(), Fixture.text(jpeg));
        assertEquals("image/jpeg", jpeg.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void searchesAreRefusedToAMarkedClient() throws Exception {
        for (String p : List.of("/studies", "/series", "/instances", "/studies/" + STUDY + "/series",
                "/studies/" + STUDY + "/instances", "/studies/" + STUDY + "/series/" + SERIES + "/instances")) {
            HttpResponse<byte[]> r = web.get(p + "?PatientID=PID-SECRET", "Accept", "application/dicom+json");
            assertEquals(403, r.statusCode(), p);
            assertTrue(Fixture.text(r).contains("RESEARCH"), Fixture.text(r));
            assertNoSecret(r.body());
        }
    }

    @Test
    void failsClosedWithoutTheDeidentifierTheProfileOrTheAEConfiguration() throws Exception {
        web.instanceDeidentifier.set(null);
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY, "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals(503, r.statusCode());
        assertTrue(Fixture.text(r).contains("mosaic-deidentify"), Fixture.text(r));
        assertNoSecret(r.body());
        assertEquals(503, web.get("/wado?requestType=WADO&studyUID=" + STUDY + "&seriesUID=" + SERIES + "&objectUID="
                + SERIES + ".1&contentType=application/dicom").statusCode());
        assertEquals(503, web.get(PATH + SERIES + ".1/rendered").statusCode());

        web.instanceDeidentifier.set(engine);
        web.remoteAEs.get().remove("RESEARCH");
        mark("RESEARCH", "no-such-profile", "127.0.0.1");
        r = web.get(PATH + SERIES + ".1/metadata", "Accept", "application/dicom+json");
        assertEquals(503, r.statusCode());
        assertTrue(Fixture.text(r).contains("no-such-profile"), Fixture.text(r));

        web.remoteAEs.set(null);
        r = web.get("/studies/" + STUDY + "/metadata", "Accept", "application/dicom+json");
        assertEquals(503, r.statusCode());
        assertTrue(Fixture.text(r).contains("remote AE configuration"), Fixture.text(r));
    }

    @Test
    void aClientMarkedForDeidentificationOnStoreCannotUseStow() throws Exception {
        web.remoteAEs.get().add(new RemoteApplicationEntity("SCANNER", "scanner.example.org", 104, false, "", "",
                "basic", List.of("127.0.0.1", "::1")));
        HttpResponse<byte[]> r = web.send("POST", "/studies", HttpRequest.BodyPublishers.ofByteArray(new byte[0]),
                "Content-Type", "multipart/related; type=\"application/dicom\"; boundary=x");
        assertEquals(403, r.statusCode(), Fixture.text(r));
        assertTrue(Fixture.text(r).contains("SCANNER"), Fixture.text(r));
    }

    @Test
    void webClientAddressesAndRanges() {
        RemoteApplicationEntity ae = new RemoteApplicationEntity("A", "h", 104, false, "", "basic", "",
                List.of("10.1.2.0/24", "192.168.7.7", "fd00::/8", " "));
        assertEquals(List.of("10.1.2.0/24", "192.168.7.7", "fd00::/8"), ae.webClients());
        assertTrue(ae.isWebClient("10.1.2.200"));
        assertFalse(ae.isWebClient("10.1.3.1"));
        assertTrue(ae.isWebClient("192.168.7.7"));
        assertFalse(ae.isWebClient("192.168.7.8"));
        assertTrue(ae.isWebClient("::ffff:10.1.2.3"), "IPv4-mapped IPv6");
        assertTrue(ae.isWebClient("fd12:3456::1"));
        assertFalse(ae.isWebClient("fe80::1"));
        assertFalse(ae.isWebClient("not-an-address"));
        assertFalse(new RemoteApplicationEntity("B", "h", 104).isWebClient("127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> new RemoteApplicationEntity("A", "h", 104, false, "",
                "basic", "", List.of("research.example.org")));
        assertThrows(IllegalArgumentException.class, () -> new RemoteApplicationEntity("A", "h", 104, false, "",
                "basic", "", List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> new RemoteApplicationEntity("A", "h", 104, false, "",
                "basic", "", List.of("300.1.1.1")));
    }
}
