package org.mosaicpacs.dicom.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;

/**
 * What dcmcjpeg does not write: 12-bit JPEG streams with restart intervals, three components with sampling
 * factors 2×2/1×1/1×1 and partial MCUs at the right and bottom edges. The streams are written here (T.81 syntax)
 * with flat 8×8 blocks, whose only coefficient is DC: such a block decodes exactly to DC/8 + 2048 whatever the IDCT's
 * rounding, so the expected samples are known exactly.
 */
class Jpeg12StructureTest {

    final PixelDataDecoder decoder = new PixelDataDecoder();

    /** Writes bits MSB first with 0xFF byte stuffing (T.81 F.1.2.3); pads a byte with 1-bits. */
    static final class Bits {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer;
        int count;

        void write(int value, int length) {
            for (int i = length - 1; i >= 0; i--) {
                buffer = buffer << 1 | (value >> i & 1);
                if (++count == 8) {
                    out.write(buffer);
                    if (buffer == 0xFF) {
                        out.write(0);
                    }
                    buffer = 0;
                    count = 0;
                }
            }
        }

        void pad() {
            while (count != 0) {
                write(1, 1);
            }
        }
    }

    static void segment(ByteArrayOutputStream out, int marker, int... bytes) {
        out.write(0xFF);
        out.write(marker);
        out.write((bytes.length + 2) >> 8);
        out.write((bytes.length + 2) & 0xFF);
        for (int b : bytes) {
            out.write(b);
        }
    }

    /**
     * A 12-bit SOF1 stream of flat blocks.
     *
     * @param blockValues per component, the sample of each of its blocks in MCU order
     * @param h horizontal sampling factor per component
     * @param v vertical sampling factor per component
     * @param restartInterval MCUs per restart interval, 0 for none
     */
    static byte[] stream(int columns, int rows, int[] h, int[] v, int restartInterval, int[][] blockValues,
            int mcus) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        int[] dqt = new int[1 + 128];
        dqt[0] = 0x10; // 16-bit entries, table 0, all 1
        for (int k = 0; k < 64; k++) {
            dqt[2 + 2 * k] = 1;
        }
        segment(out, 0xDB, dqt);
        // DC table 0: the 16 categories, each a 4-bit code equal to its category
        int[] dcTable = new int[1 + 16 + 16];
        dcTable[4] = 16;
        for (int i = 0; i < 16; i++) {
            dcTable[17 + i] = i;
        }
        segment(out, 0xC4, dcTable);
        // AC table 0: only EOB, the 1-bit code 0
        int[] acTable = new int[1 + 16 + 1];
        acTable[0] = 0x10;
        acTable[1] = 1;
        segment(out, 0xC4, acTable);
        int n = h.length;
        int[] sof = new int[6 + 3 * n];
        sof[0] = 12;
        sof[1] = rows >> 8;
        sof[2] = rows & 0xFF;
        sof[3] = columns >> 8;
        sof[4] = columns & 0xFF;
        sof[5] = n;
        for (int c = 0; c < n; c++) {
            sof[6 + 3 * c] = c + 1;
            sof[7 + 3 * c] = h[c] << 4 | v[c];
        }
        segment(out, 0xC1, sof);
        if (restartInterval > 0) {
            segment(out, 0xDD, restartInterval >> 8, restartInterval & 0xFF);
        }
        int[] sos = new int[1 + 2 * n + 3];
        sos[0] = n;
        for (int c = 0; c < n; c++) {
            sos[1 + 2 * c] = c + 1;
        }
        sos[1 + 2 * n + 1] = 63;
        segment(out, 0xDA, sos);
        Bits bits = new Bits();
        int[] pred = new int[n];
        int[] next = new int[n];
        for (int m = 0; m < mcus; m++) {
            if (restartInterval > 0 && m > 0 && m % restartInterval == 0) {
                bits.pad();
                bits.out.write(0xFF);
                bits.out.write(0xD0 + (m / restartInterval - 1) % 8);
                Arrays.fill(pred, 0);
            }
            for (int c = 0; c < n; c++) {
                for (int b = 0; b < h[c] * v[c]; b++) {
                    int dc = 8 * (blockValues[c][next[c]++] - 2048);
                    int diff = dc - pred[c];
                    pred[c] = dc;
                    int category = 32 - Integer.numberOfLeadingZeros(Math.abs(diff));
                    bits.write(category, 4);
                    bits.write(diff >= 0 ? diff : diff + (1 << category) - 1, category);
                    bits.write(0, 1); // EOB
                }
            }
        }
        bits.pad();
        out.writeBytes(bits.out.toByteArray());
        out.write(0xFF);
        out.write(0xD9);
        return out.toByteArray();
    }

    static Attributes dataSet(int columns, int rows, int spp, byte[] frame) {
        Attributes ds = SyntheticImagesTest.image(rows, columns, spp == 1 ? "MONOCHROME2" : "RGB", spp, 16, 12, 11, 0,
                new byte[0]);
        ds.remove(Tag.PixelData);
        ds.setFragments(Tag.PixelData, HostileAndFragmentsTest.fragments(new byte[0], frame));
        return ds;
    }

    @Test
    void threeComponentsWithSubsamplingRestartsAndPartialMcus() throws Exception {
        int columns = 37;
        int rows = 29; // MCUs of 16×16: 3 × 2, the last column and row partial
        int[] h = {2, 1, 1};
        int[] v = {2, 1, 1};
        int mcus = 6;
        Random random = new Random(12);
        int[][] values = new int[3][];
        values[0] = random.ints(mcus * 4, 0, 4096).toArray();
        values[1] = random.ints(mcus, 0, 4096).toArray();
        values[2] = random.ints(mcus, 0, 4096).toArray();
        values[0][0] = 0;
        values[0][1] = 4095; // the extremes: DC differences of category 15
        for (int restartInterval : new int[] {0, 1, 2, 4}) {
            byte[] frame = stream(columns, rows, h, v, restartInterval, values, mcus);
            int[] expected = new int[columns * rows * 3];
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < columns; x++) {
                    int mcu = (y / 16) * 3 + x / 16;
                    int luma = mcu * 4 + (y % 16) / 8 * 2 + (x % 16) / 8;
                    expected[(y * columns + x) * 3] = values[0][luma];
                    expected[(y * columns + x) * 3 + 1] = values[1][mcu];
                    expected[(y * columns + x) * 3 + 2] = values[2][mcu];
                }
            }
            FrameRaster r = decoder.decode(dataSet(columns, rows, 3, frame), UID.JPEGExtended12Bit, 0);
            assertArrayEquals(expected, r.samples(), "restart interval " + restartInterval);
        }
    }

    @Test
    void grayWithRestartsAndTheirMarkersChecked() throws Exception {
        int columns = 20;
        int rows = 12; // 3 × 2 blocks
        int[] values = new Random(4).ints(6, 0, 4096).toArray();
        byte[] frame = stream(columns, rows, new int[] {1}, new int[] {1}, 4, new int[][] {values}, 6);
        int[] expected = new int[columns * rows];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < columns; x++) {
                expected[y * columns + x] = values[(y / 8) * 3 + x / 8];
            }
        }
        assertArrayEquals(expected, decoder.decode(dataSet(columns, rows, 1, frame), UID.JPEGExtended12Bit, 0)
                .samples());
        // the restart marker replaced by another one, then taken out
        int rst = -1;
        for (int i = frame.length - 3; i > 0; i--) {
            if ((frame[i] & 0xFF) == 0xFF && (frame[i + 1] & 0xFF) == 0xD0) {
                rst = i;
            }
        }
        assertTrue(rst > 0);
        byte[] wrong = frame.clone();
        wrong[rst + 1] = (byte) 0xD3;
        PixelDataException e = assertThrows(PixelDataException.class,
                () -> decoder.decode(dataSet(columns, rows, 1, wrong), UID.JPEGExtended12Bit, 0));
        assertTrue(e.getMessage().contains("RST0"), e.getMessage());
        byte[] missing = new byte[frame.length - 2];
        System.arraycopy(frame, 0, missing, 0, rst);
        System.arraycopy(frame, rst + 2, missing, rst, frame.length - rst - 2);
        assertThrows(PixelDataException.class,
                () -> decoder.decode(dataSet(columns, rows, 1, missing), UID.JPEGExtended12Bit, 0));
    }
}
