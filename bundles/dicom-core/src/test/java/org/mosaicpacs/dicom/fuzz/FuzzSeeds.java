package org.mosaicpacs.dicom.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/** Valid DICOM inputs made in code, the starting points of the mutations. */
final class FuzzSeeds {

    /** A seed: its bytes, and the transfer syntax to read it with when it is a raw data set (else null). */
    static final class Seed {
        final String name;
        final byte[] bytes;
        final String rawTransferSyntax;
        final boolean bigEndian;
        /** Where the data set starts (after preamble and file meta information); 0 for raw data sets. */
        final int datasetStart;
        /** For deflated seeds: the inflated data set, to mutate before compressing; else null. */
        final byte[] inflated;

        Seed(String name, byte[] bytes, String rawTransferSyntax, boolean bigEndian, int datasetStart,
                byte[] inflated) {
            this.name = name;
            this.bytes = bytes;
            this.rawTransferSyntax = rawTransferSyntax;
            this.bigEndian = bigEndian;
            this.datasetStart = datasetStart;
            this.inflated = inflated;
        }

        @Override
        public String toString() {
            return name + " (" + bytes.length + " bytes)";
        }
    }

    private FuzzSeeds() {
    }

    static List<Seed> all() {
        try {
            List<Seed> seeds = new ArrayList<>();
            Attributes ct = image(32, 24);
            seeds.add(part10Seed("explicit-le-undefined-lengths", ct, UID.ExplicitVRLittleEndian, true, true, false));
            seeds.add(part10Seed("explicit-le-defined-lengths", ct, UID.ExplicitVRLittleEndian, false, false, false));
            seeds.add(part10Seed("explicit-le-mixed-lengths", ct, UID.ExplicitVRLittleEndian, true, false, false));
            seeds.add(new Seed("implicit-le-raw", raw(ct, UID.ImplicitVRLittleEndian, false), UID.ImplicitVRLittleEndian,
                    false, 0, null));
            seeds.add(new Seed("implicit-le-raw-undefined", raw(ct, UID.ImplicitVRLittleEndian, true),
                    UID.ImplicitVRLittleEndian, false, 0, null));
            seeds.add(part10Seed("explicit-be", ct, UID.ExplicitVRBigEndian, false, true, true));
            byte[] meta = metaOnly(ct, UID.DeflatedExplicitVRLittleEndian);
            byte[] body = raw(ct, UID.ExplicitVRLittleEndian, true);
            byte[] z = deflate(body);
            byte[] deflated = new byte[meta.length + z.length];
            System.arraycopy(meta, 0, deflated, 0, meta.length);
            System.arraycopy(z, 0, deflated, meta.length, z.length);
            seeds.add(new Seed("deflated", deflated, null, false, meta.length, body));
            seeds.add(part10Seed("encapsulated-jpeg", encapsulated(), UID.JPEGBaseline8Bit, true, true, false));
            seeds.add(part10Seed("sr-deep-undefined", report(5, 3), UID.ExplicitVRLittleEndian, true, true, false));
            seeds.add(part10Seed("sr-deep-defined-implicit", report(5, 3), UID.ImplicitVRLittleEndian, false, false,
                    false));
            seeds.add(part10Seed("multibyte-charsets", charsets(), UID.ExplicitVRLittleEndian, false, true, false));
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Seed part10Seed(String name, Attributes ds, String tsuid, boolean undefinedSequences,
            boolean undefinedItems, boolean bigEndian) throws IOException {
        return new Seed(name, part10(ds, tsuid, undefinedSequences, undefinedItems), null, bigEndian,
                metaOnly(ds, tsuid).length, null);
    }

    static byte[] part10(Attributes ds, String tsuid, boolean undefinedSequences, boolean undefinedItems)
            throws IOException {
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bout)) {
            out.setUndefinedLengths(undefinedSequences, undefinedItems);
            out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(ds.getString(Tag.SOPClassUID),
                    ds.getString(Tag.SOPInstanceUID), tsuid));
            out.writeDataset(ds);
        }
        return bout.toByteArray();
    }

    static byte[] raw(Attributes ds, String tsuid, boolean undefined) throws IOException {
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bout, tsuid)) {
            out.setUndefinedLengths(undefined, undefined);
            out.writeDataset(ds);
        }
        return bout.toByteArray();
    }

    static byte[] metaOnly(Attributes ds, String tsuid) throws IOException {
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        DicomOutputStream.writeFileMetaInformation(bout, DicomOutputStream.createFileMetaInformation(
                ds.getString(Tag.SOPClassUID), ds.getString(Tag.SOPInstanceUID), tsuid));
        return bout.toByteArray();
    }

    /** Raw deflate of b (what a Deflated Explicit VR Little Endian data set is). */
    static byte[] deflate(byte[] b) {
        ByteArrayOutputStream z = new ByteArrayOutputStream(b.length / 2 + 64);
        try (DeflaterOutputStream out = new DeflaterOutputStream(z, new Deflater(1, true))) {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return z.toByteArray();
    }

    /** A small image with nested sequences, private elements (with and without a dictionary entry), overlays. */
    static Attributes image(int rows, int columns) {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        a.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, "2.25.81726354098172635409817263540981");
        a.setString(Tag.StudyDate, VR.DA, "20250101");
        a.setString(Tag.Modality, VR.CS, "CT");
        a.setString(Tag.PatientName, VR.PN, "Ñandú^Zoë=山田^太郎");
        a.setString(Tag.PatientID, VR.LO, "FUZZ-1");
        a.setNull(Tag.PatientBirthDate, VR.DA);
        a.setDouble(Tag.SliceThickness, VR.DS, 0.625);
        a.setInt(Tag.InstanceNumber, VR.IS, 7);
        a.setDouble(Tag.ImagePositionPatient, VR.DS, -200.5, 13.25, 99);
        a.setLong(Tag.SimpleFrameList, VR.UL, 1, 0xFFFFFFFEL);
        a.setFloat(Tag.RecommendedDisplayFrameRateInFloat, VR.FL, 12.5f);
        a.setDouble(Tag.DiffusionBValue, VR.FD, 800.5);
        a.setInt(Tag.FrameIncrementPointer, VR.AT, Tag.FrameTime);
        a.setString(Tag.ImageComments, VR.LT, "fuzz seed \\ with backslash\r\nsecond line");
        a.setString("MOSAIC FUZZ", 0x00191010, VR.LO, "private text");
        a.setBytes("MOSAIC FUZZ", 0x00191011, VR.OB, new byte[] {1, 2, 3, 4, 5});
        a.setBytes("SIEMENS CSA HEADER", 0x00291010, VR.OB, new byte[] {'S', 'V', '1', '0', 4, 3, 2, 1});
        Sequence series = a.newSequence(Tag.ReferencedSeriesSequence, 3);
        for (int i = 0; i < 3; i++) {
            Attributes item = series.addNewItem();
            item.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1." + i);
            Sequence inner = item.newSequence(Tag.ReferencedInstanceSequence, 2);
            for (int k = 0; k < 2; k++) {
                Attributes innerItem = inner.addNewItem();
                innerItem.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
                innerItem.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.826.0.1." + i + "." + k);
                innerItem.newSequence(Tag.PurposeOfReferenceCodeSequence, 1).addNewItem()
                        .setString(Tag.CodeValue, VR.SH, "121311");
            }
        }
        a.newSequence(Tag.ReferencedStudySequence, 0);
        a.newSequence(Tag.ReferencedPatientSequence, 1).addNewItem();
        a.setInt(Tag.SamplesPerPixel, VR.US, 1);
        a.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        a.setInt(Tag.Rows, VR.US, rows);
        a.setInt(Tag.Columns, VR.US, columns);
        a.setInt(Tag.BitsAllocated, VR.US, 16);
        a.setInt(Tag.BitsStored, VR.US, 12);
        a.setInt(Tag.HighBit, VR.US, 11);
        a.setInt(Tag.PixelRepresentation, VR.US, 1);
        a.setInt(Tag.SmallestImagePixelValue, VR.SS, -1000);
        a.setInt(0x60000010, VR.US, 8);
        a.setBytes(0x60003000, VR.OW, new byte[] {1, 0, 2, 0});
        byte[] pixels = new byte[rows * columns * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 13);
        }
        a.setBytes(Tag.PixelData, VR.OW, pixels);
        return a;
    }

    /** JPEG-like encapsulated pixel data: an offset table and several fragments (one odd, one empty). */
    static Attributes encapsulated() {
        Attributes a = image(2, 2);
        a.remove(Tag.PixelData);
        a.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        a.setInt(Tag.NumberOfFrames, VR.IS, 2);
        Fragments f = new Fragments(VR.OB, false, 4);
        f.add(new byte[] {0, 0, 0, 0, 20, 0, 0, 0});
        f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, 5, 6, 7, 8, (byte) 0xFF, (byte) 0xD9});
        f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 9, 9, 9});
        f.add(new byte[0]);
        f.add(new byte[] {8, 7, 6, 5, (byte) 0xFF, (byte) 0xD9});
        a.setFragments(Tag.PixelData, f);
        return a;
    }

    /**
     * A structured report: a CONTAINER root whose Content Sequence nests {@code depth} levels, each item
     * having {@code fanout} children (TEXT, CODE and NUM leaves).
     */
    static Attributes report(int depth, int fanout) {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.SOPClassUID, VR.UI, UID.ComprehensiveSRStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, "2.25.1029384756102938475610293847561");
        a.setString(Tag.Modality, VR.CS, "SR");
        a.setString(Tag.PatientName, VR.PN, "Report^Fuzz");
        a.setString(Tag.ValueType, VR.CS, "CONTAINER");
        a.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        concept(a, "126000", "Imaging Measurement Report");
        fill(a, depth, fanout, "1");
        return a;
    }

    private static void fill(Attributes parent, int depth, int fanout, String path) {
        if (depth == 0) {
            return;
        }
        Sequence content = parent.newSequence(Tag.ContentSequence, fanout);
        for (int i = 0; i < fanout; i++) {
            Attributes item = content.addNewItem();
            item.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
            String p = path + "." + (i + 1);
            if (depth > 1 && i == 0) {
                item.setString(Tag.ValueType, VR.CS, "CONTAINER");
                item.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
                concept(item, "125007", "Measurement Group " + p);
                fill(item, depth - 1, fanout, p);
            } else if (i % 3 == 1) {
                item.setString(Tag.ValueType, VR.CS, "NUM");
                concept(item, "410668003", "Length");
                Attributes mv = item.newSequence(Tag.MeasuredValueSequence, 1).addNewItem();
                mv.setDouble(Tag.NumericValue, VR.DS, 12.5 + i);
                Attributes units = mv.newSequence(Tag.MeasurementUnitsCodeSequence, 1).addNewItem();
                units.setString(Tag.CodeValue, VR.SH, "mm");
                units.setString(Tag.CodingSchemeDesignator, VR.SH, "UCUM");
                units.setString(Tag.CodeMeaning, VR.LO, "millimeter");
            } else if (i % 3 == 2) {
                item.setString(Tag.ValueType, VR.CS, "CODE");
                concept(item, "121071", "Finding");
                Attributes code = item.newSequence(Tag.ConceptCodeSequence, 1).addNewItem();
                code.setString(Tag.CodeValue, VR.SH, "108369006");
                code.setString(Tag.CodingSchemeDesignator, VR.SH, "SCT");
                code.setString(Tag.CodeMeaning, VR.LO, "Neoplasm");
            } else {
                item.setString(Tag.ValueType, VR.CS, "TEXT");
                concept(item, "121106", "Comment");
                item.setString(Tag.TextValue, VR.UT, "Item " + p + ": no change since the prior study.");
            }
        }
    }

    private static void concept(Attributes item, String value, String meaning) {
        Attributes c = item.newSequence(Tag.ConceptNameCodeSequence, 1).addNewItem();
        c.setString(Tag.CodeValue, VR.SH, value);
        c.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        c.setString(Tag.CodeMeaning, VR.LO, meaning);
    }

    /** Strings in multi-byte character sets: UTF-8 data set, an item declaring ISO 2022 with JIS escapes. */
    static Attributes charsets() {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, "2.25.5647382910564738291056473829105");
        a.setString(Tag.PatientName, VR.PN, "Wang^XiaoDong=王^小東=");
        a.setString(Tag.StudyDescription, VR.LO, "Κοιλιά 腹部 복부 Живот");
        a.setString(Tag.InstitutionName, VR.LO, "Hôpital 🏥");
        Attributes item = a.newSequence(Tag.OtherPatientIDsSequence, 1).addNewItem();
        item.setBytes(Tag.SpecificCharacterSet, VR.CS, "\\ISO 2022 IR 87".getBytes(StandardCharsets.US_ASCII));
        // "Yamada^Tarou=" then JIS X 0208 "山田^太郎" between ESC $ B and ESC ( B
        byte[] jis = {'Y', 'a', 'm', 'a', 'd', 'a', '^', 'T', 'a', 'r', 'o', 'u', '=',
            0x1B, 0x24, 0x42, 0x3B, 0x33, 0x45, 0x44, 0x1B, 0x28, 0x42, '^',
            0x1B, 0x24, 0x42, 0x42, 0x40, 0x4F, 0x3A, 0x1B, 0x28, 0x42};
        item.setBytes(Tag.PatientName, VR.PN, jis);
        item.setString(Tag.PatientID, VR.LO, "JIS-1");
        Attributes gb = a.newSequence(Tag.ReferencedPatientSequence, 1).addNewItem();
        gb.setBytes(Tag.SpecificCharacterSet, VR.CS, "GB18030 ".getBytes(StandardCharsets.US_ASCII));
        gb.setBytes(Tag.PatientName, VR.PN, "Wang^XiaoDong=王^小东".getBytes(java.nio.charset.Charset.forName("GB18030")));
        return a;
    }
}
