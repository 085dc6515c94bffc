package org.mosaicpacs.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/**
 * The files the benchmarks parse: a CT image (512x512, 16 bits, Explicit VR Little Endian, about 0.5 MB)
 * and a deep structured report (thousands of content items, nested several levels) written with defined
 * and with undefined lengths. Run as a program to write them into a folder, so that other tools (dcmdump,
 * pydicom) parse the very same files:
 *
 * <pre>java -cp benchmarks.jar org.mosaicpacs.bench.BenchFiles DIR</pre>
 *
 * When the environment variable or system property MOSAIC_CORPUS names a corpus made by make-corpus.py,
 * its {@code variants/ct/explicit.dcm} is used as the CT file instead of the generated one.
 */
public final class BenchFiles {

    public static final String CT = "ct-explicit-le.dcm";
    public static final String SR_DEFINED = "sr-deep-defined.dcm";
    public static final String SR_UNDEFINED = "sr-deep-undefined.dcm";

    private BenchFiles() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Paths.get(args.length > 0 ? args[0] : "bench-files");
        write(dir);
        for (String name : new String[] {CT, SR_DEFINED, SR_UNDEFINED}) {
            System.out.println(name + "\t" + Files.size(dir.resolve(name)));
        }
        System.out.println("SR content items: " + countContentItems(report()));
    }

    /** Writes the three files into dir (created if needed) unless they are there already. */
    public static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path ct = dir.resolve(CT);
        if (!Files.exists(ct)) {
            String corpus = System.getProperty("MOSAIC_CORPUS", System.getenv("MOSAIC_CORPUS"));
            Path fromCorpus = corpus == null || corpus.isEmpty() ? null
                    : Paths.get(corpus, "variants", "ct", "explicit.dcm");
            if (fromCorpus != null && Files.isRegularFile(fromCorpus)) {
                Files.copy(fromCorpus, ct, StandardCopyOption.REPLACE_EXISTING);
            } else {
                writeFile(ct, ct(), UID.ExplicitVRLittleEndian, false);
            }
        }
        Attributes sr = null;
        if (!Files.exists(dir.resolve(SR_DEFINED))) {
            sr = report();
            writeFile(dir.resolve(SR_DEFINED), sr, UID.ExplicitVRLittleEndian, false);
        }
        if (!Files.exists(dir.resolve(SR_UNDEFINED))) {
            sr = sr != null ? sr : report();
            writeFile(dir.resolve(SR_UNDEFINED), sr, UID.ExplicitVRLittleEndian, true);
        }
    }

    static void writeFile(Path file, Attributes ds, String tsuid, boolean undefinedLengths) throws IOException {
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bout)) {
            out.setUndefinedLengths(undefinedLengths, undefinedLengths);
            out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(ds.getString(Tag.SOPClassUID),
                    ds.getString(Tag.SOPInstanceUID), tsuid));
            out.writeDataset(ds);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            bout.writeTo(out);
        }
    }

    /** A CT image with a typical header and 512x512 16-bit pixels. */
    static Attributes ct() {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        a.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        a.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, "2.25.300000000000000000000000000000000001");
        a.setString(Tag.StudyDate, VR.DA, "20250101");
        a.setString(Tag.SeriesDate, VR.DA, "20250101");
        a.setString(Tag.ContentDate, VR.DA, "20250101");
        a.setString(Tag.StudyTime, VR.TM, "101010.000");
        a.setString(Tag.ContentTime, VR.TM, "101012.125");
        a.setString(Tag.AccessionNumber, VR.SH, "ACC0001");
        a.setString(Tag.Modality, VR.CS, "CT");
        a.setString(Tag.Manufacturer, VR.LO, "Mosaic Bench");
        a.setString(Tag.InstitutionName, VR.LO, "Bench Hospital");
        a.setString(Tag.ReferringPhysicianName, VR.PN, "Doe^Jane");
        a.setString(Tag.StudyDescription, VR.LO, "CT CHEST W/O CONTRAST");
        a.setString(Tag.SeriesDescription, VR.LO, "AXIAL 1.0 B30f");
        Sequence procedure = a.newSequence(Tag.ProcedureCodeSequence, 1);
        Attributes code = procedure.addNewItem();
        code.setString(Tag.CodeValue, VR.SH, "CTCHEST");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "99LOCAL");
        code.setString(Tag.CodeMeaning, VR.LO, "CT Chest");
        a.setString(Tag.PatientName, VR.PN, "Bench^Patient");
        a.setString(Tag.PatientID, VR.LO, "BENCH-0001");
        a.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        a.setString(Tag.PatientSex, VR.CS, "O");
        a.setString(Tag.BodyPartExamined, VR.CS, "CHEST");
        a.setDouble(Tag.SliceThickness, VR.DS, 1.0);
        a.setDouble(Tag.KVP, VR.DS, 120);
        a.setDouble(Tag.DataCollectionDiameter, VR.DS, 500);
        a.setDouble(Tag.ReconstructionDiameter, VR.DS, 350);
        a.setInt(Tag.XRayTubeCurrent, VR.IS, 200);
        a.setString(Tag.ConvolutionKernel, VR.SH, "B30f");
        a.setString(Tag.PatientPosition, VR.CS, "HFS");
        a.setString(Tag.StudyInstanceUID, VR.UI, "2.25.300000000000000000000000000000000002");
        a.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.300000000000000000000000000000000003");
        a.setInt(Tag.SeriesNumber, VR.IS, 2);
        a.setInt(Tag.InstanceNumber, VR.IS, 42);
        a.setDouble(Tag.ImagePositionPatient, VR.DS, -175.5, -175.5, -42.25);
        a.setDouble(Tag.ImageOrientationPatient, VR.DS, 1, 0, 0, 0, 1, 0);
        a.setString(Tag.FrameOfReferenceUID, VR.UI, "2.25.300000000000000000000000000000000004");
        a.setDouble(Tag.SliceLocation, VR.DS, -42.25);
        a.setInt(Tag.SamplesPerPixel, VR.US, 1);
        a.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        a.setInt(Tag.Rows, VR.US, 512);
        a.setInt(Tag.Columns, VR.US, 512);
        a.setDouble(Tag.PixelSpacing, VR.DS, 0.68359375, 0.68359375);
        a.setInt(Tag.BitsAllocated, VR.US, 16);
        a.setInt(Tag.BitsStored, VR.US, 12);
        a.setInt(Tag.HighBit, VR.US, 11);
        a.setInt(Tag.PixelRepresentation, VR.US, 0);
        a.setDouble(Tag.WindowCenter, VR.DS, 40);
        a.setDouble(Tag.WindowWidth, VR.DS, 400);
        a.setDouble(Tag.RescaleIntercept, VR.DS, -1024);
        a.setDouble(Tag.RescaleSlope, VR.DS, 1);
        a.setString(Tag.RescaleType, VR.LO, "HU");
        byte[] pixels = new byte[512 * 512 * 2];
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                int dx = x - 256;
                int dy = y - 256;
                int v = dx * dx + dy * dy < 200 * 200 ? 1024 + 40 + ((x * 7 + y * 3) & 31) : 24;
                int i = 2 * (y * 512 + x);
                pixels[i] = (byte) v;
                pixels[i + 1] = (byte) (v >>> 8);
            }
        }
        a.setBytes(Tag.PixelData, VR.OW, pixels);
        return a;
    }

    /** A Comprehensive SR: containers nested 6 deep, each with 3 sub-containers and 10 leaves. */
    static Attributes report() {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.SOPClassUID, VR.UI, UID.ComprehensiveSRStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, "2.25.300000000000000000000000000000000010");
        a.setString(Tag.StudyInstanceUID, VR.UI, "2.25.300000000000000000000000000000000002");
        a.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.300000000000000000000000000000000011");
        a.setString(Tag.Modality, VR.CS, "SR");
        a.setString(Tag.PatientName, VR.PN, "Bench^Patient");
        a.setString(Tag.PatientID, VR.LO, "BENCH-0001");
        a.setString(Tag.ValueType, VR.CS, "CONTAINER");
        a.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
        a.setString(Tag.CompletionFlag, VR.CS, "COMPLETE");
        a.setString(Tag.VerificationFlag, VR.CS, "UNVERIFIED");
        concept(a, "126000", "DCM", "Imaging Measurement Report");
        container(a, 6, "1");
        return a;
    }

    private static void container(Attributes parent, int depth, String path) {
        if (depth == 0) {
            return;
        }
        int containers = depth > 1 ? 3 : 0;
        Sequence content = parent.newSequence(Tag.ContentSequence, containers + 10);
        for (int i = 0; i < containers + 10; i++) {
            Attributes item = content.addNewItem();
            item.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
            String p = path + "." + (i + 1);
            if (i < containers) {
                item.setString(Tag.ValueType, VR.CS, "CONTAINER");
                item.setString(Tag.ContinuityOfContent, VR.CS, "SEPARATE");
                concept(item, "125007", "DCM", "Measurement Group " + p);
                container(item, depth - 1, p);
            } else if (i % 3 == 0) {
                item.setString(Tag.ValueType, VR.CS, "NUM");
                concept(item, "410668003", "SCT", "Length");
                Attributes mv = item.newSequence(Tag.MeasuredValueSequence, 1).addNewItem();
                mv.setDouble(Tag.NumericValue, VR.DS, 10 + i * 0.25);
                Attributes units = mv.newSequence(Tag.MeasurementUnitsCodeSequence, 1).addNewItem();
                units.setString(Tag.CodeValue, VR.SH, "mm");
                units.setString(Tag.CodingSchemeDesignator, VR.SH, "UCUM");
                units.setString(Tag.CodeMeaning, VR.LO, "millimeter");
            } else if (i % 3 == 1) {
                item.setString(Tag.ValueType, VR.CS, "CODE");
                concept(item, "121071", "DCM", "Finding");
                Attributes c = item.newSequence(Tag.ConceptCodeSequence, 1).addNewItem();
                c.setString(Tag.CodeValue, VR.SH, "108369006");
                c.setString(Tag.CodingSchemeDesignator, VR.SH, "SCT");
                c.setString(Tag.CodeMeaning, VR.LO, "Neoplasm");
            } else {
                item.setString(Tag.ValueType, VR.CS, "TEXT");
                concept(item, "121106", "DCM", "Comment");
                item.setString(Tag.TextValue, VR.UT, "Finding " + p + ": stable compared with the prior study.");
            }
        }
    }

    private static void concept(Attributes item, String value, String scheme, String meaning) {
        Attributes c = item.newSequence(Tag.ConceptNameCodeSequence, 1).addNewItem();
        c.setString(Tag.CodeValue, VR.SH, value);
        c.setString(Tag.CodingSchemeDesignator, VR.SH, scheme);
        c.setString(Tag.CodeMeaning, VR.LO, meaning);
    }

    static int countContentItems(Attributes a) {
        Sequence s = a.getSequence(Tag.ContentSequence);
        int n = 0;
        if (s != null) {
            for (Attributes item : s) {
                n += 1 + countContentItems(item);
            }
        }
        return n;
    }
}
