package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.xml.DicomXmlParser;

/** QIDO-RS against the real index: the searches OHIF and scripts make, and the bad ones. */
class QidoTest {

    @TempDir
    Path temp;

    private Fixture web;

    @BeforeEach
    void setUp() throws Exception {
        web = new Fixture(temp, 3, Set.of("https://viewer.example.org"), "KEEP_FIRST");
        // four studies: DOE^JOHN (two series), DOE^JANE, ROE^RICHARD, SMITH^ANNA
        web.store(TestData.write(temp.resolve("in"), TestData.ct("1.2.1", "1.2.1.1", "1.2.1.1.1", "DOE^JOHN", "P1", "20240105", 1, 1), UID.ExplicitVRLittleEndian));
        web.store(TestData.write(temp.resolve("in"), TestData.ct("1.2.1", "1.2.1.1", "1.2.1.1.2", "DOE^JOHN", "P1", "20240105", 2, 1), UID.ExplicitVRLittleEndian));
        web.store(TestData.write(temp.resolve("in"), TestData.ct("1.2.1", "1.2.1.2", "1.2.1.2.1", "DOE^JOHN", "P1", "20240105", 1, 1), UID.ImplicitVRLittleEndian));
        web.store(TestData.write(temp.resolve("in"), TestData.ct("1.2.2", "1.2.2.1", "1.2.2.1.1", "DOE^JANE", "P2", "20240210", 1, 1), UID.ExplicitVRLittleEndian));
        web.store(TestData.write(temp.resolve("in"), TestData.ct("1.2.3", "1.2.3.1", "1.2.3.1.1", "ROE^RICHARD", "P3", "20230301", 1, 1), UID.ExplicitVRLittleEndian));
        web.store(TestData.write(temp.resolve("in"), TestData.ct("1.2.4", "1.2.4.1", "1.2.4.1.1", "SMITH^ANNA", "P4", "20220101", 1, 1), UID.ExplicitVRLittleEndian));
    }

    @AfterEach
    void tearDown() throws Exception {
        web.close();
    }

    private List<Attributes> search(String query) throws Exception {
        HttpResponse<byte[]> r = web.get(query, "Accept", "application/dicom+json");
        if (r.statusCode() == 204) {
            assertEquals(0, r.body().length, "204 has no payload");
            return List.of();
        }
        assertEquals(200, r.statusCode(), Fixture.text(r));
        assertEquals("application/dicom+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        return Fixture.jsonArray(r.body());
    }

    private static Set<String> values(List<Attributes> matches, int tag) {
        return matches.stream().map(a -> a.getString(tag)).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void matchesLikeCFind() throws Exception {
        assertEquals(Set.of("1.2.1", "1.2.2"), values(search("/studies?PatientName=DOE*&limit=10"), Tag.StudyInstanceUID));
        assertEquals(Set.of(), values(search("/studies?PatientName=doe*&limit=10"), Tag.StudyInstanceUID),
                "case-sensitive without fuzzymatching");
        assertEquals(Set.of("1.2.1", "1.2.2"), values(search("/studies?PatientName=doe*&fuzzymatching=true&limit=10"),
                Tag.StudyInstanceUID));
        assertEquals(Set.of("1.2.1", "1.2.2"), values(search("/studies?StudyDate=20240101-20241231&limit=10"), Tag.StudyInstanceUID));
        assertEquals(Set.of("1.2.3", "1.2.4"), values(search("/studies?00080020=-20231231&limit=10"), Tag.StudyInstanceUID));
        assertEquals(Set.of("1.2.2", "1.2.4"), values(search("/studies?StudyInstanceUID=1.2.2,1.2.4&limit=10"), Tag.StudyInstanceUID));
        assertEquals(Set.of("1.2.3"), values(search("/studies?PatientID=P?&PatientName=R*"), Tag.StudyInstanceUID));
    }

    @Test
    void answersTheDefaultAttributesAndIncludefield() throws Exception {
        Attributes john = search("/studies?PatientID=P1").get(0);
        assertEquals("DOE^JOHN", john.getString(Tag.PatientName));
        assertEquals("20240105", john.getString(Tag.StudyDate));
        assertEquals(2, john.getInt(Tag.NumberOfStudyRelatedSeries, -1));
        assertEquals(3, john.getInt(Tag.NumberOfStudyRelatedInstances, -1));
        assertEquals("CT", john.getString(Tag.ModalitiesInStudy));
        assertEquals(web.base + "/studies/1.2.1", john.getString(Tag.RetrieveURL));
        assertFalse(john.contains(Tag.QueryRetrieveLevel));
        assertFalse(john.contains(Tag.StudyDescription), "not a default attribute");
        assertEquals("Chest DOE^JOHN", search("/studies?PatientID=P1&includefield=StudyDescription").get(0).getString(Tag.StudyDescription));
        assertEquals("Chest DOE^JOHN", search("/studies?PatientID=P1&includefield=00081030").get(0).getString(Tag.StudyDescription));
        assertEquals("Chest DOE^JOHN", search("/studies?PatientID=P1&includefield=all").get(0).getString(Tag.StudyDescription));
        // an attribute the index has no column for comes from the stored attributes
        assertEquals("1.2.1.1", search("/studies/1.2.1/series?SeriesNumber=1&includefield=0020000E").get(0).getString(Tag.SeriesInstanceUID));
    }

    @Test
    void nestedResources() throws Exception {
        assertEquals(Set.of("1.2.1.1", "1.2.1.2"), values(search("/studies/1.2.1/series"), Tag.SeriesInstanceUID));
        assertEquals(Set.of("1.2.1.1.1", "1.2.1.1.2"), values(search("/studies/1.2.1/series/1.2.1.1/instances"), Tag.SOPInstanceUID));
        assertEquals(Set.of("1.2.1.1.1", "1.2.1.1.2", "1.2.1.2.1"), values(search("/studies/1.2.1/instances?limit=10"), Tag.SOPInstanceUID));
        List<Attributes> instances = search("/studies/1.2.1/series/1.2.1.1/instances?InstanceNumber=2");
        assertEquals(1, instances.size());
        assertEquals(UID.CTImageStorage, instances.get(0).getString(Tag.SOPClassUID));
        assertEquals(32, instances.get(0).getInt(Tag.Rows, -1));
        assertEquals(web.base + "/studies/1.2.1/series/1.2.1.1/instances/1.2.1.1.2", instances.get(0).getString(Tag.RetrieveURL));
        assertEquals(Set.of("1.2.2.1"), values(search("/series?PatientName=DOE%5EJANE"), Tag.SeriesInstanceUID));
        assertEquals(Set.of("1.2.4.1.1"), values(search("/instances?PatientID=P4"), Tag.SOPInstanceUID));
    }

    @Test
    void pagesAndSaysWhenTheServerCut() throws Exception {
        HttpResponse<byte[]> all = web.get("/studies");
        assertEquals(200, all.statusCode());
        assertEquals(3, Fixture.jsonArray(all.body()).size(), "the server maximum is 3");
        assertTrue(all.headers().firstValue("Warning").orElse("").startsWith("299 "), "a cut answer says so");
        HttpResponse<byte[]> zero = web.get("/studies?limit=0");
        assertEquals(3, Fixture.jsonArray(zero.body()).size(), "limit=0 is no limit: the server maximum");
        assertTrue(zero.headers().firstValue("Warning").isPresent());
        HttpResponse<byte[]> page = web.get("/studies?limit=2&offset=3");
        assertEquals(1, Fixture.jsonArray(page.body()).size(), "4 studies, from the fourth");
        assertTrue(page.headers().firstValue("Warning").isEmpty());
        Set<String> seen = new TreeSet<>();
        for (int offset = 0; offset < 4; offset += 2) {
            seen.addAll(values(search("/studies?limit=2&offset=" + offset), Tag.StudyInstanceUID));
        }
        assertEquals(Set.of("1.2.1", "1.2.2", "1.2.3", "1.2.4"), seen, "pages cover every study once");
    }

    @Test
    void emptyAnswerIs204() throws Exception {
        HttpResponse<byte[]> r = web.get("/studies?PatientName=NOBODY");
        assertEquals(204, r.statusCode());
        assertEquals(0, r.body().length);
    }

    @Test
    void badRequestsAre400WithAMessage() throws Exception {
        for (String q : List.of("/studies?NoSuchKeyword=1", "/studies?limit=abc", "/studies?offset=-1",
                "/studies?fuzzymatching=maybe", "/studies?includefield=Nonsense", "/studies?StudyDate=20240101-20230101",
                "/studies?PixelData=1", "/studies/not-a-uid/series")) {
            HttpResponse<byte[]> r = web.get(q);
            assertEquals(400, r.statusCode(), q + ": " + Fixture.text(r));
            assertTrue(Fixture.text(r).length() > 10, "a message for " + q);
        }
        assertEquals(404, web.get("/nothing").statusCode());
        assertEquals(406, web.get("/studies", "Accept", "image/png").statusCode());
    }

    @Test
    void xmlOnRequestAndGzip() throws Exception {
        HttpResponse<byte[]> r = web.get("/studies?PatientID=P2", "Accept", "multipart/related; type=\"application/dicom+xml\"");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        List<Fixture.Part> parts = Fixture.multipart(r);
        assertEquals(1, parts.size());
        assertEquals("application/dicom+xml", parts.get(0).headers().get("content-type"));
        Attributes jane = new DicomXmlParser(new ByteArrayInputStream(parts.get(0).content())).parse();
        assertEquals("DOE^JANE", jane.getString(Tag.PatientName));

        HttpResponse<byte[]> z = web.get("/studies?PatientID=P2", "Accept-Encoding", "gzip");
        assertEquals("gzip", z.headers().firstValue("Content-Encoding").orElse(""));
        byte[] json = new GZIPInputStream(new ByteArrayInputStream(z.body())).readAllBytes();
        assertEquals("DOE^JANE", Fixture.jsonArray(json).get(0).getString(Tag.PatientName));
    }

    @Test
    void corsForConfiguredOrigins() throws Exception {
        HttpResponse<byte[]> ok = web.get("/studies?PatientID=P2", "Origin", "https://viewer.example.org");
        assertEquals("https://viewer.example.org", ok.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        HttpResponse<byte[]> other = web.get("/studies?PatientID=P2", "Origin", "https://evil.example.com");
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        HttpResponse<byte[]> preflight = web.send("OPTIONS", "/studies", java.net.http.HttpRequest.BodyPublishers.noBody(),
                "Origin", "https://viewer.example.org", "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "authorization");
        assertEquals(204, preflight.statusCode());
        assertEquals("authorization", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
    }
}
