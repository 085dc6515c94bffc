package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.QueryRetrieveInterception;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.UID;

/** A study and a series downloaded as a ZIP of Part 10 files (Accept: application/zip), on the real Jetty and archive. */
class ZipTest {

    private static final String STUDY = "1.2.7";
    private static final String SERIES = "1.2.7.1";
    private static final String OTHER_SERIES = "1.2.7.2";

    @TempDir
    Path temp;

    private Fixture web;
    private final Map<String, Path> stored = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        web = new Fixture(temp);
        Path in = temp.resolve("in");
        stored.put(SERIES + "/1.2.7.1.1.dcm", TestData.write(in, TestData.ct(STUDY, SERIES, "1.2.7.1.1", "DOE^JOHN",
                "P1", "20240105", 1, 1), UID.ExplicitVRLittleEndian));
        stored.put(SERIES + "/1.2.7.1.2.dcm", TestData.write(in, TestData.ct(STUDY, SERIES, "1.2.7.1.2", "DOE^JOHN",
                "P1", "20240105", 2, 1), UID.ImplicitVRLittleEndian));
        stored.put(OTHER_SERIES + "/1.2.7.2.1.dcm", TestData.write(in, TestData.ct(STUDY, OTHER_SERIES, "1.2.7.2.1",
                "DOE^JOHN", "P1", "20240105", 1, 3), UID.ExplicitVRBigEndian));
        for (Path p : stored.values()) {
            web.store(p);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        web.close();
    }

    /** The entries of a ZIP body, by name, in order; fails on a name seen twice. */
    static Map<String, byte[]> unzip(byte[] body) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(body))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                assertTrue(entries.put(e.getName(), zip.readAllBytes()) == null, "one entry per name: " + e.getName());
            }
        }
        return entries;
    }

    @Test
    void studyZipHoldsEveryStoredFileByteForByteAndNothingElse() throws Exception {
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY, "Accept", "application/zip");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        assertEquals("application/zip", r.headers().firstValue("Content-Type").orElseThrow());
        Map<String, byte[]> entries = unzip(r.body());
        assertEquals(stored.keySet(), entries.keySet());
        for (Map.Entry<String, Path> e : stored.entrySet()) {
            assertArrayEquals(Files.readAllBytes(e.getValue()), entries.get(e.getKey()), e.getKey());
        }
    }

    @Test
    void seriesZipByQueryParameterHoldsThatSeriesOnly() throws Exception {
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY + "/series/" + OTHER_SERIES + "?accept=application/zip");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        Map<String, byte[]> entries = unzip(r.body());
        assertEquals(List.of(OTHER_SERIES + "/1.2.7.2.1.dcm"), List.copyOf(entries.keySet()));
        assertArrayEquals(Files.readAllBytes(stored.get(OTHER_SERIES + "/1.2.7.2.1.dcm")),
                entries.get(OTHER_SERIES + "/1.2.7.2.1.dcm"));
    }

    @Test
    void multipartStaysTheDefaultAndZipIsChosenByOrderOfPreference() throws Exception {
        HttpResponse<byte[]> plain = web.get("/studies/" + STUDY + "/series/" + SERIES);
        assertEquals(200, plain.statusCode(), Fixture.text(plain));
        assertTrue(plain.headers().firstValue("Content-Type").orElseThrow().startsWith("multipart/related"));
        HttpResponse<byte[]> preferred = web.get("/studies/" + STUDY + "/series/" + SERIES, "Accept",
                "multipart/related; type=\"application/dicom\"; q=0.5, application/zip");
        assertEquals("application/zip", preferred.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(2, unzip(preferred.body()).size());
    }

    @Test
    void unknownStudyOrSeriesIs404() throws Exception {
        HttpResponse<byte[]> study = web.get("/studies/1.2.999", "Accept", "application/zip");
        assertEquals(404, study.statusCode());
        assertTrue(Fixture.text(study).contains("no study 1.2.999"), Fixture.text(study));
        HttpResponse<byte[]> series = web.get("/studies/" + STUDY + "/series/1.2.999", "Accept", "application/zip");
        assertEquals(404, series.statusCode());
    }

    @Test
    void aPluginRefusalIs403AndNothingIsZipped() throws Exception {
        web.queryRetrieve.set(new QueryRetrieveInterception() {
            @Override
            public QueryResult beforeQuery(QueryLevel level, Attributes keys, Origin origin) {
                return new QueryResult(Verdict.accept(), keys, "");
            }

            @Override
            public RetrieveResult beforeRetrieve(String study, String series, String sop, Origin origin,
                                                 String destination) {
                return new RetrieveResult(Verdict.reject(0x0124, "study under embargo"), "policy");
            }
        });
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY, "Accept", "application/zip");
        assertEquals(403, r.statusCode());
        assertTrue(Fixture.text(r).contains("study under embargo"), Fixture.text(r));
    }
}
