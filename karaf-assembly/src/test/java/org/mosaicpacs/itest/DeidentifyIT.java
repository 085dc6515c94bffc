package org.mosaicpacs.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * new study of an archived one, stored and indexed, and mosaic:deidentify-map leads back to the original; an
 * HTTP client tied to a remote AE marked for de-identification on retrieve ({@code mosaic:ae-add --web-client})
 * gets WADO de-identified, with the UIDs the same AE gets over C-GET, and no QIDO-RS answer.
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
        awaitArchiveUp("the archive to be up");
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

    @Test
    public void aMarkedWebClientGetsWadoDeidentifiedWithTheUIDsOfCGet() throws Exception {
        awaitArchiveUp("the archive to be up");
        String study = STUDY + ".2";
        IngestService ingest = service(IngestService.class, null);
        for (int i = 1; i <= 2; i++) {
            IngestResult r = ingest.ingest(new ByteArrayInputStream(instance(study, study + ".1." + i)),
                    new Origin("CT01", "MOSAIC", ""));
            assertTrue(r.message(), r.outcome().isAcknowledged());
        }
        String wadoUri = "/dicom-web/wado?requestType=WADO&contentType=application/dicom&studyUID=" + study
                + "&seriesUID=" + study + ".1&objectUID=" + study + ".1.1";
        byte[] before = bytes(wadoUri);
        assertTrue("not marked yet: as stored", new String(before, StandardCharsets.ISO_8859_1).contains("DOE^JANE"));

        executeCommand("feature:install mosaic-deidentify");
        service(Deidentifier.class, "(deidentifier.type=annex-e)");
        String added = executeCommand("mosaic:ae-add --deidentify-retrieve basic --web-client 127.0.0.1 "
                + "--web-client ::1 WEBRESEARCH 127.0.0.1 11119");
        assertTrue(added, added.contains("web clients: 127.0.0.1, ::1"));
        String list = executeCommand("mosaic:ae-list");
        assertTrue(list, list.contains("WEBRESEARCH") && list.contains("127.0.0.1"));

        byte[] wado = bytes(wadoUri);
        String text = new String(wado, StandardCharsets.ISO_8859_1);
        assertFalse(text, text.contains("DOE^JANE") || text.contains("PID-0815") || text.contains("General Hospital"));
        Attributes viaWado = part10(wado);
        assertEquals("YES", viaWado.getString(Tag.PatientIdentityRemoved));
        assertNotEquals(study, viaWado.getString(Tag.StudyInstanceUID));

        HttpAnswer metadata = httpGet("/dicom-web/studies/" + study + "/metadata?accept=application/dicom%2Bjson");
        assertEquals(metadata.body(), 200, metadata.status());
        assertFalse(metadata.body(), metadata.body().contains("DOE^JANE") || metadata.body().contains("PID-0815"));
        assertTrue(metadata.body(), metadata.body().contains(viaWado.getString(Tag.StudyInstanceUID)));
        HttpAnswer qido = httpGet("/dicom-web/studies?PatientID=PID-0815");
        assertEquals(qido.body(), 403, qido.status());

        // the same AE over C-GET (dcmtk's getscu as WEBRESEARCH): the same pseudonymous UIDs
        Path out = Files.createTempDirectory("deidentify-it-getscu");
        Process getscu;
        try {
            getscu = new ProcessBuilder("getscu", "-S", "-aet", "WEBRESEARCH", "-aec", "MOSAIC", "127.0.0.1",
                    System.getProperty("mosaic.dicom.port"), "-od", out.toString(), "-k", "QueryRetrieveLevel=STUDY",
                    "-k", "StudyInstanceUID=" + study).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            org.junit.Assume.assumeNoException("dcmtk's getscu is not installed", e);
            return;
        }
        String log = new String(getscu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(log, 0, getscu.waitFor());
        List<Attributes> viaCGet = new java.util.ArrayList<>();
        try (var files = Files.list(out)) {
            for (Path f : files.toList()) {
                viaCGet.add(part10(Files.readAllBytes(f)));
            }
        }
        assertEquals(log, 2, viaCGet.size());
        assertTrue(viaCGet.stream().anyMatch(a -> a.getString(Tag.SOPInstanceUID).equals(viaWado.getString(Tag.SOPInstanceUID))));
        for (Attributes a : viaCGet) {
            assertEquals(viaWado.getString(Tag.StudyInstanceUID), a.getString(Tag.StudyInstanceUID));
            assertEquals(viaWado.getString(Tag.SeriesInstanceUID), a.getString(Tag.SeriesInstanceUID));
            assertEquals(viaWado.getString(Tag.PatientID), a.getString(Tag.PatientID));
        }
        executeCommand("mosaic:ae-remove WEBRESEARCH");
    }

    private static byte[] bytes(String path) throws Exception {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:"
                + System.getProperty("mosaic.http.port") + path).openConnection();
        int status = c.getResponseCode();
        if (status != 200) {
            throw new AssertionError(path + ": " + status + " " + new String(c.getErrorStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        try (InputStream in = c.getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static Attributes part10(byte[] bytes) throws Exception {
        try (DicomInputStream dis = new DicomInputStream(new ByteArrayInputStream(bytes))) {
            dis.readFileMetaInformation();
            return dis.readDataset();
        }
    }

    private static byte[] instance(String sop) throws Exception {
        return instance(STUDY, sop);
    }

    private static byte[] instance(String study, String sop) throws Exception {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, study + ".1");
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
