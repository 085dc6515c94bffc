package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/** Small CT-like instances made in code: patient, study, series, instance and 16-bit pixels. */
final class TestData {

    private TestData() {
    }

    static Attributes ct(String study, String series, String sop, String patientName, String patientID,
                         String studyDate, int instanceNumber, int frames) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, studyDate);
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "A" + study.hashCode() % 1000);
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.StudyDescription, VR.LO, "Chest " + patientName);
        ds.setString(Tag.SeriesDescription, VR.LO, "Axial");
        ds.setString(Tag.PatientName, VR.PN, patientName);
        ds.setString(Tag.PatientID, VR.LO, patientID);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.StudyID, VR.SH, "1");
        ds.setInt(Tag.SeriesNumber, VR.IS, 1);
        ds.setInt(Tag.InstanceNumber, VR.IS, instanceNumber);
        ds.setDouble(Tag.ImagePositionPatient, VR.DS, 0, 0, instanceNumber * 2.5);
        ds.setDouble(Tag.PixelSpacing, VR.DS, 0.5, 0.5);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        if (frames > 1) {
            ds.setInt(Tag.NumberOfFrames, VR.IS, frames);
        }
        ds.setInt(Tag.Rows, VR.US, 32);
        ds.setInt(Tag.Columns, VR.US, 24);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setBytes(Tag.PixelData, VR.OW, pixels(32 * 24 * frames, instanceNumber));
        return ds;
    }

    /** 16-bit little endian samples, different per seed and position. */
    static byte[] pixels(int samples, int seed) {
        byte[] b = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            int v = (i * 7 + seed * 131) & 0x0FFF;
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        return b;
    }

    static Path write(Path dir, Attributes ds, String transferSyntax) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(ds.getString(Tag.SOPInstanceUID) + ".dcm");
        DicomOutputStream.writeFile(file, ds, transferSyntax);
        return file;
    }
}
