package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/** Test data: small images made with dicom-core. */
final class Fixtures {

    static final String[] SYNTAXES = {UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian,
        UID.ExplicitVRBigEndian, UID.DeflatedExplicitVRLittleEndian};

    private Fixtures() {
    }

    static Attributes image(String cuid, String patientId, String studyUid, String seriesUid, String iuid,
            int rows) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, cuid);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.Modality, VR.CS, cuid.equals(UID.MRImageStorage) ? "MR" : "CT");
        ds.setString(Tag.PatientName, VR.PN, "Test^" + patientId);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setString(Tag.AccessionNumber, VR.SH, "A" + patientId);
        ds.setInt(Tag.SeriesNumber, VR.IS, 1);
        ds.setInt(Tag.InstanceNumber, VR.IS, 1);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, 64);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.newSequence(Tag.ReferencedStudySequence, 1).addNewItem()
                .setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.3.1.2.3.1")
                .setString(Tag.ReferencedSOPInstanceUID, VR.UI, studyUid + ".9");
        byte[] pixels = new byte[rows * 64 * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (byte) (i * 7);
            pixels[i + 1] = (byte) ((i >> 8) & 0x0F);
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }

    static Path write(Path dir, Attributes ds, String tsuid) throws IOException {
        Path file = dir.resolve(ds.getString(Tag.SOPInstanceUID) + ".dcm");
        DicomOutputStream.writeFile(file, ds, tsuid);
        return file;
    }

    static Attributes read(Path file) throws IOException {
        try (DicomInputStream in = new DicomInputStream(file)) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    static String transferSyntax(Path file) throws IOException {
        try (DicomInputStream in = new DicomInputStream(file)) {
            return in.readFileMetaInformation().getString(Tag.TransferSyntaxUID);
        }
    }

    /** The bytes of the data set after the file meta information. */
    static byte[] datasetBytes(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int len = (all[140] & 0xFF) | (all[141] & 0xFF) << 8 | (all[142] & 0xFF) << 16 | (all[143] & 0xFF) << 24;
        return Arrays.copyOfRange(all, 144 + len, all.length);
    }

    /** A deflated data set of odd length is sent with a trailing zero byte (PS3.5 A.5). */
    static byte[] evenLength(byte[] b) {
        return (b.length & 1) == 0 ? b : Arrays.copyOf(b, b.length + 1);
    }

    /** Compares two data sets element by element, as strings for text and as little endian bytes otherwise. */
    static String diff(Attributes a, Attributes b) {
        StringBuilder sb = new StringBuilder();
        for (int tag : a.tags()) {
            if (Tag.isGroupLength(tag)) {
                continue;
            }
            if (!b.contains(tag)) {
                sb.append(String.format("missing %08X%n", tag));
                continue;
            }
            if (a.getVR(tag) == VR.SQ) {
                if (a.getSequence(tag).size() != b.getSequence(tag).size()) {
                    sb.append(String.format("sequence size %08X%n", tag));
                }
                continue;
            }
            byte[] x = a.getBytes(tag, false);
            byte[] y = b.getBytes(tag, false);
            if (!Arrays.equals(x, y)) {
                sb.append(String.format("differs %08X%n", tag));
            }
        }
        for (int tag : b.tags()) {
            if (!a.contains(tag) && !Tag.isGroupLength(tag)) {
                sb.append(String.format("extra %08X%n", tag));
            }
        }
        return sb.toString();
    }

    static String run(long timeoutSeconds, Path workDir, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Process p = pb.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            // the tools print little; read it all, bounded by the process ending
            out = in.readAllBytes();
        }
        if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timeout: " + String.join(" ", cmd));
        }
        String text = new String(out);
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + text);
        }
        return text;
    }
}
