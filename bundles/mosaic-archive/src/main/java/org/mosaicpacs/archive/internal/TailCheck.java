package org.mosaicpacs.archive.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.data.VR;

/**
 * Passes the part of a data set after its parsed header (Pixel Data and what follows) through unchanged,
 * and checks on the way that its top-level elements are complete: each element header whole, each value
 * as long as its header says, encapsulated Pixel Data made of items up to its Sequence Delimitation Item.
 * A stream that ends inside an element fails with an {@link IOException} at its end, so the storage
 * backend never keeps a truncated object. Only the element headers are looked at (a few bytes per
 * element); values are counted, not copied. Nested sequences of undefined length after the header, and
 * deflated data sets, are passed through unchecked.
 *
 * <p>With the {@link Pixels} expected from the header, top-level Pixel Data is checked too: native Pixel
 * Data must be as long as Rows, Columns, Samples per Pixel, Bits Allocated and Number of Frames say (one
 * padding byte allowed), must not come in an encapsulated transfer syntax, and an image of zero Rows or
 * Columns has no pixels; the first fragment of encapsulated Pixel Data must start as its transfer syntax's
 * codestream does (JPEG SOI, JPEG 2000 SOC or JP2 signature, an RLE header of 1 to 15 segments). A failed
 * check is an {@link IOException}, like a truncation.
 */
final class TailCheck extends FilterInputStream {

    private static final long UNDEFINED = 0xFFFFFFFFL;

    private final boolean explicitVR;
    private final boolean bigEndian;
    private final byte[] header = new byte[12];
    private int headerBytes;
    private long skip;
    private boolean inFragments;
    private boolean unchecked;
    private boolean ended;
    private int lastTag;
    private final Pixels pixels;
    private int fragmentItems;
    private final byte[] signature = new byte[4];
    private int signatureBytes;
    private int capture;

    TailCheck(InputStream in, TransferSyntax ts) {
        this(in, ts, Pixels.NONE);
    }

    TailCheck(InputStream in, TransferSyntax ts, Pixels pixels) {
        super(in);
        this.explicitVR = ts.isExplicitVR();
        this.bigEndian = ts.isBigEndian();
        this.unchecked = ts.isDeflated();
        this.pixels = pixels;
    }

    /**
     * What the header says Pixel Data must be.
     *
     * @param encapsulated whether the transfer syntax is an encapsulated one
     * @param nativeLength the length native Pixel Data must have, -1 when the header does not say
     * @param codestream the kind of codestream a first fragment starts with ({@code jpeg}, {@code j2k},
     *                   {@code rle}), null when not checked
     */
    record Pixels(boolean encapsulated, long nativeLength, String codestream) {

        static final Pixels NONE = new Pixels(false, -1, null);

        static Pixels of(Attributes header, TransferSyntax ts) {
            long length = -1;
            int rows = header.getInt(Tag.Rows, -1);
            int columns = header.getInt(Tag.Columns, -1);
            int bits = header.getInt(Tag.BitsAllocated, -1);
            if (rows >= 0 && columns >= 0 && bits > 0) {
                long samples = Math.max(1, header.getInt(Tag.SamplesPerPixel, 1));
                long frames = Math.max(1, header.getInt(Tag.NumberOfFrames, 1));
                String pi = header.getString(Tag.PhotometricInterpretation, "");
                long pixelsPerFrame = (long) rows * columns;
                long bitsPerFrame = pi.endsWith("_422") ? pixelsPerFrame * 2 * bits : pixelsPerFrame * samples * bits;
                length = bits == 1 ? (bitsPerFrame * frames + 7) / 8 : bitsPerFrame / 8 * frames;
            }
            return new Pixels(ts.isEncapsulated(), length, codestream(ts.uid()));
        }

        private static String codestream(String tsuid) {
            switch (tsuid) {
                case "1.2.840.10008.1.2.4.50": case "1.2.840.10008.1.2.4.51": case "1.2.840.10008.1.2.4.57":
                case "1.2.840.10008.1.2.4.70": case "1.2.840.10008.1.2.4.80": case "1.2.840.10008.1.2.4.81":
                    return "jpeg";
                case "1.2.840.10008.1.2.4.90": case "1.2.840.10008.1.2.4.91": case "1.2.840.10008.1.2.4.92":
                case "1.2.840.10008.1.2.4.93": case "1.2.840.10008.1.2.4.201": case "1.2.840.10008.1.2.4.202":
                case "1.2.840.10008.1.2.4.203":
                    return "j2k";
                case "1.2.840.10008.1.2.5":
                    return "rle";
                default:
                    return null;
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            atEnd();
        } else if (!unchecked) {
            observe(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // read, so that every byte is observed
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    private void atEnd() throws IOException {
        if (ended || unchecked) {
            return;
        }
        ended = true;
        if (skip > 0 || headerBytes > 0 || inFragments) {
            throw new IOException("data set truncated in " + Tag.toString(lastTag)
                    + (skip > 0 ? ": " + skip + " bytes missing" : ""));
        }
    }

    private void observe(byte[] b, int off, int n) throws IOException {
        int p = off;
        int end = off + n;
        while (p < end && !unchecked) {
            if (skip > 0) {
                int k = (int) Math.min(skip, end - p);
                if (capture > 0) {
                    int c = Math.min(capture, k);
                    System.arraycopy(b, p, signature, signatureBytes, c);
                    signatureBytes += c;
                    capture -= c;
                    if (capture == 0) {
                        checkSignature();
                    }
                }
                skip -= k;
                p += k;
                continue;
            }
            int need = headerLength();
            int k = Math.min(need - headerBytes, end - p);
            System.arraycopy(b, p, header, headerBytes, k);
            headerBytes += k;
            p += k;
            if (headerBytes == headerLength()) {
                element();
            }
        }
    }

    /** 8 bytes, or 12 once the first 8 show an explicit VR with a 4-byte length. */
    private int headerLength() {
        if (headerBytes < 8 || inFragments || !explicitVR) {
            return 8;
        }
        VR vr = VR.fromCode((header[4] & 0xFF) << 8 | (header[5] & 0xFF));
        return vr != null && vr.hasLongLength() ? 12 : 8;
    }

    private void element() throws IOException {
        boolean be = bigEndian && !inFragments;
        int tag = u16(0, be) << 16 | u16(2, be);
        long length;
        if (inFragments || !explicitVR) {
            length = u32(4, be);
        } else if (headerBytes == 12) {
            length = u32(8, be);
        } else {
            VR vr = VR.fromCode((header[4] & 0xFF) << 8 | (header[5] & 0xFF));
            if (vr == null) {
                throw new IOException("malformed element header after the header: " + Tag.toString(tag));
            }
            length = u16(6, be);
        }
        headerBytes = 0;
        lastTag = tag;
        if (inFragments) {
            if (tag == Tag.SequenceDelimitationItem) {
                inFragments = false;
            } else if (tag != Tag.Item || length == UNDEFINED) {
                throw new IOException("malformed encapsulated Pixel Data: " + Tag.toString(tag));
            } else {
                skip = length;
                // item 1 is the Basic Offset Table, item 2 the first fragment of the first frame
                if (++fragmentItems == 2 && pixels.codestream() != null) {
                    if (length < 4) {
                        throw new IOException("the first Pixel Data fragment has only " + length + " bytes");
                    }
                    capture = 4;
                }
            }
            return;
        }
        if (tag == Tag.PixelData && pixels != Pixels.NONE) {
            checkPixelData(length);
        }
        if (length == UNDEFINED) {
            if (tag == Tag.PixelData) {
                inFragments = true;
            } else {
                unchecked = true; // a nested structure: beyond this check
            }
            return;
        }
        skip = length;
    }

    private void checkPixelData(long length) throws IOException {
        if (pixels.nativeLength() == 0) {
            throw new IOException("Pixel Data in an image of zero Rows or Columns");
        }
        if (length == UNDEFINED) {
            if (!pixels.encapsulated()) {
                throw new IOException("encapsulated Pixel Data in a native transfer syntax");
            }
            return;
        }
        if (pixels.encapsulated()) {
            throw new IOException("native Pixel Data in an encapsulated transfer syntax");
        }
        long expected = pixels.nativeLength();
        if (expected > 0 && length != expected && !(expected % 2 == 1 && length == expected + 1)) {
            throw new IOException("Pixel Data has " + length + " bytes; Rows, Columns, Samples per Pixel, Bits "
                    + "Allocated and Number of Frames make " + expected);
        }
    }

    private void checkSignature() throws IOException {
        int b0 = signature[0] & 0xFF;
        int b1 = signature[1] & 0xFF;
        boolean ok = switch (pixels.codestream()) {
            case "jpeg" -> b0 == 0xFF && b1 == 0xD8;
            case "j2k" -> b0 == 0xFF && b1 == 0x4F
                    || b0 == 0 && b1 == 0 && signature[2] == 0 && (signature[3] & 0xFF) == 0x0C;
            case "rle" -> {
                long segments = (signature[0] & 0xFF) | (signature[1] & 0xFF) << 8 | (signature[2] & 0xFF) << 16
                        | (long) (signature[3] & 0xFF) << 24;
                yield segments >= 1 && segments <= 15;
            }
            default -> true;
        };
        if (!ok) {
            throw new IOException(String.format("the first Pixel Data fragment does not start as a %s codestream "
                    + "(%02X %02X %02X %02X)", pixels.codestream().toUpperCase(java.util.Locale.ROOT), b0, b1,
                    signature[2] & 0xFF, signature[3] & 0xFF));
        }
    }

    private int u16(int i, boolean be) {
        int a = header[i] & 0xFF;
        int b = header[i + 1] & 0xFF;
        return be ? a << 8 | b : b << 8 | a;
    }

    private long u32(int i, boolean be) {
        long hi = be ? u16(i, true) : u16(i + 2, false);
        long lo = be ? u16(i + 2, true) : u16(i, false);
        return hi << 16 | lo;
    }
}
