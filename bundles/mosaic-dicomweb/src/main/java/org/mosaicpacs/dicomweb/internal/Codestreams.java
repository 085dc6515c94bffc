package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds where each codestream ends in a span of a file that holds several of them back to back: the compressed
 * frames of a multi-frame image sent to STOW-RS in one bulk data part. Only the marker structure is read, never the
 * image: JPEG (ITU-T T.81) and JPEG-LS (T.87) from SOI (FFD8) to EOI (FFD9), their marker segments skipped by their
 * lengths and their entropy-coded segments scanned for the next marker; JPEG 2000 and HTJ2K (T.800, T.814)
 * codestreams from SOC (FF4F) to EOC (FFD9), main header segments skipped by their lengths and tile-parts by their
 * Psot. Zero bytes between and after codestreams (the padding of an odd DICOM fragment) belong to none. The file is
 * read through one bounded buffer: a frame is never held whole in memory.
 */
final class Codestreams {

    /** The codestream syntaxes whose frames can be told apart by their markers. */
    enum Family {
        /** JPEG (T.81) and JPEG-LS (T.87): the same marker syntax. */
        JPEG,
        /** JPEG 2000 Part 1 and High-Throughput JPEG 2000 codestreams (not the JP2 file format). */
        JPEG_2000
    }

    /** Where one codestream lies in the file. */
    record Span(long offset, long length) {
    }

    /** A span that is not what it must be, with the reason in words. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private static final int BUFFER = 64 * 1024;

    private Codestreams() {
    }

    /** The family of an encapsulated transfer syntax whose frames are codestreams with markers, or null. */
    static Family family(String transferSyntax) {
        String prefix = "1.2.840.10008.1.2.4.";
        if (transferSyntax == null || !transferSyntax.startsWith(prefix)
                || !transferSyntax.substring(prefix.length()).matches("[0-9]{2,3}")) {
            return null;
        }
        int process = Integer.parseInt(transferSyntax.substring(prefix.length()));
        if (process >= 50 && process <= 81) {
            return Family.JPEG; // the JPEG processes (.50 to .70, some retired) and JPEG-LS (.80, .81)
        }
        if ((process >= 90 && process <= 93) || (process >= 201 && process <= 203)) {
            return Family.JPEG_2000;
        }
        return null;
    }

    /**
     * Splits {@code length} bytes from {@code offset} of {@code file} into codestreams.
     *
     * @param expected how many there must be (Number of Frames): more is refused as soon as it is seen
     * @throws Malformed if the span does not hold exactly {@code expected} codestreams of the family, back to back
     */
    static List<Span> split(FileChannel file, long offset, long length, Family family, int expected)
            throws IOException, Malformed {
        Reader in = new Reader(file, offset, offset + length);
        List<Span> spans = new ArrayList<>();
        while (true) {
            while (in.pos < in.end && in.peek() == 0) {
                in.pos++; // padding
            }
            if (in.pos >= in.end) {
                break;
            }
            if (spans.size() == expected) {
                throw new Malformed("the part holds more than " + expected + " codestreams (byte " + (in.pos - offset)
                        + " starts another)");
            }
            long start = in.pos;
            if (family == Family.JPEG) {
                jpeg(in, spans.size() + 1, offset);
            } else {
                jpeg2000(in, spans.size() + 1, offset);
            }
            spans.add(new Span(start, in.pos - start));
        }
        if (spans.size() != expected) {
            throw new Malformed("the part holds " + spans.size() + " codestream" + (spans.size() == 1 ? "" : "s")
                    + ", not " + expected);
        }
        return spans;
    }

    /** Reads one JPEG or JPEG-LS codestream from SOI through EOI. */
    private static void jpeg(Reader in, int number, long base) throws IOException, Malformed {
        if (in.u16(number) != 0xFFD8) {
            throw new Malformed("codestream " + number + " (byte " + (in.pos - 2 - base)
                    + ") does not start with the JPEG SOI marker FFD8");
        }
        while (true) {
            if (in.u8(number) != 0xFF) {
                throw new Malformed("codestream " + number + " has no marker where one must be (byte "
                        + (in.pos - 1 - base) + ")");
            }
            int marker = in.u8(number);
            while (marker == 0xFF) {
                marker = in.u8(number); // fill bytes
            }
            if (marker == 0xD9) {
                return; // EOI
            }
            if (marker == 0xD8) {
                throw new Malformed("codestream " + number + " has a second SOI before its EOI (byte "
                        + (in.pos - 2 - base) + ")");
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // TEM, RSTn: no length
            }
            int segment = in.u16(number);
            if (segment < 2) {
                throw new Malformed("codestream " + number + " has a marker segment of length " + segment);
            }
            in.skip(segment - 2, number);
            if (marker == 0xDA) {
                entropyCoded(in, number);
            }
        }
    }

    /**
     * Skips an entropy-coded segment up to the next marker other than RSTn: in T.81 data an FF is followed by a
     * stuffed 00, in T.87 data by a byte whose high bit is 0, so FF followed by 80..FF (fill bytes aside) is a
     * marker. Leaves the reader on that marker's FF.
     */
    private static void entropyCoded(Reader in, int number) throws IOException, Malformed {
        while (true) {
            if (!in.findFF()) {
                throw new Malformed("codestream " + number + " ends inside its compressed data (no EOI)");
            }
            long ff = in.pos;
            in.pos++;
            int next = in.u8(number);
            while (next == 0xFF) {
                ff = in.pos - 1;
                next = in.u8(number);
            }
            if (next >= 0x80 && !(next >= 0xD0 && next <= 0xD7)) {
                in.pos = ff;
                return;
            }
        }
    }

    /** Reads one JPEG 2000 codestream from SOC through EOC. */
    private static void jpeg2000(Reader in, int number, long base) throws IOException, Malformed {
        if (in.u16(number) != 0xFF4F) {
            throw new Malformed("codestream " + number + " (byte " + (in.pos - 2 - base) + ") does not start with "
                    + "the JPEG 2000 SOC marker FF4F (a JP2 file is not a codestream)");
        }
        while (true) {
            long at = in.pos;
            int marker = in.u16(number);
            if ((marker >>> 8) != 0xFF) {
                throw new Malformed("codestream " + number + " has no marker where one must be (byte " + (at - base)
                        + ")");
            }
            if (marker == 0xFFD9) {
                return; // EOC
            }
            if (marker >= 0xFF30 && marker <= 0xFF3F) {
                continue; // reserved markers without a segment
            }
            int segment = in.u16(number);
            if (segment < 2) {
                throw new Malformed("codestream " + number + " has a marker segment of length " + segment);
            }
            if (marker == 0xFF90) { // SOT: Isot, Psot (the tile-part's length from its SOT), TPsot, TNsot
                in.u16(number);
                long psot = ((long) in.u16(number) << 16) | in.u16(number);
                if (psot == 0) {
                    // the last tile-part runs to EOC; packet data never holds FF followed by 90 or more
                    if (!in.skipPastEoc()) {
                        throw new Malformed("codestream " + number + " ends without EOC");
                    }
                    return;
                }
                if (psot < 12) {
                    throw new Malformed("codestream " + number + " has a tile-part of length " + psot);
                }
                in.pos = at;
                in.skip(psot, number);
            } else {
                in.skip(segment - 2, number);
            }
        }
    }

    /** Random access to a span of a file through one buffer. */
    private static final class Reader {
        private final FileChannel file;
        private final long end;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        private long bufferStart;
        private int bufferLength;
        private long pos;

        Reader(FileChannel file, long start, long end) {
            this.file = file;
            this.pos = start;
            this.end = end;
        }

        /** The byte at pos (which is before end). */
        int peek() throws IOException {
            if (pos < bufferStart || pos >= bufferStart + bufferLength) {
                fill();
            }
            return buffer.get((int) (pos - bufferStart)) & 0xFF;
        }

        private void fill() throws IOException {
            buffer.clear();
            buffer.limit((int) Math.min(BUFFER, end - pos));
            bufferStart = pos;
            while (buffer.hasRemaining()) {
                if (file.read(buffer, bufferStart + buffer.position()) < 0) {
                    throw new IOException("the spool file is shorter than its parts");
                }
            }
            bufferLength = buffer.position();
        }

        int u8(int number) throws IOException, Malformed {
            if (pos >= end) {
                throw new Malformed("codestream " + number + " ends before its end marker");
            }
            int b = peek();
            pos++;
            return b;
        }

        int u16(int number) throws IOException, Malformed {
            return (u8(number) << 8) | u8(number);
        }

        void skip(long n, int number) throws Malformed {
            if (n > end - pos) {
                throw new Malformed("codestream " + number + " ends inside a marker segment or tile-part");
            }
            pos += n;
        }

        /** Moves pos to the next FF byte; false (pos at end) when there is none. */
        boolean findFF() throws IOException {
            while (pos < end) {
                if (pos < bufferStart || pos >= bufferStart + bufferLength) {
                    fill();
                }
                byte[] a = buffer.array();
                int from = (int) (pos - bufferStart);
                for (int i = from; i < bufferLength; i++) {
                    if (a[i] == (byte) 0xFF) {
                        pos = bufferStart + i;
                        return true;
                    }
                }
                pos = bufferStart + bufferLength;
            }
            return false;
        }

        /** Moves pos past the next FF D9; false when there is none. */
        boolean skipPastEoc() throws IOException {
            while (findFF()) {
                pos++;
                if (pos < end && peek() == 0xD9) {
                    pos++;
                    return true;
                }
            }
            return false;
        }
    }
}
