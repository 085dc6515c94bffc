package org.mosaicpacs.index.derby.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;

/** The attrs blobs: what {@code encode} writes, {@code decode} reads back, as the dicom-core reader does. */
class DataSetsTest {

    private static Attributes sample(int textLength) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.PatientName, VR.PN, "Müller^Jörg");
        ds.setString(Tag.PatientID, VR.LO, "P-1");
        ds.newSequence(Tag.OtherPatientIDsSequence, 1).addNewItem().setString(Tag.PatientID, VR.LO, "X-2");
        ds.setString(Tag.PatientComments, VR.LT, "a".repeat(textLength));
        return ds;
    }

    private static Attributes readWithDicomCore(byte[] blob) throws Exception {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(blob),
                UID.DeflatedExplicitVRLittleEndian)) {
            return in.readDataset();
        }
    }

    @Test
    void decodesWhatItEncodesSmallAndLarge() throws Exception {
        // 100 bytes; and 200 kB of text, which inflates past the first buffers (they grow)
        for (int length : new int[] {100, 200_000}) {
            byte[] blob = DataSets.encode(sample(length));
            Attributes back = DataSets.decode(blob);
            Attributes reference = readWithDicomCore(blob);
            assertEquals(reference.size(), back.size());
            for (int tag : reference.tags()) {
                assertEquals(reference.getString(tag), back.getString(tag), Integer.toHexString(tag));
            }
            assertEquals("X-2", back.getSequence(Tag.OtherPatientIDsSequence).get(0).getString(Tag.PatientID));
            assertEquals(length, back.getString(Tag.PatientComments).length());
            // the thread's inflater is reset: the next blob decodes the same
            assertEquals("Müller^Jörg", DataSets.decode(blob).getString(Tag.PatientName));
        }
    }

    @Test
    void readsAZlibWrappedBlobAndRefusesACorruptOne() throws Exception {
        byte[] raw = DataSets.inflate(DataSets.encode(sample(10)));
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(zlib, new Deflater(6, false))) {
            out.write(raw);
        }
        assertArrayEquals(raw, DataSets.inflate(zlib.toByteArray()));
        assertEquals("P-1", DataSets.decode(zlib.toByteArray()).getString(Tag.PatientID));
        byte[] blob = DataSets.encode(sample(10));
        byte[] corrupt = Arrays.copyOf(blob, blob.length);
        corrupt[0] = (byte) 0xFF; // an invalid block type
        assertThrows(IllegalStateException.class, () -> DataSets.decode(corrupt));
        // and a good blob decodes after the failure (the inflater was reset)
        assertEquals("P-1", DataSets.decode(blob).getString(Tag.PatientID));
    }
}
