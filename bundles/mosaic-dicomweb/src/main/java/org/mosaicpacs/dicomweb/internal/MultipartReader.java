package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a multipart body (RFC 2046 5.1) part by part from a stream, holding at most one buffer (64 KiB):
 * a part's content is read through {@link #nextPart()}'s stream as it arrives, never collected.
 * A body that ends before its close delimiter, a part header that is too long or malformed delimiters
 * throw {@link MalformedMultipartException}.
 */
final class MultipartReader {

    /** A multipart body that does not follow RFC 2046. */
    static final class MalformedMultipartException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedMultipartException(String message) {
            super(message);
        }
    }

    /** One part: its headers (names in lower case) and its content, read to the next delimiter. */
    record Part(Map<String, String> headers, InputStream content) {
        String contentType() {
            return headers.get("content-type");
        }
    }

    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    /**
     * Where the delimiter search goes on: no delimiter starts in the buffer before it (or one starts at it). A part
     * read in small pieces would otherwise search the whole buffered rest again for each piece (8 KiB reads went at a
     * quarter of the speed of 64 KiB ones).
     */
    private int searched;
    private boolean finished;
    private PartStream current;

    MultipartReader(InputStream in, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
            throw new IllegalArgumentException("a multipart boundary needs 1 to 200 characters");
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // a CRLF in front of the body, so that a first delimiter at its very start is found like the others
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
        current = new PartStream();
    }

    /**
     * The next part, after the rest of the previous one (or the preamble) is skipped; null after the
     * close delimiter.
     */
    Part nextPart() throws IOException {
        if (finished) {
            return null;
        }
        current.skipAll();
        if (!ensure(2)) {
            throw new MalformedMultipartException("the body ends after a delimiter");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            pos += 2;
            finished = true;
            return null;
        }
        while (ensure(1) && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
        }
        if (!ensure(2) || buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw new MalformedMultipartException("a delimiter is not followed by CRLF");
        }
        pos += 2;
        Map<String, String> headers = readHeaders();
        current = new PartStream();
        return new Part(headers, current);
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        while (true) {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (!ensure(1)) {
                    throw new MalformedMultipartException("the body ends inside the headers of a part");
                }
                byte b = buf[pos++];
                if (++total > MAX_HEADER_BYTES) {
                    throw new MalformedMultipartException("the headers of a part are longer than " + MAX_HEADER_BYTES + " bytes");
                }
                if (b == '\n') {
                    break;
                }
                if (b != '\r') {
                    line.append((char) (b & 0xFF));
                }
            }
            if (line.length() == 0) {
                return headers;
            }
            int colon = line.indexOf(":");
            if (colon <= 0) {
                throw new MalformedMultipartException("malformed part header '" + line + "'");
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
    }

    /** Whether at least {@code n} bytes are buffered (reading more if needed); false at the end of the body. */
    private boolean ensure(int n) throws IOException {
        while (end - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            searched = Math.max(0, searched - pos);
            pos = 0;
        }
        if (end == buf.length) {
            return true;
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    private int indexOfDelimiter() {
        byte first = delimiter[0];
        int last = end - delimiter.length;
        outer:
        for (int i = Math.max(pos, searched); i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            searched = i;
            return i;
        }
        // a delimiter may still start after last, when more bytes come
        searched = Math.max(pos, last + 1);
        return -1;
    }

    /** The content of one part: ends at the next delimiter, which it consumes. */
    private final class PartStream extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                int idx = indexOfDelimiter();
                int available;
                if (idx >= 0) {
                    available = idx - pos;
                    if (available == 0) {
                        pos += delimiter.length;
                        done = true;
                        return -1;
                    }
                } else {
                    available = end - pos - (delimiter.length - 1);
                }
                if (available > 0) {
                    int n = Math.min(len, available);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                int before = end - pos;
                if (!fill() || (end - pos == before && end == buf.length && pos == 0)) {
                    throw new MalformedMultipartException("the body ends before the close delimiter");
                }
            }
        }

        void skipAll() throws IOException {
            byte[] skip = new byte[8192];
            while (read(skip, 0, skip.length) >= 0) {
                // discard
            }
        }

        @Override
        public void close() {
            // the reader owns the stream: the rest of the part is skipped by nextPart()
        }
    }
}
