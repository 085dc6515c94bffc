package org.mosaicpacs.dicom.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;

/**
 * The reader's buffer sized to an array in memory, and the writer's buffer chosen by the caller: data sets
 * larger and smaller than those buffers read and write the same as with the defaults.
 */
class SmallBufferTest {

    private static Attributes dataset(int valueLength) {
        Attributes ds = new Attributes();
        ds.setString(Tag.PatientName, VR.PN, "Doe^Jane");
        ds.setString(Tag.StudyDescription, VR.LO, "x".repeat(Math.min(64, valueLength)));
        byte[] big = new byte[valueLength & ~1];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        ds.setBytes(Tag.EncapsulatedDocument, VR.OB, big);
        return ds;
    }

    private static byte[] encode(Attributes ds, String ts, int bufferSize) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bytes, ts, bufferSize)) {
            out.writeDataset(ds);
        }
        return bytes.toByteArray();
    }

    @Test
    void smallWriteBufferEncodesAsTheDefault() throws IOException {
        for (String ts : new String[] {UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian,
            UID.DeflatedExplicitVRLittleEndian}) {
            for (int size : new int[] {0, 10, 700, 40_000}) {
                Attributes ds = dataset(size);
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                try (DicomOutputStream out = new DicomOutputStream(expected, ts)) {
                    out.writeDataset(ds);
                }
                assertArrayEquals(expected.toByteArray(), encode(ds, ts, 16), ts + ", " + size + " bytes");
            }
        }
    }

    @Test
    void inMemoryDataSetsOfEverySizeReadBack() throws IOException {
        for (String ts : new String[] {UID.ExplicitVRLittleEndian, UID.DeflatedExplicitVRLittleEndian}) {
            // 0 and 10: smaller than the smallest buffer; 40,000: larger than the largest (and, deflated, a
            // stream that inflates to far more than its own length)
            for (int size : new int[] {0, 10, 300, 40_000}) {
                Attributes ds = dataset(size);
                Attributes read = new DicomInputStream(new ByteArrayInputStream(encode(ds, ts, 512)), ts).readDataset();
                assertEquals("Doe^Jane", read.getString(Tag.PatientName));
                assertArrayEquals(ds.getBytes(Tag.EncapsulatedDocument), read.getBytes(Tag.EncapsulatedDocument),
                        ts + ", " + size + " bytes");
            }
        }
    }

    @Test
    void aTruncatedArrayIsStillRefused() throws IOException {
        byte[] whole = encode(dataset(100), UID.ExplicitVRLittleEndian, 512);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 7);
        assertThrows(DicomParseException.class,
                () -> new DicomInputStream(new ByteArrayInputStream(cut), UID.ExplicitVRLittleEndian).readDataset());
    }

    @Test
    void aBufferSizeBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new DicomOutputStream(new ByteArrayOutputStream(), UID.ExplicitVRLittleEndian, 0));
    }
}
