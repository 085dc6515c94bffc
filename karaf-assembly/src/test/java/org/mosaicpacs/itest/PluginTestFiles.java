package org.mosaicpacs.itest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/** Small Part 10 files the plugin tests send with storescu: one series, header only. */
final class PluginTestFiles {

    private PluginTestFiles() {
    }

    /** Writes {@code count} CT instances of one new series into {@code folder}. */
    static List<Path> series(Path folder, String seriesUID, int count) throws IOException {
        return series(folder, seriesUID, count, "PLUGIN^TEST", "PLUGIN-1");
    }

    /** Writes {@code count} CT instances of one new series of patient {@code patientID} into {@code folder}. */
    static List<Path> series(Path folder, String seriesUID, int count, String patientID) throws IOException {
        return series(folder, seriesUID, count, "PLUGIN^TEST", patientID);
    }

    /** Writes {@code count} CT instances of one new series of that patient into {@code folder}. */
    static List<Path> series(Path folder, String seriesUID, int count, String patientName, String patientID)
            throws IOException {
        Files.createDirectories(folder);
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String sop = seriesUID + "." + i;
            Attributes ds = new Attributes();
            ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
            ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
            ds.setString(Tag.StudyInstanceUID, VR.UI, seriesUID + ".0");
            ds.setString(Tag.SeriesInstanceUID, VR.UI, seriesUID);
            ds.setString(Tag.PatientName, VR.PN, patientName);
            ds.setString(Tag.PatientID, VR.LO, patientID);
            ds.setString(Tag.Modality, VR.CS, "CT");
            ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i));
            Path file = folder.resolve(sop + ".dcm");
            try (OutputStream os = Files.newOutputStream(file); DicomOutputStream out = new DicomOutputStream(os)) {
                out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(UID.CTImageStorage, sop,
                        UID.ExplicitVRLittleEndian));
                out.writeDataset(ds);
            }
            files.add(file);
        }
        return files;
    }
}
