package org.mosaicpacs.dicom.image.internal;

import org.mosaicpacs.dicom.image.PixelDataException;

/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header (number of segments, up to 15 segment offsets, little endian),
 * then one PackBits-coded segment per byte plane, most significant byte of each sample first.
 */
public final class RleDecoder {

    private RleDecoder() {
    }

    /**
     * Decodes one frame to its byte planes.
     *
     * @param data the compressed frame (all of its fragments)
     * @param segments the number of segments expected (samples per pixel × bytes per sample)
     * @param pixels the number of pixels in the frame (bytes per segment)
     * @return {@code segments} planes of {@code pixels} bytes each
     * @throws PixelDataException for a header that does not fit, or a segment that is too short or overruns
     */
    public static byte[][] decode(byte[] data, int segments, int pixels) throws PixelDataException {
        if (data.length < 64) {
            throw new PixelDataException("RLE frame of " + data.length + " bytes is shorter than its 64-byte header");
        }
        int n = le32(data, 0);
        if (n != segments) {
            throw new PixelDataException("RLE header declares " + Integer.toUnsignedString(n) + " segments, the image needs "
                    + segments);
        }
        long[] offsets = new long[n + 1];
        for (int i = 0; i < n; i++) {
            offsets[i] = Integer.toUnsignedLong(le32(data, 4 + 4 * i));
            if (offsets[i] < 64 || offsets[i] > data.length || (i > 0 && offsets[i] < offsets[i - 1])) {
                throw new PixelDataException("RLE segment " + (i + 1) + " offset " + offsets[i]
                        + " is outside the frame of " + data.length + " bytes");
            }
        }
        offsets[n] = data.length;
        byte[][] planes = new byte[n][pixels];
        for (int i = 0; i < n; i++) {
            unpack(data, (int) offsets[i], (int) offsets[i + 1], planes[i], i + 1);
        }
        return planes;
    }

    private static void unpack(byte[] in, int pos, int end, byte[] out, int segment) throws PixelDataException {
        int o = 0;
        while (o < out.length) {
            if (pos >= end) {
                throw new PixelDataException("RLE segment " + segment + " ends after " + o + " of " + out.length
                        + " bytes");
            }
            int h = in[pos++];
            if (h >= 0) {
                int count = h + 1;
                if (pos + count > end) {
                    throw new PixelDataException("RLE segment " + segment + " literal run goes past the segment");
                }
                int copy = Math.min(count, out.length - o);
                System.arraycopy(in, pos, out, o, copy);
                pos += count;
                o += copy;
            } else if (h != -128) {
                int count = 1 - h;
                if (pos >= end) {
                    throw new PixelDataException("RLE segment " + segment + " replicate run has no byte");
                }
                byte b = in[pos++];
                int fill = Math.min(count, out.length - o);
                for (int k = 0; k < fill; k++) {
                    out[o++] = b;
                }
            }
        }
    }

    private static int le32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
