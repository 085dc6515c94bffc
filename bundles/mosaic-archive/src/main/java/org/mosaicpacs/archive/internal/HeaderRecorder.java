package org.mosaicpacs.archive.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Keeps a copy of the bytes the header parser reads from a received stream (the parser reads ahead),
 * so that they can be written to storage once the header has been judged, followed by the rest of the
 * stream, which is never copied. Refuses to keep more than {@code limit} bytes: the caller then spools.
 */
final class HeaderRecorder extends InputStream {

    /** The header is longer than the limit; what was read so far is still recorded. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("header longer than " + limit + " bytes");
        }
    }

    private final InputStream in;
    private final long limit;
    private byte[] recorded = new byte[16 * 1024];
    private int count;

    HeaderRecorder(InputStream in, long limit) {
        this.in = in;
        this.limit = Math.min(limit, Integer.MAX_VALUE - 64 * 1024);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (count > limit) {
            throw new TooLargeException(limit);
        }
        int n = in.read(b, off, len);
        if (n > 0) {
            if (count + n > recorded.length) {
                recorded = Arrays.copyOf(recorded, (int) Math.min(Math.max(count + n, 2L * recorded.length),
                        limit + len));
            }
            System.arraycopy(b, off, recorded, count, n);
            count += n;
        }
        return n;
    }

    /** How many bytes were read from the stream. */
    int count() {
        return count;
    }

    /** The recorded bytes from {@code from} to the last one read. */
    InputStream recorded(int from, int to) {
        return new ByteArrayInputStream(recorded, from, to - from);
    }

    /** Never closes the stream it records: its owner does. */
    @Override
    public void close() {
        // the received stream belongs to the caller of the ingest
    }
}
