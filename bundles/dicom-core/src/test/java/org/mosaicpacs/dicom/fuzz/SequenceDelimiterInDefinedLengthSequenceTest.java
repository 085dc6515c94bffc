package org.mosaicpacs.dicom.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomParseException;

/**
 * Found by {@link DicomReaderFuzzTest}: a sequence of defined length ended early by a Sequence
 * Delimitation Item was accepted from a stream (its length, even one past the end of the stream, was
 * ignored) but rejected from a file (length past the end of the file). Both now reject it, unless the
 * delimiter is the last thing inside the defined length.
 */
class SequenceDelimiterInDefinedLengthSequenceTest {

    /** (0008,1110) SQ of length 0x00100009, an empty undefined-length item, then a sequence delimiter. */
    private static final byte[] LENGTH_PAST_THE_END = {
        0x08, 0x00, 0x10, 0x11, 'S', 'Q', 0, 0, 0x09, 0x00, 0x10, 0x00,
        (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, -1, -1, -1, -1,
        (byte) 0xFE, (byte) 0xFF, 0x0D, (byte) 0xE0, 0, 0, 0, 0,
        (byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0,
        0x10, 0x00, 0x10, 0x00, 'P', 'N', 4, 0, 'D', 'o', 'e', '^'};

    @TempDir
    Path tmp;

    @Test
    void rejectedFromAStreamAsFromAFile() throws IOException {
        assertThrows(DicomParseException.class, () -> new DicomInputStream(
                new ByteArrayInputStream(LENGTH_PAST_THE_END), UID.ExplicitVRLittleEndian).readDataset());
        Path f = tmp.resolve("raw.dcm");
        Files.write(f, LENGTH_PAST_THE_END);
        try (DicomInputStream in = new DicomInputStream(f)) {
            assertThrows(DicomParseException.class, in::readDataset);
        }
    }

    @Test
    void delimiterAtTheDefinedEndIsAccepted() throws IOException {
        byte[] b = LENGTH_PAST_THE_END.clone();
        b[8] = 24; // item (8) + item delimiter (8) + sequence delimiter (8)
        b[9] = 0;
        b[10] = 0;
        Attributes ds = new DicomInputStream(new ByteArrayInputStream(b), UID.ExplicitVRLittleEndian).readDataset();
        assertEquals(1, ds.getSequence(Tag.ReferencedStudySequence).size());
        assertEquals("Doe^", ds.getString(Tag.PatientName));
    }

    @Test
    void delimiterBeforeTheDefinedEndIsRejected() {
        byte[] b = LENGTH_PAST_THE_END.clone();
        b[8] = 32; // ends inside the following element
        b[9] = 0;
        b[10] = 0;
        DicomParseException e = assertThrows(DicomParseException.class, () -> new DicomInputStream(
                new ByteArrayInputStream(b), UID.ExplicitVRLittleEndian).readDataset());
        assertTrue(e.getReason().contains("sequence delimitation item"), e.getMessage());
    }
}
