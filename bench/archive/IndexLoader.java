import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/**
 * Fills the index of a stopped Mosaic PACS with a synthetic archive, fast: JDBC batches straight into its
 * embedded Derby database (MOSAIC_DATA/index), in the schema of mosaic-index-derby's migration V001, with the
 * aggregates (instance and series counts, modalities and SOP classes in study) and the per-level attrs blobs
 * (Deflated Explicit VR Little Endian) the index writes itself. The instances have no stored object: C-FIND finds
 * them, a retrieve or mosaic:check would report them missing. Run the distribution once first (its migrations make
 * the schema), stop it, load, start it again. derby.system.durability=test skips Derby's fsync at each commit of the
 * load (the database is consistent once the loader has shut Derby down; a crash during the load would spoil it).
 *
 * <pre>
 * java -Dderby.system.durability=test -cp DERBY_JAR:DICOM_CORE_JAR bench/archive/IndexLoader.java MOSAIC_DATA/index STUDIES SERIES_PER_STUDY INSTANCES_PER_SERIES
 * </pre>
 *
 * Patients: one per 2 studies. Study dates spread over 2010-2025; one patient in 100 is named BENCH^FIND... so that
 * a name query matches a few.
 */
public class IndexLoader {

    public static void main(String[] args) throws Exception {
        String db = args[0];
        int studies = Integer.parseInt(args[1]);
        int seriesPerStudy = Integer.parseInt(args[2]);
        int perSeries = Integer.parseInt(args[3]);
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:derby:" + db)) {
            c.setAutoCommit(false);
            long first = next(c);
            Timestamp now = Timestamp.from(Instant.now());
            byte[] instanceBlob = encode(instanceAttrs());
            try (PreparedStatement pat = c.prepareStatement("INSERT INTO patient (pat_key, pat_id, pat_issuer, pat_name_a,"
                    + " pat_name_norm, pat_birthdate, pat_sex, attrs) VALUES (?,?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS);
                 PreparedStatement st = c.prepareStatement("INSERT INTO study (patient_fk, study_iuid, study_date, study_time,"
                         + " accession_no, study_id, study_desc, mods_in_study, cuids_in_study, num_series, num_instances, attrs)"
                         + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS);
                 PreparedStatement se = c.prepareStatement("INSERT INTO series (study_fk, series_iuid, modality, series_no,"
                         + " series_desc, num_instances, attrs) VALUES (?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS);
                 PreparedStatement in = c.prepareStatement("INSERT INTO instance (series_fk, sop_iuid, sop_cuid, inst_no, tsuid,"
                         + " storage_id, storage_key, obj_size, checksum, received, attrs) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                long patientPk = -1;
                long instances = 0;
                int pending = 0;
                for (int s = 0; s < studies; s++) {
                    long n = first + s;
                    if (s % 2 == 0) {
                        String pid = "BENCH-" + (n / 2);
                        String name = (n / 2) % 100 == 0 ? "BENCH^FIND" + (n / 2) : "PATIENT^" + (n / 2);
                        Attributes p = new Attributes();
                        p.setString(Tag.PatientName, VR.PN, name);
                        p.setString(Tag.PatientID, VR.LO, pid);
                        p.setString(Tag.PatientBirthDate, VR.DA, "19700101");
                        p.setString(Tag.PatientSex, VR.CS, "O");
                        pat.setString(1, pid + "\u0001");
                        pat.setString(2, pid);
                        pat.setString(3, "");
                        pat.setString(4, name);
                        pat.setString(5, name.toUpperCase());
                        pat.setString(6, "19700101");
                        pat.setString(7, "O");
                        pat.setBytes(8, encode(p));
                        pat.executeUpdate();
                        patientPk = key(pat);
                    }
                    String studyUid = "2.25.9" + n;
                    String date = String.format("%04d%02d%02d", 2010 + (int) (n % 16), 1 + (int) (n / 16 % 12), 1 + (int) (n / 192 % 28));
                    Attributes sa = new Attributes();
                    sa.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
                    sa.setString(Tag.StudyDate, VR.DA, date);
                    sa.setString(Tag.StudyTime, VR.TM, "101500");
                    sa.setString(Tag.AccessionNumber, VR.SH, "A" + n);
                    sa.setString(Tag.StudyID, VR.SH, "1");
                    sa.setString(Tag.StudyDescription, VR.LO, "synthetic");
                    st.setLong(1, patientPk);
                    st.setString(2, studyUid);
                    st.setString(3, date);
                    st.setString(4, "101500");
                    st.setString(5, "A" + n);
                    st.setString(6, "1");
                    st.setString(7, "synthetic");
                    st.setString(8, "|CT|");
                    st.setString(9, "|" + UID.CTImageStorage + "|");
                    st.setInt(10, seriesPerStudy);
                    st.setInt(11, seriesPerStudy * perSeries);
                    st.setBytes(12, encode(sa));
                    st.executeUpdate();
                    long studyPk = key(st);
                    for (int r = 0; r < seriesPerStudy; r++) {
                        String seriesUid = studyUid + "." + (r + 1);
                        Attributes ra = new Attributes();
                        ra.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
                        ra.setString(Tag.Modality, VR.CS, "CT");
                        ra.setString(Tag.SeriesNumber, VR.IS, Integer.toString(r + 1));
                        se.setLong(1, studyPk);
                        se.setString(2, seriesUid);
                        se.setString(3, "CT");
                        se.setInt(4, r + 1);
                        se.setString(5, "synthetic");
                        se.setInt(6, perSeries);
                        se.setBytes(7, encode(ra));
                        se.executeUpdate();
                        long seriesPk = key(se);
                        for (int i = 0; i < perSeries; i++) {
                            in.setLong(1, seriesPk);
                            in.setString(2, seriesUid + "." + (i + 1));
                            in.setString(3, UID.CTImageStorage);
                            in.setInt(4, i + 1);
                            in.setString(5, UID.ExplicitVRLittleEndian);
                            in.setString(6, "default");
                            in.setString(7, "synthetic/" + seriesUid + "." + (i + 1));
                            in.setLong(8, 525_000);
                            in.setString(9, "0");
                            in.setTimestamp(10, now);
                            in.setBytes(11, instanceBlob);
                            in.addBatch();
                        }
                        instances += perSeries;
                        pending += perSeries;
                        if (pending >= 5000) {
                            in.executeBatch();
                            pending = 0;
                        }
                    }
                    if (s % 200 == 199) {
                        in.executeBatch();
                        pending = 0;
                        c.commit();
                        System.out.printf("%d studies, %d instances, %.0f s%n", s + 1, instances, (System.nanoTime() - t0) / 1e9);
                    }
                }
                in.executeBatch();
                c.commit();
                System.out.printf("loaded %d studies, %d instances in %.0f s%n", studies, instances, (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            try {
                DriverManager.getConnection("jdbc:derby:;shutdown=true");
            } catch (java.sql.SQLException expected) {
                // Derby says so with an exception
            }
        }
    }

    /** The study number to start from: after the studies already loaded, so that a second run adds more. */
    private static long next(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM study")) {
            rs.next();
            return 1_000_000L + rs.getLong(1);
        }
    }

    private static long key(PreparedStatement p) throws Exception {
        try (ResultSet rs = p.getGeneratedKeys()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Attributes instanceAttrs() {
        Attributes a = new Attributes();
        a.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        a.setString(Tag.InstanceNumber, VR.IS, "1");
        a.setInt(Tag.Rows, VR.US, 512);
        a.setInt(Tag.Columns, VR.US, 512);
        return a;
    }

    private static byte[] encode(Attributes ds) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DicomOutputStream out = new DicomOutputStream(bytes, UID.DeflatedExplicitVRLittleEndian)) {
            out.writeDataset(ds);
        }
        return bytes.toByteArray();
    }
}
