package org.mosaicpacs.dicom.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;

/**
 * JPEG 2000 and 12-bit JPEG images made by {@code src/test/resources/codec/make-fixtures.py} (Pillow/OpenJPEG and
 * dcmtk's dcmcjpeg), with the samples they must decode to: the originals for lossless JPEG 2000 (equal), the
 * originals for lossy JPEG 2000 (PSNR), dcmdjpeg's samples for 12-bit JPEG (IDCT rounding may differ by a level).
 */
class CodecFixturesTest {

    final PixelDataDecoder decoder = new PixelDataDecoder();

    record Fixture(Attributes ds, String ts, int[] expected) {
    }

    static Fixture fixture(String name) throws IOException {
        Attributes ds;
        String ts;
        try (InputStream in = CodecFixturesTest.class.getResourceAsStream("/codec/" + name + ".dcm");
                DicomInputStream dis = new DicomInputStream(in)) {
            ds = dis.readDataset();
            ts = dis.getTransferSyntax();
        }
        byte[] raw;
        try (InputStream in = new java.util.zip.GZIPInputStream(
                CodecFixturesTest.class.getResourceAsStream("/codec/" + name + ".raw.gz"))) {
            raw = in.readAllBytes();
        }
        int[] expected = new int[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(expected);
        return new Fixture(ds, ts, expected);
    }

    /** PSNR in dB of two sample arrays whose full scale is {@code 2^bits - 1}. */
    static double psnr(int[] a, int[] b, int bits) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            se += d * d;
        }
        double peak = (1 << bits) - 1;
        return se == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(peak * peak / (se / a.length));
    }

    static int maxDifference(int[] a, int[] b) {
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @ParameterizedTest
    @CsvSource({
        "j2k-lossless-gray8,     1.2.840.10008.1.2.4.90, MONOCHROME2, 8,  false",
        "j2k-lossless-gray12,    1.2.840.10008.1.2.4.90, MONOCHROME2, 12, false",
        "j2k-lossless-signed16,  1.2.840.10008.1.2.4.90, MONOCHROME2, 16, true",
        "j2k-lossless-rct,       1.2.840.10008.1.2.4.90, RGB,         8,  false",
        "j2k-lossless-rgb,       1.2.840.10008.1.2.4.90, RGB,         8,  false",
    })
    void losslessJpeg2000EqualsTheOriginal(String name, String ts, String pi, int bits, boolean signed)
            throws Exception {
        Fixture f = fixture(name);
        assertEquals(ts, f.ts());
        FrameRaster r = decoder.decode(f.ds(), f.ts(), 0);
        assertEquals(pi, r.photometricInterpretation(), "YBR_RCT decodes to RGB");
        assertEquals(bits, r.bitsStored());
        assertEquals(signed, r.signed());
        assertArrayEquals(f.expected(), r.samples());
    }

    @ParameterizedTest
    @CsvSource({
        "j2k-lossy-ict,    RGB,         8,  30",
        "j2k-lossy-gray12, MONOCHROME2, 12, 40",
    })
    void lossyJpeg2000IsCloseToTheOriginal(String name, String pi, int bits, double minPsnr) throws Exception {
        Fixture f = fixture(name);
        assertEquals(UID.JPEG2000, f.ts());
        FrameRaster r = decoder.decode(f.ds(), f.ts(), 0);
        assertEquals(pi, r.photometricInterpretation(), "YBR_ICT decodes to RGB");
        double psnr = psnr(f.expected(), r.samples(), bits);
        assertTrue(psnr > minPsnr && psnr < Double.POSITIVE_INFINITY, "PSNR " + psnr);
    }

    @ParameterizedTest
    @CsvSource({"jpeg12-gray", "jpeg12-gray-odd"})
    void twelveBitJpegIsWhatDcmdjpegDecodes(String name) throws Exception {
        Fixture f = fixture(name);
        assertEquals(UID.JPEGExtended12Bit, f.ts());
        FrameRaster r = decoder.decode(f.ds(), f.ts(), 0);
        assertEquals("MONOCHROME2", r.photometricInterpretation());
        int max = maxDifference(f.expected(), r.samples());
        assertTrue(max <= 2, "max difference " + max + " from dcmdjpeg");
        assertTrue(psnr(f.expected(), r.samples(), 12) > 60, "PSNR " + psnr(f.expected(), r.samples(), 12));
    }

    @ParameterizedTest
    @CsvSource({"j2k-lossless-rct", "j2k-lossless-signed16", "jpeg12-gray"})
    void decompressesToNativeSamples(String name) throws Exception {
        Fixture f = fixture(name);
        ByteArrayOutputStream part10 = new ByteArrayOutputStream();
        try (InputStream in = CodecFixturesTest.class.getResourceAsStream("/codec/" + name + ".dcm")) {
            new Decompressor(decoder).decompress(in, part10);
        }
        Path file = Files.createTempFile("decompressed", ".dcm");
        try {
            Files.write(file, part10.toByteArray());
            Tools.Read back = Tools.read(file);
            assertEquals(UID.ExplicitVRLittleEndian, back.ts());
            FrameRaster r = decoder.decode(back.ds(), back.ts(), 0);
            FrameRaster direct = decoder.decode(f.ds(), f.ts(), 0);
            assertArrayEquals(direct.samples(), r.samples());
            assertEquals(direct.photometricInterpretation(),
                    back.ds().getString(Tag.PhotometricInterpretation));
        } finally {
            Files.delete(file);
        }
    }

    /** Decodes the fixture with its one frame replaced; returns the failure, or null when it decoded. */
    PixelDataException decodeWith(Fixture f, byte[] frame) {
        Fragments fragments = new Fragments(VR.OB, false, 2);
        fragments.add(new byte[0]);
        fragments.add(frame);
        f.ds().setFragments(Tag.PixelData, fragments);
        try {
            decoder.decode(f.ds(), f.ts(), 0);
            return null;
        } catch (PixelDataException e) {
            return e;
        }
    }

    /**
     * Truncated streams, garbage after the headers and random bytes changed: a {@link PixelDataException} or, where
     * the damage still makes a valid stream (JPEG 2000 may be cut anywhere; a changed coefficient is still one), an
     * image; never another exception, and quickly.
     */
    @ParameterizedTest
    @CsvSource({"j2k-lossless-gray12", "j2k-lossless-rct", "j2k-lossy-ict", "jpeg12-gray", "jpeg12-gray-odd"})
    void malformedStreamsFailCleanly(String name) throws Exception {
        Fixture f = fixture(name);
        byte[] good = PixelDataDecoder.compressedFrame(f.ds(), 0);
        boolean jpeg = name.startsWith("jpeg");
        Random random = new Random(6);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int length : new int[] {0, 1, 2, 3, 4, 10, 30, 60, 100, good.length / 3, good.length / 2,
                good.length - 40, good.length - 3}) {
                PixelDataException e = decodeWith(f, Arrays.copyOf(good, length));
                if (jpeg || length < 60) {
                    assertTrue(e != null, name + " cut to " + length + " bytes decoded");
                }
            }
            for (int i = 0; i < 40; i++) {
                byte[] garbage = good.clone();
                int from = 2 + random.nextInt(Math.min(200, good.length - 2));
                for (int j = from; j < garbage.length; j++) {
                    garbage[j] = (byte) random.nextInt(256);
                }
                decodeWith(f, garbage);
                byte[] flipped = good.clone();
                for (int j = 0; j < 4; j++) {
                    flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
                }
                decodeWith(f, flipped);
            }
        });
        PixelDataException e = decodeWith(f, new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51, 0, 1, 2});
        assertTrue(e != null && !e.getMessage().isEmpty());
    }

    @org.junit.jupiter.api.Test
    void aFrameThatDisagreesWithTheDataSetIsRefusedBeforeDecoding() throws Exception {
        Fixture gray = fixture("j2k-lossless-gray8");
        byte[] colour = PixelDataDecoder.compressedFrame(fixture("j2k-lossless-rct").ds(), 0);
        PixelDataException e = decodeWith(gray, colour);
        assertTrue(e != null && e.getMessage().contains("3 components, the data set says 1"), String.valueOf(e));
        Fixture gray12 = fixture("j2k-lossless-gray12"); // 56×40, the gray 8-bit one is 64×48
        e = decodeWith(gray12, PixelDataDecoder.compressedFrame(fixture("j2k-lossless-gray8").ds(), 0));
        assertTrue(e != null && e.getMessage().contains("64×48, the data set says 56×40"), String.valueOf(e));
    }
}
