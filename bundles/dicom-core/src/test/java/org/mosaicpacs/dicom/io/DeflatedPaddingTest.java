package org.mosaicpacs.dicom.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;

/** PS3.5 A.5: the deflated bit stream of a data set is padded to an even length. */
class DeflatedPaddingTest {

    private static byte[] deflated(Attributes ds) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bytes, UID.DeflatedExplicitVRLittleEndian)) {
            out.writeDataset(ds);
        }
        return bytes.toByteArray();
    }

    @Test
    void everyDeflatedDataSetHasEvenLengthAndReadsBack() throws IOException {
        int oddBeforePadding = 0;
        for (int i = 0; i < 64; i++) {
            Attributes ds = new Attributes();
            ds.setString(Tag.PatientName, VR.PN, "Doe^" + "x".repeat(i));
            ds.setString(Tag.PatientID, VR.LO, Integer.toString(i * 7919));
            byte[] encoded = deflated(ds);

            assertEquals(0, encoded.length % 2, "deflated length of data set " + i);
            if (encoded[encoded.length - 1] == 0) {
                oddBeforePadding++;
            }
            Attributes read = new DicomInputStream(new ByteArrayInputStream(encoded),
                    UID.DeflatedExplicitVRLittleEndian).readDataset();
            assertEquals(ds.getString(Tag.PatientName), read.getString(Tag.PatientName));
        }
        assertTrue(oddBeforePadding > 0, "some of the 64 data sets must have needed the pad byte");
    }
}
