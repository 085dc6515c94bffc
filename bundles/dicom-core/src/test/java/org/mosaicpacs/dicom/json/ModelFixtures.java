package org.mosaicpacs.dicom.json;

import java.net.URI;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

/** Data sets made in code for the JSON and XML round trips: every VR, nesting, PN, charsets, empties, private, bulk data. */
public final class ModelFixtures {

    private ModelFixtures() {
    }

    /** Every VR with values, in UTF-8. */
    public static Attributes everyVR() {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "", "AXIAL");
        a.setString(Tag.InstanceCreationDate, VR.DA, "20240229");
        a.setString(Tag.InstanceCreationTime, VR.TM, "101530.123456");
        a.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
        a.setString(Tag.SOPInstanceUID, VR.UI, "2.25.1234567890");
        a.setString(Tag.AcquisitionDateTime, VR.DT, "20240229101530.5+0100");
        a.setString(Tag.RetrieveAETitle, VR.AE, "MOSAIC", "OTHER");
        a.setString(Tag.StudyDescription, VR.LO, "Étude – ünïcödé ✓");
        a.setString(Tag.ReferringPhysicianName, VR.PN, "Ross^Doug^^Dr.");
        a.setString(Tag.PatientName, VR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう");
        a.setString(Tag.PatientID, VR.LO, "ID-0001");
        a.setString(Tag.PatientAge, VR.AS, "042Y");
        a.setString(Tag.AccessionNumber, VR.SH, "A1\"quoted\"\\B2");
        a.setString(Tag.InstitutionAddress, VR.ST, "1 Loopback Road\r\nLocalhost <&> \\ end");
        a.setString(Tag.ImageComments, VR.LT, "line one\r\nline two\ttab");
        a.setString(Tag.TextValue, VR.UT, "unlimited \\ text with backslash");
        a.setString(Tag.StrainAdditionalInformation, VR.UC, "uc one", "uc two");
        a.setString(Tag.RetrieveURL, VR.UR, "https://pacs.example.org/studies/1?x=1&y=2");
        a.setString(Tag.SliceThickness, VR.DS, "1.25");
        a.setString(Tag.ImagePositionPatient, VR.DS, "-125.5", "1E+3", "0.000001");
        a.setString(Tag.InstanceNumber, VR.IS, "-12");
        a.setString(Tag.ReferencedFrameNumber, VR.IS, "1", "2", "2147483647");
        a.setInt(Tag.FrameIncrementPointer, VR.AT, Tag.FrameTime, 0x00540080);
        a.setInt(Tag.Rows, VR.US, 512);
        a.setInt(Tag.SmallestImagePixelValue, VR.SS, -32768, 32767);
        a.setLong(Tag.SimpleFrameList, VR.UL, 1, 0xFFFFFFFFL);
        a.setInt(Tag.ReferencePixelX0, VR.SL, -2147483648, 7);
        a.setLong(Tag.ExtendedOffsetTable, VR.OV, 0, 1L << 40);
        a.setLong(Tag.SelectorSVValue, VR.SV, Long.MIN_VALUE, Long.MAX_VALUE);
        a.setLong(Tag.SelectorUVValue, VR.UV, -1L, 42);
        a.setFloat(Tag.RecommendedDisplayFrameRateInFloat, VR.FL, 2.5f, -0.1f, 3.4028235e38f);
        a.setDouble(Tag.DiffusionBValue, VR.FD, 1000.125, 0.1, -1e-300);
        a.setBytes(Tag.DataSetTrailingPadding, VR.OB, new byte[] {1, 2, 3, (byte) 0xFF});
        a.setDouble(Tag.FloatPixelData, VR.OF, 1.5, -2.25);
        a.setDouble(Tag.DoubleFloatPixelData, VR.OD, Math.PI);
        a.setLong(Tag.LongPrimitivePointIndexList, VR.OL, 1, 0xFFFFFFFFL);
        a.setInt(0x60003000, VR.OW, 1, 0xFFFF, 0x1234);
        a.setBytes(0x00191001, VR.UN, new byte[] {9, 8, 7, 6});
        Sequence seq = a.newSequence(Tag.ReferencedSeriesSequence, 2);
        for (int i = 0; i < 2; i++) {
            Attributes item = seq.addNewItem();
            item.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3." + i);
            Sequence inner = item.newSequence(Tag.ReferencedInstanceSequence, 1);
            Attributes innerItem = inner.addNewItem();
            innerItem.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3." + i + ".1");
            innerItem.setString(Tag.ContentCreatorName, VR.PN, "Müller^Jürgen");
            innerItem.newSequence(Tag.ConceptNameCodeSequence, 1).addNewItem()
                    .setString(Tag.CodeMeaning, VR.LO, "深い " + i);
        }
        return a;
    }

    /** Empty values of every kind, private elements and bulk data references. */
    public static Attributes emptiesPrivateAndBulk() {
        Attributes a = new Attributes();
        a.setNull(Tag.PatientBirthDate, VR.DA);
        a.setNull(Tag.PatientName, VR.PN);
        a.setNull(Tag.PatientSex, VR.CS);
        a.setNull(Tag.InstanceNumber, VR.IS);
        a.setNull(Tag.SliceThickness, VR.DS);
        a.setNull(Tag.Rows, VR.US);
        a.setNull(Tag.DiffusionBValue, VR.FD);
        a.setNull(Tag.DataSetTrailingPadding, VR.OB);
        a.setNull(Tag.FrameIncrementPointer, VR.AT);
        a.setString(Tag.OtherPatientNames, VR.PN, "A^B", "", "C^D=Ideo");
        a.setString(Tag.PatientComments, VR.LT, "");
        a.newSequence(Tag.ReferencedStudySequence, 0);
        a.newSequence(Tag.ReferencedPatientSequence, 1).addNewItem();
        a.setString("ACME 1.0", 0x00090001, VR.LO, "private text");
        a.setBytes("ACME 1.0", 0x00090002, VR.OB, new byte[] {1, 2});
        a.setString("OTHER", 0x00090001, VR.DS, "3.5");
        a.setBulkData(Tag.PixelData, VR.OW, new BulkData(URI.create("file:///data/img.dcm"), 1234, 512, false));
        a.setBulkData(Tag.SpectroscopyData, VR.OF, new BulkData(URI.create("https://pacs.example.org/bulk/7"), 0, 64, false));
        return a;
    }

    /** A data set in ISO 2022 (Japanese, PS3.5 H.3.1) with three PN groups. */
    public static Attributes japanese() {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "", "ISO 2022 IR 87");
        a.setString(Tag.PatientName, VR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう");
        a.setString(Tag.StudyDescription, VR.LO, "胸部");
        return a;
    }

    /** Encapsulated pixel data (empty offset table, two fragments). */
    public static Attributes encapsulated() {
        Attributes a = new Attributes();
        a.setString(Tag.SOPInstanceUID, VR.UI, "2.25.5");
        Fragments f = new Fragments(VR.OB, false, 3);
        f.add(new byte[0]);
        f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2});
        f.add(new byte[] {3, 4, (byte) 0xFF, (byte) 0xD9});
        a.setFragments(Tag.PixelData, f);
        return a;
    }

    /** A big endian data set (binary values must come out little endian). */
    public static Attributes bigEndian() {
        Attributes a = new Attributes(true);
        a.setInt(Tag.Rows, VR.US, 0x1234);
        a.setInt(0x60003000, VR.OW, 0x0102, 0x0304);
        a.setDouble(Tag.FloatPixelData, VR.OF, 1.5);
        a.setInt(Tag.FrameIncrementPointer, VR.AT, Tag.FrameTime);
        return a;
    }
}
