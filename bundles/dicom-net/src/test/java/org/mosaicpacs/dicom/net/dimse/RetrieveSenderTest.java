package org.mosaicpacs.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;

/** Reading the file meta information off a stored object's stream, and choosing the syntax to send it in. */
class RetrieveSenderTest {

    @TempDir
    Path tmp;

    @Test
    void theStreamIsLeftAtTheFirstByteOfTheDataSet() throws Exception {
        for (String ts : Fixtures.SYNTAXES) {
            Attributes ds = Fixtures.image(UID.CTImageStorage, "P", "1.2.3", "1.2.3.4", "1.2.3.4.5", 4);
            Path file = Fixtures.write(Files.createDirectories(tmp.resolve(ts)), ds, ts);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                Attributes fmi = Part10Header.read(in);
                assertEquals(ts, fmi.getString(Tag.TransferSyntaxUID));
                assertEquals("1.2.3.4.5", fmi.getString(Tag.MediaStorageSOPInstanceUID));
                assertArrayEquals(Fixtures.datasetBytes(file), in.readAllBytes(), ts);
            }
            // without the preamble (a stream that starts at the file meta information) too
            byte[] all = Files.readAllBytes(file);
            try (InputStream in = new BufferedInputStream(new ByteArrayInputStream(Arrays.copyOfRange(all, 128,
                    all.length)))) {
                // "DICM" then group 2: the prefix alone is not a preamble, so it is refused clearly
                assertThrows(IOException.class, () -> Part10Header.read(in));
            }
            try (InputStream in = new BufferedInputStream(new ByteArrayInputStream(Arrays.copyOfRange(all, 132,
                    all.length)))) {
                assertEquals(ts, Part10Header.read(in).getString(Tag.TransferSyntaxUID));
                assertArrayEquals(Fixtures.datasetBytes(file), in.readAllBytes());
            }
        }
    }

    @Test
    void aStreamWithoutFileMetaInformationIsRefused() {
        IOException e = assertThrows(IOException.class, () -> Part10Header.read(new BufferedInputStream(
                new ByteArrayInputStream(new byte[] {8, 0, 0x16, 0, 'U', 'I', 2, 0, '1', 0}))));
        assertEquals("not a Part 10 object: no file meta information", e.getMessage());
        // a huge announced length inside group 2 is refused before anything is allocated
        byte[] hostile = new byte[132 + 12];
        hostile[128] = 'D';
        hostile[129] = 'I';
        hostile[130] = 'C';
        hostile[131] = 'M';
        byte[] header = {2, 0, 1, 0, 'O', 'B', 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F};
        System.arraycopy(header, 0, hostile, 132, 12);
        assertThrows(IOException.class, () -> Part10Header.read(new BufferedInputStream(
                new ByteArrayInputStream(hostile))));
    }

    @Test
    void selectsTheStoredSyntaxElseANativeOneTheyAccepted() {
        List<String> implicitOnly = List.of(UID.ImplicitVRLittleEndian);
        assertEquals(UID.ExplicitVRBigEndian, RetrieveSender.select(UID.ExplicitVRBigEndian,
                List.of(UID.ExplicitVRLittleEndian, UID.ExplicitVRBigEndian)), "stored and accepted: as is");
        assertEquals(UID.ImplicitVRLittleEndian, RetrieveSender.select(UID.ExplicitVRBigEndian, implicitOnly));
        assertEquals(UID.ImplicitVRLittleEndian, RetrieveSender.select(UID.DeflatedExplicitVRLittleEndian,
                implicitOnly));
        assertEquals(UID.ExplicitVRLittleEndian, RetrieveSender.select(UID.ImplicitVRLittleEndian,
                List.of(UID.ExplicitVRBigEndian, UID.ExplicitVRLittleEndian)), "Explicit LE preferred");
        assertEquals(UID.JPEGBaseline8Bit, RetrieveSender.select(UID.JPEGBaseline8Bit,
                List.of(UID.ImplicitVRLittleEndian, UID.JPEGBaseline8Bit)));
        assertNull(RetrieveSender.select(UID.JPEGBaseline8Bit, implicitOnly), "no codec");
        assertNull(RetrieveSender.select(UID.ExplicitVRLittleEndian, List.of(UID.JPEGBaseline8Bit)));
    }

    @Test
    void aCompressedSyntaxGoesUncompressedOnlyWithADecompressionThatDecodesIt() {
        PixelDataDecompression rleOnly = new PixelDataDecompression() {
            @Override
            public boolean canDecompress(String ts) {
                return UID.RLELossless.equals(ts);
            }

            @Override
            public Attributes decompress(Attributes ds, String ts) {
                return ds;
            }
        };
        List<String> nativeOnly = List.of(UID.ExplicitVRBigEndian, UID.ImplicitVRLittleEndian,
                UID.ExplicitVRLittleEndian);
        assertEquals(UID.ExplicitVRLittleEndian, RetrieveSender.select(UID.RLELossless, nativeOnly, rleOnly),
                "Explicit LE preferred, never Big Endian");
        assertEquals(UID.ImplicitVRLittleEndian, RetrieveSender.select(UID.RLELossless,
                List.of(UID.ImplicitVRLittleEndian), rleOnly));
        assertNull(RetrieveSender.select(UID.RLELossless, List.of(UID.ExplicitVRBigEndian), rleOnly),
                "decoded pixels go only as little endian");
        assertNull(RetrieveSender.select(UID.JPEGLSLossless, nativeOnly, rleOnly), "no decoder for it");
        assertNull(RetrieveSender.select(UID.RLELossless, nativeOnly, null), "no decompression");
        assertEquals(UID.RLELossless, RetrieveSender.select(UID.RLELossless,
                List.of(UID.ExplicitVRLittleEndian, UID.RLELossless), rleOnly), "accepted as stored: not decoded");
    }
}
