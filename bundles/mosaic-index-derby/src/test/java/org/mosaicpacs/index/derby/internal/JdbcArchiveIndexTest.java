package org.mosaicpacs.index.derby.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.index.StoreOutcome;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;

class JdbcArchiveIndexTest {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
        System.setProperty("derby.locks.deadlockTimeout", "2");
        System.setProperty("derby.locks.waitTimeout", "10");
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private EmbeddedDataSource dataSource;
    private JdbcArchiveIndex index;

    @BeforeEach
    void freshDatabase() throws Exception {
        dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:index" + DATABASES.incrementAndGet());
        dataSource.setCreateDatabase("create");
        index = new JdbcArchiveIndex(dataSource, new DerbyDialect());
        assertEquals(2, index.migrate());
    }

    // ---- data sets ---------------------------------------------------------------------------------

    static Attributes instance(String patientId, String patientName, String study, String studyDate, String studyTime,
                               String series, String modality, String sop, int number) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, "MR".equals(modality) ? UID.MRImageStorage : UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, studyDate);
        ds.setString(Tag.StudyTime, VR.TM, studyTime);
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC-" + study);
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.ReferringPhysicianName, VR.PN, "Who^Doctor");
        ds.setString(Tag.StudyDescription, VR.LO, "Study " + study);
        ds.setString(Tag.SeriesDescription, VR.LO, "Series " + series);
        ds.setString(Tag.PatientName, VR.PN, patientName);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setString(Tag.SeriesNumber, VR.IS, "1");
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(number));
        ds.setString(Tag.ContentDate, VR.DA, studyDate);
        ds.setString(Tag.AcquisitionDateTime, VR.DT, studyDate + studyTime);
        ds.newSequence(Tag.RequestAttributesSequence, 1).addNewItem()
                .setString(Tag.RequestedProcedureID, VR.SH, "RP-" + study);
        ds.setBytes(Tag.PixelData, VR.OW, new byte[512]);
        return ds;
    }

    static StorageLocation at(String sop, String revision) {
        return new StorageLocation("fs-test", StorageKey.of(sop, revision), UID.ExplicitVRLittleEndian, 1234, "ab12");
    }

    private StoreOutcome store(Attributes ds) throws IndexException {
        return index.store(ds, at(ds.getString(Tag.SOPInstanceUID), "1"), DuplicatePolicy.REJECT);
    }

    /** Three patients, four studies, six instances. */
    private void sample() throws IndexException {
        store(instance("P1", "Doe^John", "1.2.1", "20200110", "101500", "1.2.1.1", "CT", "1.2.1.1.1", 1));
        store(instance("P1", "Doe^John", "1.2.1", "20200110", "101500", "1.2.1.1", "CT", "1.2.1.1.2", 2));
        store(instance("P1", "Doe^John", "1.2.1", "20200110", "101500", "1.2.1.2", "MR", "1.2.1.2.1", 1));
        store(instance("A_1", "Smith^Jane=スミス^ジェーン", "1.2.2", "20191231", "235900", "1.2.2.1", "MR", "1.2.2.1.1", 1));
        store(instance("AX1", "DOE^JOHNNY", "1.2.3", "20200201", "080000", "1.2.3.1", "CT", "1.2.3.1.1", 1));
        store(instance("A%1", "O'Brien^Pat", "1.2.4", "20200115", "120000", "1.2.4.1", "US", "1.2.4.1.1", 1));
    }

    private List<Attributes> query(QueryRequest request) throws IndexException {
        List<Attributes> out = new ArrayList<>();
        index.query(request, out::add);
        return out;
    }

    private static Attributes keys(Object... tagAndValue) {
        Attributes keys = new Attributes();
        for (int i = 0; i < tagAndValue.length; i += 2) {
            int tag = (Integer) tagAndValue[i];
            String v = (String) tagAndValue[i + 1];
            VR vr = org.mosaicpacs.dicom.data.ElementDictionary.standard().vrOf(tag);
            keys.setString(tag, vr, v.split("\\\\", -1));
        }
        return keys;
    }

    private List<String> values(List<Attributes> matches, int tag) {
        List<String> out = new ArrayList<>();
        for (Attributes a : matches) {
            out.add(a.getString(tag));
        }
        return out;
    }

    private List<String> studies(QueryRequest request) throws IndexException {
        return values(query(request), Tag.StudyInstanceUID);
    }

    private static QueryRequest study(Attributes keys) {
        return QueryRequest.of(QueryLevel.STUDY, keys);
    }

    private int count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // ---- tests -------------------------------------------------------------------------------------

    @Test
    void migrationsRunTwiceAndConcurrentlyApplyOnce() throws Exception {
        assertEquals(2, index.migrate());
        EmbeddedDataSource fresh = new EmbeddedDataSource();
        fresh.setDatabaseName("memory:migrate" + DATABASES.incrementAndGet());
        fresh.setCreateDatabase("create");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> new JdbcArchiveIndex(fresh, new DerbyDialect()).migrate()));
            }
            for (Future<Integer> run : runs) {
                assertEquals(2, run.get());
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = fresh.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
        }
        assertEquals(2, count("SELECT COUNT(*) FROM schema_version"));
    }

    @Test
    void storeKeepsAggregatesAndReturnsThem() throws Exception {
        sample();
        List<Attributes> m = query(study(keys(Tag.StudyInstanceUID, "1.2.1", Tag.ModalitiesInStudy, "",
                Tag.SOPClassesInStudy, "", Tag.NumberOfStudyRelatedSeries, "", Tag.NumberOfStudyRelatedInstances, "",
                Tag.StudyDescription, "", Tag.PatientName, "")));
        assertEquals(1, m.size());
        Attributes a = m.get(0);
        assertArrayEquals(new String[] {"CT", "MR"}, a.getStrings(Tag.ModalitiesInStudy));
        assertArrayEquals(new String[] {UID.CTImageStorage, UID.MRImageStorage}, a.getStrings(Tag.SOPClassesInStudy));
        assertEquals(2, a.getInt(Tag.NumberOfStudyRelatedSeries, -1));
        assertEquals(3, a.getInt(Tag.NumberOfStudyRelatedInstances, -1));
        assertEquals("Study 1.2.1", a.getString(Tag.StudyDescription));
        assertEquals("Doe^John", a.getString(Tag.PatientName));
        assertEquals("STUDY", a.getString(Tag.QueryRetrieveLevel));

        List<Attributes> series = query(QueryRequest.of(QueryLevel.SERIES,
                keys(Tag.StudyInstanceUID, "1.2.1", Tag.SeriesInstanceUID, "", Tag.NumberOfSeriesRelatedInstances, "")));
        assertEquals(List.of("1.2.1.1", "1.2.1.2"), values(series, Tag.SeriesInstanceUID));
        assertEquals(List.of("2", "1"), values(series, Tag.NumberOfSeriesRelatedInstances));
        assertEquals(4, count("SELECT COUNT(*) FROM patient"));
        assertEquals(6, count("SELECT COUNT(*) FROM instance"));
    }

    @Test
    void patientLevelSingleValueWildcardAndCaseInsensitiveNames() throws Exception {
        sample();
        QueryRequest exact = QueryRequest.of(QueryLevel.PATIENT, keys(Tag.PatientName, "Doe^John", Tag.PatientID, ""));
        assertEquals(List.of("P1"), values(query(exact), Tag.PatientID));
        QueryRequest lower = QueryRequest.of(QueryLevel.PATIENT, keys(Tag.PatientName, "doe^john", Tag.PatientID, ""));
        assertEquals(List.of(), query(lower));
        assertEquals(List.of("P1"), values(query(lower.withCaseInsensitivePN()), Tag.PatientID));
        QueryRequest wild = QueryRequest.of(QueryLevel.PATIENT, keys(Tag.PatientName, "do?^JOHN*", Tag.PatientID, ""))
                .withCaseInsensitivePN();
        assertEquals(List.of("P1", "AX1"), values(query(wild), Tag.PatientID));
        QueryRequest ideographic = QueryRequest.of(QueryLevel.PATIENT, keys(Tag.PatientName, "=スミス*", Tag.PatientID, ""));
        assertEquals(List.of("A_1"), values(query(ideographic), Tag.PatientID));
        QueryRequest quote = QueryRequest.of(QueryLevel.PATIENT, keys(Tag.PatientName, "O'Brien*", Tag.PatientID, ""));
        assertEquals(List.of("A%1"), values(query(quote), Tag.PatientID));
        QueryRequest all = QueryRequest.of(QueryLevel.PATIENT, keys(Tag.PatientID, "", Tag.NumberOfPatientRelatedStudies, ""));
        List<Attributes> everyone = query(all);
        assertEquals(List.of("P1", "A_1", "AX1", "A%1"), values(everyone, Tag.PatientID));
        assertEquals("1", everyone.get(0).getString(Tag.NumberOfPatientRelatedStudies));
    }

    @Test
    void sqlWildcardCharactersInValuesMatchOnlyThemselves() throws Exception {
        sample();
        assertEquals(List.of("A_1"), values(query(QueryRequest.of(QueryLevel.PATIENT, keys(Tag.PatientID, "A_1"))), Tag.PatientID));
        assertEquals(List.of("A_1"), values(query(QueryRequest.of(QueryLevel.PATIENT, keys(Tag.PatientID, "A_*"))), Tag.PatientID));
        assertEquals(List.of("A%1"), values(query(QueryRequest.of(QueryLevel.PATIENT, keys(Tag.PatientID, "A%*"))), Tag.PatientID));
        assertEquals(List.of("A_1", "AX1", "A%1"),
                values(query(QueryRequest.of(QueryLevel.PATIENT, keys(Tag.PatientID, "A?1"))), Tag.PatientID));
        assertEquals(List.of(), query(QueryRequest.of(QueryLevel.PATIENT, keys(Tag.PatientID, "x' OR '1'='1"))));
    }

    @Test
    void studyLevelDateAndTimeRanges() throws Exception {
        sample();
        assertEquals(List.of("1.2.1", "1.2.4"), studies(study(keys(Tag.StudyDate, "20200101-20200131"))));
        assertEquals(List.of("1.2.2"), studies(study(keys(Tag.StudyDate, "-20191231"))));
        assertEquals(List.of("1.2.3"), studies(study(keys(Tag.StudyDate, "20200201-"))));
        assertEquals(List.of("1.2.1"), studies(study(keys(Tag.StudyDate, "20200110"))));
        assertEquals(List.of("1.2.1", "1.2.4"), studies(study(keys(Tag.StudyTime, "1000-1200"))));
        assertEquals(List.of("1.2.1"), studies(study(keys(Tag.StudyTime, "1015"))));
        // independent: dates in January, times 10:00 to 12:00 on any day
        assertEquals(List.of("1.2.1", "1.2.4"), studies(study(keys(Tag.StudyDate, "20191231-20200115", Tag.StudyTime, "1000-1200"))));
        // combined: from 31 Dec 23:00 to 15 Jan 11:00
        assertEquals(List.of("1.2.1", "1.2.2"),
                studies(study(keys(Tag.StudyDate, "20191231-20200115", Tag.StudyTime, "2300-1100")).withCombinedDateTime()));
        IndexException bad = assertThrows(IndexException.class, () -> query(study(keys(Tag.StudyDate, "2020-13-45"))));
        assertTrue(bad.isInvalidRequest());
    }

    @Test
    void uidListsUniversalMatchingAndAggregateMatching() throws Exception {
        sample();
        assertEquals(List.of("1.2.1", "1.2.3"), studies(study(keys(Tag.StudyInstanceUID, "1.2.1\\1.2.3\\9.9"))));
        List<Attributes> all = query(study(keys(Tag.StudyInstanceUID, "", Tag.AccessionNumber, "", Tag.StudyDate, "")));
        assertEquals(List.of("1.2.1", "1.2.2", "1.2.3", "1.2.4"), values(all, Tag.StudyInstanceUID));
        assertEquals(List.of("ACC-1.2.1", "ACC-1.2.2", "ACC-1.2.3", "ACC-1.2.4"), values(all, Tag.AccessionNumber));
        assertEquals(List.of("1.2.1", "1.2.2"), studies(study(keys(Tag.ModalitiesInStudy, "MR"))));
        assertEquals(List.of("1.2.1", "1.2.3", "1.2.4"), studies(study(keys(Tag.ModalitiesInStudy, "CT\\US"))));
        assertEquals(List.of("1.2.4"), studies(study(keys(Tag.AccessionNumber, "ACC-1.2.4"))));
    }

    @Test
    void seriesAndImageLevelsHierarchicalAndRelational() throws Exception {
        sample();
        IndexException noStudy = assertThrows(IndexException.class,
                () -> query(QueryRequest.of(QueryLevel.SERIES, keys(Tag.Modality, "MR"))));
        assertTrue(noStudy.isInvalidRequest());
        assertEquals(List.of("1.2.1.2", "1.2.2.1"), values(query(QueryRequest.of(QueryLevel.SERIES,
                keys(Tag.Modality, "MR")).withRelational()), Tag.SeriesInstanceUID));
        assertEquals(List.of("1.2.1.2"), values(query(QueryRequest.of(QueryLevel.SERIES,
                keys(Tag.StudyInstanceUID, "1.2.1", Tag.Modality, "MR", Tag.SeriesDescription, ""))), Tag.SeriesInstanceUID));

        List<Attributes> images = query(QueryRequest.of(QueryLevel.IMAGE,
                keys(Tag.StudyInstanceUID, "1.2.1", Tag.SeriesInstanceUID, "1.2.1.1", Tag.SOPInstanceUID, "",
                        Tag.InstanceNumber, "", Tag.SOPClassUID, UID.CTImageStorage)));
        assertEquals(List.of("1.2.1.1.1", "1.2.1.1.2"), values(images, Tag.SOPInstanceUID));
        assertEquals("1.2.1.1", images.get(0).getString(Tag.SeriesInstanceUID));
        assertEquals(List.of("1.2.1.1.2"), values(query(QueryRequest.of(QueryLevel.IMAGE,
                keys(Tag.StudyInstanceUID, "1.2.1", Tag.SeriesInstanceUID, "1.2.1.1", Tag.InstanceNumber, "2"))),
                Tag.SOPInstanceUID));
        // a key without a column, matched in Java on the stored attributes
        assertEquals(List.of("1.2.4.1.1"), values(query(QueryRequest.of(QueryLevel.IMAGE,
                keys(Tag.ContentDate, "20200111-20200120")).withRelational()), Tag.SOPInstanceUID));
        assertEquals(List.of("1.2.1.1.1", "1.2.1.1.2", "1.2.1.2.1", "1.2.2.1.1", "1.2.4.1.1"), values(query(QueryRequest.of(QueryLevel.IMAGE,
                keys(Tag.AcquisitionDateTime, "20191231230000-20200115120000")).withRelational()), Tag.SOPInstanceUID));
        assertEquals(List.of("1.2.3.1.1"), values(query(QueryRequest.of(QueryLevel.IMAGE,
                keys(Tag.AcquisitionDateTime, "20200201080000")).withRelational()), Tag.SOPInstanceUID));
        assertEquals(List.of("1.2.2.1.1"), values(query(QueryRequest.of(QueryLevel.IMAGE,
                keys(Tag.AcquisitionDateTime, "20191231230000-20200101")).withRelational()), Tag.SOPInstanceUID));
        Attributes pixels = keys(Tag.StudyInstanceUID, "1.2.1", Tag.SeriesInstanceUID, "1.2.1.1");
        pixels.setNull(Tag.PixelData, VR.OW);
        Attributes first = query(QueryRequest.of(QueryLevel.IMAGE, pixels)).get(0);
        assertTrue(first.contains(Tag.PixelData));
        assertNull(first.getBytes(Tag.PixelData) == null || first.getBytes(Tag.PixelData).length == 0 ? null : "pixels",
                "bulk data is not indexed");
    }

    @Test
    void everyMatchingKindBelowThePatientLevel() throws Exception {
        sample();
        // STUDY: person names of the patient and of the study, case-insensitive with wildcards
        assertEquals(List.of("1.2.1", "1.2.3"), studies(study(keys(Tag.PatientName, "doe^j*")).withCaseInsensitivePN()));
        assertEquals(List.of(), studies(study(keys(Tag.PatientName, "doe^j*"))));
        assertEquals(List.of("1.2.1", "1.2.2", "1.2.3", "1.2.4"),
                studies(study(keys(Tag.ReferringPhysicianName, "who^*")).withCaseInsensitivePN()));
        assertEquals(List.of("1.2.4"), studies(study(keys(Tag.StudyDescription, "*1.?.4"))));
        assertEquals(List.of("1.2.1", "1.2.2", "1.2.3", "1.2.4"), studies(study(keys(Tag.StudyDescription, "Study 1.2.?"))));
        // SERIES within one study: ? and * wildcards, a UID list, universal matching returning the values
        assertEquals(List.of("1.2.1.2"), values(query(QueryRequest.of(QueryLevel.SERIES,
                keys(Tag.StudyInstanceUID, "1.2.1", Tag.Modality, "?R"))), Tag.SeriesInstanceUID));
        assertEquals(List.of("1.2.1.1", "1.2.1.2"), values(query(QueryRequest.of(QueryLevel.SERIES,
                keys(Tag.StudyInstanceUID, "1.2.1", Tag.SeriesDescription, "Series 1.2.1.*"))), Tag.SeriesInstanceUID));
        assertEquals(List.of("1.2.1.1"), values(query(QueryRequest.of(QueryLevel.SERIES,
                keys(Tag.StudyInstanceUID, "1.2.1", Tag.SeriesInstanceUID, "1.2.1.1\\1.2.9.9"))), Tag.SeriesInstanceUID));
        List<Attributes> series = query(QueryRequest.of(QueryLevel.SERIES,
                keys(Tag.StudyInstanceUID, "1.2.1", Tag.SeriesInstanceUID, "", Tag.Modality, "")));
        assertEquals(List.of("CT", "MR"), values(series, Tag.Modality));
        // IMAGE within one series: a UID list (a UID of another series does not match), a date range
        assertEquals(List.of("1.2.1.1.2"), values(query(QueryRequest.of(QueryLevel.IMAGE,
                keys(Tag.StudyInstanceUID, "1.2.1", Tag.SeriesInstanceUID, "1.2.1.1",
                        Tag.SOPInstanceUID, "1.2.1.1.2\\1.2.1.2.1"))), Tag.SOPInstanceUID));
        assertEquals(List.of("1.2.1.1.1", "1.2.1.1.2"), values(query(QueryRequest.of(QueryLevel.IMAGE,
                keys(Tag.StudyInstanceUID, "1.2.1", Tag.SeriesInstanceUID, "1.2.1.1", Tag.ContentDate,
                        "20200101-20200131"))), Tag.SOPInstanceUID));
        // IMAGE, relational: keys of the levels above only, a name and a date
        assertEquals(List.of("1.2.3.1.1"), values(query(QueryRequest.of(QueryLevel.IMAGE,
                keys(Tag.PatientName, "DOE^JOHNNY", Tag.SOPInstanceUID, "")).withRelational()), Tag.SOPInstanceUID));
        assertEquals(List.of("1.2.2.1.1"), values(query(QueryRequest.of(QueryLevel.IMAGE,
                keys(Tag.StudyDate, "-20191231", Tag.SOPInstanceUID, "")).withRelational()), Tag.SOPInstanceUID));
        IndexException hierarchical = assertThrows(IndexException.class, () -> query(QueryRequest.of(QueryLevel.IMAGE,
                keys(Tag.PatientName, "DOE^JOHNNY", Tag.SOPInstanceUID, ""))));
        assertTrue(hierarchical.isInvalidRequest());
    }

    @Test
    void sequenceMatching() throws Exception {
        sample();
        Attributes k = keys(Tag.SeriesInstanceUID, "");
        k.newSequence(Tag.RequestAttributesSequence, 1).addNewItem().setString(Tag.RequestedProcedureID, VR.SH, "RP-1.2.2");
        List<Attributes> m = query(QueryRequest.of(QueryLevel.SERIES, k).withRelational());
        assertEquals(List.of("1.2.2.1"), values(m, Tag.SeriesInstanceUID));
        Attributes item = m.get(0).getSequence(Tag.RequestAttributesSequence).get(0);
        assertEquals("RP-1.2.2", item.getString(Tag.RequestedProcedureID));
        assertEquals(1, item.size(), "only the keys asked for in the item");

        Attributes universal = keys(Tag.SeriesInstanceUID, "");
        universal.newSequence(Tag.RequestAttributesSequence, 1).addNewItem().setNull(Tag.RequestedProcedureID, VR.SH);
        assertEquals(5, query(QueryRequest.of(QueryLevel.SERIES, universal).withRelational()).size());
    }

    @Test
    void sinkStopsTheQuery() throws Exception {
        sample();
        AtomicInteger seen = new AtomicInteger();
        int n = index.query(study(keys(Tag.StudyInstanceUID, "")), a -> seen.incrementAndGet() < 2);
        assertEquals(2, n);
        assertEquals(2, seen.get());
    }

    @Test
    void duplicatePolicies() throws Exception {
        sample();
        Attributes again = instance("P1", "Doe^John", "1.2.1", "20200110", "101500", "1.2.1.1", "CT", "1.2.1.1.1", 1);

        StoreOutcome rejected = index.store(again, at("1.2.1.1.1", "2"), DuplicatePolicy.REJECT);
        assertEquals(StoreOutcome.Result.REJECTED, rejected.result());
        assertEquals(at("1.2.1.1.1", "2"), rejected.orphan().orElseThrow());
        assertEquals(at("1.2.1.1.1", "1").key(), rejected.indexed().location().key());

        StoreOutcome kept = index.store(again, at("1.2.1.1.1", "2"), DuplicatePolicy.KEEP_FIRST);
        assertEquals(StoreOutcome.Result.KEPT_FIRST, kept.result());
        assertEquals(at("1.2.1.1.1", "2"), kept.orphan().orElseThrow());
        assertEquals(at("1.2.1.1.1", "1").key(), index.locate("1.2.1", "1.2.1.1", "1.2.1.1.1").get(0).location().key());

        StoreOutcome replaced = index.store(again, at("1.2.1.1.1", "3"), DuplicatePolicy.REPLACE);
        assertEquals(StoreOutcome.Result.REPLACED, replaced.result());
        assertEquals(at("1.2.1.1.1", "1"), replaced.orphan().orElseThrow());
        assertEquals(at("1.2.1.1.1", "3").key(), index.locate("1.2.1", "1.2.1.1", "1.2.1.1.1").get(0).location().key());
        assertEquals(6, count("SELECT COUNT(*) FROM instance"));
        assertEquals(3, count("SELECT num_instances FROM study WHERE study_iuid = '1.2.1'"));

        StoreOutcome fresh = store(instance("P9", "New^One", "1.2.9", "20200101", "", "1.2.9.1", "OT", "1.2.9.1.1", 1));
        assertEquals(StoreOutcome.Result.STORED, fresh.result());
        assertTrue(fresh.orphan().isEmpty());
    }

    @Test
    void locateAndDeleteKeepAggregatesCurrent() throws Exception {
        sample();
        List<InstanceLocation> all = index.locate("1.2.1", null, null);
        assertEquals(List.of("1.2.1.1.1", "1.2.1.1.2", "1.2.1.2.1"), all.stream().map(InstanceLocation::sopInstanceUID).toList());
        assertEquals("fs-test", all.get(0).location().storageId());
        assertEquals(UID.ExplicitVRLittleEndian, all.get(0).location().transferSyntaxUID());

        assertEquals(1, index.delete("1.2.1", "1.2.1.2", "1.2.1.2.1").size());
        assertEquals(2, count("SELECT num_instances FROM study WHERE study_iuid = '1.2.1'"));
        assertEquals(1, count("SELECT num_series FROM study WHERE study_iuid = '1.2.1'"));
        assertEquals(0, count("SELECT COUNT(*) FROM series WHERE series_iuid = '1.2.1.2'"));
        assertEquals(List.of("1.2.1", "1.2.3"), studies(study(keys(Tag.ModalitiesInStudy, "CT"))));
        assertEquals(List.of("1.2.2"), studies(study(keys(Tag.ModalitiesInStudy, "MR"))));

        assertEquals(1, index.delete("1.2.1", "1.2.1.1", "1.2.1.1.2").size());
        assertEquals(1, count("SELECT num_instances FROM series WHERE series_iuid = '1.2.1.1'"));
        assertEquals(1, index.delete("1.2.1", null, null).size());
        assertEquals(0, count("SELECT COUNT(*) FROM study WHERE study_iuid = '1.2.1'"));
        assertEquals(0, count("SELECT COUNT(*) FROM patient WHERE pat_id = 'P1'"));
        assertEquals(List.of(), index.delete("1.2.1", null, null));
        assertEquals(3, count("SELECT COUNT(*) FROM instance"));
    }

    @Test
    void missingOrHostileUidsAreRefused() {
        Attributes ds = instance("P1", "Doe", "1.2.1", "20200101", "", "1.2.1.1", "CT", "1.2.1.1.1", 1);
        ds.remove(Tag.SOPInstanceUID);
        IndexException e = assertThrows(IndexException.class,
                () -> index.store(ds, at("x", "1"), DuplicatePolicy.REJECT));
        assertTrue(e.isInvalidRequest());
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1".repeat(65));
        assertThrows(IndexException.class, () -> index.store(ds, at("x", "1"), DuplicatePolicy.REJECT));
    }

    @Test
    void concurrentStoresIntoOneStudy() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        String series = "1.3.1." + (i % 3);
                        String modality = i % 3 == 0 ? "MR" : "CT";
                        store(instance("PC", "Con^Current", "1.3.1", "20200101", "", series, modality,
                                series + "." + thread + "." + i, i));
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, count("SELECT COUNT(*) FROM patient"));
        assertEquals(1, count("SELECT COUNT(*) FROM study"));
        assertEquals(3, count("SELECT COUNT(*) FROM series"));
        assertEquals(40, count("SELECT COUNT(*) FROM instance"));
        assertEquals(40, count("SELECT num_instances FROM study"));
        assertEquals(3, count("SELECT num_series FROM study"));
        assertEquals(40, count("SELECT SUM(num_instances) FROM series"));
        List<Attributes> m = query(study(keys(Tag.StudyInstanceUID, "1.3.1", Tag.ModalitiesInStudy, "")));
        assertArrayEquals(new String[] {"CT", "MR"}, m.get(0).getStrings(Tag.ModalitiesInStudy));
    }

    /**
     * Group commit: stores that arrive while a store transaction runs are committed together; one of them that the
     * database refuses (here a constraint added for the test) fails alone, and its rows (a new series) are gone,
     * while the others are stored, indexed and counted.
     */
    @Test
    void storesArrivingTogetherShareOneTransactionAndOneFailureFailsOnlyItself() throws Exception {
        store(instance("PG", "Group^Commit", "1.5.1", "20200101", "", "1.5.1.1", "CT", "1.5.1.1.1", 1));
        try (Connection setup = dataSource.getConnection(); Statement s = setup.createStatement()) {
            s.execute("ALTER TABLE instance ADD CONSTRAINT test_refused CHECK (sop_iuid <> '1.5.1.9.1')");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Connection blocker = dataSource.getConnection()) {
            // hold the study row, so that the next store waits inside its transaction and the others queue
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.executeUpdate("UPDATE study SET num_instances = num_instances WHERE study_iuid = '1.5.1'");
            }
            Future<StoreOutcome> first = pool.submit(() ->
                    store(instance("PG", "Group^Commit", "1.5.1", "20200101", "", "1.5.1.1", "CT", "1.5.1.1.2", 2)));
            awaitTrue(() -> index.storeRunning());
            List<Future<StoreOutcome>> group = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i + 3;
                group.add(pool.submit(() -> store(instance("PG", "Group^Commit", "1.5.1", "20200101", "", "1.5.1.1", "CT",
                        "1.5.1.1." + n, n))));
            }
            Future<StoreOutcome> refused = pool.submit(() ->
                    store(instance("PG", "Group^Commit", "1.5.1", "20200101", "", "1.5.1.9", "MR", "1.5.1.9.1", 1)));
            awaitTrue(() -> index.storesWaiting() == 7);
            blocker.commit();
            assertEquals(StoreOutcome.Result.STORED, first.get().result());
            for (Future<StoreOutcome> f : group) {
                assertEquals(StoreOutcome.Result.STORED, f.get().result());
            }
            java.util.concurrent.ExecutionException failed =
                    assertThrows(java.util.concurrent.ExecutionException.class, refused::get);
            assertTrue(failed.getCause() instanceof IndexException, failed.getCause().toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(6, index.storedInGroups());
        assertEquals(8, count("SELECT COUNT(*) FROM instance"));
        assertEquals(0, count("SELECT COUNT(*) FROM instance WHERE sop_iuid = '1.5.1.9.1'"));
        assertEquals(1, count("SELECT COUNT(*) FROM series"), "the refused instance's new series is rolled back");
        assertEquals(8, count("SELECT num_instances FROM study"));
        assertEquals(1, count("SELECT num_series FROM study"));
        assertEquals(8, count("SELECT SUM(num_instances) FROM series"));
        List<Attributes> m = query(study(keys(Tag.StudyInstanceUID, "1.5.1", Tag.ModalitiesInStudy, "")));
        assertArrayEquals(new String[] {"CT"}, m.get(0).getStrings(Tag.ModalitiesInStudy));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "timed out");
    }

    @Test
    void valuesInOtherCharacterSetsMatchAndComeBackInUtf8() throws Exception {
        Attributes latin1 = instance("P8", "Muller^Hans", "1.2.8", "20200101", "", "1.2.8.1", "CT", "1.2.8.1.1", 1);
        latin1.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        latin1.setString(Tag.PatientName, VR.PN, "Müller^Hans");
        latin1.setString(Tag.StudyDescription, VR.LO, "Schädel");
        store(latin1);

        List<Attributes> m = query(study(keys(Tag.PatientName, "MÜLLER*", Tag.StudyDescription, "")).withCaseInsensitivePN());
        assertEquals(1, m.size());
        assertEquals("ISO_IR 192", m.get(0).getString(Tag.SpecificCharacterSet));
        assertEquals("Müller^Hans", m.get(0).getString(Tag.PatientName));
        assertEquals("Schädel", m.get(0).getString(Tag.StudyDescription));
    }

    @Test
    void deletingASeriesAndReplacingIntoAnotherSeriesKeepAggregatesCurrent() throws Exception {
        sample();
        // the same SOP Instance UID arrives again in another series of the study
        Attributes moved = instance("P1", "Doe^John", "1.2.1", "20200110", "101500", "1.2.1.2", "MR", "1.2.1.1.2", 5);
        assertEquals(StoreOutcome.Result.REPLACED, index.store(moved, at("1.2.1.1.2", "2"), DuplicatePolicy.REPLACE).result());
        assertEquals(1, count("SELECT num_instances FROM series WHERE series_iuid = '1.2.1.1'"));
        assertEquals(2, count("SELECT num_instances FROM series WHERE series_iuid = '1.2.1.2'"));
        assertEquals(3, count("SELECT num_instances FROM study WHERE study_iuid = '1.2.1'"));

        List<InstanceLocation> removed = index.delete("1.2.1", "1.2.1.2", null);
        assertEquals(2, removed.size());
        assertEquals(1, count("SELECT num_series FROM study WHERE study_iuid = '1.2.1'"));
        assertEquals(1, count("SELECT num_instances FROM study WHERE study_iuid = '1.2.1'"));
        assertEquals(List.of("1.2.1"), studies(study(keys(Tag.StudyInstanceUID, "1.2.1", Tag.ModalitiesInStudy, "CT"))));
        assertEquals(List.of(), studies(study(keys(Tag.StudyInstanceUID, "1.2.1", Tag.ModalitiesInStudy, "MR"))));
    }

    @Test
    void theComponentMigratesAndReportsItsHealth() throws Exception {
        DerbyArchiveIndex component = new DerbyArchiveIndex(dataSource, null);
        assertEquals("index", component.name());
        assertEquals(org.mosaicpacs.api.health.HealthState.UP, component.health().state());
        assertEquals("schema version 2", component.health().detail());
        component.store(instance("P1", "Doe", "1.2.1", "20200101", "", "1.2.1.1", "CT", "1.2.1.1.1", 1),
                at("1.2.1.1.1", "1"), DuplicatePolicy.REJECT);
        assertEquals(1, component.locate("1.2.1", null, null).size());
    }

    @Test
    void patientsWithoutAnIdAreNotMerged() throws Exception {
        store(instance("", "Anon^One", "1.2.5", "20200101", "", "1.2.5.1", "CT", "1.2.5.1.1", 1));
        store(instance("", "Anon^Two", "1.2.6", "20200101", "", "1.2.6.1", "CT", "1.2.6.1.1", 1));
        store(instance("", "Anon^Two", "1.2.6", "20200101", "", "1.2.6.1", "CT", "1.2.6.1.2", 2));
        assertEquals(2, count("SELECT COUNT(*) FROM patient"));
        List<Attributes> m = query(study(keys(Tag.StudyInstanceUID, "", Tag.PatientName, "", Tag.PatientID, "")));
        assertEquals(List.of("Anon^One", "Anon^Two"), values(m, Tag.PatientName));
        assertEquals(List.of("1.2.6"), studies(study(keys(Tag.PatientName, "*Two"))));
    }

    @Test
    void aStudyKeepsItsPatientAndALaterPatientIdMakesNoEmptyPatient() throws Exception {
        store(instance("P-FIRST", "First^Patient", "1.2.7", "20200101", "", "1.2.7.1", "CT", "1.2.7.1.1", 1));
        // a later instance of the same study names another patient (a correction at the modality, a mistake)
        store(instance("P-OTHER", "Other^Patient", "1.2.7", "20200101", "", "1.2.7.1", "CT", "1.2.7.1.2", 2));
        assertEquals(1, count("SELECT COUNT(*) FROM patient"), "no patient row without a study");
        List<Attributes> m = query(study(keys(Tag.StudyInstanceUID, "1.2.7", Tag.PatientID, "",
                Tag.NumberOfStudyRelatedInstances, "")));
        assertEquals(List.of("P-FIRST"), values(m, Tag.PatientID));
        assertEquals(2, m.get(0).getInt(Tag.NumberOfStudyRelatedInstances, -1));
    }

    @Test
    void aggregatesAddedPerInstanceEqualACount() throws Exception {
        // new instances take the incremental path; a replacement into another series, the full recount
        for (int i = 0; i < 12; i++) {
            String series = "1.4.1." + (i % 4);
            String modality = i % 4 == 3 ? "MR" : i % 4 == 2 ? "" : "CT";
            Attributes ds = instance("PA", "Agg^Regate", "1.4.1", "20200101", "", series, modality, "1.4.1.9." + i, i);
            if (i == 7) {
                ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
            }
            store(ds);
        }
        index.store(instance("PA", "Agg^Regate", "1.4.1", "20200101", "", "1.4.1.5", "US", "1.4.1.9.0", 0),
                at("1.4.1.9.0", "2"), DuplicatePolicy.REPLACE);
        assertEquals(count("SELECT COUNT(*) FROM series WHERE study_fk = (SELECT pk FROM study WHERE study_iuid = '1.4.1')"),
                count("SELECT num_series FROM study WHERE study_iuid = '1.4.1'"));
        assertEquals(12, count("SELECT num_instances FROM study WHERE study_iuid = '1.4.1'"));
        assertEquals(0, count("SELECT COUNT(*) FROM series se WHERE se.num_instances"
                + " <> (SELECT COUNT(*) FROM instance i WHERE i.series_fk = se.pk)"));
        List<Attributes> m = query(study(keys(Tag.StudyInstanceUID, "1.4.1", Tag.ModalitiesInStudy, "",
                Tag.SOPClassesInStudy, "", Tag.NumberOfStudyRelatedSeries, "")));
        assertArrayEquals(new String[] {"CT", "MR", "US"}, m.get(0).getStrings(Tag.ModalitiesInStudy));
        assertArrayEquals(new String[] {UID.CTImageStorage, UID.MRImageStorage, UID.SecondaryCaptureImageStorage},
                m.get(0).getStrings(Tag.SOPClassesInStudy));
        assertEquals(5, m.get(0).getInt(Tag.NumberOfStudyRelatedSeries, -1));
    }

    @Test
    void studyQueriesDrivenFromTheirSelectiveKeyMatchAsBefore() throws Exception {
        sample();
        store(instance("P1", "Doe^John", "1.2.9", "20210301", "090000", "1.2.9.1", "CT", "1.2.9.1.1", 1));
        // Patient ID (patient first), with and without a date range
        assertEquals(List.of("1.2.1", "1.2.9"), studies(study(keys(Tag.PatientID, "P1"))));
        assertEquals(List.of("1.2.9"), studies(study(keys(Tag.PatientID, "P1", Tag.StudyDate, "20210101-"))));
        assertEquals(List.of("1.2.1"), studies(study(keys(Tag.PatientID, "P1", Tag.StudyDate, "20200110",
                Tag.StudyTime, "1000-1100"))));
        // Patient Name with a leading literal, case-sensitive and not, with a date range
        assertEquals(List.of("1.2.1", "1.2.9"), studies(study(keys(Tag.PatientName, "Doe^J*"))));
        assertEquals(List.of("1.2.1", "1.2.3"), studies(study(keys(Tag.PatientName, "doe^j*",
                Tag.StudyDate, "20200101-20201231")).withCaseInsensitivePN()));
        assertEquals(List.of(), studies(study(keys(Tag.PatientName, "Doe^J*", Tag.StudyDate, "20150101-20151231"))));
        // Study Instance UIDs (study first), with a patient condition too
        assertEquals(List.of("1.2.1", "1.2.2"), studies(study(keys(Tag.StudyInstanceUID, "1.2.2\\1.2.1"))));
        assertEquals(List.of("1.2.9"), studies(study(keys(Tag.StudyInstanceUID, "1.2.9", Tag.PatientID, "P1"))));
        assertEquals(List.of(), studies(study(keys(Tag.StudyInstanceUID, "1.2.9", Tag.PatientID, "AX1"))));
    }
}
