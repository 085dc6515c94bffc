package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.json.DicomJsonParser;
import org.mosaicpacs.dicom.json.DicomJsonWriter;

/**
 * STOW-RS of DICOM JSON metadata with bulk data parts (PS3.18 10.5.1.2) on the real Jetty, ingest, index and
 * storage: what is sent comes back by WADO-RS as a Part 10 instance with the same attributes and pixels; missing
 * bulk parts, missing UIDs, compressed pixel parts and bad JSON are answered with their reasons.
 */
class StowMetadataTest {

    private static final String STUDY = "1.2.5";
    private static final String SERIES = "1.2.5.1";
    static final String BOUNDARY = "b0und4ry";
    static final String TYPE = "multipart/related; type=\"application/dicom+json\"; boundary=" + BOUNDARY;

    @TempDir
    java.nio.file.Path temp;

    private Fixture web;

    @BeforeEach
    void setUp() throws Exception {
        web = new Fixture(temp);
    }

    @AfterEach
    void tearDown() throws Exception {
        web.close();
    }

    /** One part: content type, Content-Location (or null), content. */
    record Part(String type, String location, byte[] content) {
    }

    static byte[] body(List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: " + p.type() + (p.location() == null ? ""
                    : "\r\nContent-Location: " + p.location()) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(p.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** DICOM JSON of data sets whose Pixel Data is a BulkDataURI {@code pixels/<SOPInstanceUID>}. */
    static byte[] json(Attributes... datasets) throws IOException {
        StringBuilder array = new StringBuilder("[");
        for (Attributes ds : datasets) {
            StringWriter w = new StringWriter();
            new DicomJsonWriter(w, null).setBulkDataThreshold(1024).setBulkDataURIGenerator((d, tag, vr, value) ->
                    tag == Tag.PixelData ? "pixels/" + ds.getString(Tag.SOPInstanceUID) : null).write(ds);
            array.append(array.length() > 1 ? "," : "").append(w);
        }
        return array.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> post(String path, byte[] body) throws Exception {
        return web.send("POST", path, HttpRequest.BodyPublishers.ofByteArray(body), "Content-Type", TYPE,
                "Accept", "application/dicom+json");
    }

    static Attributes answer(HttpResponse<byte[]> r) throws IOException {
        return new DicomJsonParser(new ByteArrayInputStream(r.body())).parse();
    }

    static Attributes[] part10(byte[] bytes) throws IOException {
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes));
        Attributes fmi = in.readFileMetaInformation();
        return new Attributes[] {fmi, in.readDataset()};
    }

    @Test
    void metadataAndBulkDataComeBackAsTheInstancesSent() throws Exception {
        Attributes one = TestData.ct(STUDY, SERIES, "1.2.5.1.1", "Müller^Jürgen", "P5", "20240105", 1, 1);
        Attributes two = TestData.ct(STUDY, SERIES, "1.2.5.1.2", "Müller^Jürgen", "P5", "20240105", 2, 3);
        // bulk parts before and after the metadata: both are found by their Content-Location
        HttpResponse<byte[]> r = post("/studies", body(List.of(
                new Part("application/dicom+json", null, json(one, two)),
                new Part("application/octet-stream", "pixels/1.2.5.1.1", one.getBytes(Tag.PixelData)),
                new Part("application/octet-stream; transfer-syntax=" + UID.ExplicitVRLittleEndian, "pixels/1.2.5.1.2",
                        two.getBytes(Tag.PixelData)))));
        assertEquals(200, r.statusCode(), Fixture.text(r));
        Sequence referenced = answer(r).getSequence(Tag.ReferencedSOPSequence);
        assertEquals(2, referenced.size());
        assertNull(answer(r).getSequence(Tag.FailedSOPSequence));

        for (Attributes sent : List.of(one, two)) {
            String sop = sent.getString(Tag.SOPInstanceUID);
            HttpResponse<byte[]> wado = web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/" + sop,
                    "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
            assertEquals(200, wado.statusCode(), Fixture.text(wado));
            Attributes[] got = part10(Fixture.multipart(wado).get(0).content());
            assertEquals(sop, got[0].getString(Tag.MediaStorageSOPInstanceUID));
            assertEquals(UID.CTImageStorage, got[0].getString(Tag.MediaStorageSOPClassUID));
            assertEquals(UID.ExplicitVRLittleEndian, got[0].getString(Tag.TransferSyntaxUID));
            assertArrayEquals(sent.getBytes(Tag.PixelData), got[1].getBytes(Tag.PixelData), "pixels of " + sop);
            for (int tag : new int[] {Tag.PatientName, Tag.PatientID, Tag.StudyDate, Tag.StudyInstanceUID,
                Tag.SeriesInstanceUID, Tag.SOPClassUID, Tag.Modality, Tag.InstanceNumber, Tag.Rows, Tag.Columns,
                Tag.BitsStored, Tag.NumberOfFrames}) {
                assertEquals(sent.getString(tag), got[1].getString(tag), sop + " " + Integer.toHexString(tag));
            }
            assertArrayEquals(sent.getDoubles(Tag.PixelSpacing), got[1].getDoubles(Tag.PixelSpacing));
        }
        // and QIDO-RS finds them
        assertEquals(2, Fixture.jsonArray(web.get("/studies/" + STUDY + "/instances").body()).size());

        // the same again: the duplicate policy (KEEP_FIRST) answers a warning, as for application/dicom parts
        HttpResponse<byte[]> again = post("/studies/" + STUDY, body(List.of(
                new Part("application/dicom+json", null, json(one)),
                new Part("application/octet-stream", "pixels/1.2.5.1.1", one.getBytes(Tag.PixelData)))));
        assertEquals(202, again.statusCode(), Fixture.text(again));
        assertEquals(Stow.ELEMENTS_DISCARDED, answer(again).getSequence(Tag.ReferencedSOPSequence).get(0)
                .getInt(Tag.WarningReason, 0));
    }

    @Test
    void missingBulkPartMissingUidsAndUnsupportedPixelsFailWithTheirReasons() throws Exception {
        Attributes good = TestData.ct(STUDY, SERIES, "1.2.5.1.10", "DOE^JANE", "P5", "20240105", 1, 1);
        Attributes noBulk = TestData.ct(STUDY, SERIES, "1.2.5.1.11", "DOE^JANE", "P5", "20240105", 2, 1);
        Attributes noUid = TestData.ct(STUDY, SERIES, "1.2.5.1.12", "DOE^JANE", "P5", "20240105", 3, 1);
        noUid.remove(Tag.SOPInstanceUID);
        noUid.remove(Tag.PixelData);
        Attributes text = TestData.ct(STUDY, SERIES, "1.2.5.1.13", "DOE^JANE", "P5", "20240105", 4, 1);
        Attributes jpegFrames = TestData.ct(STUDY, SERIES, "1.2.5.1.14", "DOE^JANE", "P5", "20240105", 5, 2);
        HttpResponse<byte[]> r = post("/studies", body(List.of(
                new Part("application/dicom+json", null, json(good, noBulk, noUid, text, jpegFrames)),
                new Part("application/octet-stream", "pixels/1.2.5.1.10", good.getBytes(Tag.PixelData)),
                new Part("text/plain", "pixels/1.2.5.1.13", new byte[] {'n', 'o'}),
                new Part("image/jpeg", "pixels/1.2.5.1.14", JPEG))));
        assertEquals(202, r.statusCode(), Fixture.text(r));
        Attributes answer = answer(r);
        assertEquals(1, answer.getSequence(Tag.ReferencedSOPSequence).size());
        Sequence failed = answer.getSequence(Tag.FailedSOPSequence);
        assertEquals(4, failed.size());
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < failed.size(); i++) {
            reasons.add(failed.get(i).getString(Tag.ReferencedSOPInstanceUID, "") + ":"
                    + Integer.toHexString(failed.get(i).getInt(Tag.FailureReason, 0)).toUpperCase());
        }
        assertEquals(List.of("1.2.5.1.11:A900", ":A900", "1.2.5.1.13:C000", "1.2.5.1.14:C000"), reasons);
        String warnings = String.join("\n", r.headers().allValues("Warning"));
        assertTrue(warnings.contains("BulkDataURI pixels/1.2.5.1.11") && warnings.contains("names no part"), warnings);
        assertTrue(warnings.contains("SOP Instance UID"), warnings);
        assertTrue(warnings.contains("text/plain"), warnings);
        assertTrue(warnings.contains("is not 2 codestreams back to back"), warnings);
        // nothing of the failed ones was stored
        assertEquals(404, web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.5.1.11").statusCode());

        // none stored: 409
        HttpResponse<byte[]> none = post("/studies", body(List.of(new Part("application/dicom+json", null,
                json(noBulk)))));
        assertEquals(409, none.statusCode(), Fixture.text(none));
    }

    /** Not a real image: the archive stores compressed pixel data without decoding it. */
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};

    @Test
    void oneCompressedFrameIsStoredEncapsulatedInItsTransferSyntax() throws Exception {
        Attributes one = TestData.ct(STUDY, SERIES, "1.2.5.1.40", "DOE^JANE", "P5", "20240105", 1, 1);
        one.setString(Tag.PhotometricInterpretation, org.mosaicpacs.dicom.data.VR.CS, "MONOCHROME2");
        Attributes two = TestData.ct(STUDY, SERIES, "1.2.5.1.41", "DOE^JANE", "P5", "20240105", 2, 1);
        HttpResponse<byte[]> r = post("/studies", body(List.of(
                new Part("application/dicom+json", null, json(one, two)),
                new Part("image/jpeg", "pixels/1.2.5.1.40", JPEG),
                new Part("image/jls; transfer-syntax=" + UID.JPEGLSLossless, "pixels/1.2.5.1.41", JPEG))));
        assertEquals(200, r.statusCode(), Fixture.text(r));
        for (String[] c : new String[][] {{"1.2.5.1.40", UID.JPEGBaseline8Bit}, {"1.2.5.1.41", UID.JPEGLSLossless}}) {
            HttpResponse<byte[]> wado = web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/" + c[0],
                    "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
            assertEquals(200, wado.statusCode(), Fixture.text(wado));
            Attributes[] got = part10(Fixture.multipart(wado).get(0).content());
            assertEquals(c[1], got[0].getString(Tag.TransferSyntaxUID));
            org.mosaicpacs.dicom.data.Fragments f = got[1].getFragments(Tag.PixelData);
            assertEquals(2, f.size(), "empty offset table and one fragment");
            byte[] frame = (byte[]) f.get(1);
            // a fragment has an even length: the odd JPEG gets one padding byte
            assertArrayEquals(JPEG, java.util.Arrays.copyOf(frame, JPEG.length));
            assertEquals(JPEG.length + 1, frame.length);
        }
    }

    @Test
    void thePluginsInterceptInstancesBuiltFromMetadata() throws Exception {
        web.interception.set((dataset, origin) -> {
            if ("QUOTA".equals(dataset.getString(Tag.PatientID))) {
                return new org.mosaicpacs.api.plugin.IngestInterception.Result(
                        org.mosaicpacs.api.plugin.Verdict.reject(0xA700, "quota exhausted"), dataset, "quota");
            }
            Attributes copy = new Attributes(dataset);
            copy.setString(Tag.PatientName, org.mosaicpacs.dicom.data.VR.PN, "RENAMED^BY^PLUGIN");
            return new org.mosaicpacs.api.plugin.IngestInterception.Result(
                    org.mosaicpacs.api.plugin.Verdict.coerced(), copy, "");
        });
        Attributes open = TestData.ct(STUDY, SERIES, "1.2.5.1.20", "DOE^JANE", "P5", "20240105", 1, 1);
        Attributes quota = TestData.ct(STUDY, SERIES, "1.2.5.1.21", "DOE^JANE", "QUOTA", "20240105", 2, 1);
        HttpResponse<byte[]> r = post("/studies", body(List.of(
                new Part("application/dicom+json", null, json(open, quota)),
                new Part("application/octet-stream", "pixels/1.2.5.1.20", open.getBytes(Tag.PixelData)),
                new Part("application/octet-stream", "pixels/1.2.5.1.21", quota.getBytes(Tag.PixelData)))));
        assertEquals(202, r.statusCode(), Fixture.text(r));
        Sequence failed = answer(r).getSequence(Tag.FailedSOPSequence);
        assertEquals("1.2.5.1.21", failed.get(0).getString(Tag.ReferencedSOPInstanceUID));
        assertEquals(0xA700, failed.get(0).getInt(Tag.FailureReason, -1));
        HttpResponse<byte[]> wado = web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.5.1.20",
                "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals("RENAMED^BY^PLUGIN", part10(Fixture.multipart(wado).get(0).content())[1]
                .getString(Tag.PatientName));
    }

    private HttpResponse<byte[]> postXml(byte[] body) throws Exception {
        return web.send("POST", "/studies", HttpRequest.BodyPublishers.ofByteArray(body), "Content-Type",
                "multipart/related; type=\"application/dicom+xml\"; boundary=" + BOUNDARY, "Accept",
                "application/dicom+json");
    }

    private static byte[] xml(Attributes ds) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new org.mosaicpacs.dicom.xml.DicomXmlWriter(out, null).setBulkDataThreshold(1024).setBulkDataURIGenerator(
                (d, tag, vr, value) -> tag == Tag.PixelData ? "pixels/" + ds.getString(Tag.SOPInstanceUID) : null)
                .write(ds);
        return out.toByteArray();
    }

    @Test
    void xmlMetadataWithBulkDataComesBackAsSentAndHostileXmlIs400() throws Exception {
        Attributes one = TestData.ct(STUDY, SERIES, "1.2.5.1.30", "Müller^Jürgen", "P5", "20240105", 1, 2);
        HttpResponse<byte[]> r = postXml(body(List.of(
                new Part("application/dicom+xml", null, xml(one)),
                new Part("application/octet-stream", "pixels/1.2.5.1.30", one.getBytes(Tag.PixelData)))));
        assertEquals(200, r.statusCode(), Fixture.text(r));
        HttpResponse<byte[]> wado = web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.5.1.30",
                "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        Attributes[] got = part10(Fixture.multipart(wado).get(0).content());
        assertEquals("1.2.5.1.30", got[0].getString(Tag.MediaStorageSOPInstanceUID));
        assertArrayEquals(one.getBytes(Tag.PixelData), got[1].getBytes(Tag.PixelData));
        assertEquals("Müller^Jürgen", got[1].getString(Tag.PatientName));
        assertEquals("2", got[1].getString(Tag.NumberOfFrames));

        // an external entity is never resolved: 400, nothing stored
        byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<NativeDicomModel><DicomAttribute tag=\"00100010\" vr=\"PN\"><PersonName number=\"1\">"
                + "<Alphabetic><FamilyName>&e;</FamilyName></Alphabetic></PersonName></DicomAttribute>"
                + "</NativeDicomModel>").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> hostile = postXml(body(List.of(new Part("application/dicom+xml", null, xxe))));
        assertEquals(400, hostile.statusCode(), Fixture.text(hostile));
        assertTrue(Fixture.text(hostile).contains("Native DICOM Model"), Fixture.text(hostile));
        assertTrue(!Fixture.text(hostile).contains("root:"), Fixture.text(hostile));
    }

    @Test
    void malformedRequestsAre400() throws Exception {
        HttpResponse<byte[]> badJson = post("/studies", body(List.of(new Part("application/dicom+json", null,
                "[{\"00080018\": {\"vr\": \"UI\", \"Value\": [".getBytes(StandardCharsets.UTF_8)))));
        assertEquals(400, badJson.statusCode(), Fixture.text(badJson));
        assertTrue(Fixture.text(badJson).contains("DICOM JSON"), Fixture.text(badJson));

        HttpResponse<byte[]> noMetadata = post("/studies", body(List.of(new Part("application/octet-stream", "x",
                new byte[16]))));
        assertEquals(400, noMetadata.statusCode(), Fixture.text(noMetadata));

        HttpResponse<byte[]> pdf = web.send("POST", "/studies", HttpRequest.BodyPublishers.ofByteArray(new byte[0]),
                "Content-Type", "multipart/related; type=\"application/pdf\"; boundary=" + BOUNDARY);
        assertEquals(415, pdf.statusCode(), Fixture.text(pdf));

        // a data set of another study on /studies/{study}
        Attributes other = TestData.ct("1.2.4", "1.2.4.1", "1.2.4.1.1", "DOE^JANE", "P5", "20240105", 1, 1);
        HttpResponse<byte[]> wrong = post("/studies/" + STUDY, body(List.of(
                new Part("application/dicom+json", null, json(other)),
                new Part("application/octet-stream", "pixels/1.2.4.1.1", other.getBytes(Tag.PixelData)))));
        assertEquals(409, wrong.statusCode(), Fixture.text(wrong));
    }
}
