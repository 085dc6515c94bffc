package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The streaming multipart reader: parts of any size and content, in any chunking, and broken bodies. */
class MultipartReaderTest {

    private static byte[] body(String boundary, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("preamble to ignore\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] p : parts) {
            out.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(p);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("--" + boundary + "--\r\nepilogue").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Hands out at most {@code chunk} bytes per read, as a network would. */
    private static InputStream chunked(byte[] body, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static List<byte[]> readAll(InputStream in, String boundary) throws IOException {
        return readAll(in, boundary, Integer.MAX_VALUE);
    }

    /** Every part, read in pieces of at most {@code piece} bytes (the reader remembers how far it searched). */
    private static List<byte[]> readAll(InputStream in, String boundary, int piece) throws IOException {
        MultipartReader reader = new MultipartReader(in, boundary);
        List<byte[]> parts = new ArrayList<>();
        MultipartReader.Part p;
        while ((p = reader.nextPart()) != null) {
            java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
            byte[] b = new byte[Math.min(piece, 1 << 20)];
            int n;
            while ((n = p.content().read(b, 0, b.length)) >= 0) {
                content.write(b, 0, n);
            }
            parts.add(content.toByteArray());
        }
        return parts;
    }

    @Test
    void partsOfAnySizeInAnyChunking() throws IOException {
        Random random = new Random(42);
        String boundary = "b0undary-x";
        byte[] small = "hello".getBytes(StandardCharsets.ISO_8859_1);
        byte[] empty = new byte[0];
        byte[] large = new byte[300_000];
        random.nextBytes(large);
        // content that looks almost like a delimiter
        byte[] tricky = ("x\r\n--b0undary-\r\n--b0undar\r\n-" + "\r\n--b0undary").getBytes(StandardCharsets.ISO_8859_1);
        tricky = java.util.Arrays.copyOf(tricky, tricky.length - 1);
        for (int chunk : new int[] {1, 7, 4096, 65536, 1 << 20}) {
            for (int piece : new int[] {1, 5, 8192, Integer.MAX_VALUE}) {
                List<byte[]> parts = readAll(chunked(body(boundary, small, empty, large, tricky), chunk), boundary,
                        piece);
                String what = "chunk " + chunk + ", pieces of " + piece;
                assertEquals(4, parts.size(), what);
                assertArrayEquals(small, parts.get(0), what);
                assertArrayEquals(empty, parts.get(1), what);
                assertArrayEquals(large, parts.get(2), what);
                assertArrayEquals(tricky, parts.get(3), what);
            }
        }
    }

    @Test
    void skipsUnreadPartsAndReadsABodyWithoutPreamble() throws IOException {
        byte[] body = "--b\r\n\r\none\r\n--b\r\nContent-Type: text/plain\r\n\r\ntwo\r\n--b--".getBytes(StandardCharsets.ISO_8859_1);
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), "b");
        assertEquals(null, reader.nextPart().contentType());
        MultipartReader.Part second = reader.nextPart();
        assertEquals("text/plain", second.contentType());
        assertArrayEquals("two".getBytes(StandardCharsets.ISO_8859_1), second.content().readAllBytes());
        assertNull(reader.nextPart());
        assertNull(reader.nextPart());
    }

    @Test
    void brokenBodiesAreMalformed() {
        for (String broken : new String[] {
            "--b\r\n\r\ntruncated content",              // no close delimiter
            "no delimiter at all",
            "--b\r\nHeader without end",                 // headers never end
            "--bXY\r\n\r\nx\r\n--b--",                   // a delimiter followed by junk
        }) {
            assertThrows(MultipartReader.MalformedMultipartException.class,
                    () -> readAll(new ByteArrayInputStream(broken.getBytes(StandardCharsets.ISO_8859_1)), "b"), broken);
        }
        byte[] hugeHeader = ("--b\r\nX: " + "y".repeat(20_000) + "\r\n\r\nx\r\n--b--").getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(MultipartReader.MalformedMultipartException.class, () -> readAll(new ByteArrayInputStream(hugeHeader), "b"));
    }
}
