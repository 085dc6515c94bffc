package org.mosaicpacs.dicom.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/**
 * Our JPEG-LS decoder against the fixtures of {@code src/test/resources/jpegls} (made by {@code make-fixtures.py}
 * with dcmtk's {@code dcmcjpls}): lossless frames give back the native original exactly; near-lossless frames are
 * within NEAR of the original and equal to what {@code dcmdjpls} decodes. Truncated and corrupted streams give a
 * {@link PixelDataException}. When dcmtk is installed, more images are made here, encoded by {@code dcmcjpls} in
 * every mode and checked the same way.
 */
class JpegLsTest {

    final PixelDataDecoder decoder = new PixelDataDecoder();

    @TempDir
    Path tmp;

    static Tools.Read fixture(String name) throws Exception {
        return Tools.read(path(name));
    }

    static Path path(String name) throws URISyntaxException {
        return Path.of(JpegLsTest.class.getResource("/jpegls/" + name + ".dcm").toURI());
    }

    FrameRaster decode(String name) throws Exception {
        Tools.Read r = fixture(name);
        return decoder.decode(r.ds(), r.ts(), 0);
    }

    void lossless(String original, String compressed) throws Exception {
        assertEquals(UID.JPEGLSLossless, fixture(compressed).ts());
        FrameRaster expected = decode(original);
        FrameRaster actual = decode(compressed);
        assertEquals(expected.columns(), actual.columns());
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.signed(), actual.signed());
        assertArrayEquals(expected.samples(), actual.samples(), compressed);
    }

    void nearLossless(String original, String compressed, int near) throws Exception {
        assertEquals(UID.JPEGLSNearLossless, fixture(compressed).ts());
        int[] o = decode(original).samples();
        int[] actual = decode(compressed).samples();
        int[] dcmtk = decode(compressed + "-dcmtk").samples();
        assertArrayEquals(dcmtk, actual, compressed + " versus dcmdjpls");
        int max = 0;
        int differing = 0;
        for (int i = 0; i < o.length; i++) {
            max = Math.max(max, Math.abs(o[i] - actual[i]));
            differing += o[i] != actual[i] ? 1 : 0;
        }
        assertTrue(max <= near, compressed + ": a sample is " + max + " from the original");
        assertTrue(differing > 0, compressed + ": no sample differs, so NEAR was not exercised");
    }

    @Test
    void lossless8Bit() throws Exception {
        lossless("mono8", "mono8-ls");
    }

    @Test
    void lossless12BitStoredIn16() throws Exception {
        lossless("mono12", "mono12-ls");
    }

    @Test
    void losslessSigned16Bit() throws Exception {
        lossless("signed16", "signed16-ls");
        int[] s = decode("signed16-ls").samples();
        assertTrue(java.util.Arrays.stream(s).min().getAsInt() < 0, "signed values come back negative");
    }

    @Test
    void losslessRgbInEveryInterleaveMode() throws Exception {
        lossless("rgb8", "rgb8-ls-none");
        lossless("rgb8", "rgb8-ls-line");
        lossless("rgb8", "rgb8-ls-sample");
    }

    @Test
    void nearLosslessMonochrome() throws Exception {
        nearLossless("mono8", "mono8-near2", 2);
        nearLossless("mono12", "mono12-near3", 3);
    }

    @Test
    void nearLosslessRgb() throws Exception {
        nearLossless("rgb8", "rgb8-near2-sample", 2);
        nearLossless("rgb8", "rgb8-near2-line", 2);
    }

    /** The data set of a fixture with its one frame replaced. */
    static Attributes withFrame(Tools.Read r, byte[] frame) {
        r.ds().setFragments(Tag.PixelData, HostileAndFragmentsTest.fragments(new byte[0], frame));
        return r.ds();
    }

    @Test
    void truncatedStreamsAreRefused() throws Exception {
        for (String name : List.of("mono12-ls", "rgb8-ls-sample", "rgb8-ls-none", "mono8-near2")) {
            Tools.Read r = fixture(name);
            byte[] frame = PixelDataDecoder.compressedFrame(r.ds(), 0);
            int n = frame.length;
            for (int cut : new int[] {1, 3, 10, 25, n / 4, n / 2, 3 * n / 4, n - 8}) {
                Attributes ds = withFrame(r, Arrays.copyOf(frame, cut));
                PixelDataException e = assertThrows(PixelDataException.class, () -> decoder.decode(ds, r.ts(), 0),
                        name + " cut to " + cut + " bytes");
                assertTrue(e.getMessage().contains("JPEG-LS"), e.getMessage());
            }
        }
    }

    @Test
    void corruptedStreamsGiveAPixelDataExceptionOrSomeImageNeverACrash() throws Exception {
        Random random = new Random(14495);
        int refused = 0;
        int total = 0;
        for (String name : List.of("mono12-ls", "rgb8-ls-sample", "rgb8-ls-line", "mono8-near2", "signed16-ls")) {
            Tools.Read r = fixture(name);
            byte[] frame = PixelDataDecoder.compressedFrame(r.ds(), 0);
            for (int i = 0; i < 200; i++) {
                byte[] bad = frame.clone();
                for (int k = random.nextInt(4); k >= 0; k--) {
                    // mostly the entropy-coded data, sometimes the headers (the first ~40 bytes)
                    int at = random.nextInt(4) == 0 ? 2 + random.nextInt(40) : random.nextInt(bad.length);
                    bad[at] = (byte) random.nextInt(256);
                }
                Attributes ds = withFrame(r, bad);
                total++;
                boolean refusedNow = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                    try {
                        decoder.decode(ds, r.ts(), 0);
                        return false;
                    } catch (PixelDataException e) {
                        return true; // anything else (ArrayIndexOutOfBounds...) fails the test
                    }
                });
                refused += refusedNow ? 1 : 0;
            }
        }
        assertTrue(refused > 0 && refused < total, refused + " of " + total + " refused");
    }

    @Test
    void garbageAndMismatchesAreRefusedWithTheReason() throws Exception {
        Tools.Read r = fixture("mono8-ls");
        byte[] frame = PixelDataDecoder.compressedFrame(r.ds(), 0);
        byte[] garbage = new byte[3000];
        new Random(87).nextBytes(garbage);
        garbage[0] = (byte) 0xFF;
        garbage[1] = (byte) 0xD8;
        assertThrows(PixelDataException.class, () -> decoder.decode(withFrame(r, garbage), r.ts(), 0));
        HostileAndFragmentsTest.fails("no SOI marker", () -> decoder.decode(withFrame(r, new byte[] {1, 2, 3, 4}),
                r.ts(), 0));
        r.ds().setInt(Tag.Rows, org.mosaicpacs.dicom.data.VR.US, 24);
        HostileAndFragmentsTest.fails("JPEG-LS frame is 37×23, the data set says 37×24",
                () -> decoder.decode(withFrame(r, frame), r.ts(), 0));
        Tools.Read jpeg = fixture("mono8-ls");
        byte[] sof3 = frame.clone();
        int sof = indexOf(sof3, (byte) 0xF7);
        sof3[sof] = (byte) 0xC3;
        HostileAndFragmentsTest.fails("not JPEG-LS", () -> decoder.decode(withFrame(jpeg, sof3), jpeg.ts(), 0));
        byte[] ilv = frame.clone();
        int sos = indexOf(ilv, (byte) 0xDA);
        ilv[sos + 3 + 1 + 2 * 1 + 1] = 3; // Ns = 1, one component, then NEAR, ILV
        HostileAndFragmentsTest.fails("interleave mode 3", () -> decoder.decode(withFrame(jpeg, ilv), jpeg.ts(), 0));
    }

    /** The offset of the byte after the first 0xFF that is followed by {@code marker}. */
    static int indexOf(byte[] data, byte marker) {
        for (int i = 0; i + 1 < data.length; i++) {
            if (data[i] == (byte) 0xFF && data[i + 1] == marker) {
                return i + 1;
            }
        }
        fail("no marker 0xFF" + Integer.toHexString(marker & 0xFF));
        return -1;
    }

    /** Images made here for dcmcjpls: every precision from 2 to 16, odd sizes, a single row and column. */
    @Test
    void generatedImagesAgainstDcmtk() throws Exception {
        assumeTrue(Tools.hasTool("dcmcjpls") && Tools.hasTool("dcmdjpls"), "dcmtk is not installed");
        Random random = new Random(87);
        List<String> checked = new ArrayList<>();
        List<String> notEncoded = new ArrayList<>();
        int[][] sizes = {{1, 1}, {1, 61}, {45, 1}, {37, 23}, {64, 64}, {130, 7}};
        for (int bits = 2; bits <= 16; bits++) {
            for (int[] size : sizes) {
                int spp = bits <= 8 && (size[0] + bits) % 3 == 0 ? 3 : 1;
                boolean signed = spp == 1 && bits % 4 == 1;
                // near-lossless from 8 bits: dcmcjpls refuses it below 6 bits, and at 6 and 7 bits (MAXVAL < 128) it
                // codes with other default thresholds than T.87 C.2.4.1.1.1 gives, without writing them (see README)
                int near = bits >= 8 ? bits % 3 : 0;
                String[] options = near == 0 ? new String[] {"+el"} : new String[] {"+en", "+md", "" + near};
                String[] interleave = spp == 1 ? new String[] {"+il"} : new String[] {"+in", "+il", "+is"};
                Attributes ds = generated(size[0], size[1], spp, bits, signed, random);
                Path in = tmp.resolve("in.dcm");
                DicomOutputStream.writeFile(in, ds, UID.ExplicitVRLittleEndian);
                int[] original = decoder.decode(ds, UID.ExplicitVRLittleEndian, 0).samples();
                for (String ilv : interleave) {
                    Path ls = tmp.resolve("ls.dcm");
                    Path back = tmp.resolve("back.dcm");
                    List<String> cmd = new ArrayList<>(List.of("/usr/bin/dcmcjpls"));
                    cmd.addAll(List.of(options));
                    cmd.addAll(List.of(ilv, in.toString(), ls.toString()));
                    String what = size[1] + "×" + size[0] + "×" + spp + ", " + bits + " bits" + (signed ? " signed" : "")
                            + ", NEAR " + near + ", " + ilv;
                    try {
                        Tools.run(cmd.toArray(String[]::new));
                    } catch (java.io.IOException e) {
                        notEncoded.add(what); // dcmcjpls refuses some parameters (e.g. NEAR with few bits)
                        continue;
                    }
                    Tools.run("/usr/bin/dcmdjpls", ls.toString(), back.toString());
                    Tools.Read compressed = Tools.read(ls);
                    Tools.Read dcmtk = Tools.read(back);
                    int[] ours;
                    try {
                        ours = decoder.decode(compressed.ds(), compressed.ts(), 0).samples();
                    } catch (PixelDataException e) {
                        java.nio.file.Files.copy(ls, Path.of("target/jpegls-failed.dcm"),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        throw new AssertionError(what + ": " + e.getMessage(), e);
                    }
                    assertArrayEquals(decoder.decode(dcmtk.ds(), dcmtk.ts(), 0).samples(), ours, what + " vs dcmdjpls");
                    for (int i = 0; i < ours.length; i++) {
                        if (Math.abs(ours[i] - original[i]) > near) {
                            fail(what + ": sample " + i + " is " + ours[i] + ", the original " + original[i]);
                        }
                    }
                    checked.add(what);
                }
            }
        }
        System.out.println("JPEG-LS generated cases checked against dcmtk: " + checked.size()
                + "; not encoded by dcmcjpls: " + notEncoded);
        assertTrue(checked.size() > 3 * notEncoded.size(), "too few cases encoded by dcmcjpls: " + notEncoded);
    }

    /** A smooth picture with noise, flat runs and sharp edges, in {@code bits} bits. */
    static Attributes generated(int rows, int columns, int spp, int bits, boolean signed, Random random) {
        int ba = bits <= 8 ? 8 : 16;
        int max = (1 << bits) - 1;
        byte[] pixels = new byte[rows * columns * spp * ba / 8];
        int i = 0;
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < columns; x++) {
                for (int s = 0; s < spp; s++) {
                    int v;
                    if (y % 11 < 3) {
                        v = max / 3; // flat: runs
                    } else if (x % 13 == 5) {
                        v = max; // edges
                    } else {
                        v = (int) ((long) (x * 7 + y * 3 + s * 40) * max / (columns * 7 + rows * 3 + 80))
                                + random.nextInt(max / 16 + 2) - max / 32;
                    }
                    v = Math.max(0, Math.min(max, v));
                    if (signed) {
                        v -= 1 << (bits - 1); // stored in two's complement within Bits Stored
                    }
                    if (ba == 8) {
                        pixels[i++] = (byte) v;
                    } else {
                        pixels[i++] = (byte) v;
                        pixels[i++] = (byte) (v >> 8);
                    }
                }
            }
        }
        return SyntheticImagesTest.image(rows, columns, spp == 3 ? "RGB" : "MONOCHROME2", spp, ba, bits, bits - 1,
                signed ? 1 : 0, pixels);
    }
}
