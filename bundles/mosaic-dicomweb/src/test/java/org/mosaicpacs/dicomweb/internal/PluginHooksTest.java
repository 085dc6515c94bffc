package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.IngestInterception;
import org.mosaicpacs.api.plugin.QueryRetrieveInterception;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.json.DicomJsonParser;

/**
 * The plugins' hooks behind DICOMweb (real Jetty, index, storage and ingest): STOW-RS reports the status an
 * interceptor refused an instance with as its Failure Reason (202 when others were stored, 409 when none), and
 * stores the coerced ones; QIDO-RS, WADO-RS and WADO-URI answer 403 with the plugin's comment when its hook
 * refuses, and go on (with the coerced keys) otherwise. The hooks see the client's address and no AE titles.
 */
class PluginHooksTest {

    private static final String TYPE = "multipart/related; type=\"application/dicom\"; boundary=XyZ";
    private static final String OPEN = "1.3.71";
    private static final String EMBARGOED = "1.3.72";

    @TempDir
    Path temp;

    private Fixture web;
    private final List<Origin> origins = new CopyOnWriteArrayList<>();
    private final List<String> retrieves = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        web = new Fixture(temp);
    }

    @AfterEach
    void tearDown() throws Exception {
        web.close();
    }

    /** Refuses the instances of patient QUOTA with A700; renames the others' patient. */
    private static final IngestInterception QUOTA = (dataset, origin) -> {
        if ("QUOTA".equals(dataset.getString(Tag.PatientID))) {
            return new IngestInterception.Result(Verdict.reject(0xA700, "quota exhausted"), dataset, "quota");
        }
        Attributes copy = new Attributes(dataset);
        copy.setString(Tag.PatientName, VR.PN, "RENAMED^BY^PLUGIN");
        return new IngestInterception.Result(Verdict.coerced(), copy, "");
    };

    /** Refuses series-level queries and the embargoed study; restricts study-level queries to patient P1. */
    private final QueryRetrieveInterception policy = new QueryRetrieveInterception() {
        @Override
        public QueryResult beforeQuery(QueryLevel level, Attributes keys, Origin origin) {
            origins.add(origin);
            if (level == QueryLevel.SERIES) {
                return new QueryResult(Verdict.reject(0x0124, "series searches are not allowed"), keys, "policy");
            }
            Attributes copy = new Attributes(keys);
            copy.setString(Tag.PatientID, VR.LO, "P1");
            return new QueryResult(Verdict.coerced(), copy, "");
        }

        @Override
        public RetrieveResult beforeRetrieve(String study, String series, String sop, Origin origin, String destination) {
            origins.add(origin);
            retrieves.add(study + "|" + series + "|" + sop + "|" + destination);
            return EMBARGOED.equals(study)
                    ? new RetrieveResult(Verdict.reject(0x0124, "study under embargo"), "policy")
                    : new RetrieveResult(Verdict.accept(), "");
        }
    };

    private byte[] instance(String study, String sop, String patientId) throws Exception {
        return Files.readAllBytes(TestData.write(temp.resolve("in"), TestData.ct(study, study + ".1", sop,
                "DOE^JANE", patientId, "20240601", 1, 1), UID.ExplicitVRLittleEndian));
    }

    private static byte[] multipart(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes("--XyZ\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(p);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("--XyZ--\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private HttpResponse<byte[]> stow(List<byte[]> parts) throws Exception {
        return web.send("POST", "/studies", HttpRequest.BodyPublishers.ofByteArray(multipart(parts)),
                "Content-Type", TYPE, "Accept", "application/dicom+json");
    }

    private static Attributes answer(HttpResponse<byte[]> r) throws Exception {
        return new DicomJsonParser(new ByteArrayInputStream(r.body())).parse();
    }

    @Test
    void stowReportsTheInterceptorsStatusAsFailureReasonAndStoresTheCoercedRest() throws Exception {
        web.interception.set(QUOTA);
        HttpResponse<byte[]> some = stow(List.of(instance(OPEN, OPEN + ".1.1", "P1"),
                instance(OPEN, OPEN + ".1.2", "QUOTA")));

        assertEquals(202, some.statusCode(), Fixture.text(some));
        Attributes answer = answer(some);
        assertEquals(1, answer.getSequence(Tag.ReferencedSOPSequence).size());
        Sequence failed = answer.getSequence(Tag.FailedSOPSequence);
        assertEquals(1, failed.size());
        assertEquals(OPEN + ".1.2", failed.get(0).getString(Tag.ReferencedSOPInstanceUID));
        assertEquals(0xA700, failed.get(0).getInt(Tag.FailureReason, -1), "the plugin's status");
        assertEquals(1, web.index.locate(OPEN, null, null).size(), "the refused one is not indexed");
        List<Attributes> found = Fixture.jsonArray(web.get("/studies/" + OPEN + "/instances?includefield=PatientName")
                .body());
        assertEquals(1, found.size());
        assertEquals("RENAMED^BY^PLUGIN", found.get(0).getString(Tag.PatientName), "stored as coerced");

        HttpResponse<byte[]> none = stow(List.of(instance(OPEN, OPEN + ".1.3", "QUOTA")));
        assertEquals(409, none.statusCode(), "none stored");
        assertEquals(0xA700, answer(none).getSequence(Tag.FailedSOPSequence).get(0).getInt(Tag.FailureReason, -1));
        assertNull(answer(none).getSequence(Tag.ReferencedSOPSequence));
    }

    @Test
    void queryAndRetrieveHooksRefuseWith403AndCoerceQueryKeys() throws Exception {
        web.store(TestData.write(temp.resolve("a"), TestData.ct(OPEN, OPEN + ".1", OPEN + ".1.1", "DOE^JANE", "P1",
                "20240601", 1, 1), UID.ExplicitVRLittleEndian));
        web.store(TestData.write(temp.resolve("b"), TestData.ct(EMBARGOED, EMBARGOED + ".1", EMBARGOED + ".1.1",
                "ROE^RICHARD", "P2", "20240601", 1, 1), UID.ExplicitVRLittleEndian));
        assertEquals(2, Fixture.jsonArray(web.get("/studies").body()).size(), "without the runtime: no hook");
        web.queryRetrieve.set(policy);

        List<Attributes> studies = Fixture.jsonArray(web.get("/studies").body());
        assertEquals(1, studies.size(), "the hook restricted the query to P1");
        assertEquals(OPEN, studies.get(0).getString(Tag.StudyInstanceUID));

        HttpResponse<byte[]> series = web.get("/series?Modality=CT");
        assertEquals(403, series.statusCode());
        assertTrue(Fixture.text(series).contains("series searches are not allowed"), Fixture.text(series));

        HttpResponse<byte[]> wado = web.get("/studies/" + EMBARGOED, "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals(403, wado.statusCode());
        assertTrue(Fixture.text(wado).contains("study under embargo"), Fixture.text(wado));
        HttpResponse<byte[]> metadata = web.get("/studies/" + EMBARGOED + "/series/" + EMBARGOED + ".1/metadata");
        assertEquals(403, metadata.statusCode());
        HttpResponse<byte[]> uri = web.get("/wado?requestType=WADO&studyUID=" + EMBARGOED + "&seriesUID=" + EMBARGOED
                + ".1&objectUID=" + EMBARGOED + ".1.1&contentType=application/dicom");
        assertEquals(403, uri.statusCode());
        assertTrue(retrieves.contains(EMBARGOED + "|" + EMBARGOED + ".1|" + EMBARGOED + ".1.1|"), retrieves.toString());
        assertTrue(retrieves.contains(EMBARGOED + "|" + EMBARGOED + ".1||"), retrieves.toString());

        HttpResponse<byte[]> open = web.get("/studies/" + OPEN, "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals(200, open.statusCode(), Fixture.text(open));
        assertEquals(1, Fixture.multipart(open).size());
        assertTrue(retrieves.contains(OPEN + "|||"), retrieves.toString());
        for (Origin o : origins) {
            assertEquals("", o.callingAETitle());
            assertEquals("", o.calledAETitle());
            assertEquals("127.0.0.1", o.remoteHost());
        }
    }

    @Test
    void aFailingRuntimeRefusesNothing() throws Exception {
        web.store(TestData.write(temp.resolve("a"), TestData.ct(OPEN, OPEN + ".1", OPEN + ".1.1", "DOE^JANE", "P1",
                "20240601", 1, 1), UID.ExplicitVRLittleEndian));
        web.queryRetrieve.set(new QueryRetrieveInterception() {
            @Override
            public QueryResult beforeQuery(QueryLevel level, Attributes keys, Origin origin) {
                throw new IllegalStateException("the runtime is going away");
            }

            @Override
            public RetrieveResult beforeRetrieve(String study, String series, String sop, Origin origin,
                                                 String destination) {
                throw new IllegalStateException("the runtime is going away");
            }
        });

        assertEquals(1, Fixture.jsonArray(web.get("/studies").body()).size());
        assertEquals(200, web.get("/studies/" + OPEN + "/metadata").statusCode());
    }
}
