package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.UID;

/**
 * The marker scan that splits one STOW-RS part into frames, on codestreams built here to hold what a naive search
 * for FFD9 would get wrong: an APP segment holding FFD8/FFD9 (an embedded thumbnail), stuffed FF00 and RSTn in
 * JPEG data, FF followed by a byte below 80 in JPEG-LS data, fill bytes before a marker, a JPEG 2000 tile-part
 * skipped by its Psot and a last one of Psot 0; and what must be refused: truncation, a missing SOI/SOC, a JP2 file,
 * more or fewer codestreams than frames. Codestreams of more than the scan buffer (64 KiB) are crossed too.
 */
class CodestreamsTest {

    @TempDir
    Path temp;

    private static byte[] bytes(int... b) {
        byte[] a = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            a[i] = (byte) b[i];
        }
        return a;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A JPEG codestream: SOI, an APP1 holding a whole small JPEG, SOF, SOS, entropy data, EOI. */
    private static byte[] jpeg(byte[] entropy) {
        return concat(bytes(0xFF, 0xD8),
                bytes(0xFF, 0xE1, 0x00, 0x08, 0xFF, 0xD8, 0xFF, 0xD9, 0xFF, 0xD9), // APP1 with SOI, EOI inside
                bytes(0xFF, 0xC0, 0x00, 0x0B, 8, 0, 2, 0, 2, 1, 1, 0x11, 0), // SOF0
                bytes(0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0), // SOS
                entropy,
                bytes(0xFF, 0xFF, 0xD9)); // a fill byte, EOI
    }

    private List<Codestreams.Span> split(byte[] data, Codestreams.Family family, int frames)
            throws IOException, Codestreams.Malformed {
        Path file = Files.write(temp.resolve("part"), concat(new byte[5], data)); // the part 5 bytes into the file
        try (FileChannel ch = FileChannel.open(file)) {
            return Codestreams.split(ch, 5, data.length, family, frames);
        }
    }

    @Test
    void jpegCodestreamsAreFoundByTheirStructureNotByTheFirstFfd9() throws Exception {
        byte[] one = jpeg(bytes(0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0x00)); // stuffed FF, RST0
        byte[] big = new byte[200_000]; // over the scan buffer, with stuffed FFs across its edges
        for (int i = 0; i < big.length; i += 2) {
            big[i] = (byte) (i % 7 == 0 ? 0xFF : i);
            big[i + 1] = big[i] == (byte) 0xFF ? 0 : (byte) 0x11;
        }
        byte[] two = jpeg(big);
        byte[] three = jpeg(bytes(0x01));
        List<Codestreams.Span> spans = split(concat(one, two, bytes(0), three, bytes(0)), Codestreams.Family.JPEG, 3);
        assertEquals(List.of(new Codestreams.Span(5, one.length), new Codestreams.Span(5 + one.length, two.length),
                new Codestreams.Span(5 + one.length + two.length + 1, three.length)), spans);
    }

    @Test
    void jpegLsDataMayHoldFfFollowedByABelow80() throws Exception {
        byte[] ls = concat(bytes(0xFF, 0xD8, 0xFF, 0xF7, 0x00, 0x0B, 8, 0, 2, 0, 2, 1, 1, 0x11, 0),
                bytes(0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0, 0), bytes(0xFF, 0x7F, 0xFF, 0x12, 0x34),
                bytes(0xFF, 0xD9));
        assertEquals(2, split(concat(ls, ls), Codestreams.Family.JPEG, 2).size());
        assertEquals(Codestreams.Family.JPEG, Codestreams.family(UID.JPEGLSNearLossless));
    }

    @Test
    void wrongCountsAndBrokenCodestreamsAreRefusedWithTheirReason() {
        byte[] one = jpeg(bytes(0x12));
        assertTrue(assertThrows(Codestreams.Malformed.class, () -> split(concat(one, one), Codestreams.Family.JPEG, 3))
                .getMessage().contains("holds 2 codestreams, not 3"));
        assertTrue(assertThrows(Codestreams.Malformed.class, () -> split(concat(one, one), Codestreams.Family.JPEG, 1))
                .getMessage().contains("more than 1"));
        assertTrue(assertThrows(Codestreams.Malformed.class, () -> split(
                java.util.Arrays.copyOf(one, one.length - 2), Codestreams.Family.JPEG, 1)).getMessage()
                .contains("codestream 1 ends"));
        assertTrue(assertThrows(Codestreams.Malformed.class, () -> split(concat(one, bytes(1, 2)),
                Codestreams.Family.JPEG, 2)).getMessage().contains("does not start with the JPEG SOI"));
        // a marker segment longer than the part
        assertTrue(assertThrows(Codestreams.Malformed.class, () -> split(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0x7F, 0xFF),
                Codestreams.Family.JPEG, 1)).getMessage().contains("ends inside a marker segment"));
        // a JP2 file (boxes), not a codestream
        assertTrue(assertThrows(Codestreams.Malformed.class, () -> split(bytes(0, 0, 0, 0x0C, 'j', 'P', ' ', ' '),
                Codestreams.Family.JPEG_2000, 1)).getMessage().contains("JP2 file"));
    }

    /** A JPEG 2000 codestream: SOC, SIZ, two tile-parts (the first skipped by its Psot, the last of Psot 0), EOC. */
    private static byte[] j2k(boolean lastPsotZero) {
        byte[] siz = concat(bytes(0xFF, 0x51, 0x00, 0x06), bytes(0, 0, 0, 0));
        // tile-part 1: SOT (Psot = 12 + 2 + 6 = 20), SOD, packet data holding FF D9 (skipped by Psot)
        byte[] tp1 = concat(bytes(0xFF, 0x90, 0x00, 0x0A, 0, 0, 0, 0, 0, 20, 0, 2), bytes(0xFF, 0x93),
                bytes(0xFF, 0xD9, 0xFF, 0xD9, 0x01, 0x02));
        byte[] tp2 = concat(bytes(0xFF, 0x90, 0x00, 0x0A, 0, 0, 0, 0, 0, lastPsotZero ? 0 : 17, 1, 2),
                bytes(0xFF, 0x93), bytes(0x12, 0x34, 0xFF));
        return concat(bytes(0xFF, 0x4F), siz, tp1, tp2, bytes(0xFF, 0xD9));
    }

    @Test
    void jpeg2000TilePartsAreSkippedByTheirLength() throws Exception {
        byte[] a = j2k(false);
        byte[] b = j2k(true);
        assertEquals(List.of(new Codestreams.Span(5, a.length), new Codestreams.Span(5 + a.length, b.length)),
                split(concat(a, b), Codestreams.Family.JPEG_2000, 2));
        assertEquals(Codestreams.Family.JPEG_2000, Codestreams.family(UID.HTJ2KLossless));
        assertNull(Codestreams.family(UID.RLELossless));
        assertNull(Codestreams.family(UID.JPEGXL));
        assertNull(Codestreams.family(UID.MPEG2MPML));
    }
}
