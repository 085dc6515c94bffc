package org.mosaicpacs.dicom.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A value kept outside the data set: a resource (URI, usually a file) plus the offset and length of
 * the value bytes in it. Nothing is read until {@link #openStream()} or {@link #toBytes()} is called.
 * Immutable.
 */
public final class BulkData {

    private final URI uri;
    private final long offset;
    private final long length;
    private final boolean bigEndian;

    /**
     * Creates a reference.
     *
     * @param uri the resource; {@code file:} URIs are read with random access, others from the start
     * @param offset position of the first value byte
     * @param length number of value bytes
     * @param bigEndian the byte order of the referenced bytes
     */
    public BulkData(URI uri, long offset, long length, boolean bigEndian) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        this.uri = Objects.requireNonNull(uri, "uri");
        this.offset = offset;
        this.length = length;
        this.bigEndian = bigEndian;
    }

    /** Creates a reference to a part of a file. */
    public static BulkData ofFile(Path file, long offset, long length, boolean bigEndian) {
        return new BulkData(file.toAbsolutePath().toUri(), offset, length, bigEndian);
    }

    /** Returns the resource. */
    public URI uri() {
        return uri;
    }

    /** Returns the file of a {@code file:} URI, or null. */
    public Path path() {
        return "file".equalsIgnoreCase(uri.getScheme()) ? Paths.get(uri) : null;
    }

    /** Returns the position of the first value byte. */
    public long offset() {
        return offset;
    }

    /** Returns the number of value bytes. */
    public long length() {
        return length;
    }

    /** Returns whether the referenced bytes are big endian. */
    public boolean bigEndian() {
        return bigEndian;
    }

    /** Opens a stream of exactly the value bytes (fewer if the resource is shorter). */
    public InputStream openStream() throws IOException {
        Path p = path();
        InputStream in;
        if (p != null) {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
            ch.position(offset);
            in = Channels.newInputStream(ch);
        } else {
            in = uri.toURL().openStream();
            in.skipNBytes(offset);
        }
        return new Limited(in, length);
    }

    /**
     * Reads the value bytes.
     *
     * @throws IOException if the resource is unreadable, shorter than the reference, or the value is
     *     longer than a Java array
     */
    public byte[] toBytes() throws IOException {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("bulk data too long for an array: " + length);
        }
        try (InputStream in = openStream()) {
            byte[] b = in.readNBytes((int) length);
            if (b.length != length) {
                throw new IOException("bulk data truncated: " + b.length + " of " + length + " bytes in " + uri);
            }
            return b;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BulkData)) {
            return false;
        }
        BulkData b = (BulkData) o;
        return uri.equals(b.uri) && offset == b.offset && length == b.length && bigEndian == b.bigEndian;
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, offset, length, bigEndian);
    }

    @Override
    public String toString() {
        return uri + "?offset=" + offset + "&length=" + length;
    }

    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long left) {
            super(in);
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
