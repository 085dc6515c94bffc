package org.mosaicpacs.dicom.image.internal;

import org.mosaicpacs.dicom.image.PixelDataException;

/**
 * Sequential Huffman-coded DCT JPEG (ITU-T T.81 processes 1, 2 and 4: SOF0 and SOF1) of our own, for the 12-bit
 * samples of JPEG Extended (1.2.840.10008.1.2.4.51) that the Java JPEG readers do not decode. Written from T.81:
 * markers (B.2), Huffman tables (C, F.2.2.3), DC and AC coefficient decoding (F.2.2.1, F.2.2.2), restart intervals
 * (B.2.4.4, F.2.1.3), dequantization with 8- or 16-bit table entries, a separable floating-point inverse DCT
 * (A.3.3), the level shift by 2^(P-1) and clamping to 0..2^P-1; 1 to 4 components, interleaved or in separate
 * scans, with their sampling factors (subsampled components are replicated to full size, not interpolated).
 *
 * <p>Everything read is checked against the data: a stream that is truncated, refers to undefined tables, holds a
 * code that is in no table or a run past the 64th coefficient gives a {@link PixelDataException}. Memory is bounded
 * by the frame size, which the caller has checked against the data set.
 */
public final class Jpeg12Decoder {

    /** Zig-zag index → natural (row-major) index of an 8×8 block (T.81 Figure A.6). */
    private static final int[] NATURAL = new int[64];

    /** cos((2x+1)uπ/16) × C(u)/2, indexed [x][u]: one dimension of the inverse DCT of A.3.3. */
    private static final double[][] IDCT = new double[8][8];

    static {
        int i = 0;
        for (int s = 0; s < 15; s++) { // anti-diagonals, alternating direction
            for (int t = 0; t <= s; t++) {
                int row = s % 2 == 0 ? s - t : t;
                int col = s - row;
                if (row < 8 && col < 8) {
                    NATURAL[i++] = row * 8 + col;
                }
            }
        }
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                double c = u == 0 ? Math.sqrt(0.5) : 1;
                IDCT[x][u] = c / 2 * Math.cos((2 * x + 1) * u * Math.PI / 16);
            }
        }
    }

    /** A Huffman table in the form of T.81 F.2.2.3: per code length, the smallest and largest code. */
    private static final class Huffman {
        final int[] minCode = new int[17];
        final int[] maxCode = new int[17];
        final int[] valPtr = new int[17];
        final int[] values;

        Huffman(int[] counts, int[] values) {
            this.values = values;
            int code = 0;
            int k = 0;
            for (int length = 1; length <= 16; length++) {
                valPtr[length] = k;
                minCode[length] = code;
                code += counts[length];
                k += counts[length];
                maxCode[length] = counts[length] == 0 ? -1 : code - 1;
                code <<= 1;
            }
        }
    }

    private static final class Component {
        int id;
        int h;
        int v;
        int tq;
        int td;
        int ta;
        int blocksPerLine;
        int blocksPerColumn;
        int[] samples; // blocksPerLine*8 × blocksPerColumn*8
        int pred;
    }

    private final byte[] data;
    private int pos;
    private final int[][] quant = new int[4][];
    private final Huffman[] dc = new Huffman[4];
    private final Huffman[] ac = new Huffman[4];
    private int restartInterval;
    private int precision;
    private int width;
    private int height;
    private Component[] components;
    private int hMax;
    private int vMax;
    private int mcusPerLine;
    private int mcusPerColumn;
    private boolean decodedAny;
    // bit reader over the entropy-coded segment
    private int bitBuffer;
    private int bitCount;

    private Jpeg12Decoder(byte[] data) {
        this.data = data;
    }

    /**
     * Decodes one sequential DCT JPEG frame with 8- or 12-bit samples.
     *
     * @param data the compressed frame, from SOI
     * @param columns expected width
     * @param rows expected height
     * @param samplesPerPixel expected number of components
     * @param out receives {@code columns × rows × samplesPerPixel} samples, pixel-interleaved in frame component
     *        order
     * @throws PixelDataException when the stream is not such a JPEG image of these dimensions or is corrupt
     */
    public static void decode(byte[] data, int columns, int rows, int samplesPerPixel, int[] out)
            throws PixelDataException {
        new Jpeg12Decoder(data).run(columns, rows, samplesPerPixel, out);
    }

    private void run(int columns, int rows, int samplesPerPixel, int[] out) throws PixelDataException {
        if (data.length < 4 || u8(0) != 0xFF || u8(1) != 0xD8) {
            throw new PixelDataException("the frame is not a JPEG stream (no SOI marker)");
        }
        pos = 2;
        while (true) {
            int marker = nextMarker();
            switch (marker) {
                case 0xD9 -> { // EOI
                    finish(columns, rows, samplesPerPixel, out);
                    return;
                }
                case 0xC0, 0xC1 -> frameHeader(columns, rows, samplesPerPixel);
                case 0xC4 -> huffmanTables();
                case 0xDB -> quantizationTables();
                case 0xDD -> {
                    segmentLength(4);
                    restartInterval = u16(pos + 2);
                    pos += 4;
                }
                case 0xDA -> scan();
                case 0xDC -> throw new PixelDataException("JPEG DNL marker (lines defined after the scan) is not"
                        + " supported");
                default -> {
                    if (marker >= 0xC2 && marker <= 0xCF) {
                        throw new PixelDataException(String.format("JPEG SOF%d (process other than sequential"
                                + " Huffman DCT) is not decoded here", marker - 0xC0));
                    }
                    if (marker >= 0xD0 && marker <= 0xD7) {
                        throw new PixelDataException("JPEG restart marker outside a scan");
                    }
                    pos += segmentLength(2); // APPn, COM and others: skipped
                }
            }
        }
    }

    private int u8(int at) throws PixelDataException {
        if (at >= data.length) {
            throw truncated();
        }
        return data[at] & 0xFF;
    }

    private int u16(int at) throws PixelDataException {
        return u8(at) << 8 | u8(at + 1);
    }

    private static PixelDataException truncated() {
        return new PixelDataException("JPEG stream is truncated");
    }

    /** Reads the marker at pos (fill bytes 0xFF allowed before it) and moves pos past it. */
    private int nextMarker() throws PixelDataException {
        if (u8(pos) != 0xFF) {
            throw new PixelDataException("JPEG stream corrupt: no marker at byte " + pos);
        }
        while (u8(pos) == 0xFF) {
            pos++;
        }
        return u8(pos++);
    }

    /** Returns the length of the marker segment at pos (its length field included), at least {@code min}. */
    private int segmentLength(int min) throws PixelDataException {
        int length = u16(pos);
        if (length < min || pos + length > data.length) {
            throw new PixelDataException("JPEG marker segment at byte " + pos + " has a wrong length " + length);
        }
        return length;
    }

    private void quantizationTables() throws PixelDataException {
        int end = pos + segmentLength(2);
        int p = pos + 2;
        while (p < end) {
            int pq = u8(p) >> 4;
            int tq = u8(p) & 15;
            if (pq > 1 || tq > 3) {
                throw new PixelDataException("JPEG DQT: bad precision/destination " + pq + "/" + tq);
            }
            p++;
            int[] q = new int[64];
            for (int k = 0; k < 64; k++) {
                q[k] = pq == 0 ? u8(p + k) : u16(p + 2 * k);
            }
            p += pq == 0 ? 64 : 128;
            if (p > end) {
                throw new PixelDataException("JPEG DQT overruns its segment");
            }
            quant[tq] = q;
        }
        pos = end;
    }

    private void huffmanTables() throws PixelDataException {
        int end = pos + segmentLength(2);
        int p = pos + 2;
        while (p < end) {
            int tc = u8(p) >> 4;
            int th = u8(p) & 15;
            if (tc > 1 || th > 3) {
                throw new PixelDataException("JPEG DHT: bad class/destination " + tc + "/" + th);
            }
            int[] counts = new int[17];
            int total = 0;
            for (int i = 1; i <= 16; i++) {
                counts[i] = u8(p + i);
                total += counts[i];
            }
            p += 17;
            if (total > 256 || p + total > end) {
                throw new PixelDataException("JPEG DHT overruns its segment");
            }
            int[] values = new int[total];
            for (int i = 0; i < total; i++) {
                values[i] = u8(p + i);
            }
            p += total;
            // a table whose codes do not fit their lengths (more codes than 2^length) is corrupt
            long room = 1;
            for (int i = 1; i <= 16; i++) {
                room = room * 2 - counts[i];
                if (room < 0) {
                    throw new PixelDataException("JPEG DHT holds more codes than fit their lengths");
                }
            }
            (tc == 0 ? dc : ac)[th] = new Huffman(counts, values);
        }
        pos = end;
    }

    private void frameHeader(int columns, int rows, int samplesPerPixel) throws PixelDataException {
        if (components != null) {
            throw new PixelDataException("JPEG stream has more than one frame header");
        }
        int length = segmentLength(8);
        precision = u8(pos + 2);
        height = u16(pos + 3);
        width = u16(pos + 5);
        int nf = u8(pos + 7);
        if (precision != 8 && precision != 12) {
            throw new PixelDataException("JPEG DCT sample precision " + precision + " (8 or 12 expected)");
        }
        if (width != columns || height != rows) {
            throw new PixelDataException("JPEG frame is " + width + "×" + height + ", the data set says " + columns
                    + "×" + rows);
        }
        if (nf != samplesPerPixel || nf < 1 || nf > 4 || length != 8 + 3 * nf) {
            throw new PixelDataException("JPEG frame has " + nf + " components, the data set says "
                    + samplesPerPixel);
        }
        components = new Component[nf];
        for (int i = 0; i < nf; i++) {
            Component c = new Component();
            int p = pos + 8 + 3 * i;
            c.id = u8(p);
            c.h = u8(p + 1) >> 4;
            c.v = u8(p + 1) & 15;
            c.tq = u8(p + 2);
            if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3) {
                throw new PixelDataException("JPEG frame component " + c.id + ": bad sampling factors or table");
            }
            hMax = Math.max(hMax, c.h);
            vMax = Math.max(vMax, c.v);
            components[i] = c;
        }
        mcusPerLine = (width + 8 * hMax - 1) / (8 * hMax);
        mcusPerColumn = (height + 8 * vMax - 1) / (8 * vMax);
        for (Component c : components) {
            c.blocksPerLine = mcusPerLine * c.h;
            c.blocksPerColumn = mcusPerColumn * c.v;
            c.samples = new int[c.blocksPerLine * 64 * c.blocksPerColumn];
        }
        pos += length;
    }

    private void scan() throws PixelDataException {
        if (components == null) {
            throw new PixelDataException("JPEG scan before the frame header");
        }
        int length = segmentLength(6);
        int ns = u8(pos + 2);
        if (ns < 1 || ns > 4 || length != 6 + 2 * ns) {
            throw new PixelDataException("JPEG scan header with " + ns + " components is malformed");
        }
        Component[] scan = new Component[ns];
        for (int i = 0; i < ns; i++) {
            int cs = u8(pos + 3 + 2 * i);
            for (Component c : components) {
                if (c.id == cs) {
                    scan[i] = c;
                }
            }
            if (scan[i] == null) {
                throw new PixelDataException("JPEG scan names component " + cs + ", which the frame does not have");
            }
            scan[i].td = u8(pos + 4 + 2 * i) >> 4;
            scan[i].ta = u8(pos + 4 + 2 * i) & 15;
            if (scan[i].td > 3 || scan[i].ta > 3 || dc[scan[i].td] == null || ac[scan[i].ta] == null
                    || quant[scan[i].tq] == null) {
                throw new PixelDataException("JPEG scan component " + cs + " uses an undefined table");
            }
            scan[i].pred = 0;
        }
        pos += length;
        bitCount = 0;
        int[] zz = new int[64];
        int mcus;
        int perLine;
        if (ns == 1) {
            // non-interleaved: one block per MCU, over the component's own size (A.2.2)
            Component c = scan[0];
            perLine = (ceilDiv(width * c.h, hMax) + 7) / 8;
            mcus = perLine * ((ceilDiv(height * c.v, vMax) + 7) / 8);
        } else {
            perLine = mcusPerLine;
            mcus = mcusPerLine * mcusPerColumn;
        }
        int restarts = 0;
        for (int m = 0; m < mcus; m++) {
            if (restartInterval > 0 && m > 0 && m % restartInterval == 0) {
                restart(restarts++);
                for (Component c : scan) {
                    c.pred = 0;
                }
            }
            int mx = m % perLine;
            int my = m / perLine;
            if (ns == 1) {
                block(scan[0], mx, my, zz);
            } else {
                for (Component c : scan) {
                    for (int by = 0; by < c.v; by++) {
                        for (int bx = 0; bx < c.h; bx++) {
                            block(c, mx * c.h + bx, my * c.v + by, zz);
                        }
                    }
                }
            }
        }
        // the entropy-coded segment ends at the next marker that is not a restart marker
        while (pos < data.length && !(u8(pos) == 0xFF && pos + 1 < data.length && u8(pos + 1) != 0
                && (u8(pos + 1) < 0xD0 || u8(pos + 1) > 0xD7))) {
            pos++;
        }
        if (pos >= data.length) {
            throw new PixelDataException("JPEG stream ends without an EOI marker");
        }
        decodedAny = true;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** At a restart interval's end: the bits left in the byte are padding, then RSTn must follow. */
    private void restart(int n) throws PixelDataException {
        bitCount = 0;
        if (pos + 1 >= data.length || u8(pos) != 0xFF || u8(pos + 1) != 0xD0 + (n & 7)) {
            throw new PixelDataException("JPEG restart marker RST" + (n & 7) + " missing at byte " + pos);
        }
        pos += 2;
    }

    private int bit() throws PixelDataException {
        if (bitCount == 0) {
            int b = u8(pos);
            if (b == 0xFF) {
                int next = u8(pos + 1);
                if (next != 0) {
                    throw new PixelDataException("JPEG entropy-coded data ends (marker 0xFF" + Integer.toHexString(
                            next).toUpperCase() + " at byte " + pos + ") before the last block: truncated or corrupt");
                }
                pos += 2;
            } else {
                pos++;
            }
            bitBuffer = b;
            bitCount = 8;
        }
        bitCount--;
        return bitBuffer >> bitCount & 1;
    }

    private int receive(int s) throws PixelDataException {
        int v = 0;
        for (int i = 0; i < s; i++) {
            v = v << 1 | bit();
        }
        return v;
    }

    /** T.81 F.2.2.1 EXTEND: a value of s bits whose top bit is 0 stands for a negative difference. */
    private static int extend(int v, int s) {
        return s == 0 ? 0 : v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
    }

    private int decodeSymbol(Huffman t) throws PixelDataException {
        int code = bit();
        int length = 1;
        while (code > t.maxCode[length]) {
            if (++length > 16) {
                throw new PixelDataException("JPEG entropy-coded data corrupt: a code in no Huffman table");
            }
            code = code << 1 | bit();
        }
        int index = t.valPtr[length] + code - t.minCode[length];
        if (index < 0 || index >= t.values.length) {
            throw new PixelDataException("JPEG entropy-coded data corrupt: a code in no Huffman table");
        }
        return t.values[index];
    }

    /** Decodes, dequantizes and inverse transforms one block into the component's samples at block (bx, by). */
    private void block(Component c, int bx, int by, int[] zz) throws PixelDataException {
        java.util.Arrays.fill(zz, 0);
        int t = decodeSymbol(dc[c.td]);
        if (t > 16) {
            throw new PixelDataException("JPEG DC difference category " + t + " is out of range");
        }
        c.pred += extend(receive(t), t);
        zz[0] = c.pred;
        Huffman acTable = ac[c.ta];
        for (int k = 1; k < 64;) {
            int rs = decodeSymbol(acTable);
            int r = rs >> 4;
            int s = rs & 15;
            if (s == 0) {
                if (r != 15) {
                    break; // EOB
                }
                k += 16;
                continue;
            }
            k += r;
            if (k > 63) {
                throw new PixelDataException("JPEG entropy-coded data corrupt: coefficients past the 64th");
            }
            zz[k++] = extend(receive(s), s);
        }
        int[] q = quant[c.tq];
        double[] f = new double[64];
        for (int k = 0; k < 64; k++) {
            f[NATURAL[k]] = (double) zz[k] * q[k];
        }
        idctInto(f, c, bx, by);
    }

    private void idctInto(double[] f, Component c, int bx, int by) {
        double[] rows = new double[64];
        // rows: for each v (row of coefficients) the 1-D inverse over u → x
        for (int v = 0; v < 8; v++) {
            for (int x = 0; x < 8; x++) {
                double s = 0;
                for (int u = 0; u < 8; u++) {
                    s += IDCT[x][u] * f[v * 8 + u];
                }
                rows[v * 8 + x] = s;
            }
        }
        int shift = 1 << (precision - 1);
        int max = (1 << precision) - 1;
        int lineLength = c.blocksPerLine * 8;
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 8; y++) {
                double s = 0;
                for (int v = 0; v < 8; v++) {
                    s += IDCT[y][v] * rows[v * 8 + x];
                }
                int value = (int) Math.round(s) + shift;
                c.samples[(by * 8 + y) * lineLength + bx * 8 + x] = Math.max(0, Math.min(max, value));
            }
        }
    }

    private void finish(int columns, int rows, int samplesPerPixel, int[] out) throws PixelDataException {
        if (components == null || !decodedAny) {
            throw new PixelDataException("JPEG stream has no frame or no scan");
        }
        int n = components.length;
        for (int i = 0; i < n; i++) {
            Component c = components[i];
            int lineLength = c.blocksPerLine * 8;
            for (int y = 0; y < rows; y++) {
                int sy = y * c.v / vMax;
                for (int x = 0; x < columns; x++) {
                    out[(y * columns + x) * n + i] = c.samples[sy * lineLength + x * c.h / hMax];
                }
            }
        }
    }
}
