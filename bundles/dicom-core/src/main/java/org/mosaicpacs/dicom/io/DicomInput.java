package org.mosaicpacs.dicom.io;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/** Buffered input with look-ahead, position tracking, and a guarded switch to inflated input. */
final class DicomInput {

    /** The buffer of a stream read ahead, and of inflated input. */
    private static final int BUFFER = 16384;
    /** The smallest buffer: room for a preamble and a header or two (the look-aheads of the reader). */
    private static final int MIN_BUFFER = 256;

    private InputStream in;
    private byte[] buf;
    private int pos;
    private int lim;
    private long base;
    private boolean eof;
    private Counting compressed;
    private long inflatedStart;
    private DicomReadLimits limits;
    private final boolean seekable;

    /**
     * @param seekable whether {@code in.skip} stops at the end of the stream (file channels); other
     *     streams are skipped by reading
     */
    DicomInput(InputStream in, DicomReadLimits limits, boolean seekable) {
        this.in = in;
        // an array in memory (a C-FIND identifier, an index's attrs blob: a few hundred bytes) gets a buffer
        // that holds all of it, not 16 KiB allocated and zeroed for each data set read
        this.buf = new byte[in instanceof ByteArrayInputStream b
                ? Math.max(MIN_BUFFER, Math.min(BUFFER, b.available())) : BUFFER];
        this.limits = limits;
        this.seekable = seekable;
    }

    void setLimits(DicomReadLimits limits) {
        this.limits = limits;
    }

    long position() {
        return base + pos;
    }

    boolean isInflating() {
        return compressed != null;
    }

    /** Makes up to n (at most the buffer size) bytes available; returns how many are. */
    int peek(int n) throws IOException {
        while (lim - pos < n && !eof) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                base += pos;
                lim -= pos;
                pos = 0;
            }
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
                checkRatio();
            }
        }
        return Math.min(n, lim - pos);
    }

    byte at(int i) {
        return buf[pos + i];
    }

    int u16(int i, boolean be) {
        int a = buf[pos + i] & 0xFF;
        int b = buf[pos + i + 1] & 0xFF;
        return be ? a << 8 | b : b << 8 | a;
    }

    int i32(int i, boolean be) {
        return be ? u16(i, true) << 16 | u16(i + 2, true) : u16(i + 2, false) << 16 | u16(i, false);
    }

    void consume(int n) {
        pos += n;
    }

    /** Reads exactly n bytes or throws a DicomParseException for a truncated stream. */
    void readFully(byte[] b, int off, int n) throws IOException {
        while (n > 0) {
            if (lim - pos == 0 && peek(1) == 0) {
                throw new DicomParseException("unexpected end of stream (truncated value)", position());
            }
            int k = Math.min(n, lim - pos);
            System.arraycopy(buf, pos, b, off, k);
            pos += k;
            off += k;
            n -= k;
        }
    }

    /** Skips exactly n bytes or throws a DicomParseException for a truncated stream. */
    void skip(long n) throws IOException {
        while (n > 0) {
            if (lim - pos == 0) {
                if (seekable && compressed == null && !eof) {
                    long s = in.skip(n);
                    if (s > 0) {
                        base += s;
                        n -= s;
                        continue;
                    }
                }
                if (peek(1) == 0) {
                    throw new DicomParseException("unexpected end of stream (truncated value)", position());
                }
            }
            int k = (int) Math.min(n, lim - pos);
            pos += k;
            n -= k;
        }
    }

    /** Continues with the inflated rest of the stream (raw deflate, or zlib if a zlib header is found). */
    void startInflate() throws IOException {
        boolean zlib = false;
        if (peek(2) == 2) {
            int b0 = at(0) & 0xFF;
            int b1 = at(1) & 0xFF;
            zlib = (b0 & 0x0F) == 8 && (b0 << 8 | b1) % 31 == 0;
        }
        InputStream rest = new SequenceInputStream(new ByteArrayInputStream(buf.clone(), pos, lim - pos), in);
        compressed = new Counting(rest);
        in = new InflaterInputStream(compressed, new Inflater(!zlib), 8192);
        if (buf.length < BUFFER) {
            buf = new byte[BUFFER]; // inflated data may be longer than the array it came from
        }
        base += pos;
        pos = 0;
        lim = 0;
        eof = false;
        inflatedStart = base;
    }

    private void checkRatio() throws DicomParseException {
        if (compressed == null) {
            return;
        }
        long inflated = base + lim - inflatedStart;
        if (inflated > limits.inflateRatioThreshold()
                && inflated > (double) limits.maxInflateRatio() * Math.max(1, compressed.count)) {
            throw new DicomParseException("inflate ratio above " + limits.maxInflateRatio() + ":1 (deflate bomb?)",
                    base + lim);
        }
    }

    void close() throws IOException {
        in.close();
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
