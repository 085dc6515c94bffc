package org.mosaicpacs.dicom.image.internal;

import org.mosaicpacs.dicom.image.PixelDataException;

/**
 * JPEG-LS (ITU-T T.87 / ISO/IEC 14495-1) lossless and near-lossless frames, written here from the standard: the
 * marker segments SOI, SOF55, LSE (preset coding parameters), DRI, SOS, RSTm and EOI; the regular mode (gradients
 * quantized to contexts, the edge-detecting predictor, bias correction, limited-length Golomb codes, error mapping,
 * NEAR quantization and modulo reconstruction) and the run mode (run lengths by the J table, run interruption
 * samples with their two contexts); 2 to 16 bits per sample; one or three components in any interleave mode
 * (ILV 0, 1 and 2).
 *
 * <p>Mapping tables (LSE ID 2 and 3), oversize dimensions (LSE ID 4), sub-sampled components and a point
 * transform are refused: DICOM does not use them. Every inconsistency of the stream, and a stream that ends
 * early, gives a {@link PixelDataException}; all loops are bounded by the image size and the code length limit.
 */
public final class JpegLsDecoder {

    /** The J table of A.7.1.1: the order of the run length code for each RUNindex. */
    private static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9,
        10, 11, 12, 13, 14, 15};

    /** Contexts of the regular mode, indexed (Q1 × 9 + Q2 + 4) × 9 + Q3 + 4 after sign merging (Q1 ≥ 0). */
    private static final int REGULAR_CONTEXTS = 5 * 81;
    /** The two run interruption contexts follow: RItype 0 and RItype 1. */
    private static final int RUN_CONTEXT = REGULAR_CONTEXTS;

    private final byte[] data;
    private final int columns;
    private final int rows;
    private final int components;
    private final int[] out;

    // frame and preset parameters
    private int precision;
    private int maxval;
    private int t1Preset;
    private int t2Preset;
    private int t3Preset;
    private int resetPreset;
    private int restartInterval;
    private final int[] componentIds;
    private final boolean[] decoded;

    // scan parameters (A.2)
    private int near;
    private int range;
    private int qbpp;
    private int limit;
    private int t1;
    private int t2;
    private int t3;
    private int reset;

    // context variables (A.2.1)
    private final int[] a = new int[REGULAR_CONTEXTS + 2];
    private final int[] b = new int[REGULAR_CONTEXTS + 2];
    private final int[] c = new int[REGULAR_CONTEXTS + 2];
    private final int[] n = new int[REGULAR_CONTEXTS + 2];
    private final int[] nn = new int[2];
    private int runIndex;

    // bit input
    private int pos;
    private int end;
    private long cache;
    private int count;
    private boolean afterFF;
    private long phantomBits;

    private JpegLsDecoder(byte[] data, int columns, int rows, int components, int[] out) {
        this.data = data;
        this.columns = columns;
        this.rows = rows;
        this.components = components;
        this.out = out;
        this.componentIds = new int[components];
        this.decoded = new boolean[components];
    }

    /**
     * Decodes one JPEG-LS frame.
     *
     * @param data the compressed frame (SOI to EOI)
     * @param columns expected width
     * @param rows expected height
     * @param samplesPerPixel expected number of components (1 or 3)
     * @param out receives {@code columns × rows × samplesPerPixel} samples, pixel-interleaved, 0 to MAXVAL
     * @return the sample precision P of the frame header
     * @throws PixelDataException when the data is not a JPEG-LS image of these dimensions, uses a feature that is
     *         not supported, or is corrupt or truncated
     */
    public static int decode(byte[] data, int columns, int rows, int samplesPerPixel, int[] out)
            throws PixelDataException {
        if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != 0xD8) {
            throw new PixelDataException("the frame is not a JPEG-LS stream (no SOI marker)");
        }
        JpegLsDecoder d = new JpegLsDecoder(data, columns, rows, samplesPerPixel, out);
        d.markers();
        return d.precision;
    }

    // ---- marker segments (Annex C) ---------------------------------------------------------------------------

    private void markers() throws PixelDataException {
        int p = 2;
        boolean frame = false;
        while (true) {
            if (p + 1 >= data.length) {
                if (allDecoded()) {
                    return; // a missing EOI is tolerated once every sample is there
                }
                throw new PixelDataException("JPEG-LS stream ends before its EOI marker");
            }
            if ((data[p] & 0xFF) != 0xFF) {
                throw new PixelDataException("JPEG-LS stream has no marker at byte " + p);
            }
            int m = data[p + 1] & 0xFF;
            if (m == 0xFF) {
                p++; // fill byte
                continue;
            }
            p += 2;
            if (m == 0xD9) {
                if (!allDecoded()) {
                    throw new PixelDataException("JPEG-LS stream ends (EOI) before every component is decoded");
                }
                return;
            }
            if (p + 2 > data.length) {
                throw new PixelDataException("JPEG-LS marker segment 0xFF" + Integer.toHexString(m) + " is truncated");
            }
            int length = (data[p] & 0xFF) << 8 | (data[p + 1] & 0xFF);
            if (length < 2 || p + length > data.length) {
                throw new PixelDataException("JPEG-LS marker segment 0xFF" + Integer.toHexString(m) + " has length "
                        + length + ", the stream has " + (data.length - p) + " bytes left");
            }
            int s = p + 2;
            int segmentEnd = p + length;
            switch (m) {
                case 0xF7 -> {
                    frameHeader(s, segmentEnd);
                    frame = true;
                    p = segmentEnd;
                }
                case 0xF8 -> {
                    presetParameters(s, segmentEnd);
                    p = segmentEnd;
                }
                case 0xDD -> {
                    restartInterval = u(s, segmentEnd - s);
                    p = segmentEnd;
                }
                case 0xDA -> {
                    if (!frame) {
                        throw new PixelDataException("JPEG-LS scan (SOS) before the frame header (SOF55)");
                    }
                    p = scan(s, segmentEnd);
                }
                default -> {
                    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                        throw new PixelDataException("the frame is a JPEG stream (SOF 0xFF" + Integer.toHexString(m)
                                + "), not JPEG-LS (SOF55)");
                    }
                    if (!(m >= 0xE0 && m <= 0xEF) && m != 0xFE) {
                        throw new PixelDataException("unexpected marker 0xFF" + Integer.toHexString(m)
                                + " in the JPEG-LS stream");
                    }
                    p = segmentEnd; // APPn, COM
                }
            }
        }
    }

    private boolean allDecoded() {
        for (boolean done : decoded) {
            if (!done) {
                return false;
            }
        }
        return true;
    }

    /** An unsigned big-endian value of 1 to 4 bytes. */
    private int u(int at, int bytes) throws PixelDataException {
        if (bytes < 1 || bytes > 4 || at + bytes > data.length) {
            throw new PixelDataException("JPEG-LS marker segment is too short");
        }
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = v << 8 | (data[at + i] & 0xFF);
        }
        if (v > Integer.MAX_VALUE) {
            throw new PixelDataException("JPEG-LS parameter " + v + " is out of range");
        }
        return (int) v;
    }

    private void frameHeader(int s, int segmentEnd) throws PixelDataException {
        if (segmentEnd - s < 6) {
            throw new PixelDataException("JPEG-LS frame header (SOF55) is too short");
        }
        precision = data[s] & 0xFF;
        int y = u(s + 1, 2);
        int x = u(s + 3, 2);
        int nf = data[s + 5] & 0xFF;
        if (precision < 2 || precision > 16) {
            throw new PixelDataException("JPEG-LS sample precision " + precision + " is outside 2 to 16");
        }
        if (x != columns || y != rows) {
            throw new PixelDataException("JPEG-LS frame is " + x + "×" + y + ", the data set says " + columns + "×"
                    + rows);
        }
        if (nf != components) {
            throw new PixelDataException("JPEG-LS frame has " + nf + " components, the data set says " + components);
        }
        if (segmentEnd - s < 6 + 3 * nf) {
            throw new PixelDataException("JPEG-LS frame header (SOF55) is too short for " + nf + " components");
        }
        for (int i = 0; i < nf; i++) {
            componentIds[i] = data[s + 6 + 3 * i] & 0xFF;
            if ((data[s + 7 + 3 * i] & 0xFF) != 0x11) {
                throw new PixelDataException("JPEG-LS component " + componentIds[i]
                        + " is sub-sampled, which is not supported");
            }
        }
    }

    private void presetParameters(int s, int segmentEnd) throws PixelDataException {
        int id = data[s] & 0xFF;
        if (id != 1) {
            throw new PixelDataException("JPEG-LS preset parameters of ID " + id
                    + " (mapping tables or oversize dimensions) are not supported");
        }
        if (segmentEnd - s < 11) {
            throw new PixelDataException("JPEG-LS preset coding parameters (LSE) are too short");
        }
        maxval = u(s + 1, 2);
        t1Preset = u(s + 3, 2);
        t2Preset = u(s + 5, 2);
        t3Preset = u(s + 7, 2);
        resetPreset = u(s + 9, 2);
    }

    // ---- scan (Annex A and the SOS header) ------------------------------------------------------------------

    /** Decodes one scan; returns the offset of the marker that follows it. */
    private int scan(int s, int segmentEnd) throws PixelDataException {
        if (precision == 0) {
            throw new PixelDataException("JPEG-LS scan (SOS) before the frame header (SOF55)");
        }
        int ns = data[s] & 0xFF;
        if (ns < 1 || ns > components || segmentEnd - s < 1 + 2 * ns + 3) {
            throw new PixelDataException("JPEG-LS scan header has " + ns + " components, the frame has "
                    + components);
        }
        int[] scanComponents = new int[ns];
        for (int i = 0; i < ns; i++) {
            int id = data[s + 1 + 2 * i] & 0xFF;
            int index = -1;
            for (int k = 0; k < components; k++) {
                if (componentIds[k] == id) {
                    index = k;
                }
            }
            if (index < 0 || decoded[index]) {
                throw new PixelDataException("JPEG-LS scan names component " + id
                        + ", which the frame does not have or which is already decoded");
            }
            if ((data[s + 2 + 2 * i] & 0xFF) != 0) {
                throw new PixelDataException("JPEG-LS mapping tables are not supported");
            }
            scanComponents[i] = index;
        }
        int t = s + 1 + 2 * ns;
        near = data[t] & 0xFF;
        int ilv = data[t + 1] & 0xFF;
        int pointTransform = data[t + 2] & 0x0F;
        if (ilv > 2) {
            throw new PixelDataException("JPEG-LS interleave mode " + ilv + " does not exist");
        }
        if (pointTransform != 0) {
            throw new PixelDataException("JPEG-LS point transform " + pointTransform + " is not supported");
        }
        if ((ilv == 0) != (ns == 1)) {
            throw new PixelDataException("JPEG-LS scan of " + ns + " components with interleave mode " + ilv);
        }
        parameters();
        for (int i = 0; i < ns; i++) {
            decoded[scanComponents[i]] = true;
        }
        return ilv == 2 ? sampleInterleaved(segmentEnd, scanComponents) : lines(segmentEnd, scanComponents);
    }

    /** The coding parameters of A.2.1 and the default thresholds of C.2.4.1.1.1. */
    private void parameters() throws PixelDataException {
        int mv = maxval != 0 ? maxval : (1 << precision) - 1;
        if (mv >= 1 << precision || mv < 1) {
            throw new PixelDataException("JPEG-LS MAXVAL " + mv + " does not fit " + precision + " bits");
        }
        maxval = mv;
        if (near > Math.min(255, maxval / 2)) {
            throw new PixelDataException("JPEG-LS NEAR " + near + " is too large for MAXVAL " + maxval);
        }
        range = (maxval + 2 * near) / (2 * near + 1) + 1;
        qbpp = bits(range);
        int bpp = Math.max(2, bits(maxval + 1));
        limit = 2 * (bpp + Math.max(8, bpp));
        int d1;
        int d2;
        int d3;
        if (maxval >= 128) {
            int factor = (Math.min(maxval, 4095) + 128) / 256;
            d1 = clamp(factor * (3 - 2) + 2 + 3 * near, near + 1);
            d2 = clamp(factor * (7 - 3) + 3 + 5 * near, d1);
            d3 = clamp(factor * (21 - 4) + 4 + 7 * near, d2);
        } else {
            int factor = 256 / (maxval + 1);
            d1 = clamp(Math.max(2, 3 / factor + 3 * near), near + 1);
            d2 = clamp(Math.max(3, 7 / factor + 5 * near), d1);
            d3 = clamp(Math.max(4, 21 / factor + 7 * near), d2);
        }
        t1 = t1Preset != 0 ? t1Preset : d1;
        t2 = t2Preset != 0 ? t2Preset : d2;
        t3 = t3Preset != 0 ? t3Preset : d3;
        reset = resetPreset != 0 ? resetPreset : 64;
        if (!(near + 1 <= t1 && t1 <= t2 && t2 <= t3 && t3 <= maxval) || reset < 3 || reset > Math.max(255, maxval)) {
            throw new PixelDataException("JPEG-LS thresholds T1=" + t1 + " T2=" + t2 + " T3=" + t3 + " RESET="
                    + reset + " are invalid for MAXVAL " + maxval + " and NEAR " + near);
        }
    }

    private int clamp(int v, int low) {
        return v > maxval || v < low ? low : v;
    }

    /** ⌈log2 v⌉ for v ≥ 1. */
    private static int bits(int v) {
        return 32 - Integer.numberOfLeadingZeros(v - 1);
    }

    private void resetContexts() {
        int a0 = Math.max(2, (range + 32) / 64);
        for (int q = 0; q < a.length; q++) {
            a[q] = a0;
            b[q] = 0;
            c[q] = 0;
            n[q] = 1;
        }
        nn[0] = 0;
        nn[1] = 0;
        runIndex = 0;
    }

    // ---- ILV 0 and 1: one line of each component in turn --------------------------------------------------------

    private int lines(int dataStart, int[] scanComponents) throws PixelDataException {
        int ns = scanComponents.length;
        int w = columns;
        int[][] prev = new int[ns][w + 2];
        int[][] cur = new int[ns][w + 2];
        int[] runIndexes = new int[ns];
        start(dataStart);
        resetContexts();
        for (int y = 0; y < rows; y++) {
            if (restartInterval > 0 && y > 0 && y % restartInterval == 0) {
                restart(y / restartInterval - 1);
                java.util.Arrays.fill(runIndexes, 0);
            }
            for (int i = 0; i < ns; i++) {
                int[] p = prev[i];
                int[] l = cur[i];
                l[0] = p[1];
                p[w + 1] = p[w];
                runIndex = runIndexes[i];
                line(p, l);
                runIndexes[i] = runIndex;
                int comp = scanComponents[i];
                int o = y * w * components + comp;
                for (int x = 1; x <= w; x++, o += components) {
                    out[o] = l[x];
                }
                prev[i] = l;
                cur[i] = p;
            }
            checkTruncation(y);
        }
        return finish();
    }

    private void line(int[] prev, int[] cur) throws PixelDataException {
        int w = columns;
        int x = 1;
        while (x <= w) {
            int ra = cur[x - 1];
            int rb = prev[x];
            int rc = prev[x - 1];
            int rd = prev[x + 1];
            int q1 = quantize(rd - rb);
            int q2 = quantize(rb - rc);
            int q3 = quantize(rc - ra);
            if (q1 == 0 && q2 == 0 && q3 == 0) {
                x = run(prev, cur, x);
                continue;
            }
            cur[x] = regular(q1, q2, q3, ra, rb, rc);
            x++;
        }
    }

    /** Run mode from column x (1-based): returns the column after the run and its interruption sample. */
    private int run(int[] prev, int[] cur, int x) throws PixelDataException {
        int w = columns;
        int ra = cur[x - 1];
        int left = w - x + 1;
        int length = runLength(left);
        for (int i = 0; i < length; i++) {
            cur[x + i] = ra;
        }
        x += length;
        if (length == left) {
            return x;
        }
        cur[x] = interruption(ra, prev[x]);
        return x + 1;
    }

    // ---- ILV 2: the components of each pixel in turn ---------------------------------------------------------

    private int sampleInterleaved(int dataStart, int[] scanComponents) throws PixelDataException {
        int ns = scanComponents.length;
        int w = columns;
        int[][] prev = new int[ns][w + 2];
        int[][] cur = new int[ns][w + 2];
        int[] q1 = new int[ns];
        int[] q2 = new int[ns];
        int[] q3 = new int[ns];
        start(dataStart);
        resetContexts();
        for (int y = 0; y < rows; y++) {
            if (restartInterval > 0 && y > 0 && y % restartInterval == 0) {
                restart(y / restartInterval - 1);
            }
            for (int i = 0; i < ns; i++) {
                cur[i][0] = prev[i][1];
                prev[i][w + 1] = prev[i][w];
            }
            int x = 1;
            while (x <= w) {
                boolean flat = true;
                for (int i = 0; i < ns; i++) {
                    int[] p = prev[i];
                    int ra = cur[i][x - 1];
                    q1[i] = quantize(p[x + 1] - p[x]);
                    q2[i] = quantize(p[x] - p[x - 1]);
                    q3[i] = quantize(p[x - 1] - ra);
                    flat &= q1[i] == 0 && q2[i] == 0 && q3[i] == 0;
                }
                if (!flat) {
                    for (int i = 0; i < ns; i++) {
                        int[] p = prev[i];
                        cur[i][x] = regular(q1[i], q2[i], q3[i], cur[i][x - 1], p[x], p[x - 1]);
                    }
                    x++;
                    continue;
                }
                int left = w - x + 1;
                int length = runLength(left);
                for (int i = 0; i < ns; i++) {
                    int ra = cur[i][x - 1];
                    for (int k = 0; k < length; k++) {
                        cur[i][x + k] = ra;
                    }
                }
                x += length;
                if (length < left) {
                    for (int i = 0; i < ns; i++) {
                        cur[i][x] = interruptionComponent(cur[i][x - 1], prev[i][x], true);
                    }
                    if (runIndex > 0) {
                        runIndex--;
                    }
                    x++;
                }
            }
            for (int i = 0; i < ns; i++) {
                int o = y * w * components + scanComponents[i];
                int[] l = cur[i];
                for (int k = 1; k <= w; k++, o += components) {
                    out[o] = l[k];
                }
                cur[i] = prev[i];
                prev[i] = l;
            }
            checkTruncation(y);
        }
        return finish();
    }

    // ---- the regular mode (A.3 to A.6) -----------------------------------------------------------------------

    private int quantize(int d) {
        if (d <= -t3) {
            return -4;
        } else if (d <= -t2) {
            return -3;
        } else if (d <= -t1) {
            return -2;
        } else if (d < -near) {
            return -1;
        } else if (d <= near) {
            return 0;
        } else if (d < t1) {
            return 1;
        } else if (d < t2) {
            return 2;
        } else if (d < t3) {
            return 3;
        }
        return 4;
    }

    private int regular(int q1, int q2, int q3, int ra, int rb, int rc) throws PixelDataException {
        int sign = 1;
        if (q1 < 0 || (q1 == 0 && (q2 < 0 || (q2 == 0 && q3 < 0)))) {
            sign = -1;
            q1 = -q1;
            q2 = -q2;
            q3 = -q3;
        }
        int q = (q1 * 9 + q2 + 4) * 9 + q3 + 4;
        // edge-detecting predictor (A.4.1) and bias correction (A.4.2)
        int px;
        int max = Math.max(ra, rb);
        int min = Math.min(ra, rb);
        if (rc >= max) {
            px = min;
        } else if (rc <= min) {
            px = max;
        } else {
            px = ra + rb - rc;
        }
        px += sign * c[q];
        if (px > maxval) {
            px = maxval;
        } else if (px < 0) {
            px = 0;
        }
        int nq = n[q];
        int k = 0;
        while ((nq << k) < a[q]) {
            k++;
        }
        int merr = golomb(k, limit);
        int err;
        if (near == 0 && k == 0 && 2 * b[q] <= -nq) {
            err = (merr & 1) != 0 ? (merr - 1) >> 1 : -(merr >> 1) - 1;
        } else {
            err = (merr & 1) == 0 ? merr >> 1 : -((merr + 1) >> 1);
        }
        update(q, err);
        return reconstruct(px, sign * err);
    }

    /** Context variable update (A.6.1) and bias computation (A.6.2). */
    private void update(int q, int err) {
        int bq = b[q] + err * (2 * near + 1);
        int aq = a[q] + Math.abs(err);
        int nq = n[q];
        if (nq == reset) {
            aq >>= 1;
            bq = bq >= 0 ? bq >> 1 : -((1 - bq) >> 1);
            nq >>= 1;
        }
        nq++;
        if (bq <= -nq) {
            bq += nq;
            if (c[q] > -128) {
                c[q]--;
            }
            if (bq <= -nq) {
                bq = -nq + 1;
            }
        } else if (bq > 0) {
            bq -= nq;
            if (c[q] < 127) {
                c[q]++;
            }
            if (bq > 0) {
                bq = 0;
            }
        }
        a[q] = aq;
        b[q] = bq;
        n[q] = nq;
    }

    /** Rx from the prediction and the signed, quantized error, with the modulo range and clamping (A.4.4). */
    private int reconstruct(int px, int err) {
        int step = 2 * near + 1;
        int rx = px + err * step;
        if (rx < -near) {
            rx += range * step;
        } else if (rx > maxval + near) {
            rx -= range * step;
        }
        return rx < 0 ? 0 : Math.min(rx, maxval);
    }

    // ---- the run mode (A.7) ----------------------------------------------------------------------------------

    /** Decodes a run length (A.7.1) of at most {@code left} samples; equal to {@code left} when the line ends. */
    private int runLength(int left) throws PixelDataException {
        int length = 0;
        while (true) {
            if (bit() == 1) {
                int r = 1 << J[runIndex];
                if (left - length <= r) {
                    if (left - length == r && runIndex < 31) {
                        runIndex++;
                    }
                    return left;
                }
                length += r;
                if (runIndex < 31) {
                    runIndex++;
                }
            } else {
                length += bitsValue(J[runIndex]);
                if (length >= left) {
                    throw new PixelDataException("JPEG-LS run of " + length + " samples goes past the end of the line"
                            + " of " + left + " samples left (corrupt data)");
                }
                return length;
            }
        }
    }

    /** A run interruption sample (A.7.2) for a single-component line; RUNindex decreases after it. */
    private int interruption(int ra, int rb) throws PixelDataException {
        int rx = interruptionComponent(ra, rb, false);
        if (runIndex > 0) {
            runIndex--;
        }
        return rx;
    }

    /**
     * One run interruption sample. In a sample-interleaved scan ({@code pixel}) the run ends at a pixel where at
     * least one component differs, so another component may equal its Ra: every component is then coded as RItype
     * 0 (predicted from Rb), which can code an error of 0, where RItype 1 cannot.
     */
    private int interruptionComponent(int ra, int rb, boolean pixel) throws PixelDataException {
        int riType = !pixel && Math.abs(ra - rb) <= near ? 1 : 0;
        int px = riType == 1 ? ra : rb;
        int sign = riType == 0 && ra > rb ? -1 : 1;
        int q = RUN_CONTEXT + riType;
        int temp = riType == 0 ? a[q] : a[q] + (n[q] >> 1);
        int nq = n[q];
        int k = 0;
        while ((nq << k) < temp) {
            k++;
        }
        int em = golomb(k, limit - J[runIndex] - 1);
        int t = em + riType;
        int map = t & 1;
        int abs = (t + map) >> 1;
        boolean cond = k == 0 && 2 * nn[riType] < nq;
        int err = (map == 1) != cond ? -abs : abs;
        // update (A.7.2.2)
        if (err < 0) {
            nn[riType]++;
        }
        a[q] += (em + 1 - riType) >> 1;
        if (nq == reset) {
            a[q] >>= 1;
            nq >>= 1;
            nn[riType] >>= 1;
        }
        n[q] = nq + 1;
        return reconstruct(px, sign * err);
    }

    // ---- bit input (A.1 and the bit stuffing of 9.1) ---------------------------------------------------------

    /** Starts reading entropy-coded data at {@code p}; the data ends at the next marker (0xFF, then ≥ 0x80). */
    private void start(int p) {
        pos = p;
        int e = p;
        while (e + 1 < data.length && !((data[e] & 0xFF) == 0xFF && (data[e + 1] & 0xFF) >= 0x80
                && (data[e + 1] & 0xFF) != 0xFF)) {
            e++;
        }
        end = e + 1 < data.length ? e : data.length;
        cache = 0;
        count = 0;
        afterFF = false;
        phantomBits = 0;
    }

    private void fill() {
        while (count <= 56) {
            long v;
            int bitsIn;
            if (pos < end) {
                int x = data[pos++] & 0xFF;
                bitsIn = afterFF ? 7 : 8; // after 0xFF the first bit is a stuffed 0
                v = x & (afterFF ? 0x7F : 0xFF);
                afterFF = x == 0xFF;
            } else {
                v = 0;
                bitsIn = 8;
                phantomBits += 8;
            }
            cache |= v << (64 - count - bitsIn);
            count += bitsIn;
        }
    }

    private int bit() {
        if (count == 0) {
            fill();
        }
        int v = (int) (cache >>> 63);
        cache <<= 1;
        count--;
        return v;
    }

    /** Reads {@code k} bits (0 to 31) as an unsigned value. */
    private int bitsValue(int k) {
        if (k == 0) {
            return 0;
        }
        if (count < k) {
            fill();
        }
        int v = (int) (cache >>> (64 - k));
        cache <<= k;
        count -= k;
        return v;
    }

    /** A limited-length Golomb code of order k (A.5.3): the mapped error value. */
    private int golomb(int k, int codeLimit) throws PixelDataException {
        int maxPrefix = codeLimit - qbpp - 1;
        int prefix = 0;
        while (true) {
            if (count < 32) {
                fill();
            }
            if (cache != 0) {
                int z = Long.numberOfLeadingZeros(cache);
                prefix += z;
                cache <<= z + 1;
                count -= z + 1;
                break;
            }
            prefix += count;
            cache = 0;
            count = 0;
            if (prefix > maxPrefix) {
                break;
            }
        }
        if (prefix < maxPrefix) {
            return prefix << k | bitsValue(k);
        }
        if (prefix == maxPrefix) {
            return bitsValue(qbpp) + 1;
        }
        throw new PixelDataException("JPEG-LS code longer than its limit of " + codeLimit + " bits (corrupt data)");
    }

    private void checkTruncation(int y) throws PixelDataException {
        if (phantomBits > count) {
            throw new PixelDataException("JPEG-LS scan data ends in line " + (y + 1) + " of " + rows
                    + " (truncated)");
        }
    }

    /** At a restart interval boundary: the RSTm marker, then fresh context variables (9.3 and A.2.1). */
    private void restart(int interval) throws PixelDataException {
        if (phantomBits > count) {
            throw new PixelDataException("JPEG-LS scan data ends before restart marker " + (interval + 1));
        }
        int m = 0xD0 + (interval & 7);
        if (end + 1 >= data.length || (data[end] & 0xFF) != 0xFF || (data[end + 1] & 0xFF) != m) {
            throw new PixelDataException("JPEG-LS restart marker RST" + (interval & 7) + " is missing");
        }
        start(end + 2);
        resetContexts();
    }

    /** The offset of the marker after the scan. */
    private int finish() {
        return end;
    }
}
