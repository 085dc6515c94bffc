package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

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

/**
 * WADO-RS and WADO-URI against the real index and storage: instances (as stored, converted, and decompressed for a
 * client that asks for an uncompressed syntax), metadata, bulk data and frames.
 */
class WadoTest {

    private static final String STUDY = "1.2.9";
    private static final String SERIES = "1.2.9.1";
    private static final String COMPRESSED_STUDY = "1.2.61";
    private static final String RLE_SERIES = "1.2.61.1";
    private static final String DICOM_MULTIPART = "multipart/related; type=\"application/dicom\"";

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

        // the JPEG of series 1.2.9.3 is decompressed for a client that asks for Explicit VR Little Endian, but its
        // frames are not JPEG: 500 with the reason, nothing sent (real compressed data: the last tests)
        HttpResponse<byte[]> corrupt = web.get("/studies/" + STUDY + "/series/1.2.9.3", "Accept", "multipart/related; type=\"application/dicom\"");
        assertEquals(500, corrupt.statusCode(), "undecodable JPEG frames");
        assertTrue(Fixture.text(corrupt).contains("cannot be decoded"), Fixture.text(corrupt));
        HttpResponse<byte[]> combined = web.get("/studies/" + STUDY + "/series/1.2.9.3", "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=" + UID.JPEGLSLossless + ", "
                        + "multipart/related; type=\"application/dicom\"; transfer-syntax=" + UID.JPEGBaseline8Bit);
        assertEquals(200, combined.statusCode(), "a combined Accept header is honoured");
        assertArrayEquals(Files.readAllBytes(jpeg), Fixture.multipart(combined).get(0).content());
    }

    /**
     * A series sent as stored has a Content-Length (its length is known from the index before the first byte), not
     * chunked transfer coding; converted, its length is not known before and it is chunked. The instances are larger
     * than the container's response buffer, which would otherwise set a length itself.
     */
    @Test
    void asStoredAnswersHaveTheirLength() throws Exception {
        Path in = temp.resolve("in-large");
        for (int k = 1; k <= 2; k++) {
            web.store(TestData.write(in, TestData.ct(STUDY, "1.2.9.4", "1.2.9.4." + k, "DOE^JOHN", "P1", "20240105", k,
                    150), UID.ExplicitVRLittleEndian));
        }
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY + "/series/1.2.9.4", "Accept", DICOM_MULTIPART
                + "; transfer-syntax=*");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        assertTrue(r.body().length > 2 * 150 * 32 * 24 * 2, "two instances of 150 frames");
        assertEquals(r.body().length, r.headers().firstValueAsLong("Content-Length").orElse(-1), "Content-Length");
        assertTrue(r.headers().firstValue("Transfer-Encoding").isEmpty(), "not chunked");
        assertEquals(2, Fixture.multipart(r).size());
        HttpResponse<byte[]> converted = web.get("/studies/" + STUDY + "/series/1.2.9.4", "Accept", DICOM_MULTIPART
                + "; transfer-syntax=" + UID.ImplicitVRLittleEndian);
        assertEquals(200, converted.statusCode());
        assertTrue(converted.headers().firstValue("Content-Length").isEmpty(), "converted: no length known before");
        assertEquals(2, Fixture.multipart(converted).size());
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

    // ---------------------------------------------------------------- compressed instances, decompressed

    /**
     * Stores study {@value #COMPRESSED_STUDY}: a 3-frame 16-bit CT stored RLE Lossless (pixels made here, returned as the
     * uncompressed original) and an uncompressed instance in one series, and an instance in a syntax dicom-image
     * does not decode (JPEG 2000 Part 2) in another.
     */
    private Attributes storeCompressedStudy() throws Exception {
        Path in = temp.resolve("in-compressed");
        // a 3-frame 16-bit CT stored RLE Lossless, and an uncompressed instance in the same series
        Attributes original = TestData.ct(COMPRESSED_STUDY, RLE_SERIES, "1.2.61.1.1", "DOE^RLE", "P61", "20240105", 1, 3);
        Attributes rle = new Attributes(original);
        byte[] pixels = original.getBytes(Tag.PixelData, false);
        int frameLength = 32 * 24 * 2;
        Fragments f = new Fragments(VR.OB, false, 4);
        f.add(new byte[0]);
        for (int k = 0; k < 3; k++) {
            f.add(rleFrame(pixels, k * frameLength, 32, 24));
        }
        rle.setFragments(Tag.PixelData, f);
        web.store(TestData.write(in, rle, UID.RLELossless));
        web.store(TestData.write(in, TestData.ct(COMPRESSED_STUDY, RLE_SERIES, "1.2.61.1.2", "DOE^RLE", "P61", "20240105", 2, 1),
                UID.ExplicitVRLittleEndian));
        // JPEG 2000 Part 2 (multi-component): stored and indexed, but not decoded by dicom-image
        Attributes mc = TestData.ct(COMPRESSED_STUDY, "1.2.61.2", "1.2.61.2.1", "DOE^RLE", "P61", "20240105", 1, 1);
        Fragments j = new Fragments(VR.OB, false, 2);
        j.add(new byte[0]);
        j.add(new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51, 0, 0});
        mc.setFragments(Tag.PixelData, j);
        web.store(TestData.write(in, mc, UID.JPEG2000MCLossless));
        return original;
    }

    /**
     * One RLE Lossless frame of 16-bit samples (PS3.5 Annex G): two segments, the high bytes then the low bytes,
     * each row a literal run of its bytes.
     */
    private static byte[] rleFrame(byte[] pixels, int from, int rows, int columns) {
        ByteArrayOutputStream[] segments = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        for (int s = 0; s < 2; s++) {
            int lowOrHigh = 1 - s; // segment 0: most significant bytes
            for (int y = 0; y < rows; y++) {
                segments[s].write(columns - 1);
                for (int x = 0; x < columns; x++) {
                    segments[s].write(pixels[from + 2 * (y * columns + x) + lowOrHigh]);
                }
            }
            if (segments[s].size() % 2 != 0) {
                segments[s].write(0x80); // a no-op run keeps the segment even
            }
        }
        ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(2).putInt(64).putInt(64 + segments[0].size());
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(header.array());
        frame.writeBytes(segments[0].toByteArray());
        frame.writeBytes(segments[1].toByteArray());
        return frame.toByteArray();
    }

    @Test
    void rleSeriesWithoutTransferSyntaxArrivesAsExplicitLittleEndianWithTheOriginalPixels() throws Exception {
        Attributes original = storeCompressedStudy();
        HttpResponse<byte[]> r = web.get("/studies/" + COMPRESSED_STUDY + "/series/" + RLE_SERIES, "Accept", DICOM_MULTIPART);
        assertEquals(200, r.statusCode(), Fixture.text(r));
        List<Fixture.Part> parts = Fixture.multipart(r);
        assertEquals(2, parts.size());
        Fixture.Part rle = parts.stream().filter(p -> p.headers().get("content-location").endsWith("1.2.61.1.1"))
                .findFirst().orElseThrow();
        assertEquals("application/dicom; transfer-syntax=" + UID.ExplicitVRLittleEndian, rle.headers().get("content-type"));
        assertEquals(UID.ExplicitVRLittleEndian, transferSyntax(rle.content()));
        Attributes decoded = dataset(rle.content());
        assertEquals(3, decoded.getInt(Tag.NumberOfFrames, 0));
        assertEquals("MONOCHROME2", decoded.getString(Tag.PhotometricInterpretation));
        assertEquals(original.getString(Tag.PatientName), decoded.getString(Tag.PatientName));
        assertArrayEquals(original.getBytes(Tag.PixelData, false), decoded.getBytes(Tag.PixelData, false),
                "the pixels of the three frames as they were before RLE");
        // the same with the syntax named, and in another uncompressed syntax
        for (String ts : List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian, UID.ExplicitVRBigEndian)) {
            HttpResponse<byte[]> one = web.get("/studies/" + COMPRESSED_STUDY + "/series/" + RLE_SERIES + "/instances/1.2.61.1.1",
                    "Accept", DICOM_MULTIPART + "; transfer-syntax=" + ts);
            assertEquals(200, one.statusCode(), Fixture.text(one));
            Fixture.Part part = Fixture.multipart(one).get(0);
            assertEquals("application/dicom; transfer-syntax=" + ts, part.headers().get("content-type"));
            assertEquals(ts, transferSyntax(part.content()));
            assertArrayEquals(original.getBytes(Tag.PixelData, false), dataset(part.content()).getBytes(Tag.PixelData, false), ts);
        }
        // transfer-syntax=* still sends the stored RLE object
        HttpResponse<byte[]> stored = web.get("/studies/" + COMPRESSED_STUDY + "/series/" + RLE_SERIES + "/instances/1.2.61.1.1",
                "Accept", DICOM_MULTIPART + "; transfer-syntax=*");
        assertEquals(UID.RLELossless, transferSyntax(Fixture.multipart(stored).get(0).content()));
        // and WADO-URI decompresses when asked to
        HttpResponse<byte[]> uri = web.get("/wado?requestType=WADO&studyUID=" + COMPRESSED_STUDY + "&seriesUID=" + RLE_SERIES
                + "&objectUID=1.2.61.1.1&contentType=application%2Fdicom&transferSyntax=" + UID.ExplicitVRLittleEndian);
        assertEquals(200, uri.statusCode(), Fixture.text(uri));
        assertArrayEquals(original.getBytes(Tag.PixelData, false), dataset(uri.body()).getBytes(Tag.PixelData, false));
    }

    /**
     * The JPEG 2000 (YBR_RCT, lossless) and 12-bit JPEG fixtures of dicom-image arrive decompressed with their
     * expected samples (the {@code .raw.gz} files beside them).
     */
    @Test
    void jpegAndJpeg2000ArriveWithTheirDecodedSamples() throws Exception {
        for (String name : List.of("jpeg12-gray", "j2k-lossless-rct")) {
            Path file = temp.resolve(name + ".dcm");
            try (InputStream in = getClass().getResourceAsStream("/codec/" + name + ".dcm")) {
                Files.copy(in, file);
            }
            web.store(file);
            Attributes ds;
            try (DicomInputStream in = new DicomInputStream(file)) {
                ds = in.readDataset();
            }
            int[] expected;
            try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/codec/" + name + ".raw.gz"))) {
                byte[] raw = in.readAllBytes();
                expected = new int[raw.length / 4];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(expected);
            }
            HttpResponse<byte[]> r = web.get("/studies/" + ds.getString(Tag.StudyInstanceUID) + "/series/"
                    + ds.getString(Tag.SeriesInstanceUID) + "/instances/" + ds.getString(Tag.SOPInstanceUID),
                    "Accept", DICOM_MULTIPART);
            assertEquals(200, r.statusCode(), name + ": " + Fixture.text(r));
            Fixture.Part part = Fixture.multipart(r).get(0);
            assertEquals("application/dicom; transfer-syntax=" + UID.ExplicitVRLittleEndian,
                    part.headers().get("content-type"), name);
            Attributes decoded = dataset(part.content());
            byte[] pixels = decoded.getBytes(Tag.PixelData, false);
            // JPEG 2000 lossless gives back the original samples; the 12-bit JPEG is lossy (DCT): its expected samples
            // are dcmtk's dcmdjpeg decoding, from which IDCT rounding differs by at most 2 (dicom-image's
            // CodecFixturesTest)
            int tolerance = name.startsWith("jpeg12") ? 2 : 0;
            int bytes = ds.getInt(Tag.BitsAllocated, 0) / 8;
            assertEquals(expected.length * bytes, pixels.length, name);
            for (int i = 0; i < expected.length; i++) {
                int v = bytes == 1 ? pixels[i] & 0xFF : (pixels[2 * i] & 0xFF) | (pixels[2 * i + 1] & 0xFF) << 8;
                assertTrue(Math.abs(expected[i] - v) <= tolerance, name + " sample " + i + ": " + v + ", expected "
                        + expected[i]);
            }
            if (ds.getInt(Tag.SamplesPerPixel, 1) == 3) {
                assertEquals("RGB", decoded.getString(Tag.PhotometricInterpretation), "YBR_RCT decodes to RGB");
                assertEquals(0, decoded.getInt(Tag.PlanarConfiguration, -1));
            }
        }
    }

    @Test
    void whatCannotBeDecodedIsNotAcceptable() throws Exception {
        storeCompressedStudy();
        HttpResponse<byte[]> r = web.get("/studies/" + COMPRESSED_STUDY + "/series/1.2.61.2", "Accept", DICOM_MULTIPART);
        assertEquals(406, r.statusCode(), Fixture.text(r));
        assertTrue(Fixture.text(r).contains(UID.JPEG2000MCLossless), Fixture.text(r));
        HttpResponse<byte[]> stored = web.get("/studies/" + COMPRESSED_STUDY + "/series/1.2.61.2", "Accept",
                DICOM_MULTIPART + "; transfer-syntax=*");
        assertEquals(200, stored.statusCode());
        assertEquals(UID.JPEG2000MCLossless, transferSyntax(Fixture.multipart(stored).get(0).content()));
        // the whole study: one instance that cannot be sent makes the request 406 before anything is sent
        assertEquals(406, web.get("/studies/" + COMPRESSED_STUDY, "Accept", DICOM_MULTIPART).statusCode());
    }
}
