package org.mosaicpacs.dicom.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;

/** Small data sets made in code for the reader and writer tests. */
final class Fixtures {

    static final String SOP_INSTANCE_UID = "2.25.1234567890123456789";

    private Fixtures() {
    }

    /** A data set with dictionary VRs only (so that implicit VR round trips compare equal). */
    static Attributes sample(int pixelBytes) {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        a.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, SOP_INSTANCE_UID);
        a.setString(Tag.StudyDate, VR.DA, "20240229");
        a.setString(Tag.Modality, VR.CS, "CT");
        a.setString(Tag.PatientName, VR.PN, "Müller^Jürgen=山田^太郎");
        a.setString(Tag.PatientID, VR.LO, "ID-0001");
        a.setNull(Tag.PatientBirthDate, VR.DA);
        a.setDouble(Tag.SliceThickness, VR.DS, 1.25);
        a.setInt(Tag.InstanceNumber, VR.IS, 12);
        a.setDouble(Tag.ImagePositionPatient, VR.DS, -125.5, -130.25, 42);
        a.setInt(Tag.SamplesPerPixel, VR.US, 1);
        a.setInt(Tag.Rows, VR.US, 16);
        a.setInt(Tag.Columns, VR.US, 16);
        a.setInt(Tag.BitsAllocated, VR.US, 16);
        a.setInt(Tag.PixelRepresentation, VR.US, 1);
        a.setLong(Tag.SimpleFrameList, VR.UL, 1, 2, 0xFFFFFFF0L);
        a.setDouble(Tag.RescaleSlope, VR.DS, 1);
        a.setDouble(Tag.RecommendedDisplayFrameRateInFloat, VR.FL, 2.5);
        a.setDouble(Tag.DiffusionBValue, VR.FD, 1000.125);
        a.setInt(Tag.FrameIncrementPointer, VR.AT, Tag.FrameTime);
        a.setString(Tag.RetrieveURL, VR.UR, "https://pacs.example.org/studies/1");
        a.setString(Tag.StudyDescription, VR.LO, "odd");
        a.setString(Tag.ImageComments, VR.LT, "line one\r\nline two \\ with backslash");
        a.setBytes(0x00290010, VR.LO, "SIEMENS CSA HEADER".getBytes());
        a.setBytes(0x00291010, VR.OB, new byte[] {1, 2, 3, 4, 5, 6});
        Sequence seq = a.newSequence(Tag.ReferencedSeriesSequence, 2);
        for (int i = 0; i < 2; i++) {
            Attributes item = seq.addNewItem();
            item.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3." + i);
            Sequence inner = item.newSequence(Tag.ReferencedInstanceSequence, 1);
            Attributes innerItem = inner.addNewItem();
            innerItem.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
            innerItem.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3." + i + ".1");
            innerItem.setInt(Tag.ReferencedFrameNumber, VR.IS, i + 1);
        }
        a.newSequence(Tag.ReferencedStudySequence, 0);
        Attributes emptyItemHolder = a.newSequence(Tag.ReferencedPatientSequence, 1).addNewItem();
        emptyItemHolder.getParent();
        a.setInt(0x60000010, VR.US, 4);
        a.setBytes(0x60003000, VR.OW, new byte[] {1, 2, 3, 4});
        byte[] pixels = new byte[pixelBytes];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        a.setBytes(Tag.PixelData, VR.OW, pixels);
        return a;
    }

    /** A JPEG-like encapsulated data set. */
    static Attributes encapsulated() {
        Attributes a = sample(0);
        a.remove(Tag.PixelData);
        Fragments f = new Fragments(VR.OB, false, 3);
        f.add(new byte[] {0, 0, 0, 0});
        f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, (byte) 0xFF, (byte) 0xD9});
        f.add(new byte[] {9, 8, 7, 6});
        a.setFragments(Tag.PixelData, f);
        return a;
    }

    static byte[] writeFile(Attributes ds, String tsuid, boolean undefinedLengths) throws IOException {
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bout)) {
            out.setUndefinedLengths(undefinedLengths, undefinedLengths);
            out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(ds.getString(Tag.SOPClassUID),
                    ds.getString(Tag.SOPInstanceUID), tsuid));
            out.writeDataset(ds);
        }
        return bout.toByteArray();
    }

    static byte[] writeRaw(Attributes ds, String tsuid) throws IOException {
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bout, tsuid)) {
            out.writeDataset(ds);
        }
        return bout.toByteArray();
    }

    static Attributes read(byte[] b) throws IOException {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(b))) {
            return in.readDataset();
        }
    }

    static Attributes readRaw(byte[] b, String tsuid) throws IOException {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(b), tsuid)) {
            return in.readDataset();
        }
    }
}
