package org.mosaicpacs.dicom.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.UID;

/**
 * Our JPEG-LS decoder against the fixtures of {@code src/test/resources/jpegls} (made by {@code make-fixtures.py}
 * with dcmtk's {@code dcmcjpls}): lossless frames give back the native original exactly; near-lossless frames are
 * within NEAR of the original and equal to what {@code dcmdjpls} decodes.
 */
class JpegLsTest {

    final PixelDataDecoder decoder = new PixelDataDecoder();

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
}
