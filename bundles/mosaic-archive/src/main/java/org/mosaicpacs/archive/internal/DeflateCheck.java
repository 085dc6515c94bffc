package org.mosaicpacs.archive.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Passes a Part 10 object in Deflated Explicit VR Little Endian through unchanged and inflates its data set
 * on the way (output discarded), so that a deflate stream that is cut short or corrupt fails with an
 * {@link IOException} at its end and the storage backend keeps nothing: the stored bytes stay the received
 * ones. The file meta information (the first {@code fmiLength} bytes) is not deflated and is not inflated.
 */
final class DeflateCheck extends FilterInputStream {

    private final Inflater inflater = new Inflater(true);
    private final byte[] scratch = new byte[16 * 1024];
    private long before;
    private boolean ended;

    DeflateCheck(InputStream in, long fmiLength) {
        super(in);
        this.before = fmiLength;
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
            return n;
        }
        int skip = (int) Math.min(before, n);
        before -= skip;
        if (n > skip && !inflater.finished()) {
            inflater.setInput(b, off + skip, n - skip);
            try {
                while (!inflater.needsInput() && !inflater.finished()) {
                    if (inflater.inflate(scratch) == 0 && inflater.needsDictionary()) {
                        throw new IOException("deflated data set needs a preset dictionary");
                    }
                }
            } catch (DataFormatException e) {
                throw new IOException("deflated data set is corrupt: " + e.getMessage());
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    private void atEnd() throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        boolean complete = inflater.finished();
        inflater.end();
        if (!complete) {
            throw new IOException("deflated data set truncated: its deflate stream does not end");
        }
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        super.close();
    }
}
