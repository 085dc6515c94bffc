package org.mosaicpacs.dicom.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.image.internal.J2kDecoder;
import org.mosaicpacs.dicom.image.internal.JpegDecoder;
import org.mosaicpacs.dicom.image.internal.JpegLsDecoder;
import org.mosaicpacs.dicom.image.internal.RleDecoder;

/**
 * Decodes frames of Pixel Data (7FE0,0010) to {@link FrameRaster}s: native data of every supported
 * Photometric Interpretation and Planar Configuration, RLE Lossless, JPEG baseline (process 1), extended
 * (process 2 and 4, 8- and 12-bit) and lossless (process 14, also selection value 1), JPEG-LS lossless and
 * near-lossless (our own decoder), and JPEG 2000 Part 1 (lossless and lossy; YBR_RCT and YBR_ICT decode to RGB).
 * Other syntaxes (JPEG 2000 Part 2 multi-component, video) are refused with an
 * {@link UnsupportedTransferSyntaxException}. Thread-safe; one instance can serve every request.
 */
public final class PixelDataDecoder {

    /** Default largest frame, in samples (rows × columns × samples per pixel): 16 Mi (64 MiB of raster). */
    public static final long DEFAULT_MAX_FRAME_SAMPLES = 16L << 20;

    private static final Set<String> JPEG = Set.of(UID.JPEGBaseline8Bit, UID.JPEGExtended12Bit, UID.JPEGLossless,
            UID.JPEGLosslessSV1);

    private static final Set<String> JPEG_LS = Set.of(UID.JPEGLSLossless, UID.JPEGLSNearLossless);
    private static final Set<String> JPEG_2000 = Set.of(UID.JPEG2000Lossless, UID.JPEG2000);

    private final long maxFrameSamples;

    /** Creates a decoder with {@link #DEFAULT_MAX_FRAME_SAMPLES}. */
    public PixelDataDecoder() {
        this(DEFAULT_MAX_FRAME_SAMPLES);
    }

    /** Creates a decoder that refuses frames of more than {@code maxFrameSamples} samples. */
    public PixelDataDecoder(long maxFrameSamples) {
        this.maxFrameSamples = maxFrameSamples;
    }

    /** Returns whether frames of this transfer syntax can be decoded. */
    public static boolean canDecode(String transferSyntaxUID) {
        TransferSyntax ts = TransferSyntax.of(transferSyntaxUID);
        return !ts.isEncapsulated() || JPEG.contains(transferSyntaxUID) || UID.RLELossless.equals(transferSyntaxUID)
                || JPEG_LS.contains(transferSyntaxUID) || JPEG_2000.contains(transferSyntaxUID);
    }

    /**
     * Decodes one frame.
     *
     * @param ds the data set, with its Pixel Data
     * @param transferSyntaxUID the transfer syntax the data set was read in
     * @param frame the frame index, 0-based
     * @throws PixelDataException when the data cannot be decoded (with the reason)
     */
    public FrameRaster decode(Attributes ds, String transferSyntaxUID, int frame) throws PixelDataException {
        ImageDescriptor d = ImageDescriptor.of(ds);
        checkFrame(d, frame);
        if (d.samplesPerFrame() > maxFrameSamples) {
            throw new PixelDataException("frame of " + d.columns() + "×" + d.rows() + "×" + d.samplesPerPixel()
                    + " samples is beyond the limit of " + maxFrameSamples);
        }
        TransferSyntax ts = TransferSyntax.of(transferSyntaxUID);
        if (!ts.isEncapsulated()) {
            return decodeNative(ds, d, frame);
        }
        if (!canDecode(transferSyntaxUID)) {
            throw unsupported(transferSyntaxUID);
        }
        byte[] data = compressedFrame(ds, d, frame);
        int[] out = new int[(int) d.samplesPerFrame()];
        String pi = d.photometricInterpretation();
        if (UID.RLELossless.equals(transferSyntaxUID)) {
            int bytes = d.bitsAllocated() / 8;
            int pixels = d.rows() * d.columns();
            byte[][] planes = RleDecoder.decode(data, d.samplesPerPixel() * bytes, pixels);
            int shift = d.highBit() + 1 - d.bitsStored();
            for (int s = 0; s < d.samplesPerPixel(); s++) {
                for (int p = 0; p < pixels; p++) {
                    long v = 0;
                    for (int b = 0; b < bytes; b++) {
                        v = v << 8 | (planes[s * bytes + b][p] & 0xFF);
                    }
                    out[p * d.samplesPerPixel() + s] = bits(v, shift, d.bitsStored(), d.signed());
                }
            }
            if (pi.equals("YBR_FULL_422")) {
                pi = "YBR_FULL";
            }
        } else if (JPEG_LS.contains(transferSyntaxUID)) {
            JpegLsDecoder.decode(data, d.columns(), d.rows(), d.samplesPerPixel(), out);
            for (int i = 0; i < out.length; i++) {
                out[i] = bits(out[i], 0, d.bitsStored(), d.signed());
            }
        } else if (JPEG_2000.contains(transferSyntaxUID)) {
            J2kDecoder.decode(data, d.columns(), d.rows(), d.samplesPerPixel(), d.bitsStored(), d.signed(), out);
            if (pi.equals("YBR_RCT") || pi.equals("YBR_ICT")) {
                pi = "RGB"; // the JPEG 2000 decoder applied the inverse component transform
            }
        } else {
            JpegDecoder.decode(data, d.columns(), d.rows(), d.samplesPerPixel(), out);
            for (int i = 0; i < out.length; i++) {
                out[i] = bits(Integer.toUnsignedLong(out[i]), 0, d.bitsStored(), d.signed());
            }
            if (pi.equals("YBR_FULL_422") || pi.equals("YBR_PARTIAL_420")) {
                pi = "YBR_FULL"; // the JPEG decoder upsampled the chrominance
            }
        }
        return new FrameRaster(d.columns(), d.rows(), d.samplesPerPixel(), pi, d.bitsStored(), d.signed(), out);
    }

    /**
     * Returns one frame of encapsulated pixel data as stored (all of its fragments joined), e.g. a JPEG stream,
     * for WADO-RS frame retrieval in the stored media type.
     *
     * @throws PixelDataException when the data set holds no encapsulated pixel data or the frame cannot be found
     */
    public static byte[] compressedFrame(Attributes ds, int frame) throws PixelDataException {
        ImageDescriptor d = ImageDescriptor.of(ds);
        checkFrame(d, frame);
        return compressedFrame(ds, d, frame);
    }

    private static void checkFrame(ImageDescriptor d, int frame) throws PixelDataException {
        if (frame < 0 || frame >= d.numberOfFrames()) {
            throw new PixelDataException("frame " + (frame + 1) + " does not exist: the image has "
                    + d.numberOfFrames() + " frame(s)");
        }
    }

    static UnsupportedTransferSyntaxException unsupported(String ts) {
        return new UnsupportedTransferSyntaxException(ts, "pixel data in transfer syntax " + ts
                + " cannot be decoded here (supported: native, RLE Lossless, JPEG baseline, extended 8/12-bit and"
                + " lossless, JPEG-LS lossless and near-lossless, JPEG 2000 Part 1 lossless and lossy)");
    }

    private FrameRaster decodeNative(Attributes ds, ImageDescriptor d, int frame) throws PixelDataException {
        byte[] pixelData;
        try {
            pixelData = ds.getBytes(Tag.PixelData, false);
        } catch (UncheckedIOException e) {
            throw new PixelDataException("Pixel Data cannot be read: " + e.getCause().getMessage(), e);
        }
        if (pixelData == null) {
            throw new PixelDataException(ds.getFragments(Tag.PixelData) != null
                    ? "Pixel Data is encapsulated but the transfer syntax is native"
                    : "the data set has no Pixel Data");
        }
        long frameLength = d.nativeFrameLength();
        long start = frameLength * frame;
        if (start + frameLength > pixelData.length) {
            throw new PixelDataException("Pixel Data is truncated: frame " + (frame + 1) + " needs bytes " + start + " to "
                    + (start + frameLength) + ", there are " + pixelData.length);
        }
        int pixels = d.rows() * d.columns();
        int spp = d.samplesPerPixel();
        int[] out = new int[pixels * spp];
        int bytes = d.bitsAllocated() / 8;
        int shift = d.highBit() + 1 - d.bitsStored();
        int off = (int) start;
        String pi = d.photometricInterpretation();
        if (pi.equals("YBR_FULL_422")) {
            if (bytes != 1) {
                throw new PixelDataException("native YBR_FULL_422 is only supported with 8 bits allocated");
            }
            // pairs of pixels as Y1 Y2 Cb Cr
            for (int p = 0; p + 1 < pixels; p += 2) {
                int q = off + p * 2;
                int cb = pixelData[q + 2] & 0xFF;
                int cr = pixelData[q + 3] & 0xFF;
                out[p * 3] = pixelData[q] & 0xFF;
                out[p * 3 + 1] = cb;
                out[p * 3 + 2] = cr;
                out[p * 3 + 3] = pixelData[q + 1] & 0xFF;
                out[p * 3 + 4] = cb;
                out[p * 3 + 5] = cr;
            }
            return new FrameRaster(d.columns(), d.rows(), 3, "YBR_FULL", d.bitsStored(), false, out);
        }
        boolean planar = spp > 1 && d.planarConfiguration() == 1;
        for (int p = 0; p < pixels; p++) {
            for (int s = 0; s < spp; s++) {
                int index = planar ? s * pixels + p : p * spp + s;
                int q = off + index * bytes;
                long v;
                switch (bytes) {
                    case 1 -> v = pixelData[q] & 0xFF;
                    case 2 -> v = (pixelData[q] & 0xFF) | (pixelData[q + 1] & 0xFF) << 8;
                    default -> v = Integer.toUnsignedLong((pixelData[q] & 0xFF) | (pixelData[q + 1] & 0xFF) << 8
                            | (pixelData[q + 2] & 0xFF) << 16 | (pixelData[q + 3] & 0xFF) << 24);
                }
                out[p * spp + s] = bits(v, shift, d.bitsStored(), d.signed());
            }
        }
        return new FrameRaster(d.columns(), d.rows(), spp, pi, d.bitsStored(), d.signed(), out);
    }

    private static int bits(long raw, int shift, int bitsStored, boolean signed) {
        long v = (raw >>> shift) & ((1L << bitsStored) - 1);
        if (signed && (v & (1L << (bitsStored - 1))) != 0) {
            v -= 1L << bitsStored;
        }
        return (int) v;
    }

    // ---- encapsulated frames (PS3.5 A.4) -------------------------------------------------------------------

    private static byte[] compressedFrame(Attributes ds, ImageDescriptor d, int frame) throws PixelDataException {
        Fragments fragments = ds.getFragments(Tag.PixelData);
        if (fragments == null) {
            throw new PixelDataException("Pixel Data is not encapsulated");
        }
        int count = fragments.size() - 1; // the first item is the Basic Offset Table
        if (count < 1) {
            throw new PixelDataException("encapsulated Pixel Data has no fragments");
        }
        int frames = d.numberOfFrames();
        if (frames == 1) {
            return join(fragments, 1, fragments.size());
        }
        long[] offsets = offsets(ds, fragments, frames);
        if (offsets != null) {
            // offsets count from the first byte of the first fragment's item header; each item has an 8-byte header
            long position = 0;
            int first = -1;
            int end = fragments.size();
            for (int i = 1; i < fragments.size(); i++) {
                if (position == offsets[frame]) {
                    first = i;
                }
                if (frame + 1 < frames && position == offsets[frame + 1]) {
                    end = i;
                    break;
                }
                position += 8 + fragments.lengthOf(i);
            }
            if (first < 0 || end <= first) {
                throw new PixelDataException("the offset table points frame " + (frame + 1)
                        + " at no fragment boundary");
            }
            return join(fragments, first, end);
        }
        if (count == frames) {
            return join(fragments, frame + 1, frame + 2);
        }
        // No offset table and more fragments than frames: a JPEG frame begins with an SOI marker.
        int seen = -1;
        int first = -1;
        for (int i = 1; i < fragments.size(); i++) {
            byte[] head = head(fragments.get(i));
            if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
                seen++;
                if (seen == frame) {
                    first = i;
                } else if (seen == frame + 1) {
                    return join(fragments, first, i);
                }
            }
        }
        if (first > 0 && seen == frame) {
            return join(fragments, first, fragments.size());
        }
        throw new PixelDataException("cannot tell which of " + count + " fragments hold frame " + (frame + 1) + " of "
                + frames + ": no offset table and no frame start markers");
    }

    private static long[] offsets(Attributes ds, Fragments fragments, int frames) throws PixelDataException {
        byte[] eot = ds.getBytes(Tag.ExtendedOffsetTable, false);
        if (eot != null && eot.length > 0) {
            if (eot.length != 8L * frames) {
                throw new PixelDataException("Extended Offset Table has " + eot.length / 8 + " entries for " + frames
                        + " frames");
            }
            long[] o = new long[frames];
            for (int i = 0; i < frames; i++) {
                long v = 0;
                for (int b = 7; b >= 0; b--) {
                    v = v << 8 | (eot[i * 8 + b] & 0xFF);
                }
                o[i] = v;
            }
            return o;
        }
        byte[] bot = bytes(fragments.get(0));
        if (bot.length == 0) {
            return null;
        }
        if (bot.length != 4L * frames) {
            throw new PixelDataException("Basic Offset Table has " + bot.length / 4 + " entries for " + frames
                    + " frames");
        }
        long[] o = new long[frames];
        for (int i = 0; i < frames; i++) {
            o[i] = Integer.toUnsignedLong((bot[i * 4] & 0xFF) | (bot[i * 4 + 1] & 0xFF) << 8
                    | (bot[i * 4 + 2] & 0xFF) << 16 | (bot[i * 4 + 3] & 0xFF) << 24);
        }
        return o;
    }

    private static byte[] join(Fragments fragments, int from, int to) throws PixelDataException {
        if (to - from == 1) {
            return bytes(fragments.get(from));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            out.writeBytes(bytes(fragments.get(i)));
        }
        return out.toByteArray();
    }

    private static byte[] head(Object fragment) throws PixelDataException {
        if (fragment instanceof byte[] b) {
            return b;
        }
        BulkData bd = (BulkData) fragment;
        try (var in = bd.openStream()) {
            return in.readNBytes(3);
        } catch (IOException e) {
            throw new PixelDataException("a fragment cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(Object fragment) throws PixelDataException {
        if (fragment instanceof byte[] b) {
            return b;
        }
        try {
            return ((BulkData) fragment).toBytes();
        } catch (IOException e) {
            throw new PixelDataException("a fragment cannot be read: " + e.getMessage(), e);
        }
    }
}
