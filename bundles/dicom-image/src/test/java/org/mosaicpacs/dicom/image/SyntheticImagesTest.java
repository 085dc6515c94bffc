package org.mosaicpacs.dicom.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/**
 * What the corpus lacks, made here: palette colour, native YBR_FULL and YBR_FULL_422, colour-by-plane RGB, signed
 * data with bits above High Bit set, MONOCHROME1, SIGMOID and VOI LUT Sequence, each rendered and compared with
 * dcmj2pnm: identical bytes with a window or a VOI LUT; at most 1 apart with dcmtk's min-max window (+Wm), whose
 * window differs from the exact PS3.3 one in the last bit; at most 2 apart (PSNR above 45 dB) after the YBR to RGB
 * conversion, where dcmtk's integer arithmetic rounds differently. A wrong conversion or bit layout gives
 * differences of tens of levels. Also LINEAR_EXACT, viewport scaling and the JPEG/PNG writers.
 */
class SyntheticImagesTest {

    @TempDir
    Path tmp;

    static Attributes image(int rows, int columns, String pi, int spp, int ba, int bs, int hb, int pr, byte[] pixels) {
        Attributes ds = new Attributes(false, 32);
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.1234567" + rows + columns + spp + ba);
        ds.setString(Tag.StudyInstanceUID, VR.UI, "2.25.11");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.12");
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setInt(Tag.SamplesPerPixel, VR.US, spp);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, pi);
        if (spp > 1) {
            ds.setInt(Tag.PlanarConfiguration, VR.US, 0);
        }
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, columns);
        ds.setInt(Tag.BitsAllocated, VR.US, ba);
        ds.setInt(Tag.BitsStored, VR.US, bs);
        ds.setInt(Tag.HighBit, VR.US, hb);
        ds.setInt(Tag.PixelRepresentation, VR.US, pr);
        ds.setBytes(Tag.PixelData, ba == 8 ? VR.OB : VR.OW, pixels);
        return ds;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A smooth gradient with noise, so that windowing and colour conversion are visible everywhere. */
    static byte[] gradient8(int rows, int columns, int spp) {
        byte[] b = new byte[rows * columns * spp];
        Random r = new Random(7);
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < columns; x++) {
                for (int s = 0; s < spp; s++) {
                    b[(y * columns + x) * spp + s] = (byte) ((x * 2 + y * (s + 1) + r.nextInt(16)) & 0xFF);
                }
            }
        }
        return b;
    }

    void assertSameAsDcmtk(Attributes ds, RenderParameters p, String... options) throws Exception {
        assertCloseToDcmtk(0, ds, p, options);
    }

    void assertCloseToDcmtk(int tolerance, Attributes ds, RenderParameters p, String... options) throws Exception {
        assumeTrue(Tools.hasTool("dcmj2pnm"), "dcmtk's dcmj2pnm is not installed");
        Path file = tmp.resolve("in.dcm");
        DicomOutputStream.writeFile(file, ds, UID.ExplicitVRLittleEndian);
        Path out = tmp.resolve("out.pnm");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/dcmj2pnm"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("+op", file.toString(), out.toString()));
        Tools.run(cmd.toArray(String[]::new));
        Tools.Pnm pnm = Tools.readPnm(out);
        Tools.Read read = Tools.read(file);
        BufferedImage mine = new Renderer(new PixelDataDecoder()).render(read.ds(), read.ts(), p);
        byte[] ours = Tools.samples(mine, pnm.channels());
        assertTrue(Tools.psnr(ours, pnm.samples()) > 45);
        assertTrue(Tools.maxDifference(ours, pnm.samples()) <= tolerance,
                ds.getString(Tag.PhotometricInterpretation) + " " + String.join(" ", options) + ": PSNR "
                        + Tools.psnr(ours, pnm.samples()));
    }

    @Test
    void paletteColor() throws Exception {
        Attributes ds = image(64, 48, "PALETTE COLOR", 1, 8, 8, 7, 0, gradient8(64, 48, 1));
        byte[][] lut = new byte[3][512];
        for (int i = 0; i < 256; i++) {
            int[] rgb = {i * 257, (255 - i) * 257, ((i * 7) & 0xFF) * 257};
            for (int c = 0; c < 3; c++) {
                lut[c][2 * i] = (byte) rgb[c];
                lut[c][2 * i + 1] = (byte) (rgb[c] >> 8);
            }
        }
        int[] desc = {Tag.RedPaletteColorLookupTableDescriptor, Tag.GreenPaletteColorLookupTableDescriptor,
            Tag.BluePaletteColorLookupTableDescriptor};
        int[] data = {Tag.RedPaletteColorLookupTableData, Tag.GreenPaletteColorLookupTableData,
            Tag.BluePaletteColorLookupTableData};
        for (int c = 0; c < 3; c++) {
            ds.setInt(desc[c], VR.US, 256, 0, 16);
            ds.setBytes(data[c], VR.OW, lut[c]);
        }
        assertSameAsDcmtk(ds, RenderParameters.DEFAULT);
    }

    @Test
    void ybrFullNative() throws Exception {
        assertCloseToDcmtk(2, image(40, 30, "YBR_FULL", 3, 8, 8, 7, 0, gradient8(40, 30, 3)), RenderParameters.DEFAULT);
    }

    @Test
    void ybrFull422Native() throws Exception {
        assertCloseToDcmtk(2, image(40, 30, "YBR_FULL_422", 3, 8, 8, 7, 0, gradient8(40, 15, 4)),
                RenderParameters.DEFAULT);
    }

    @Test
    void rgbColourByPlaneEqualsColourByPixel() throws Exception {
        int rows = 33;
        int columns = 21;
        byte[] byPixel = gradient8(rows, columns, 3);
        byte[] byPlane = new byte[byPixel.length];
        int n = rows * columns;
        for (int p = 0; p < n; p++) {
            for (int s = 0; s < 3; s++) {
                byPlane[s * n + p] = byPixel[p * 3 + s];
            }
        }
        Attributes planar = image(rows, columns, "RGB", 3, 8, 8, 7, 0, byPlane);
        planar.setInt(Tag.PlanarConfiguration, VR.US, 1);
        assertSameAsDcmtk(planar, RenderParameters.DEFAULT);
        PixelDataDecoder decoder = new PixelDataDecoder();
        assertArrayEquals(decoder.decode(image(rows, columns, "RGB", 3, 8, 8, 7, 0, byPixel),
                UID.ExplicitVRLittleEndian, 0).samples(), decoder.decode(planar, UID.ExplicitVRLittleEndian, 0).samples());
    }

    @Test
    void signedTwelveBitsWithGarbageAboveHighBitAndRescale() throws Exception {
        // 12 bits stored at bits 11..0, the bits above set at random: they must be ignored
        byte[] px = random(2 * 50 * 40, 3);
        Attributes ds = image(50, 40, "MONOCHROME2", 1, 16, 12, 11, 1, px);
        ds.setString(Tag.RescaleSlope, VR.DS, "2");
        ds.setString(Tag.RescaleIntercept, VR.DS, "-100");
        ds.setString(Tag.WindowCenter, VR.DS, "40");
        ds.setString(Tag.WindowWidth, VR.DS, "3000");
        assertSameAsDcmtk(ds, RenderParameters.DEFAULT, "+Wi", "1");
        FrameRaster r = new PixelDataDecoder().decode(ds, UID.ExplicitVRLittleEndian, 0);
        int raw = (px[0] & 0xFF) | (px[1] & 0x0F) << 8;
        assertEquals(raw >= 2048 ? raw - 4096 : raw, r.samples()[0]);
        for (int v : r.samples()) {
            assertTrue(v >= -2048 && v < 2048, "sample outside 12 bits signed: " + v);
        }
    }

    @Test
    void highBitNotAtBitsStoredMinusOne() throws Exception {
        // 10 bits stored at bits 12..3 of each 16-bit word
        byte[] px = new byte[2 * 16 * 16];
        for (int i = 0; i < 256; i++) {
            int v = (i * 4) << 3 | 0x7;
            px[2 * i] = (byte) v;
            px[2 * i + 1] = (byte) (v >> 8);
        }
        Attributes ds = image(16, 16, "MONOCHROME2", 1, 16, 10, 12, 0, px);
        FrameRaster r = new PixelDataDecoder().decode(ds, UID.ExplicitVRLittleEndian, 0);
        assertEquals(4 * 100, r.samples()[100]);
        assertCloseToDcmtk(1, ds, RenderParameters.DEFAULT, "+Wm");
    }

    @Test
    void monochrome1IsInverted() throws Exception {
        Attributes ds = image(32, 32, "MONOCHROME1", 1, 8, 8, 7, 0, gradient8(32, 32, 1));
        ds.setString(Tag.WindowCenter, VR.DS, "128");
        ds.setString(Tag.WindowWidth, VR.DS, "200");
        assertSameAsDcmtk(ds, RenderParameters.DEFAULT, "+Wi", "1");
        BufferedImage img = new Renderer(new PixelDataDecoder()).render(ds, UID.ExplicitVRLittleEndian,
                RenderParameters.DEFAULT);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        BufferedImage mono2 = new Renderer(new PixelDataDecoder()).render(ds, UID.ExplicitVRLittleEndian,
                RenderParameters.DEFAULT);
        assertTrue(Math.abs(img.getRaster().getSample(5, 5, 0) + mono2.getRaster().getSample(5, 5, 0) - 255) <= 1);
    }

    @Test
    void sigmoidWindowFromTheRequest() throws Exception {
        Attributes ds = image(32, 32, "MONOCHROME2", 1, 8, 8, 7, 0, gradient8(32, 32, 1));
        assertSameAsDcmtk(ds, RenderParameters.DEFAULT.withWindow(100, 80, "SIGMOID"), "+Ww", "100", "80", "+Wfs");
        assertSameAsDcmtk(ds, RenderParameters.DEFAULT.withWindow(100, 80, "LINEAR"), "+Ww", "100", "80");
    }

    @Test
    void voiLutSequence() throws Exception {
        Attributes ds = image(32, 32, "MONOCHROME2", 1, 16, 12, 11, 0, random(2 * 32 * 32, 9));
        Sequence seq = ds.newSequence(Tag.VOILUTSequence, 1);
        Attributes item = new Attributes(false, 3);
        byte[] lut = new byte[2 * 4096];
        for (int i = 0; i < 4096; i++) {
            int v = (int) Math.round(Math.sqrt(i / 4095.0) * 4095); // a gamma-like curve
            lut[2 * i] = (byte) v;
            lut[2 * i + 1] = (byte) (v >> 8);
        }
        item.setInt(Tag.LUTDescriptor, VR.US, 4096, 0, 12);
        item.setBytes(Tag.LUTData, VR.OW, lut);
        seq.add(item);
        assertSameAsDcmtk(ds, RenderParameters.DEFAULT, "+Wl", "1");
    }

    @Test
    void linearExactFollowsPs33() throws Exception {
        assertEquals(0, Renderer.voi(99.999, 200, 200, "LINEAR_EXACT"));
        assertEquals(127.5, Renderer.voi(200, 200, 200, "LINEAR_EXACT"), 1e-9);
        assertEquals(255, Renderer.voi(300.001, 200, 200, "LINEAR_EXACT"));
        // LINEAR with width 1 is a threshold at c - 0.5
        assertEquals(0, Renderer.voi(9.5, 10, 1, "LINEAR"));
        assertEquals(255, Renderer.voi(9.6, 10, 1, "LINEAR"));
    }

    @Test
    void viewportKeepsAspectRatioAndWritersProduceReadableImages() throws Exception {
        Attributes ds = image(100, 50, "MONOCHROME2", 1, 8, 8, 7, 0, gradient8(100, 50, 1));
        BufferedImage img = new Renderer(new PixelDataDecoder()).render(ds, UID.ExplicitVRLittleEndian,
                RenderParameters.DEFAULT.withViewport(64, 64));
        assertEquals(32, img.getWidth());
        assertEquals(64, img.getHeight());
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageEncoder.writePng(img, png);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
        assertArrayEquals(Tools.samples(img, 1), Tools.samples(back, 1));
        ByteArrayOutputStream high = new ByteArrayOutputStream();
        ByteArrayOutputStream low = new ByteArrayOutputStream();
        ImageEncoder.writeJpeg(img, 95, high);
        ImageEncoder.writeJpeg(img, 5, low);
        assertTrue(low.size() < high.size(), "quality 5 is smaller than quality 95");
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(high.toByteArray()));
        assertTrue(Tools.psnr(Tools.samples(img, 1), Tools.samples(jpeg, 1)) > 30);
    }
}
