package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicomweb.internal.StowMetadataTest.Part;

/**
 * STOW-RS of DICOM JSON metadata with compressed multi-frame Pixel Data as bulk data parts (PS3.18 8.7.3.3.2,
 * 10.5.1.2), on the real Jetty, ingest, index and storage, with real codestreams: JPEG Baseline frames written here
 * by javax.imageio, RLE Lossless frames encoded here, JPEG-LS (dcmcjpls) and JPEG 2000 (OpenJPEG) frames made by
 * {@code src/test/resources/stow-frames/make-fixtures.py} from the samples in {@code frames.raw}. Sent one part per
 * frame or one part of codestreams back to back, they come back by WADO-RS byte for byte, one fragment per frame,
 * as frames, decoded and rendered; inconsistent frame parts fail their instance with C000 and a reason in words.
 */
class StowCompressedFramesTest {

    private static final String STUDY = "1.2.6";
    private static final String SERIES = "1.2.6.1";
    private static final int ROWS = 30;
    private static final int COLUMNS = 40;
    private static final int FRAMES = 3;

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

    /** The 8-bit samples of the three frames, frame after frame. */
    private static byte[] samples() throws IOException {
        return resource("frames.raw");
    }

    private static byte[] samples(int frame) throws IOException {
        return Arrays.copyOfRange(samples(), (frame - 1) * ROWS * COLUMNS, frame * ROWS * COLUMNS);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = StowCompressedFramesTest.class.getResourceAsStream("/stow-frames/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The frames of one kind of compression, their media type and transfer syntax. */
    private record Kind(String mediaType, String transferSyntax, byte[][] frames, boolean lossless) {
    }

    private static Kind kind(String name) throws IOException {
        byte[][] frames = new byte[FRAMES][];
        for (int k = 1; k <= FRAMES; k++) {
            frames[k - 1] = switch (name) {
                case "jpeg" -> jpeg(samples(k));
                case "rle" -> rle(samples(k));
                case "jls" -> resource("jls-" + k + ".jls");
                case "j2k" -> resource("j2k-" + k + ".j2k");
                default -> throw new IllegalArgumentException(name);
            };
        }
        return switch (name) {
            case "jpeg" -> new Kind("image/jpeg", UID.JPEGBaseline8Bit, frames, false);
            case "rle" -> new Kind("image/dicom-rle", UID.RLELossless, frames, true);
            case "jls" -> new Kind("image/jls", UID.JPEGLSLossless, frames, true);
            default -> new Kind("image/jp2", UID.JPEG2000Lossless, frames, true);
        };
    }

    /** A JPEG Baseline codestream of 8-bit grey samples, by the JDK's writer. */
    private static byte[] jpeg(byte[] samples) throws IOException {
        BufferedImage img = new BufferedImage(COLUMNS, ROWS, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, COLUMNS, ROWS, samples);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "jpeg", out));
        return out.toByteArray();
    }

    /** An RLE Lossless frame (PS3.5 G) of 8-bit grey samples: one segment, rows of literal runs and replicate runs. */
    static byte[] rle(byte[] samples) {
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        for (int row = 0; row < ROWS; row++) {
            int i = row * COLUMNS;
            int end = i + COLUMNS;
            while (i < end) {
                int run = 1;
                while (i + run < end && run < 128 && samples[i + run] == samples[i]) {
                    run++;
                }
                if (run > 1) {
                    segment.write(257 - run);
                    segment.write(samples[i]);
                    i += run;
                } else {
                    int literal = 1;
                    while (i + literal < end && literal < 128 && samples[i + literal] != samples[i + literal - 1]) {
                        literal++;
                    }
                    segment.write(literal - 1);
                    segment.write(samples, i, literal);
                    i += literal;
                }
            }
        }
        ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(1).putInt(64);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(header.array());
        frame.writeBytes(segment.toByteArray());
        if (frame.size() % 2 != 0) {
            frame.write(0);
        }
        return frame.toByteArray();
    }

    /** A multi-frame grey secondary capture of the three frames, its Pixel Data a BulkDataURI pixels/{sop}. */
    private static Attributes image(String sop, int instanceNumber) throws IOException {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.MultiFrameGrayscaleByteSecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, SERIES);
        ds.setString(Tag.PatientName, VR.PN, "FRAMES^STOW");
        ds.setString(Tag.PatientID, VR.LO, "P6");
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setInt(Tag.InstanceNumber, VR.IS, instanceNumber);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.NumberOfFrames, VR.IS, FRAMES);
        ds.setInt(Tag.Rows, VR.US, ROWS);
        ds.setInt(Tag.Columns, VR.US, COLUMNS);
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setInt(Tag.BitsStored, VR.US, 8);
        ds.setInt(Tag.HighBit, VR.US, 7);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setBytes(Tag.PixelData, VR.OB, samples());
        return ds;
    }

    private HttpResponse<byte[]> post(List<Part> parts) throws Exception {
        return web.send("POST", "/studies", java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                StowMetadataTest.body(parts)), "Content-Type", StowMetadataTest.TYPE, "Accept", "application/dicom+json");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String path(String sop) {
        return "/studies/" + STUDY + "/series/" + SERIES + "/instances/" + sop;
    }

    /** A fragment as stored: the frame, padded to an even length. */
    private static void assertFragment(byte[] frame, byte[] stored, String what) {
        assertEquals(frame.length + (frame.length & 1), stored.length, what + " length");
        assertArrayEquals(frame, Arrays.copyOf(stored, frame.length), what);
    }

    /**
     * What the archive stored and serves: the instance in the frames' syntax with one fragment per frame and a
     * Basic Offset Table of their offsets, the frames asked for, and frame 2 decoded and rendered.
     */
    private void assertServedAsSent(String sop, Kind kind) throws Exception {
        HttpResponse<byte[]> wado = web.get(path(sop), "Accept",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals(200, wado.statusCode(), Fixture.text(wado));
        Attributes[] got = StowMetadataTest.part10(Fixture.multipart(wado).get(0).content());
        assertEquals(kind.transferSyntax(), got[0].getString(Tag.TransferSyntaxUID));
        assertEquals(sop, got[0].getString(Tag.MediaStorageSOPInstanceUID));
        Fragments f = got[1].getFragments(Tag.PixelData);
        assertEquals(FRAMES + 1, f.size(), "offset table and one fragment per frame");
        ByteBuffer table = ByteBuffer.wrap((byte[]) f.get(0)).order(ByteOrder.LITTLE_ENDIAN);
        long offset = 0;
        for (int k = 1; k <= FRAMES; k++) {
            assertFragment(kind.frames()[k - 1], (byte[]) f.get(k), "fragment " + k);
            assertEquals(offset, Integer.toUnsignedLong(table.getInt()), "offset of frame " + k);
            offset += 8 + f.lengthOf(k);
        }
        assertEquals("3", got[1].getString(Tag.NumberOfFrames));

        // frames 1 and 3 as stored
        HttpResponse<byte[]> frames = web.get(path(sop) + "/frames/1,3", "Accept",
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        assertEquals(200, frames.statusCode(), Fixture.text(frames));
        List<Fixture.Part> parts = Fixture.multipart(frames);
        assertEquals(2, parts.size());
        assertFragment(kind.frames()[0], parts.get(0).content(), "frame 1");
        assertFragment(kind.frames()[2], parts.get(1).content(), "frame 3");

        // frame 2 decoded (the samples sent, for a lossless syntax) and rendered with an identity window
        HttpResponse<byte[]> decoded = web.get(path(sop) + "/frames/2", "Accept",
                "multipart/related; type=\"application/octet-stream\"");
        assertEquals(200, decoded.statusCode(), Fixture.text(decoded));
        byte[] samples = Fixture.multipart(decoded).get(0).content();
        assertEquals(ROWS * COLUMNS, samples.length);
        assertClose(samples(2), samples, kind.lossless() ? 0 : 255, 4, "decoded frame 2");
        HttpResponse<byte[]> rendered = web.get(path(sop) + "/frames/2/rendered?window=128,256", "Accept",
                "image/png");
        assertEquals(200, rendered.statusCode(), Fixture.text(rendered));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(rendered.body()));
        assertEquals(COLUMNS, png.getWidth());
        assertEquals(ROWS, png.getHeight());
        byte[] grey = new byte[ROWS * COLUMNS];
        for (int y = 0; y < ROWS; y++) {
            for (int x = 0; x < COLUMNS; x++) {
                grey[y * COLUMNS + x] = (byte) png.getRaster().getSample(x, y, 0); // grey, or red of RGB
            }
        }
        // the window's rounding (PS3.3 C.11.2.1.2.1) may put a level one lower
        assertClose(samples(2), grey, kind.lossless() ? 1 : 255, 4, "rendered frame 2");
    }

    /**
     * The samples are those expected: each within {@code maxError} levels (0: equal) and on average within
     * {@code meanError} (lossy JPEG), while frame 1 is on average tens of levels away (the frames are told apart).
     */
    private static void assertClose(byte[] expected, byte[] got, int maxError, int meanError, String what)
            throws IOException {
        if (maxError == 0) {
            assertArrayEquals(expected, got, what);
        }
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs((expected[i] & 0xFF) - (got[i] & 0xFF)) <= maxError, what + " at " + i);
        }
        long error = 0;
        long fromFrame1 = 0;
        byte[] frame1 = samples(1);
        for (int i = 0; i < expected.length; i++) {
            error += Math.abs((expected[i] & 0xFF) - (got[i] & 0xFF));
            fromFrame1 += Math.abs((frame1[i] & 0xFF) - (got[i] & 0xFF));
        }
        assertTrue(error <= (long) meanError * expected.length, what + ": mean error " + (double) error / expected.length);
        assertTrue(fromFrame1 > 30L * expected.length, what + " looks like frame 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "jls", "j2k", "rle"})
    void onePartPerFrameSharingTheContentLocation(String name) throws Exception {
        Kind kind = kind(name);
        String sop = "1.2.6.1.1";
        String location = "pixels/" + sop;
        // frame 1 before the metadata, frames 2 and 3 after it: their order in the body is the frames' order
        HttpResponse<byte[]> r = post(List.of(
                new Part(kind.mediaType(), location, kind.frames()[0]),
                new Part("application/dicom+json", null, StowMetadataTest.json(image(sop, 1))),
                new Part(kind.mediaType() + "; transfer-syntax=" + kind.transferSyntax(), location, kind.frames()[1]),
                new Part(kind.mediaType(), location, kind.frames()[2])));
        assertEquals(200, r.statusCode(), Fixture.text(r));
        assertNull(StowMetadataTest.answer(r).getSequence(Tag.FailedSOPSequence));
        assertServedAsSent(sop, kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "jls", "j2k"})
    void onePartOfCodestreamsBackToBackIsSplitByTheirMarkers(String name) throws Exception {
        Kind kind = kind(name);
        String sop = "1.2.6.1.2";
        // a zero byte after an odd codestream (a fragment's padding) belongs to no frame
        byte[][] f = kind.frames();
        byte[] all = concat(f[0], new byte[f[0].length & 1], f[1], new byte[f[1].length & 1], f[2]);
        HttpResponse<byte[]> r = post(List.of(
                new Part("application/dicom+json", null, StowMetadataTest.json(image(sop, 2))),
                new Part(kind.mediaType(), "pixels/" + sop, all)));
        assertEquals(200, r.statusCode(), Fixture.text(r));
        assertServedAsSent(sop, kind);
    }

    @Test
    void inconsistentFramePartsFailTheirInstanceWithTheReason() throws Exception {
        Kind jls = kind("jls");
        Kind j2k = kind("j2k");
        byte[][] f = jls.frames();
        Map<String, List<Part>> bulk = new HashMap<>();
        Map<String, String> reasons = new HashMap<>();
        // each failing instance: its frame parts and the words its reason must hold
        bulk.put("1.2.6.1.10", List.of(new Part("image/jls", null, f[0]), new Part("image/jls", null, f[1])));
        reasons.put("1.2.6.1.10", "2 Pixel Data parts share the Content-Location pixels/1.2.6.1.10 but Number of "
                + "Frames is 3");
        bulk.put("1.2.6.1.11", List.of(new Part("image/jls", null, f[0]), new Part("image/jp2", null, j2k.frames()[1]),
                new Part("image/jls", null, f[2])));
        reasons.put("1.2.6.1.11", "different transfer syntaxes: " + UID.JPEGLSLossless + " (part 1) and "
                + UID.JPEG2000Lossless + " (part 2)");
        bulk.put("1.2.6.1.12", List.of(new Part("image/jls", null, f[0]), new Part("application/pdf", null, f[1]),
                new Part("image/jls", null, f[2])));
        reasons.put("1.2.6.1.12", "part 2 of 3 at pixels/1.2.6.1.12 is application/pdf, not a compressed frame");
        bulk.put("1.2.6.1.13", List.of(new Part("image/jls", null, concat(f[0], f[1]))));
        reasons.put("1.2.6.1.13", "holds 2 codestreams, not 3");
        bulk.put("1.2.6.1.14", List.of(new Part("image/jls", null, concat(f[0], f[1], f[2], f[0]))));
        reasons.put("1.2.6.1.14", "holds more than 3 codestreams");
        bulk.put("1.2.6.1.15", List.of(new Part("image/dicom-rle", null, concat(kind("rle").frames()))));
        reasons.put("1.2.6.1.15", "RLE Lossless frames cannot be told apart in one part");
        bulk.put("1.2.6.1.16", List.of(new Part("image/jls", null, concat(f[0], f[1], Arrays.copyOf(f[2], 300)))));
        reasons.put("1.2.6.1.16", "codestream 3 ends");
        bulk.put("1.2.6.1.17", List.of(new Part("image/jp2", null, concat(f[0], f[1], f[2]))));
        reasons.put("1.2.6.1.17", "does not start with the JPEG 2000 SOC marker");

        List<Attributes> datasets = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        datasets.add(image("1.2.6.1.9", 9));
        for (int k = 0; k < FRAMES; k++) {
            parts.add(new Part("image/jls", "pixels/1.2.6.1.9", f[k]));
        }
        for (Map.Entry<String, List<Part>> e : new java.util.TreeMap<>(bulk).entrySet()) {
            datasets.add(image(e.getKey(), datasets.size() + 9));
            for (Part p : e.getValue()) {
                parts.add(new Part(p.type(), "pixels/" + e.getKey(), p.content()));
            }
        }
        parts.add(0, new Part("application/dicom+json", null, StowMetadataTest.json(
                datasets.toArray(new Attributes[0]))));
        HttpResponse<byte[]> r = post(parts);
        assertEquals(202, r.statusCode(), Fixture.text(r));
        Attributes answer = StowMetadataTest.answer(r);
        assertEquals(1, answer.getSequence(Tag.ReferencedSOPSequence).size());
        Sequence failed = answer.getSequence(Tag.FailedSOPSequence);
        assertEquals(bulk.size(), failed.size());
        for (int i = 0; i < failed.size(); i++) {
            assertEquals(Stow.CANNOT_UNDERSTAND, failed.get(i).getInt(Tag.FailureReason, 0),
                    failed.get(i).getString(Tag.ReferencedSOPInstanceUID));
        }
        String warnings = String.join("\n", r.headers().allValues("Warning"));
        for (Map.Entry<String, String> e : reasons.entrySet()) {
            assertTrue(warnings.contains(e.getValue()), e.getKey() + " in " + warnings);
            // never half stored
            assertEquals(404, web.get(path(e.getKey())).statusCode(), e.getKey());
        }
        assertEquals(1, Fixture.jsonArray(web.get("/studies/" + STUDY + "/instances").body()).size());
        assertServedAsSent("1.2.6.1.9", jls);
    }
}
