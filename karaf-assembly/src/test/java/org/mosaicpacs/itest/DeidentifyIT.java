package org.mosaicpacs.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * De-identification in the distribution: feature:install mosaic-deidentify, then mosaic:deidentify makes a
 * new study of an archived one, stored and indexed, and mosaic:deidentify-map leads back to the original.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeidentifyIT extends MosaicTestSupport {

    private static final String STUDY = "1.2.826.0.1.3680043.2.1143.4711";
    private static final Pattern NEW_STUDY = Pattern.compile(Pattern.quote(STUDY) + "\\s*\\|\\s*(2\\.25\\.[0-9]+)\\s*\\|\\s*3\\s*\\|");

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void mosaicDeidentifyMakesANewStudyAndKeepsTheMapping() throws Exception {
        await("the archive to be up", () -> httpGet("/health").status() == 200);
        IngestService ingest = service(IngestService.class, null);
        for (int i = 1; i <= 3; i++) {
            IngestResult r = ingest.ingest(new ByteArrayInputStream(instance(STUDY + ".1." + i)), new Origin("CT01", "MOSAIC", ""));
            assertTrue(r.message(), r.outcome().isAcknowledged());
        }

        executeCommand("feature:install mosaic-deidentify");
        service(Deidentifier.class, "(deidentifier.type=annex-e)");
        service(org.mosaicpacs.api.deidentify.StudyDeidentifier.class, null); // what mosaic:deidentify needs
        await("the profile basic", () -> executeCommand("mosaic:deidentify-profiles").contains("basic"));

        String output = executeCommand("mosaic:deidentify --profile basic --study " + STUDY);
        Matcher m = NEW_STUDY.matcher(output);
        assertTrue(output, m.find());
        String newStudy = m.group(1);
        assertNotEquals(STUDY, newStudy);

        ArchiveIndex index = service(ArchiveIndex.class, null);
        List<InstanceLocation> copies = index.locate(newStudy, null, null);
        assertEquals(3, copies.size());
        StorageBackend storage = service(StorageBackend.class, "(storage.id=" + copies.get(0).location().storageId() + ")");
        try (InputStream in = storage.read(copies.get(0).location().key()); DicomInputStream dis = new DicomInputStream(in)) {
            dis.readFileMetaInformation();
            Attributes ds = dis.readDataset();
            assertEquals("YES", ds.getString(Tag.PatientIdentityRemoved));
            assertTrue(ds.getString(Tag.PatientID), ds.getString(Tag.PatientID).startsWith("BASIC-"));
            assertFalse(ds.contains(Tag.InstitutionName));
        }

        String map = executeCommand("mosaic:deidentify-map --profile basic " + newStudy);
        assertTrue(map, map.contains(STUDY));
    }

    private static byte[] instance(String sop) throws Exception {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, STUDY + ".1");
        ds.setString(Tag.PatientName, VR.PN, "DOE^JANE");
        ds.setString(Tag.PatientID, VR.LO, "PID-0815");
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.InstitutionName, VR.LO, "General Hospital");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(buf)) {
            out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(UID.CTImageStorage, sop,
                    UID.ExplicitVRLittleEndian));
            out.writeDataset(ds);
        }
        return buf.toByteArray();
    }
}
