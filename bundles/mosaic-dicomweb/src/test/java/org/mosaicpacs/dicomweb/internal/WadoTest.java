package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;

/** WADO-RS and WADO-URI against the real index and storage: instances, metadata, bulk data and frames. */
class WadoTest {

    private static final String STUDY = "1.2.9";
    private static final String SERIES = "1.2.9.1";

    @TempDir
    Path temp;

    private Fixture web;
    private Path first;
    private Path second;
    private Path multiframe;
    private Path jpeg;

    @BeforeEach
    void setUp() throws Exception {
        web = new Fixture(temp);
        Path in = temp.resolve("in");
        first = TestData.write(in, TestData.ct(STUDY, SERIES, "1.2.9.1.1", "DOE^JOHN", "P1", "20240105", 1, 1), UID.ExplicitVRLittleEndian);
        second = TestData.write(in, TestData.ct(STUDY, SERIES, "1.2.9.1.2", "DOE^JOHN", "P1", "20240105", 2, 1), UID.ImplicitVRLittleEndian);
        multiframe = TestData.write(in, TestData.ct(STUDY, "1.2.9.2", "1.2.9.2.1", "DOE^JOHN", "P1", "20240105", 1, 3), UID.ExplicitVRBigEndian);
        Attributes compressed = TestData.ct(STUDY, "1.2.9.3", "1.2.9.3.1", "DOE^JOHN", "P1", "20240105", 1, 2);
        Fragments f = new Fragments(VR.OB, false, 3);
        f.add(new byte[0]);
        f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, (byte) 0xFF, (byte) 0xD9});
        f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 5, 6, 7, 8, (byte) 0xFF, (byte) 0xD9});
        compressed.setFragments(Tag.PixelData, f);
        jpeg = TestData.write(in, compressed, UID.JPEGBaseline8Bit);
        for (Path p : List.of(first, second, multiframe, jpeg)) {
            web.store(p);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        web.close();
    }

    private static Attributes dataset(byte[] part10) throws Exception {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10))) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    private static String transferSyntax(byte[] part10) throws Exception {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10))) {
            return in.readFileMetaInformation().getString(Tag.TransferSyntaxUID);
        }
    }

    @Test
    void studyAsStoredIsTheStoredFiles() throws Exception {
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY, "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        List<Fixture.Part> parts = Fixture.multipart(r);
        assertEquals(4, parts.size());
        for (Fixture.Part p : parts) {
            String location = p.headers().get("content-location");
            Path original = List.of(first, second, multiframe, jpeg).stream()
                    .filter(f -> location.endsWith("/" + f.getFileName().toString().replace(".dcm", ""))).findFirst().orElseThrow();
            assertArrayEquals(Files.readAllBytes(original), p.content(), "byte for byte: " + location);
            assertTrue(p.headers().get("content-type").startsWith("application/dicom; transfer-syntax="));
        }
    }

    @Test
    void convertsAmongUncompressedSyntaxesAndRefusesWhatItCannot() throws Exception {
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.9.1.2",
                "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=" + UID.ExplicitVRLittleEndian);
        assertEquals(200, r.statusCode(), Fixture.text(r));
        byte[] part = Fixture.multipart(r).get(0).content();
        assertEquals(UID.ExplicitVRLittleEndian, transferSyntax(part));
        assertEquals(dataset(Files.readAllBytes(second)), dataset(part), "same data set in another syntax");

        HttpResponse<byte[]> big = web.get("/studies/" + STUDY + "/series/1.2.9.2", "Accept", "multipart/related; type=\"application/dicom\"");
        assertEquals(200, big.statusCode());
        byte[] converted = Fixture.multipart(big).get(0).content();
        assertEquals(UID.ExplicitVRLittleEndian, transferSyntax(converted), "no transfer-syntax: Explicit VR Little Endian");
        assertArrayEquals(dataset(Files.readAllBytes(multiframe)).getBytes(Tag.PixelData, false),
                dataset(converted).getBytes(Tag.PixelData, false), "big endian pixels arrive as the same values");

        HttpResponse<byte[]> refused = web.get("/studies/" + STUDY + "/series/1.2.9.3", "Accept", "multipart/related; type=\"application/dicom\"");
        assertEquals(406, refused.statusCode(), "JPEG cannot become Explicit VR Little Endian here");
        HttpResponse<byte[]> combined = web.get("/studies/" + STUDY + "/series/1.2.9.3", "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1, "
                        + "multipart/related; type=\"application/dicom\"; transfer-syntax=" + UID.JPEGBaseline8Bit);
        assertEquals(200, combined.statusCode(), "a combined Accept header is honoured");
        assertArrayEquals(Files.readAllBytes(jpeg), Fixture.multipart(combined).get(0).content());
    }

    @Test
    void unknownAndMalformedAreAnswered() throws Exception {
        assertEquals(404, web.get("/studies/1.2.999").statusCode());
        assertEquals(404, web.get("/studies/" + STUDY + "/series/1.2.999/metadata").statusCode());
        assertEquals(400, web.get("/studies/1.2.x").statusCode());
        assertEquals(404, web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.9.1.1/frames/2").statusCode());
        assertEquals(400, web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.9.1.1/frames/0").statusCode());
        // the study's series 1.2.9.3 holds a corrupt JPEG: its rendering is cut short, never a complete 200 answer
        HttpResponse<byte[]> cut = web.get("/studies/" + STUDY + "/rendered");
        assertTrue(cut.statusCode() != 200 || !Fixture.text(cut).stripTrailing().endsWith("--"),
                "a rendered study with an undecodable frame: " + cut.statusCode());
    }

    @Test
    void seriesMetadataIsBuiltOnceAndServesBulkData() throws Exception {
        String url = "/studies/" + STUDY + "/series/" + SERIES + "/metadata";
        HttpResponse<byte[]> r = web.get(url);
        assertEquals(200, r.statusCode(), Fixture.text(r));
        List<Attributes> metadata = Fixture.jsonArray(r.body());
        assertEquals(2, metadata.size());
        Attributes one = metadata.stream().filter(a -> a.getString(Tag.SOPInstanceUID).equals("1.2.9.1.1")).findFirst().orElseThrow();
        Attributes original = dataset(Files.readAllBytes(first));
        for (int tag : new int[] {Tag.PatientName, Tag.StudyInstanceUID, Tag.Rows, Tag.Columns, Tag.BitsAllocated,
            Tag.PixelRepresentation, Tag.PhotometricInterpretation, Tag.InstanceNumber}) {
            assertEquals(original.getString(tag), one.getString(tag), Integer.toHexString(tag));
        }
        assertArrayEquals(original.getDoubles(Tag.PixelSpacing), one.getDoubles(Tag.PixelSpacing));

        String json = Fixture.text(r);
        int at = json.indexOf("\"7FE00010\"");
        assertTrue(at > 0 && json.indexOf("BulkDataURI", at) > 0, "Pixel Data as a BulkDataURI");
        String uri = json.substring(json.indexOf("BulkDataURI", at) + 14, json.indexOf('"', json.indexOf("BulkDataURI", at) + 14));
        assertTrue(uri.startsWith(web.base + "/studies/"), uri);
        HttpResponse<byte[]> bulk = web.get(uri);
        assertEquals(200, bulk.statusCode(), Fixture.text(bulk));
        assertArrayEquals(original.getBytes(Tag.PixelData, false), Fixture.multipart(bulk).get(0).content());

        int reads = web.storage.wholeReads.get();
        assertEquals(200, web.get(url).statusCode());
        assertEquals(200, web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.9.1.2/metadata").statusCode());
        assertEquals(reads, web.storage.wholeReads.get(), "metadata served again without reading the stored objects");

        // a new instance of the series drops its metadata; the next request has it
        web.store(TestData.write(temp.resolve("in"), TestData.ct(STUDY, SERIES, "1.2.9.1.3", "DOE^JOHN", "P1", "20240105", 3, 1), UID.ExplicitVRLittleEndian));
        assertEquals(3, Fixture.jsonArray(web.get(url).body()).size());

        List<Attributes> instance = Fixture.jsonArray(web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.9.1.2/metadata").body());
        assertEquals(1, instance.size());
        assertEquals("1.2.9.1.2", instance.get(0).getString(Tag.SOPInstanceUID));
        assertEquals(5, Fixture.jsonArray(web.get("/studies/" + STUDY + "/metadata").body()).size(), "every instance of every series of the study");
    }

    @Test
    void bulkDataHonoursByteRanges() throws Exception {
        byte[] pixels = dataset(Files.readAllBytes(first)).getBytes(Tag.PixelData, false);
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.9.1.1/bulkdata/7FE00010",
                "Accept", "application/octet-stream", "Range", "bytes=10-19");
        assertEquals(206, r.statusCode(), Fixture.text(r));
        assertEquals("bytes 10-19/" + pixels.length, r.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(pixels, 10, 20), r.body());
        assertEquals(416, web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.9.1.1/bulkdata/7FE00010",
                "Accept", "application/octet-stream", "Range", "bytes=999999-").statusCode());
    }

    @Test
    void framesOfUncompressedAndCompressedPixelData() throws Exception {
        byte[] pixels = dataset(Files.readAllBytes(multiframe)).getBytes(Tag.PixelData, false);
        int frame = 32 * 24 * 2;
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY + "/series/1.2.9.2/instances/1.2.9.2.1/frames/3,1",
                "Accept", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        List<Fixture.Part> parts = Fixture.multipart(r);
        assertEquals(2, parts.size());
        assertArrayEquals(Arrays.copyOfRange(pixels, 2 * frame, 3 * frame), parts.get(0).content(), "frame 3, little endian");
        assertArrayEquals(Arrays.copyOfRange(pixels, 0, frame), parts.get(1).content(), "frame 1");
        assertEquals("application/octet-stream; transfer-syntax=" + UID.ExplicitVRLittleEndian, parts.get(0).headers().get("content-type"));

        HttpResponse<byte[]> c = web.get("/studies/" + STUDY + "/series/1.2.9.3/instances/1.2.9.3.1/frames/2",
                "Accept", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        assertEquals(200, c.statusCode(), Fixture.text(c));
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8, 5, 6, 7, 8, (byte) 0xFF, (byte) 0xD9}, Fixture.multipart(c).get(0).content());
        assertEquals("application/octet-stream; transfer-syntax=" + UID.JPEGBaseline8Bit, Fixture.multipart(c).get(0).headers().get("content-type"));
        // uncompressed frames of compressed data are decoded (RenderedTest); these fake JPEG frames cannot be: 500
        assertEquals(500, web.get("/studies/" + STUDY + "/series/1.2.9.3/instances/1.2.9.3.1/frames/1",
                "Accept", "multipart/related; type=\"application/octet-stream\"").statusCode());
    }

    @Test
    void wadoUri() throws Exception {
        HttpResponse<byte[]> r = web.get("/wado?requestType=WADO&studyUID=" + STUDY + "&seriesUID=" + SERIES
                + "&objectUID=1.2.9.1.1&contentType=application%2Fdicom");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        assertEquals("application/dicom", r.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(Files.readAllBytes(first), r.body());
        HttpResponse<byte[]> implicit = web.get("/wado?requestType=WADO&studyUID=" + STUDY + "&seriesUID=" + SERIES
                + "&objectUID=1.2.9.1.1&contentType=application%2Fdicom&transferSyntax=" + UID.ImplicitVRLittleEndian);
        assertEquals(UID.ImplicitVRLittleEndian, transferSyntax(implicit.body()));
        assertEquals(400, web.get("/wado?studyUID=" + STUDY).statusCode());
        // no contentType: image/jpeg (PS3.18 9.2), rendered (RenderedTest)
        assertEquals("image/jpeg", web.get("/wado?requestType=WADO&studyUID=" + STUDY + "&seriesUID=" + SERIES
                + "&objectUID=1.2.9.1.1").headers().firstValue("Content-Type").orElse(""));
        assertEquals(404, web.get("/wado?requestType=WADO&studyUID=" + STUDY + "&seriesUID=" + SERIES
                + "&objectUID=1.2.9.1.99&contentType=application%2Fdicom").statusCode());
    }
}
