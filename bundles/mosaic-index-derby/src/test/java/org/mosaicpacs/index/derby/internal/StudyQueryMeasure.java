package org.mosaicpacs.index.derby.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;

/**
 * Not a test (not run by the build: its name does not end in Test): a local measurement of study-level
 * C-FIND against an on-disk Derby index with synthetic studies (as bench/archive/IndexLoader makes them,
 * patients and studies only: study-level queries do not read series or instances). Prints the plans
 * (runtime statistics) and p50 of each kind. Run with
 * {@code mvn -o -pl bundles/mosaic-index-derby test -Dtest=StudyQueryMeasure -Dstudies=20000}.
 */
class StudyQueryMeasure {

    @Test
    void measure() throws Exception {
        int studies = Integer.getInteger("studies", 20_000);
        Path dir = Files.createTempDirectory("study-query");
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("index").toString());
        ds.setCreateDatabase("create");
        JdbcArchiveIndex index = new JdbcArchiveIndex(ds, new DerbyDialect());
        index.migrate();
        load(ds, studies);
        // the kinds in rounds (-Drounds, default 2): the first kind of the first round also pays for the warm-up
        // (JIT, Derby's page cache), which the first figure of a run shows
        measureDecode(ds);
        int rounds = Integer.getInteger("rounds", 2);
        for (int round = 0; round < rounds; round++) {
        for (int kind = 0; kind < KINDS.length; kind++) {
            QueryRequest rq = QueryRequest.of(QueryLevel.STUDY, keys(kind, 0, studies));
            if (round == 0 && Boolean.getBoolean("plans")) {
                dumpPlan(ds, QueryPlan.of(rq));
            }
            long[] t = new long[200];
            long[] matches = {0};
            for (int i = -20; i < 200; i++) {
                QueryRequest r = QueryRequest.of(QueryLevel.STUDY, keys(kind, Math.abs(i * 37) % (studies / 2), studies));
                long t0 = System.nanoTime();
                int[] n = {0};
                index.query(r, a -> {
                    n[0]++;
                    return true;
                });
                if (i >= 0) {
                    t[i] = System.nanoTime() - t0;
                    matches[0] += n[0];
                }
            }
            Arrays.sort(t);
            System.out.printf("MEASURE round %d kind %d (%s): p50 %.2f ms, p95 %.2f ms, matches %.1f%n", round, kind,
                    KINDS[kind], t[100] / 1e6, t[190] / 1e6, matches[0] / 200.0);
        }
        }
    }

    /**
     * The attrs blobs of 100 patients and studies decoded in turn by dicom-core's deflated reader (a new inflater
     * each, as the index did before) and by {@link DataSets#decode} (one inflater per thread), in 5 alternating
     * rounds: the cost per blob of each, side by side.
     */
    private static void measureDecode(EmbeddedDataSource ds) throws Exception {
        java.util.List<byte[]> blobs = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT p.attrs, s.attrs FROM patient p JOIN study s ON s.patient_fk = p.pk"
                     + " FETCH FIRST 100 ROWS ONLY")) {
            while (rs.next()) {
                blobs.add(rs.getBytes(1));
                blobs.add(rs.getBytes(2));
            }
        }
        int n = 50_000;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                try (org.mosaicpacs.dicom.io.DicomInputStream in = new org.mosaicpacs.dicom.io.DicomInputStream(
                        new java.io.ByteArrayInputStream(blobs.get(i % blobs.size())), UID.DeflatedExplicitVRLittleEndian)) {
                    in.readDataset();
                }
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                DataSets.decode(blobs.get(i % blobs.size()));
            }
            long t2 = System.nanoTime();
            System.out.printf("MEASURE decode round %d: new inflater each %.2f us/blob, DataSets.decode %.2f us/blob,"
                    + " ratio %.2f%n", round, (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, (t1 - t0) / (double) (t2 - t1));
        }
    }

    static final String[] KINDS = {"Patient ID", "Study UID", "name wildcard + date range",
        "name prefix PATIENT^nnn* (10 patients)", "Study Date range of a week"};

    private static Attributes keys(int kind, int p, int studies) {
        Attributes k = new Attributes();
        k.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        switch (kind) {
            case 0 -> k.setString(Tag.PatientID, VR.LO, "BENCH-" + p);
            case 1 -> k.setString(Tag.StudyInstanceUID, VR.UI, "2.25.9" + (2 * p));
            case 3 -> k.setString(Tag.PatientName, VR.PN, "PATIENT^" + (100 + p % 800) + "*");
            case 4 -> k.setString(Tag.StudyDate, VR.DA, String.format("%04d0101-%04d0107", 2010 + p % 16, 2010 + p % 16));
            default -> {
                k.setString(Tag.PatientName, VR.PN, "BENCH^FIND*");
                k.setString(Tag.StudyDate, VR.DA, "20150101-20151231");
            }
        }
        for (int tag : new int[] {Tag.StudyInstanceUID, Tag.StudyDate, Tag.PatientName, Tag.PatientID,
                Tag.AccessionNumber, Tag.ModalitiesInStudy, Tag.NumberOfStudyRelatedInstances}) {
            if (!k.contains(tag)) {
                k.setNull(tag, tag == Tag.PatientName ? VR.PN : tag == Tag.StudyDate ? VR.DA
                        : tag == Tag.StudyInstanceUID ? VR.UI : tag == Tag.PatientID ? VR.LO
                        : tag == Tag.AccessionNumber ? VR.SH : tag == Tag.ModalitiesInStudy ? VR.CS : VR.IS);
            }
        }
        return k;
    }

    private static void dumpPlan(EmbeddedDataSource ds, QueryPlan plan) throws Exception {
        try (Connection c = ds.getConnection()) {
            try (CallableStatement cs = c.prepareCall("CALL SYSCS_UTIL.SYSCS_SET_RUNTIMESTATISTICS(1)")) {
                cs.execute();
            }
            try (PreparedStatement p = c.prepareStatement(plan.sql())) {
                JdbcArchiveIndex.bind(p, plan.params());
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        rs.getBytes(1);
                    }
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("VALUES SYSCS_UTIL.SYSCS_GET_RUNTIMESTATISTICS()")) {
                rs.next();
                System.out.println("MEASURE SQL " + plan.sql().replace('\n', ' '));
                System.out.println("MEASURE PLAN " + rs.getString(1));
            }
        }
    }

    private static void load(EmbeddedDataSource ds, int studies) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            byte[] empty = DataSets.encode(new Attributes());
            try (PreparedStatement pat = c.prepareStatement("INSERT INTO patient (pat_key, pat_id, pat_issuer, pat_name_a,"
                    + " pat_name_norm, pat_birthdate, pat_sex, attrs) VALUES (?,?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS);
                 PreparedStatement st = c.prepareStatement("INSERT INTO study (patient_fk, study_iuid, study_date, study_time,"
                         + " accession_no, study_id, study_desc, mods_in_study, cuids_in_study, num_series, num_instances, attrs)"
                         + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
                long patientPk = -1;
                for (int n = 0; n < studies; n++) {
                    if (n % 2 == 0) {
                        String pid = "BENCH-" + (n / 2);
                        String name = (n / 2) % 100 == 0 ? "BENCH^FIND" + (n / 2) : "PATIENT^" + (n / 2);
                        Attributes pa = new Attributes();
                        pa.setString(Tag.PatientName, VR.PN, name);
                        pa.setString(Tag.PatientID, VR.LO, pid);
                        pat.setString(1, pid + "\u0001");
                        pat.setString(2, pid);
                        pat.setString(3, "");
                        pat.setString(4, name);
                        pat.setString(5, name.toUpperCase());
                        pat.setString(6, "19700101");
                        pat.setString(7, "O");
                        pat.setBytes(8, DataSets.encode(pa));
                        pat.executeUpdate();
                        try (ResultSet rs = pat.getGeneratedKeys()) {
                            rs.next();
                            patientPk = rs.getLong(1);
                        }
                    }
                    String date = String.format("%04d%02d%02d", 2010 + n % 16, 1 + n / 16 % 12, 1 + n / 192 % 28);
                    Attributes sa = new Attributes();
                    sa.setString(Tag.StudyInstanceUID, VR.UI, "2.25.9" + n);
                    sa.setString(Tag.StudyDate, VR.DA, date);
                    st.setLong(1, patientPk);
                    st.setString(2, "2.25.9" + n);
                    st.setString(3, date);
                    st.setString(4, "101500");
                    st.setString(5, "A" + n);
                    st.setString(6, "1");
                    st.setString(7, "synthetic");
                    st.setString(8, "|CT|");
                    st.setString(9, "|" + UID.CTImageStorage + "|");
                    st.setInt(10, 2);
                    st.setInt(11, 50);
                    st.setBytes(12, DataSets.encode(sa));
                    st.addBatch();
                    if (n % 1000 == 999) {
                        st.executeBatch();
                        c.commit();
                    }
                }
                st.executeBatch();
                c.commit();
            }
        }
    }
}
