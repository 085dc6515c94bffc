package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.json.DicomJsonParser;

/**
 * QIDO-RS answers and WADO-RS metadata compared with dcmtk's {@code dcm2json} of the stored files: files
 * made here, and with {@code MOSAIC_CORPUS} set, up to 40 files of its {@code realistic/} folder.
 * Skipped without dcmtk.
 */
class Dcm2jsonComparisonTest {

    private static final Path DCM2JSON = Path.of("/usr/bin/dcm2json");

    @TempDir
    Path temp;

    @Test
    void qidoAndMetadataEqualDcm2json() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DCM2JSON), "dcmtk's dcm2json is not installed");
        List<Path> files = new ArrayList<>();
        files.add(TestData.write(temp.resolve("in"), TestData.ct("1.4.1", "1.4.1.1", "1.4.1.1.1", "Müller^Jürgen", "Q1", "20240105", 1, 1), UID.ExplicitVRLittleEndian));
        files.add(TestData.write(temp.resolve("in"), TestData.ct("1.4.2", "1.4.2.1", "1.4.2.1.1", "ROE^RICHARD^^DR", "Q2", "20230301", 7, 2), UID.ImplicitVRLittleEndian));
        String corpus = System.getProperty("MOSAIC_CORPUS", System.getenv("MOSAIC_CORPUS"));
        if (corpus != null && Files.isDirectory(Path.of(corpus, "realistic"))) {
            try (Stream<Path> s = Files.walk(Path.of(corpus, "realistic"))) {
                s.filter(Files::isRegularFile).sorted().limit(40).forEach(files::add);
            }
        }
        int compared = 0;
        try (Fixture web = new Fixture(temp.resolve("archive"))) {
            for (Path file : files) {
                IngestResult stored = web.ingest.ingest(file, new Origin("TEST", "MOSAIC", ""));
                if (!stored.outcome().isAcknowledged()) {
                    continue; // the archive's rules (e.g. a required Patient ID) are not what is compared here
                }
                Attributes peer = dcm2json(file);
                if (peer == null) {
                    continue; // dcm2json refuses some files (compressed pixel data inline)
                }
                String study = peer.getString(Tag.StudyInstanceUID);
                String series = peer.getString(Tag.SeriesInstanceUID);
                String sop = peer.getString(Tag.SOPInstanceUID);
                Attributes match = Fixture.jsonArray(web.get("/studies/" + study + "/series/" + series
                        + "/instances?SOPInstanceUID=" + sop + "&includefield=all").body()).get(0);
                for (int tag : new int[] {Tag.SOPClassUID, Tag.InstanceNumber, Tag.Rows, Tag.Columns, Tag.BitsAllocated,
                    Tag.NumberOfFrames, Tag.StudyInstanceUID, Tag.SeriesInstanceUID}) {
                    assertSame(peer, match, tag, file + " QIDO instance");
                }
                Attributes seriesMatch = Fixture.jsonArray(web.get("/studies/" + study + "/series?SeriesInstanceUID=" + series).body()).get(0);
                for (int tag : new int[] {Tag.Modality, Tag.SeriesNumber, Tag.SeriesDescription}) {
                    assertSame(peer, seriesMatch, tag, file + " QIDO series");
                }
                Attributes studyMatch = Fixture.jsonArray(web.get("/studies?StudyInstanceUID=" + study
                        + "&PatientID=" + URLEncoder.encode(peer.getString(Tag.PatientID, ""), StandardCharsets.UTF_8)).body()).get(0);
                for (int tag : new int[] {Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex,
                    Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber, Tag.StudyID}) {
                    assertSame(peer, studyMatch, tag, file + " QIDO study");
                }
                List<Attributes> metadata = Fixture.jsonArray(web.get("/studies/" + study + "/series/" + series
                        + "/instances/" + sop + "/metadata").body());
                assertEquals(1, metadata.size());
                Attributes ours = metadata.get(0);
                for (int i = 0; i < peer.size(); i++) {
                    int tag = peer.tagAt(i);
                    VR vr = peer.vrAt(i);
                    if (tag == Tag.SpecificCharacterSet || vr.isBinary() && vr != VR.US && vr != VR.SS
                            && vr != VR.UL && vr != VR.SL && vr != VR.FL && vr != VR.FD || vr == VR.UN) {
                        continue; // dcm2json rewrites (0008,0005); binary values are BulkDataURIs or inline
                    }
                    if (vr == VR.SQ) {
                        assertEquals(peer.getSequence(tag).size(), ours.getSequence(tag) == null ? 0 : ours.getSequence(tag).size(),
                                file + " items of " + Integer.toHexString(tag));
                    } else {
                        assertSame(peer, ours, tag, file + " metadata");
                    }
                }
                compared++;
            }
        }
        System.out.println("Dcm2jsonComparisonTest: " + compared + " of " + files.size() + " files compared with dcm2json");
        assertTrue(compared >= 2, "compared " + compared + " files");
    }

    private static void assertSame(Attributes expected, Attributes actual, int tag, String what) {
        VR vr = expected.getVR(tag);
        String where = what + " " + String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
        if (vr == null) {
            String[] v = actual.getStrings(tag);
            assertTrue(v == null || v.length == 0 || v.length == 1 && v[0].isEmpty(), where + " absent in the file, not in ours");
            return;
        }
        if (vr == VR.DS || vr == VR.IS || vr == VR.FL || vr == VR.FD || vr == VR.US || vr == VR.SS || vr == VR.UL || vr == VR.SL) {
            assertArrayEquals(expected.getDoubles(tag), actual.getDoubles(tag), 1e-9, where);
        } else {
            assertArrayEquals(expected.getStrings(tag), actual.getStrings(tag), where);
        }
    }

    private Attributes dcm2json(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(DCM2JSON.toString(), "-fc", "-q", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.length == 0) {
            return null;
        }
        return new DicomJsonParser(new ByteArrayInputStream(out)).parse();
    }
}
