package org.mosaicpacs.dicom.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.UID;

class HostileInputTest {

    private static DicomParseException parseFails(byte[] b) {
        return assertThrows(DicomParseException.class, () -> Fixtures.read(b));
    }

    private static DicomParseException parseFails(byte[] b, String tsuid) {
        return assertThrows(DicomParseException.class, () -> Fixtures.readRaw(b, tsuid));
    }

    @Test
    void truncatedEverywhere() throws IOException {
        byte[] file = Fixtures.writeFile(Fixtures.sample(64), UID.ExplicitVRLittleEndian, true);
        for (int cut = 140; cut < file.length; cut += 7) {
            byte[] b = Arrays.copyOf(file, cut);
            try {
                Fixtures.read(b);
            } catch (DicomParseException expected) {
                assertTrue(expected.getOffset() >= 0);
            }
        }
        DicomParseException e = parseFails(Arrays.copyOf(file, file.length - 10));
        assertTrue(e.getReason().contains("end of stream"), e.getMessage());
        parseFails(new byte[0]);
        parseFails(Arrays.copyOf(file, 60));
    }

    @Test
    void truncatedFile(@TempDir Path dir) throws IOException {
        byte[] file = Fixtures.writeFile(Fixtures.sample(4096), UID.ExplicitVRLittleEndian, false);
        Path f = dir.resolve("t.dcm");
        Files.write(f, Arrays.copyOf(file, file.length - 100));
        DicomParseException e = assertThrows(DicomParseException.class, () -> CorpusTest.read(f, false));
        assertTrue(e.getReason().contains("past the end of the stream"), e.getMessage());
    }

    @Test
    void absurdLength() {
        // (0009,1010) OB with length 0xFFFFFFF0
        byte[] b = {0x09, 0x00, 0x10, 0x10, 'O', 'B', 0, 0, (byte) 0xF0, -1, -1, -1, 1, 2, 3, 4};
        DicomParseException e = parseFails(b, UID.ExplicitVRLittleEndian);
        assertEquals(8, e.getOffset() - 4);
        assertTrue(e.getReason().contains("absurd"));
        // implicit PN with 0xFFFFFFFE
        byte[] pn = {0x10, 0x00, 0x10, 0x00, (byte) 0xFE, -1, -1, -1, 'A', 'B'};
        parseFails(pn, UID.ImplicitVRLittleEndian);
    }

    @Test
    void largeLengthOnShortStreamAllocatesLittle() {
        // a 200 MB length within the limits, on an 8-byte value: must fail by truncation, growing buffers
        byte[] b = {0x09, 0x00, 0x10, 0x10, 'O', 'B', 0, 0, 0, 0, (byte) 0x80, 0x0C, 1, 2, 3, 4, 5, 6, 7, 8};
        DicomParseException e = parseFails(b, UID.ExplicitVRLittleEndian);
        assertTrue(e.getReason().contains("end of stream"), e.getMessage());
    }

    @Test
    void allocationLimit() throws IOException {
        byte[] file = Fixtures.writeFile(Fixtures.sample(100_000), UID.ExplicitVRLittleEndian, false);
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(file));
        in.setLimits(DicomReadLimits.DEFAULT.withMaxAllocation(50_000));
        DicomParseException e = assertThrows(DicomParseException.class, in::readDataset);
        assertTrue(e.getReason().contains("allocation"));
    }

    @Test
    void floodOfEmptyItems() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {0x40, 0x00, 0x30, (byte) 0xA7, -1, -1, -1, -1});
        byte[] item = {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 0, 0, 0, 0};
        for (int i = 0; i < 20_000; i++) {
            b.write(item);
        }
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(b.toByteArray()),
                UID.ImplicitVRLittleEndian);
        in.setLimits(DicomReadLimits.DEFAULT.withMaxAllocation(1 << 20));
        DicomParseException e = assertThrows(DicomParseException.class, in::readDataset);
        assertTrue(e.getReason().contains("allocation"), e.getMessage());
    }

    @Test
    void descendingTagsAreBounded() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int k = 0; k < 20_000; k++) {
            int tag = 0x40000001 + 20_000 - k;
            b.write(new byte[] {(byte) (tag >>> 16), (byte) (tag >>> 24), (byte) tag, (byte) (tag >>> 8), 0, 0, 0, 0});
        }
        DicomParseException e = parseFails(b.toByteArray(), UID.ImplicitVRLittleEndian);
        assertTrue(e.getReason().contains("out of tag order"), e.getMessage());
        // a few out-of-order elements are fine
        byte[] few = {0x10, 0x00, 0x20, 0x00, 2, 0, 0, 0, 'I', 'D', 0x10, 0x00, 0x10, 0x00, 2, 0, 0, 0, 'P', 'N'};
        assertEquals(2, Fixtures.readRaw(few, UID.ImplicitVRLittleEndian).size());
    }

    @Test
    void deepNesting() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            b.write(new byte[] {0x40, 0x00, 0x30, (byte) 0xA7, -1, -1, -1, -1}); // ContentSequence u/l
            b.write(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, -1, -1, -1, -1}); // Item u/l
        }
        DicomParseException e = parseFails(b.toByteArray(), UID.ImplicitVRLittleEndian);
        assertTrue(e.getReason().contains("nesting"));
        // within a lower limit, 10 levels are fine if closed
        ByteArrayOutputStream ok = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            ok.write(new byte[] {0x40, 0x00, 0x30, (byte) 0xA7, -1, -1, -1, -1});
            ok.write(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, -1, -1, -1, -1});
        }
        for (int i = 0; i < 10; i++) {
            ok.write(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x0D, (byte) 0xE0, 0, 0, 0, 0});
            ok.write(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0});
        }
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(ok.toByteArray()),
                UID.ImplicitVRLittleEndian);
        in.setLimits(DicomReadLimits.DEFAULT.withMaxNestingDepth(10));
        assertEquals(1, in.readDataset().size());
        in = new DicomInputStream(new ByteArrayInputStream(ok.toByteArray()), UID.ImplicitVRLittleEndian);
        in.setLimits(DicomReadLimits.DEFAULT.withMaxNestingDepth(9));
        assertThrows(DicomParseException.class, in::readDataset);
    }

    @Test
    void deflateBomb() throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(z, new Deflater(9, true))) {
            // (0009,1010) OB of 64 MiB zeros, only 16 MiB present
            out.write(new byte[] {0x09, 0x00, 0x10, 0x10, 'O', 'B', 0, 0, 0, 0, 0, 0x04});
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 16; i++) {
                out.write(zeros);
            }
        }
        assertTrue(z.size() < 200_000);
        DicomParseException e = parseFails(z.toByteArray(), UID.DeflatedExplicitVRLittleEndian);
        assertTrue(e.getReason().contains("inflate ratio"), e.getMessage());
    }

    @Test
    void brokenDeflateStream() throws IOException {
        byte[] file = Fixtures.writeFile(Fixtures.sample(64), UID.DeflatedExplicitVRLittleEndian, false);
        parseFails(Arrays.copyOf(file, file.length - file.length / 3));
        byte[] garbage = file.clone();
        for (int i = garbage.length - 60; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31);
        }
        try {
            Fixtures.read(garbage);
        } catch (DicomParseException expected) {
            // fine
        }
    }

    @Test
    void structuralErrors() {
        // sequence with a non-item inside
        byte[] b = {0x08, 0x00, 0x15, 0x11, 'S', 'Q', 0, 0, -1, -1, -1, -1, 0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0};
        parseFails(b, UID.ExplicitVRLittleEndian);
        // item longer than its sequence
        byte[] c = {0x08, 0x00, 0x15, 0x11, 'S', 'Q', 0, 0, 8, 0, 0, 0,
            (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 8, 0, 0, 0, 0x10, 0x00, 0x10, 0x00, 'P', 'N', 0, 0};
        parseFails(c, UID.ExplicitVRLittleEndian);
        // undefined-length item in a defined-length sequence, holding a value longer than the sequence
        byte[] e = {0x08, 0x00, 0x15, 0x11, 'S', 'Q', 0, 0, 20, 0, 0, 0,
            (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, -1, -1, -1, -1,
            0x10, 0x00, 0x10, 0x00, 'P', 'N', 40, 0, 'A', 'B', 'C', 'D', 'A', 'B', 'C', 'D', 'A', 'B', 'C', 'D',
            'A', 'B', 'C', 'D', 'A', 'B', 'C', 'D', 'A', 'B', 'C', 'D', 'A', 'B', 'C', 'D', 'A', 'B', 'C', 'D',
            'A', 'B', 'C', 'D', 'A', 'B', 'C', 'D'};
        DicomParseException ex = parseFails(e, UID.ExplicitVRLittleEndian);
        assertTrue(ex.getReason().contains("enclosing"), ex.getMessage());
        // undefined length fragment
        byte[] d = {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, -1, -1, -1, -1,
            (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, -1, -1, -1, -1};
        parseFails(d, UID.JPEGBaseline8Bit);
    }

    @Test
    void fuzzedFilesGiveOnlyParseExceptions() throws IOException {
        byte[] file = Fixtures.writeFile(Fixtures.sample(32), UID.ExplicitVRLittleEndian, true);
        byte[] implicit = Fixtures.writeFile(Fixtures.sample(32), UID.ImplicitVRLittleEndian, false);
        Random rnd = new Random(42);
        for (int i = 0; i < 400; i++) {
            byte[] b = (i % 2 == 0 ? file : implicit).clone();
            int n = 1 + rnd.nextInt(8);
            for (int k = 0; k < n; k++) {
                b[132 + rnd.nextInt(b.length - 132)] = (byte) rnd.nextInt(256);
            }
            try {
                Fixtures.read(b);
            } catch (DicomParseException expected) {
                assertTrue(expected.getMessage() != null);
            }
        }
    }

    @Test
    void underlyingIOExceptionsPropagate() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };
        IOException e = assertThrows(IOException.class, () -> new DicomInputStream(failing).readDataset());
        assertEquals("disk on fire", e.getMessage());
    }
}
