package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.json.DicomJsonParser;

/** STOW-RS into the real ingest pipeline, and back out with WADO-RS. */
class StowTest {

    private static final String TYPE = "multipart/related; type=\"application/dicom\"; boundary=XyZ";

    @TempDir
    Path temp;

    private Fixture web;

    @BeforeEach
    void setUp() throws Exception {
        web = new Fixture(temp);
    }

    @AfterEach
    void tearDown() throws Exception {
        web.close();
    }

    private static byte[] multipart(String boundary, List<String> types, List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            out.writeBytes(("--" + boundary + "\r\nContent-Type: " + types.get(i) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(parts.get(i));
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws Exception {
        return web.send("POST", path, HttpRequest.BodyPublishers.ofByteArray(body), "Content-Type", contentType,
                "Accept", "application/dicom+json");
    }

    private static Attributes answer(HttpResponse<byte[]> r) throws IOException {
        return new DicomJsonParser(new ByteArrayInputStream(r.body())).parse();
    }

    private byte[] instance(String study, String series, String sop, String ts) throws IOException {
        return Files.readAllBytes(TestData.write(temp.resolve("in"), TestData.ct(study, series, sop, "STOW^PATIENT", "S1", "20240601", 1, 1), ts));
    }

    @Test
    void storedInstancesComeBackAsUploaded() throws Exception {
        byte[] a = instance("1.3.1", "1.3.1.1", "1.3.1.1.1", UID.ExplicitVRLittleEndian);
        byte[] b = instance("1.3.1", "1.3.1.1", "1.3.1.1.2", UID.ImplicitVRLittleEndian);
        HttpResponse<byte[]> r = post("/studies", TYPE, multipart("XyZ", List.of("application/dicom", "application/dicom"), List.of(a, b)));
        assertEquals(200, r.statusCode(), Fixture.text(r));
        Attributes answer = answer(r);
        Sequence stored = answer.getSequence(Tag.ReferencedSOPSequence);
        assertEquals(2, stored.size());
        assertEquals("1.3.1.1.1", stored.get(0).getString(Tag.ReferencedSOPInstanceUID));
        assertEquals(UID.CTImageStorage, stored.get(0).getString(Tag.ReferencedSOPClassUID));
        assertEquals(web.base + "/studies/1.3.1/series/1.3.1.1/instances/1.3.1.1.2", stored.get(1).getString(Tag.RetrieveURL));
        assertNull(answer.getSequence(Tag.FailedSOPSequence));

        HttpResponse<byte[]> back = web.get("/studies/1.3.1", "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        List<Fixture.Part> parts = Fixture.multipart(back);
        assertEquals(2, parts.size());
        assertArrayEquals(a, parts.get(0).content(), "the stored object is the uploaded file");
        assertArrayEquals(b, parts.get(1).content());
        assertEquals(dataset(a), dataset(parts.get(0).content()));
        assertEquals(1, Fixture.jsonArray(web.get("/studies?PatientName=STOW*").body()).size(), "indexed: QIDO finds it");
    }

    @Test
    void badPartsAreFailuresAndTheRestIsStored() throws Exception {
        byte[] good = instance("1.3.2", "1.3.2.1", "1.3.2.1.1", UID.ExplicitVRLittleEndian);
        byte[] notDicom = "this is not a DICOM file at all, only text that is long enough to be read".repeat(5).getBytes(StandardCharsets.US_ASCII);
        HttpResponse<byte[]> r = post("/studies", TYPE, multipart("XyZ",
                List.of("application/dicom", "application/dicom", "text/plain"), List.of(notDicom, good, notDicom)));
        assertEquals(202, r.statusCode(), Fixture.text(r));
        Attributes answer = answer(r);
        assertEquals(1, answer.getSequence(Tag.ReferencedSOPSequence).size());
        Sequence failed = answer.getSequence(Tag.FailedSOPSequence);
        assertEquals(2, failed.size());
        assertEquals(Stow.CANNOT_UNDERSTAND, failed.get(0).getInt(Tag.FailureReason, -1));
        assertEquals(Stow.CANNOT_UNDERSTAND, failed.get(1).getInt(Tag.FailureReason, -1));

        HttpResponse<byte[]> none = post("/studies", TYPE, multipart("XyZ", List.of("application/dicom"), List.of(notDicom)));
        assertEquals(409, none.statusCode(), "nothing stored");
        assertEquals(1, answer(none).getSequence(Tag.FailedSOPSequence).size());
    }

    @Test
    void duplicatesAndOtherStudiesFollowThePolicy() throws Exception {
        byte[] a = instance("1.3.3", "1.3.3.1", "1.3.3.1.1", UID.ExplicitVRLittleEndian);
        assertEquals(200, post("/studies/1.3.3", TYPE, multipart("XyZ", List.of("application/dicom"), List.of(a))).statusCode());
        HttpResponse<byte[]> again = post("/studies", TYPE, multipart("XyZ", List.of("application/dicom"), List.of(a)));
        assertEquals(202, again.statusCode(), "KEEP_FIRST: acknowledged with a warning");
        assertEquals(Stow.ELEMENTS_DISCARDED, answer(again).getSequence(Tag.ReferencedSOPSequence).get(0).getInt(Tag.WarningReason, -1));

        byte[] other = instance("1.3.4", "1.3.4.1", "1.3.4.1.1", UID.ExplicitVRLittleEndian);
        HttpResponse<byte[]> wrongStudy = post("/studies/1.3.3", TYPE, multipart("XyZ", List.of("application/dicom"), List.of(other)));
        assertEquals(409, wrongStudy.statusCode());
        Attributes failed = answer(wrongStudy).getSequence(Tag.FailedSOPSequence).get(0);
        assertEquals(Stow.DOES_NOT_MATCH, failed.getInt(Tag.FailureReason, -1));
        assertEquals("1.3.4.1.1", failed.getString(Tag.ReferencedSOPInstanceUID));
        assertEquals(204, web.get("/studies?StudyInstanceUID=1.3.4").statusCode(), "not stored");
    }

    @Test
    void malformedRequestsAreRefusedAndTheServerStaysUp() throws Exception {
        byte[] a = instance("1.3.5", "1.3.5.1", "1.3.5.1.1", UID.ExplicitVRLittleEndian);
        assertEquals(415, post("/studies", "application/dicom", a).statusCode());
        assertEquals(415, post("/studies", "multipart/related; type=\"application/pdf\"; boundary=XyZ", a).statusCode());
        // JSON and XML metadata are taken (StowMetadataTest); a body that is no multipart of it is 400
        assertEquals(400, post("/studies", "multipart/related; type=\"application/dicom+json\"; boundary=XyZ", a).statusCode());
        assertEquals(400, post("/studies", "multipart/related; type=\"application/dicom\"", a).statusCode(), "no boundary");
        byte[] truncated = java.util.Arrays.copyOf(multipart("XyZ", List.of("application/dicom"), List.of(a)), a.length / 2);
        HttpResponse<byte[]> t = post("/studies", TYPE, truncated);
        assertEquals(400, t.statusCode(), Fixture.text(t));
        assertTrue(Fixture.text(t).contains("multipart"), Fixture.text(t));
        assertEquals(400, post("/studies", TYPE, "--XyZ--\r\n".getBytes(StandardCharsets.ISO_8859_1)).statusCode(), "no part");
        assertEquals(405, post("/studies/1.3.5/series", TYPE, a).statusCode());
        assertEquals(204, web.get("/studies?StudyInstanceUID=1.3.5").statusCode(), "the truncated instance was not stored");
        assertEquals(200, post("/studies", TYPE, multipart("XyZ", List.of("application/dicom"), List.of(a))).statusCode(), "still up");
    }

    @Test
    void aHeaderLargerThanTheCheckedPartIsStillStored() throws Exception {
        Attributes ds = TestData.ct("1.3.7", "1.3.7.1", "1.3.7.1.1", "BIG^HEADER", "H1", "20240601", 1, 1);
        ds.setBytes(Tag.OverlayData, VR.OW, new byte[Stow.MAX_HEADER_BYTES + 1024]);
        byte[] file = Files.readAllBytes(TestData.write(temp.resolve("in"), ds, UID.ExplicitVRLittleEndian));
        HttpResponse<byte[]> r = post("/studies", TYPE, multipart("XyZ", List.of("application/dicom"), List.of(file)));
        assertEquals(200, r.statusCode(), Fixture.text(r));
        HttpResponse<byte[]> back = web.get("/studies/1.3.7", "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertArrayEquals(file, Fixture.multipart(back).get(0).content());
    }

    /**
     * A large instance streams through: the test JVM has a heap smaller than the upload (see the pom), so a
     * server or client that held the body would fail. {@code -Dmosaic.stow.bigUploadMiB=2048} makes it 2 GB.
     */
    @Test
    void aLargeUploadStreamsThroughInBothDirections() throws Exception {
        long mib = Long.getLong("mosaic.stow.bigUploadMiB", 400);
        long pixelBytes = mib * 1024 * 1024;
        Attributes ds = TestData.ct("1.3.6", "1.3.6.1", "1.3.6.1.1", "BIG^UPLOAD", "B1", "20240601", 1, 1);
        ds.remove(Tag.PixelData);
        ds.setInt(Tag.Rows, VR.US, 1024);
        ds.setInt(Tag.Columns, VR.US, 512);
        ds.setInt(Tag.NumberOfFrames, VR.IS, (int) (pixelBytes / (1024 * 512 * 2)));
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(header)) {
            out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(UID.CTImageStorage, "1.3.6.1.1", UID.ExplicitVRLittleEndian));
            out.writeDataset(ds);
        }
        byte[] pixelHeader = {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0,
            (byte) pixelBytes, (byte) (pixelBytes >> 8), (byte) (pixelBytes >> 16), (byte) (pixelBytes >> 24)};
        byte[] head = ("--XyZ\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = "\r\n--XyZ--\r\n".getBytes(StandardCharsets.ISO_8859_1);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        sent.update(header.toByteArray());
        sent.update(pixelHeader);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(java.util.Collections.enumeration(List.of(
                new ByteArrayInputStream(head), new ByteArrayInputStream(header.toByteArray()), new ByteArrayInputStream(pixelHeader),
                new DigestInputStream(new Pattern(pixelBytes), sent), new ByteArrayInputStream(tail)))));
        HttpResponse<byte[]> r = web.http.send(HttpRequest.newBuilder(URI.create(web.base + "/studies"))
                .header("Content-Type", TYPE).POST(body).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), Fixture.text(r));

        HttpResponse<InputStream> back = web.http.send(HttpRequest.newBuilder(URI.create(web.base
                + "/wado?requestType=WADO&studyUID=1.3.6&seriesUID=1.3.6.1&objectUID=1.3.6.1.1&contentType=application/dicom")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, back.statusCode());
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long n;
        try (InputStream in = new DigestInputStream(back.body(), received)) {
            n = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertEquals(header.size() + pixelHeader.length + pixelBytes, n);
        assertArrayEquals(sent.digest(), received.digest(), "the same bytes came back");
        HttpResponse<byte[]> convert = web.get("/wado?requestType=WADO&studyUID=1.3.6&seriesUID=1.3.6.1&objectUID=1.3.6.1.1"
                + "&contentType=application/dicom&transferSyntax=" + UID.ImplicitVRLittleEndian);
        assertEquals(406, convert.statusCode(), "too large to convert in memory: refused, not an OutOfMemoryError");
    }

    private static Attributes dataset(byte[] part10) throws IOException {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10))) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    /** {@code length} bytes of a repeating pattern, made as they are read. */
    private static final class Pattern extends InputStream {
        private long left;

        Pattern(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            return (int) (--left * 31 & 0xFF);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (--left * 31);
            }
            return n;
        }
    }
}
