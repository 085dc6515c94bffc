package org.mosaicpacs.dicom.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;

/**
 * Hostile pixel data gets a {@link PixelDataException} that says what is wrong, without allocating for what the
 * header claims; encapsulated frames are found with and without a Basic Offset Table and over several fragments.
 */
class HostileAndFragmentsTest {

    final PixelDataDecoder decoder = new PixelDataDecoder();

    static Attributes mono8(int rows, int columns, byte[] pixels) {
        return SyntheticImagesTest.image(rows, columns, "MONOCHROME2", 1, 8, 8, 7, 0, pixels);
    }

    static PixelDataException fails(String expectedInMessage, org.junit.jupiter.api.function.Executable e) {
        PixelDataException x = assertThrows(PixelDataException.class, e);
        assertTrue(x.getMessage().contains(expectedInMessage), "message: " + x.getMessage());
        return x;
    }

    @Test
    void truncatedNativePixelData() {
        fails("truncated", () -> decoder.decode(mono8(100, 100, new byte[9999]), UID.ExplicitVRLittleEndian, 0));
    }

    @Test
    void hugeDimensionsAreRefusedBeforeAnyAllocation() {
        Attributes ds = SyntheticImagesTest.image(65535, 65535, "RGB", 3, 16, 16, 15, 0, new byte[16]);
        fails("beyond the limit", () -> decoder.decode(ds, UID.ExplicitVRLittleEndian, 0));
        Attributes rle = mono8(65535, 65535, new byte[0]);
        rle.setFragments(Tag.PixelData, fragments(new byte[0], new byte[64]));
        fails("beyond the limit", () -> decoder.decode(rle, UID.RLELossless, 0));
    }

    @Test
    void inconsistentAttributes() {
        fails("Bits Allocated 12", () -> decoder.decode(SyntheticImagesTest.image(2, 2, "MONOCHROME2", 1, 12, 12, 11, 0,
                new byte[8]), UID.ExplicitVRLittleEndian, 0));
        fails("High Bit", () -> decoder.decode(SyntheticImagesTest.image(2, 2, "MONOCHROME2", 1, 16, 12, 15 + 1, 0,
                new byte[8]), UID.ExplicitVRLittleEndian, 0));
        fails("Samples per Pixel", () -> decoder.decode(SyntheticImagesTest.image(2, 2, "RGB", 1, 8, 8, 7, 0,
                new byte[8]), UID.ExplicitVRLittleEndian, 0));
        Attributes noRows = mono8(2, 2, new byte[4]);
        noRows.remove(Tag.Rows);
        fails("Rows", () -> decoder.decode(noRows, UID.ExplicitVRLittleEndian, 0));
        fails("frame 3 does not exist", () -> decoder.decode(mono8(2, 2, new byte[4]), UID.ExplicitVRLittleEndian, 2));
        Attributes nf = mono8(2, 2, new byte[4]);
        nf.setString(Tag.NumberOfFrames, VR.IS, "x");
        fails("Number of Frames", () -> decoder.decode(nf, UID.ExplicitVRLittleEndian, 0));
    }

    static Fragments fragments(byte[]... items) {
        Fragments f = new Fragments(VR.OB, false, items.length);
        f.addAll(Arrays.asList(items));
        return f;
    }

    /** RLE of an 8-bit frame: one segment, all literal runs of up to 128 bytes. */
    static byte[] rle(byte[] plane) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[64];
        header[0] = 1;
        header[4] = 64;
        out.writeBytes(header);
        for (int i = 0; i < plane.length; i += 128) {
            int n = Math.min(128, plane.length - i);
            out.write(n - 1);
            out.write(plane, i, n);
        }
        return out.toByteArray();
    }

    @Test
    void rleDecodesWhatItEncodedAndRefusesBrokenSegments() throws Exception {
        byte[] plane = new byte[300];
        new Random(1).nextBytes(plane);
        Attributes ds = mono8(10, 30, new byte[0]);
        ds.setFragments(Tag.PixelData, fragments(new byte[0], rle(plane)));
        int[] samples = decoder.decode(ds, UID.RLELossless, 0).samples();
        for (int i = 0; i < plane.length; i++) {
            assertTrue(samples[i] == (plane[i] & 0xFF));
        }
        byte[] good = rle(plane);
        byte[] cut = Arrays.copyOf(good, good.length - 50);
        ds.setFragments(Tag.PixelData, fragments(new byte[0], cut));
        fails("literal run goes past", () -> decoder.decode(ds, UID.RLELossless, 0));
        byte[] twoSegments = good.clone();
        twoSegments[0] = 2;
        ds.setFragments(Tag.PixelData, fragments(new byte[0], twoSegments));
        fails("declares 2 segments", () -> decoder.decode(ds, UID.RLELossless, 0));
        byte[] farOffset = good.clone();
        farOffset[5] = 0x7F;
        ds.setFragments(Tag.PixelData, fragments(new byte[0], farOffset));
        fails("outside the frame", () -> decoder.decode(ds, UID.RLELossless, 0));
        ds.setFragments(Tag.PixelData, fragments(new byte[0], new byte[10]));
        fails("64-byte header", () -> decoder.decode(ds, UID.RLELossless, 0));
        byte[] shortSegment = Arrays.copyOf(good, 64 + 129 + 10);
        ds.setFragments(Tag.PixelData, fragments(new byte[0], shortSegment));
        fails("RLE segment 1", () -> decoder.decode(ds, UID.RLELossless, 0));
    }

    @Test
    void garbageJpegAndNotJpeg() {
        byte[] garbage = new byte[2000];
        new Random(5).nextBytes(garbage);
        garbage[0] = (byte) 0xFF;
        garbage[1] = (byte) 0xD8;
        garbage[2] = (byte) 0xFF;
        Attributes ds = mono8(16, 16, new byte[0]);
        ds.setFragments(Tag.PixelData, fragments(new byte[0], garbage));
        fails("JPEG", () -> decoder.decode(ds, UID.JPEGBaseline8Bit, 0));
        ds.setFragments(Tag.PixelData, fragments(new byte[0], new byte[] {1, 2, 3, 4, 5, 6}));
        fails("no SOI marker", () -> decoder.decode(ds, UID.JPEGLosslessSV1, 0));
        ds.setFragments(Tag.PixelData, fragments(new byte[0]));
        fails("no fragments", () -> decoder.decode(ds, UID.JPEGLosslessSV1, 0));
        fails("cannot be decoded here", () -> decoder.decode(ds, UID.MPEG2MPML, 0));
    }

    @Test
    void corpusMalformedEncapsulatedFiles() throws Exception {
        Path corpus = Tools.corpus();
        assumeTrue(corpus != null, "MOSAIC_CORPUS is not set");
        Tools.Read garbage = Tools.read(corpus.resolve("malformed/encapsulated-garbage-jpeg.dcm"));
        assertThrows(PixelDataException.class, () -> decoder.decode(garbage.ds(), garbage.ts(), 0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // a fragment running past the end of the file: the toolkit's reader refuses it, and so does the Decompressor
        Exception e = assertThrows(java.io.IOException.class, () -> new Decompressor(decoder).decompress(
                Files.newInputStream(corpus.resolve("malformed/encapsulated-fragment-beyond-eof.dcm")), out));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        Tools.Read nativeAsLs = Tools.read(corpus.resolve("malformed/encapsulated-ts-native-pixels.dcm"));
        assertThrows(PixelDataException.class, () -> decoder.decode(nativeAsLs.ds(), nativeAsLs.ts(), 0));
    }

    @Test
    void jpegDimensionsMustMatchTheDataSet() throws Exception {
        Path corpus = Tools.corpus();
        assumeTrue(corpus != null, "MOSAIC_CORPUS is not set");
        Tools.Read r = Tools.read(corpus.resolve("variants/sc8/jpeg-baseline.dcm"));
        r.ds().setInt(Tag.Rows, VR.US, 100);
        fails("the data set says", () -> decoder.decode(r.ds(), r.ts(), 0));
    }

    @Test
    void oneFrameOverSeveralFragments() throws Exception {
        Path corpus = Tools.corpus();
        assumeTrue(corpus != null, "MOSAIC_CORPUS is not set");
        Tools.Read r = Tools.read(corpus.resolve("variants/ct/jpeg-lossless-sv1.dcm"));
        int[] expected = decoder.decode(r.ds(), r.ts(), 0).samples();
        Fragments f = r.ds().getFragments(Tag.PixelData);
        byte[] whole = (byte[]) f.get(1);
        int a = whole.length / 3 & ~1;
        int b = 2 * whole.length / 3 & ~1;
        r.ds().setFragments(Tag.PixelData, fragments(new byte[0], Arrays.copyOfRange(whole, 0, a),
                Arrays.copyOfRange(whole, a, b), Arrays.copyOfRange(whole, b, whole.length)));
        assertArrayEquals(expected, decoder.decode(r.ds(), r.ts(), 0).samples());
    }

    @Test
    void multiFrameWithAndWithoutOffsetTable() throws Exception {
        Path corpus = Tools.corpus();
        assumeTrue(corpus != null, "MOSAIC_CORPUS is not set");
        Tools.Read r = Tools.read(corpus.resolve("variants/us/jpeg-baseline.dcm"));
        Fragments original = r.ds().getFragments(Tag.PixelData);
        int frames = ImageDescriptor.of(r.ds()).numberOfFrames();
        assumeTrue(original.size() - 1 == frames, "one fragment per frame in the corpus file");
        int[][] expected = new int[frames][];
        for (int i = 0; i < frames; i++) {
            expected[i] = decoder.decode(r.ds(), r.ts(), i).samples();
        }
        // each frame split into two fragments, once with a Basic Offset Table and once without (SOI markers)
        Fragments split = new Fragments(VR.OB, false, 2 * frames + 1);
        byte[] bot = new byte[4 * frames];
        long position = 0;
        split.add(bot);
        for (int i = 0; i < frames; i++) {
            byte[] frame = (byte[]) original.get(i + 1);
            int half = frame.length / 2 & ~1;
            for (int k = 0; k < 4; k++) {
                bot[4 * i + k] = (byte) (position >>> (8 * k));
            }
            split.add(Arrays.copyOfRange(frame, 0, half));
            split.add(Arrays.copyOfRange(frame, half, frame.length));
            position += 16 + frame.length;
        }
        r.ds().setFragments(Tag.PixelData, split);
        for (int i : new int[] {0, frames / 2, frames - 1}) {
            assertArrayEquals(expected[i], decoder.decode(r.ds(), r.ts(), i).samples(), "frame " + (i + 1));
            assertArrayEquals(PixelDataDecoder.compressedFrame(r.ds(), i), join((byte[]) original.get(i + 1)));
        }
        split.set(0, new byte[0]);
        for (int i : new int[] {0, frames / 2, frames - 1}) {
            assertArrayEquals(expected[i], decoder.decode(r.ds(), r.ts(), i).samples(), "frame " + (i + 1));
        }
        split.set(0, new byte[8]);
        fails("Basic Offset Table has 2 entries", () -> decoder.decode(r.ds(), r.ts(), 1));
    }

    private static byte[] join(byte[] b) {
        return b;
    }

    @Test
    void decompressorRefusesUndecodableSyntaxesBeforeWriting() throws Exception {
        Path corpus = Tools.corpus();
        assumeTrue(corpus != null, "MOSAIC_CORPUS is not set");
        String undecodable = Tools.manifest(corpus).stream()
                .filter(row -> row[0].startsWith("variants/") && !PixelDataDecoder.canDecode(row[4]))
                .map(row -> row[0]).findFirst().orElse(null);
        assumeTrue(undecodable != null, "the corpus has no variant in a syntax that cannot be decoded");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(UnsupportedTransferSyntaxException.class, () -> new Decompressor(decoder).decompress(
                Files.newInputStream(corpus.resolve(undecodable)), out));
        assertTrue(out.size() == 0, "nothing was written");
        assertThrows(java.io.IOException.class, () -> new Decompressor(decoder).decompress(
                new ByteArrayInputStream(new byte[] {1, 2, 3}), new ByteArrayOutputStream()));
    }
}
