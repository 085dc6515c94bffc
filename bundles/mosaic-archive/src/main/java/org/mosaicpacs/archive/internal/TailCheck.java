package org.mosaicpacs.archive.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

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

    TailCheck(InputStream in, TransferSyntax ts) {
        super(in);
        this.explicitVR = ts.isExplicitVR();
        this.bigEndian = ts.isBigEndian();
        this.unchecked = ts.isDeflated();
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
            }
            return;
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
