package org.mosaicpacs.dimse.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.ElementDictionary;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DicomServiceException;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.DimseResponse;
import org.mosaicpacs.dicom.net.dimse.Status;

/**
 * C-FIND of the archive AE with the Derby index behind it: PS3.4 C.2.2.2 matching at every level through
 * DCMTK's findscu, hierarchical versus negotiated relational queries, combined date-time matching, the
 * case-insensitive PN option, and the result limit that ends with A700 instead of cutting silently.
 */
class ArchiveQueryTest {

    static final String S1 = "1.2.826.0.1.3680043.9.7434.1";
    static final String S2 = "1.2.826.0.1.3680043.9.7434.2";
    static final String S3 = "1.2.826.0.1.3680043.9.7434.3";

    @TempDir
    Path temp;

    TestArchive archive;

    @AfterEach
    void stop() {
        if (archive != null) {
            archive.close();
        }
    }

    /**
     * Two patients, three studies: S1 (Doe^Jane, 2024-01-01 23:50, CT 2 + MR 1), S2 (Doe^Jane, 2024-01-02 10:15,
     * CT 1), S3 (Smith^John, 2023-06-30 08:00, MR 1 with Request Attributes Sequence RP-7).
     */
    private void sample(int queryLimit, boolean caseInsensitivePN) throws Exception {
        archive = new TestArchive(temp.resolve("archive"), queryLimit, Map.of(), caseInsensitivePN);
        put("P1", "Doe^Jane", S1, "20240101", "235000", S1 + ".1", "CT", 1, null);
        put("P1", "Doe^Jane", S1, "20240101", "235000", S1 + ".1", "CT", 2, null);
        put("P1", "Doe^Jane", S1, "20240101", "235000", S1 + ".2", "MR", 1, null);
        put("P1", "Doe^Jane", S2, "20240102", "101500", S2 + ".1", "CT", 1, null);
        put("P2", "Smith^John", S3, "20230630", "080000", S3 + ".1", "MR", 1, "RP-7");
    }

    private void put(String pid, String name, String study, String date, String time, String series, String modality,
            int number, String requestedProcedureId) throws Exception {
        Attributes ds = TestArchive.image(pid, name, study, series, series + "." + number, number);
        ds.setString(Tag.StudyDate, VR.DA, date);
        ds.setString(Tag.StudyTime, VR.TM, time);
        ds.setString(Tag.SeriesDate, VR.DA, date);
        ds.setString(Tag.Modality, VR.CS, modality);
        if (requestedProcedureId != null) {
            ds.newSequence(Tag.RequestAttributesSequence, 1).addNewItem()
                    .setString(Tag.RequestedProcedureID, VR.SH, requestedProcedureId);
        }
        archive.put(ds, UID.ExplicitVRLittleEndian);
    }

    // ---- findscu against the running AE --------------------------------------------------------

    /** Runs findscu with the keys; returns the values of {@code returned} in the responses, sorted. */
    private List<String> findscu(String model, String returned, String... keys) throws Exception {
        Path out = Files.createTempDirectory(temp, "rsp");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/findscu", model, "-aec", "MOSAIC", "-X", "-od",
                out.toString()));
        for (String k : keys) {
            cmd.add("-k");
            cmd.add(k);
        }
        if (java.util.Arrays.stream(keys).noneMatch(k -> k.startsWith(returned + "="))) {
            cmd.add("-k");
            cmd.add(returned);
        }
        cmd.add("127.0.0.1");
        cmd.add(String.valueOf(archive.port()));
        TestArchive.Result r = TestArchive.run(60, cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        List<String> values = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                try (DicomInputStream in = new DicomInputStream(f)) {
                    in.readFileMetaInformation();
                    values.add(in.readDataset().getString(ElementDictionary.standard().tagForKeyword(returned)));
                }
            }
        }
        return new ArrayList<>(new TreeSet<>(values));
    }

    @Test
    void findscuMatchesEveryKindAtEveryLevel() throws Exception {
        assumeTrue(TestArchive.tool("findscu"), "findscu is not installed");
        sample(100, false);
        String pr = "-P";
        String sr = "-S";
        // PATIENT: single value, wildcards * and ?
        assertEquals(List.of("P1"), findscu(pr, "PatientID", "QueryRetrieveLevel=PATIENT", "PatientName=Doe^Jane"));
        assertEquals(List.of("P1"), findscu(pr, "PatientID", "QueryRetrieveLevel=PATIENT", "PatientName=D*"));
        assertEquals(List.of("P1", "P2"), findscu(pr, "PatientID", "QueryRetrieveLevel=PATIENT", "PatientID=P?"));
        assertEquals(List.of(), findscu(pr, "PatientID", "QueryRetrieveLevel=PATIENT", "PatientName=doe*"),
                "PN matching is case-sensitive unless configured");
        // STUDY: date range, open ranges, UID list, universal, aggregate
        assertEquals(List.of(S1, S2), findscu(sr, "StudyInstanceUID", "QueryRetrieveLevel=STUDY",
                "StudyDate=20240101-20240131"));
        assertEquals(List.of(S3), findscu(sr, "StudyInstanceUID", "QueryRetrieveLevel=STUDY", "StudyDate=-20231231"));
        assertEquals(List.of(S1), findscu(sr, "StudyInstanceUID", "QueryRetrieveLevel=STUDY", "StudyTime=2300-"));
        assertEquals(List.of(S1, S3), findscu(sr, "StudyInstanceUID", "QueryRetrieveLevel=STUDY",
                "StudyInstanceUID=" + S1 + "\\" + S3));
        assertEquals(List.of(S1, S2, S3), findscu(sr, "StudyInstanceUID", "QueryRetrieveLevel=STUDY",
                "AccessionNumber="));
        assertEquals(List.of(S1, S3), findscu(sr, "StudyInstanceUID", "QueryRetrieveLevel=STUDY",
                "ModalitiesInStudy=MR"));
        assertEquals(List.of(S1, S2), findscu(pr, "StudyInstanceUID", "QueryRetrieveLevel=STUDY", "PatientID=P1"));
        // SERIES: within one study, single value and wildcard; sequence matching
        assertEquals(List.of(S1 + ".1"), findscu(sr, "SeriesInstanceUID", "QueryRetrieveLevel=SERIES",
                "StudyInstanceUID=" + S1, "Modality=CT"));
        assertEquals(List.of(S1 + ".1", S1 + ".2"), findscu(sr, "SeriesInstanceUID", "QueryRetrieveLevel=SERIES",
                "StudyInstanceUID=" + S1, "Modality=??"));
        assertEquals(List.of(S3 + ".1"), findscu(sr, "SeriesInstanceUID", "QueryRetrieveLevel=SERIES",
                "StudyInstanceUID=" + S3, "RequestAttributesSequence[0].RequestedProcedureID=RP-7"));
        assertEquals(List.of(), findscu(sr, "SeriesInstanceUID", "QueryRetrieveLevel=SERIES",
                "StudyInstanceUID=" + S3, "RequestAttributesSequence[0].RequestedProcedureID=RP-8"));
        // IMAGE: UID list and single value within one series
        assertEquals(List.of(S1 + ".1.1", S1 + ".1.2"), findscu(sr, "SOPInstanceUID", "QueryRetrieveLevel=IMAGE",
                "StudyInstanceUID=" + S1, "SeriesInstanceUID=" + S1 + ".1"));
        assertEquals(List.of(S1 + ".1.2"), findscu(sr, "SOPInstanceUID", "QueryRetrieveLevel=IMAGE",
                "StudyInstanceUID=" + S1, "SeriesInstanceUID=" + S1 + ".1", "InstanceNumber=2"));
        assertEquals(List.of(S1 + ".1.1"), findscu(sr, "SOPInstanceUID", "QueryRetrieveLevel=IMAGE",
                "StudyInstanceUID=" + S1, "SeriesInstanceUID=" + S1 + ".1",
                "SOPInstanceUID=" + S1 + ".1.1\\" + S2 + ".1.1"));
    }

    @Test
    void findscuWithoutTheUniqueKeysAboveTheLevelGetsA900() throws Exception {
        assumeTrue(TestArchive.tool("findscu"), "findscu is not installed");
        sample(100, false);
        // findscu cannot propose relational queries: an IMAGE query with the patient's name alone is refused
        Path out = Files.createTempDirectory(temp, "rsp");
        TestArchive.Result r = TestArchive.run(60, "/usr/bin/findscu", "-v", "-S", "-aec", "MOSAIC", "-X", "-od",
                out.toString(), "-k", "QueryRetrieveLevel=IMAGE", "-k", "PatientName=Doe^Jane", "-k",
                "SOPInstanceUID", "127.0.0.1", String.valueOf(archive.port()));
        // DCMTK names status A900 "DataSetDoesNotMatchSOPClass" (Identifier Does Not Match SOP Class)
        assertTrue(r.output().contains("Final Find Response (Error: DataSetDoesNotMatchSOPClass)"), r.output());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(0, files.count(), "no matches");
        }
    }

    // ---- our SCU: what findscu cannot ask for --------------------------------------------------

    private DimseAssociation connect(byte... options) throws IOException {
        AssociateRQBuilder rq = new AssociateRQBuilder("MOSAIC", "SCU")
                .addContext(UID.StudyRootQueryRetrieveInformationModelFind)
                .addContext(UID.PatientRootQueryRetrieveInformationModelFind);
        if (options.length > 0) {
            rq.extendedNegotiation(UID.StudyRootQueryRetrieveInformationModelFind, options);
        }
        return DimseAssociation.connect(new Connection().setResponseTimeout(30_000), archive.remote(), rq.build(),
                null, archive.executor, archive.scheduler);
    }

    private static Attributes keys(String level, Object... tagAndValue) {
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, level);
        for (int i = 0; i < tagAndValue.length; i += 2) {
            int tag = (Integer) tagAndValue[i];
            keys.setString(tag, ElementDictionary.standard().vrOf(tag), ((String) tagAndValue[i + 1]).split("\\\\"));
        }
        return keys;
    }

    private static List<String> values(List<Attributes> matches, int tag) {
        return new ArrayList<>(new TreeSet<>(matches.stream().map(m -> m.getString(tag)).toList()));
    }

    @Test
    void theArchiveAdvertisesLargePdus() throws Exception {
        sample(100, false);
        AssociateRQBuilder rq = new AssociateRQBuilder("MOSAIC", "SCU").addContext(UID.Verification);
        try (DimseAssociation as = DimseAssociation.connect(new Connection().setMaxPduLengthSend(1 << 20)
                .setResponseTimeout(30_000), archive.remote(), rq.build(), null, archive.executor, archive.scheduler)) {
            assertEquals(ArchiveAE.MAX_PDU_LENGTH, as.association().maxPduLengthSend(),
                    "what we may send is what the archive advertised");
        }
    }

    @Test
    void relationalQueriesOnlyWhenNegotiated() throws Exception {
        sample(100, false);
        Attributes imageByName = keys("IMAGE", Tag.PatientName, "Doe^Jane", Tag.SOPInstanceUID, "");
        try (DimseAssociation as = connect()) {
            assertArrayEquals(new byte[0], as.extendedNegotiation(UID.StudyRootQueryRetrieveInformationModelFind));
            DicomServiceException e = assertThrows(DicomServiceException.class,
                    () -> as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, imageByName));
            assertEquals(Status.IdentifierDoesNotMatchSOPClass, e.status());
            assertTrue(e.getMessage().contains("Study Instance UID"), e.getMessage());
            // Patient Root: STUDY level needs the Patient ID
            DicomServiceException p = assertThrows(DicomServiceException.class,
                    () -> as.cfind(UID.PatientRootQueryRetrieveInformationModelFind,
                            keys("STUDY", Tag.StudyInstanceUID, "")));
            assertTrue(p.getMessage().contains("Patient ID"), p.getMessage());
            assertEquals(2, as.cfind(UID.PatientRootQueryRetrieveInformationModelFind,
                    keys("STUDY", Tag.PatientID, "P1", Tag.StudyInstanceUID, "")).size());
        }
        // relational, combined date-time, fuzzy PN (not supported) and timezone (not supported) proposed
        try (DimseAssociation as = connect((byte) 1, (byte) 1, (byte) 1, (byte) 1)) {
            assertArrayEquals(new byte[] {1, 1, 0, 0},
                    as.extendedNegotiation(UID.StudyRootQueryRetrieveInformationModelFind), "what the AC echoes");
            assertArrayEquals(new byte[0], as.extendedNegotiation(UID.PatientRootQueryRetrieveInformationModelFind),
                    "nothing for a model that was not asked");
            assertEquals(List.of(S1 + ".1.1", S1 + ".1.2", S1 + ".2.1", S2 + ".1.1"),
                    values(as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, imageByName), Tag.SOPInstanceUID));
            assertEquals(List.of(S1 + ".2", S3 + ".1"), values(as.cfind(UID.StudyRootQueryRetrieveInformationModelFind,
                    keys("SERIES", Tag.Modality, "MR", Tag.SeriesInstanceUID, "")), Tag.SeriesInstanceUID));
        }
    }

    @Test
    void combinedDateTimeMatchingWhenNegotiated() throws Exception {
        sample(100, false);
        // from 2024-01-01 12:00 on: S1 (01-01 23:50) and S2 (01-02 10:15) as one date-time; apart, only S1's
        // time is after 12:00
        Attributes k = keys("STUDY", Tag.StudyDate, "20240101-", Tag.StudyTime, "120000-", Tag.StudyInstanceUID, "");
        try (DimseAssociation as = connect()) {
            assertEquals(List.of(S1), values(as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, k),
                    Tag.StudyInstanceUID));
        }
        try (DimseAssociation as = connect((byte) 0, (byte) 1)) {
            assertEquals(List.of(S1, S2), values(as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, k),
                    Tag.StudyInstanceUID));
        }
    }

    @Test
    void caseInsensitivePersonNamesWhenConfigured() throws Exception {
        sample(100, true);
        try (DimseAssociation as = connect()) {
            assertEquals(List.of(S1, S2), values(as.cfind(UID.StudyRootQueryRetrieveInformationModelFind,
                    keys("STUDY", Tag.PatientName, "doe^JANE", Tag.StudyInstanceUID, "")), Tag.StudyInstanceUID));
        }
    }

    @Test
    void moreMatchesThanTheLimitEndWithA700AfterTheFirstOnes() throws Exception {
        sample(2, false);
        try (DimseAssociation as = connect()) {
            List<Attributes> got = new ArrayList<>();
            DimseResponse rsp = as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, Commands.MEDIUM,
                    keys("STUDY", Tag.StudyInstanceUID, ""), got::add).await();
            assertEquals(Status.OutOfResources, rsp.status());
            assertTrue(rsp.errorComment().contains("narrow"), rsp.errorComment());
            assertEquals(2, got.size(), "the first matches up to the limit");
            // exactly at the limit: Success, no warning
            DimseResponse ok = as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, Commands.MEDIUM,
                    keys("STUDY", Tag.PatientID, "P1", Tag.StudyInstanceUID, ""), null).await();
            assertEquals(Status.Success, ok.status());
        }
    }
}
