package org.mosaicpacs.index.derby.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.index.StorageUsage;
import org.mosaicpacs.api.index.StoreOutcome;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;

/**
 * The archive index in plain JDBC: every value is a bind parameter; what differs between databases is
 * in the {@link Dialect}. Each public method is one transaction (READ COMMITTED), retried when the
 * database reports a deadlock, a lock timeout or a unique key taken by a concurrent transaction; except
 * that concurrent stores share one (group commit, see {@link #store}).
 *
 * <p>Concurrency: a store creates the patient, study and series rows it needs, then locks its study's
 * row before inserting the instance and recounting the aggregates; so stores into one study run one at
 * a time from that point, and the counts each one writes include every committed instance. The lock is
 * held to the commit, whose log flush is the slow part: so stores that arrive together are committed
 * together.
 */
final class JdbcArchiveIndex implements ArchiveIndex {

    private static final int ATTEMPTS = 20;

    private final DataSource dataSource;
    private final Dialect dialect;

    JdbcArchiveIndex(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Runs the schema migrations; returns the schema version. */
    int migrate() throws SQLException, IOException {
        return new Migrations(dataSource, dialect).migrate();
    }

    /** The schema version recorded in the database (a cheap health check). */
    int schemaVersion() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    // ---- transactions -----------------------------------------------------------------------------

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException, IndexException;
    }

    private <T> T inTransaction(String what, Work<T> work) throws IndexException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | IndexException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && (dialect.isRetryable(e) || dialect.isDuplicateKey(e))) {
                    try {
                        Thread.sleep(Math.min(200, 5L * attempt * attempt));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IndexException(what + " interrupted", e);
                    }
                    continue;
                }
                throw new IndexException(what + " failed: " + e.getMessage(), e);
            }
        }
    }

    // ---- store ------------------------------------------------------------------------------------

    /** Thrown inside the store transaction to roll it back when the duplicate policy keeps the first copy. */
    private static final class KeepFirst extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient StoreOutcome outcome;

        KeepFirst(StoreOutcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    /** The most stores committed in one shared transaction. */
    static final int MAX_GROUP = 32;

    /** A store on its way to a transaction: queued, in a shared transaction, or back to be stored alone. */
    private static final class PendingStore {
        final Attributes ds;
        final StorageLocation location;
        final DuplicatePolicy policy;
        final String studyUID;
        final String seriesUID;
        final String sopUID;
        final String cuid;
        /** Set once the shared transaction that held it has committed; null: store it alone. */
        StoreOutcome outcome;
        /** Whether the shared transaction that took it has ended (committed or not). */
        boolean done;

        PendingStore(Attributes ds, StorageLocation location, DuplicatePolicy policy, String studyUID,
                     String seriesUID, String sopUID, String cuid) {
            this.ds = ds;
            this.location = location;
            this.policy = policy;
            this.studyUID = studyUID;
            this.seriesUID = seriesUID;
            this.sopUID = sopUID;
            this.cuid = cuid;
        }
    }

    /** Guards {@link #queued} and {@link #committing}; stores wait on it for their group's commit. */
    private final Object group = new Object();
    private final ArrayDeque<PendingStore> queued = new ArrayDeque<>();
    private boolean committing;
    private final AtomicLong storedInGroups = new AtomicLong();

    /**
     * Group commit: a store that arrives while no store transaction runs stores at once (alone, as before); the
     * stores that arrive while one runs wait, and when it ends one of them (the leader) stores all of them, up to
     * {@link #MAX_GROUP}, in one transaction, each under its own savepoint, and commits once: one log flush and one
     * hold of their study's row for the group instead of one each. Each caller still returns only after the commit
     * that holds its rows. A store that fails inside the group (a constraint, a unique key taken by a concurrent
     * transaction) is rolled back to its savepoint, the others go on, and it is stored again alone, so it gets the
     * outcome or the error it would have had alone; when the group's transaction itself fails (a deadlock, a lock
     * timeout, the commit), every store of the group is stored again alone.
     */
    @Override
    public StoreOutcome store(Attributes ds, StorageLocation location, DuplicatePolicy policy) throws IndexException {
        PendingStore p = new PendingStore(ds, location, policy, uid(ds, Tag.StudyInstanceUID),
                uid(ds, Tag.SeriesInstanceUID), uid(ds, Tag.SOPInstanceUID), uid(ds, Tag.SOPClassUID));
        List<PendingStore> batch = new ArrayList<>();
        boolean interrupted = false;
        synchronized (group) {
            queued.add(p);
            while (!p.done && committing) {
                try {
                    group.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // a queued store is taken by the next leader: wait for it
                }
            }
            if (!p.done) {
                // lead: this store and those queued meanwhile
                committing = true;
                queued.remove(p);
                batch.add(p);
                while (batch.size() < MAX_GROUP && !queued.isEmpty()) {
                    batch.add(queued.poll());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!batch.isEmpty()) {
            try {
                if (batch.size() > 1) {
                    storeGroup(batch);
                } else {
                    p.outcome = storeAlone(p);
                }
            } finally {
                synchronized (group) {
                    for (PendingStore s : batch) {
                        s.done = true;
                    }
                    committing = false;
                    group.notifyAll();
                }
            }
        }
        return p.outcome != null ? p.outcome : storeAlone(p);
    }

    /** One store in its own transaction (retried on deadlocks and taken unique keys). */
    private StoreOutcome storeAlone(PendingStore p) throws IndexException {
        try {
            return inTransaction("store " + p.sopUID, c -> storeIn(c, p.ds, p.location, p.policy, p.studyUID,
                    p.seriesUID, p.sopUID, p.cuid));
        } catch (KeepFirst k) {
            return k.outcome;
        }
    }

    /**
     * Stores a group in one transaction, each store under a savepoint; sets the outcome of each store that the
     * commit made durable. The others (failed in the group, or all when the transaction failed) keep a null
     * outcome: their callers store them alone.
     */
    private void storeGroup(List<PendingStore> batch) {
        StoreOutcome[] outcomes = new StoreOutcome[batch.size()];
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try {
                for (int i = 0; i < outcomes.length; i++) {
                    PendingStore s = batch.get(i);
                    Savepoint savepoint = c.setSavepoint();
                    try {
                        outcomes[i] = storeIn(c, s.ds, s.location, s.policy, s.studyUID, s.seriesUID, s.sopUID, s.cuid);
                        c.releaseSavepoint(savepoint);
                    } catch (KeepFirst k) {
                        c.rollback(savepoint); // nothing written: only the look-up of the first copy
                        outcomes[i] = k.outcome;
                    } catch (SQLException e) {
                        if (dialect.isRetryable(e) || isTransactionRolledBack(e)) {
                            throw e; // the whole transaction is lost: everyone alone
                        }
                        c.rollback(savepoint); // only this store's rows; it is stored again alone
                    } catch (RuntimeException e) {
                        c.rollback(savepoint);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Arrays.fill(outcomes, null);
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone: nothing of the group was committed
                }
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // a broken connection: the pool drops it
                }
            }
        } catch (SQLException e) {
            Arrays.fill(outcomes, null);
        }
        for (int i = 0; i < outcomes.length; i++) {
            batch.get(i).outcome = outcomes[i];
            if (outcomes[i] != null) {
                storedInGroups.incrementAndGet();
            }
        }
    }

    /** SQL state class 40: the database rolled the whole transaction back. */
    private static boolean isTransactionRolledBack(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("40");
    }

    /** Whether a store transaction (alone or of a group) runs now (tests). */
    boolean storeRunning() {
        synchronized (group) {
            return committing;
        }
    }

    /** How many stores wait for the next group (tests). */
    int storesWaiting() {
        synchronized (group) {
            return queued.size();
        }
    }

    /** How many stores were committed in shared transactions (a group of two or more) since the start. */
    long storedInGroups() {
        return storedInGroups.get();
    }

    private static String uid(Attributes ds, int tag) throws IndexException {
        String v = ds.getString(tag);
        if (v == null || v.isBlank()) {
            throw new IndexException("missing " + keyword(tag), true);
        }
        v = v.strip();
        if (v.length() > 64 || v.indexOf('\0') >= 0) {
            throw new IndexException("malformed " + keyword(tag) + ": too long or contains NUL", true);
        }
        return v;
    }

    private static String keyword(int tag) {
        return String.format(Locale.ROOT, "(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    private record Existing(long pk, long seriesPk, long studyPk, InstanceLocation location) {
    }

    private StoreOutcome storeIn(Connection c, Attributes ds, StorageLocation location, DuplicatePolicy policy,
                                 String studyUID, String seriesUID, String sopUID, String cuid) throws SQLException {
        Instant now = Instant.now();
        InstanceLocation incoming = new InstanceLocation(studyUID, seriesUID, sopUID, cuid, location, now);
        Existing existing = findInstance(c, sopUID);
        if (existing != null && policy != DuplicatePolicy.REPLACE) {
            throw new KeepFirst(new StoreOutcome(policy == DuplicatePolicy.REJECT ? StoreOutcome.Result.REJECTED
                    : StoreOutcome.Result.KEPT_FIRST, existing.location(), Optional.of(location)));
        }
        long studyPk = findOrCreateStudy(c, ds, studyUID);
        // From here on, stores into this study wait for each other: the series rows, instance rows and
        // aggregates of a study are only written by the transaction holding its study row.
        TreeSet<Long> studies = new TreeSet<>(List.of(studyPk));
        if (existing != null) {
            studies.add(existing.studyPk());
        }
        for (long pk : studies) {
            lockStudy(c, pk);
        }
        long[] series = findOrCreateSeries(c, ds, studyPk, seriesUID);
        long seriesPk = series[0];
        if (series[1] != studyPk) { // a series stays in the study it was first stored in
            lockStudy(c, series[1]);
            studies.add(series[1]);
        }
        if (existing != null) {
            update(c, "DELETE FROM instance WHERE pk = ?", existing.pk());
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO instance (series_fk, sop_iuid, sop_cuid, inst_no,"
                + " tsuid, storage_id, storage_key, obj_size, checksum, received, attrs) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
            p.setLong(1, seriesPk);
            p.setString(2, sopUID);
            p.setString(3, cuid);
            setInt(p, 4, ds, Tag.InstanceNumber);
            p.setString(5, cut(location.transferSyntaxUID(), 64));
            p.setString(6, cut(location.storageId(), 64));
            p.setString(7, location.key().value());
            p.setLong(8, location.size());
            p.setString(9, cut(location.sha256(), 128));
            p.setTimestamp(10, Timestamp.from(now));
            p.setBytes(11, DataSets.encode(DataSets.select(ds, DataSets.keptAt(QueryLevel.IMAGE))));
            p.executeUpdate();
        }
        if (existing == null && series[1] == studyPk) {
            // the common case, a new instance: the aggregates grow by it, without counting the study again
            addToAggregates(c, studyPk, seriesPk, series[2] == 1, cut(ds.getString(Tag.Modality), 16), cuid);
        } else {
            recountSeries(c, seriesPk);
            if (existing != null && existing.seriesPk() != seriesPk) {
                recountSeries(c, existing.seriesPk());
            }
            for (long pk : studies) {
                recountStudy(c, pk);
            }
        }
        if (existing != null) {
            return new StoreOutcome(StoreOutcome.Result.REPLACED, incoming, Optional.of(existing.location().location()));
        }
        return new StoreOutcome(StoreOutcome.Result.STORED, incoming, Optional.empty());
    }

    private static final String INSTANCE_COLUMNS = "SELECT i.pk, i.series_fk, se.study_fk, s.study_iuid, se.series_iuid,"
            + " i.sop_iuid, i.sop_cuid, i.storage_id, i.storage_key, i.tsuid, i.obj_size, i.checksum, i.received, s.patient_fk";
    /** The instance rows of one SOP Instance UID: Derby starts from {@code instance_iuid_uk}. */
    private static final String INSTANCE_SELECT = INSTANCE_COLUMNS
            + " FROM instance i JOIN series se ON i.series_fk = se.pk JOIN study s ON se.study_fk = s.pk";
    /**
     * The instance rows of one study ({@code WHERE s.study_iuid = ?} follows): the join order is fixed, study
     * (unique index) then its series then their instances (the foreign keys' indexes). Left to itself, Derby
     * scanned the whole instance table for each study (20,000 rows read for 50 at 20,000 instances), so that
     * locate and delete, each C-GET and C-MOVE and the start-up check (one locate per study: hours at 100,000
     * instances, on one core, while C-FIND was measured) grew with the size of the archive.
     */
    private static final String STUDY_INSTANCES_SELECT = INSTANCE_COLUMNS
            + " FROM -- DERBY-PROPERTIES joinOrder=FIXED\n study s, series se, instance i"
            + " WHERE se.study_fk = s.pk AND i.series_fk = se.pk";

    private static InstanceLocation location(ResultSet rs) throws SQLException {
        return new InstanceLocation(rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                new StorageLocation(rs.getString(8), new StorageKey(rs.getString(9)), rs.getString(10), rs.getLong(11),
                        rs.getString(12)), rs.getTimestamp(13).toInstant());
    }

    private static Existing findInstance(Connection c, String sopUID) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(INSTANCE_SELECT + " WHERE i.sop_iuid = ?")) {
            p.setString(1, sopUID);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? new Existing(rs.getLong(1), rs.getLong(2), rs.getLong(3), location(rs)) : null;
            }
        }
    }

    /**
     * A patient is identified by Patient ID and Issuer of Patient ID; a patient without an ID is never
     * merged with another: it is the patient of the study it came with.
     */
    private static long findOrCreatePatient(Connection c, Attributes ds, String studyUID) throws SQLException {
        String id = cut(ds.getString(Tag.PatientID, ""), 64);
        String issuer = cut(ds.getString(Tag.IssuerOfPatientID, ""), 64);
        String key = id.isBlank() ? "\u0002" + studyUID : id + "\u0001" + issuer;
        Long pk = queryPk(c, "SELECT pk FROM patient WHERE pat_key = ?", key);
        if (pk != null) {
            return pk;
        }
        String[] name = Columns.pnGroups(ds.getString(Tag.PatientName));
        return insert(c, "INSERT INTO patient (pat_key, pat_id, pat_issuer, pat_name_a, pat_name_i, pat_name_p, pat_name_norm,"
                        + " pat_birthdate, pat_sex, attrs) VALUES (?,?,?,?,?,?,?,?,?,?)",
                key, id, issuer, cut(name[0], 330), cut(name[1], 330), cut(name[2], 330), cut(Matching.upper(name[0]), 330),
                Matching.normDateOrNull(ds.getString(Tag.PatientBirthDate)), cut(ds.getString(Tag.PatientSex), 16),
                DataSets.encode(DataSets.select(ds, DataSets.keptAt(QueryLevel.PATIENT))));
    }

    /**
     * The study of {@code studyUID}; a new study is created with its patient (found or created). An existing study
     * keeps the patient it has, so its patient is not looked up: one statement less for every instance after a
     * study's first.
     */
    private static long findOrCreateStudy(Connection c, Attributes ds, String studyUID) throws SQLException {
        Long pk = queryPk(c, "SELECT pk FROM study WHERE study_iuid = ?", studyUID);
        if (pk != null) {
            return pk;
        }
        long patientPk = findOrCreatePatient(c, ds, studyUID);
        String[] ref = Columns.pnGroups(ds.getString(Tag.ReferringPhysicianName));
        return insert(c, "INSERT INTO study (patient_fk, study_iuid, study_date, study_time, accession_no, study_id,"
                        + " ref_phys_a, ref_phys_i, ref_phys_p, ref_phys_norm, study_desc, attrs)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                patientPk, studyUID, Matching.normDateOrNull(ds.getString(Tag.StudyDate)),
                Matching.normTimeOrNull(ds.getString(Tag.StudyTime)), cut(ds.getString(Tag.AccessionNumber), 64),
                cut(ds.getString(Tag.StudyID), 16), cut(ref[0], 330), cut(ref[1], 330), cut(ref[2], 330),
                cut(Matching.upper(ref[0]), 330), cut(ds.getString(Tag.StudyDescription), 64),
                DataSets.encode(DataSets.select(ds, DataSets.keptAt(QueryLevel.STUDY))));
    }

    /** Returns {series pk, its study pk, 1 when this call created it (else 0)}. */
    private static long[] findOrCreateSeries(Connection c, Attributes ds, long studyPk, String seriesUID) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pk, study_fk FROM series WHERE series_iuid = ?")) {
            p.setString(1, seriesUID);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    return new long[] {rs.getLong(1), rs.getLong(2), 0};
                }
            }
        }
        Integer number = intOrNull(ds, Tag.SeriesNumber);
        long pk = insert(c, "INSERT INTO series (study_fk, series_iuid, modality, series_no, series_desc, body_part,"
                        + " pps_start_date, attrs) VALUES (?,?,?,?,?,?,?,?)",
                studyPk, seriesUID, cut(ds.getString(Tag.Modality), 16), number, cut(ds.getString(Tag.SeriesDescription), 64),
                cut(ds.getString(Tag.BodyPartExamined), 16),
                Matching.normDateOrNull(ds.getString(Tag.PerformedProcedureStepStartDate)),
                DataSets.encode(DataSets.select(ds, DataSets.keptAt(QueryLevel.SERIES))));
        return new long[] {pk, studyPk, 1};
    }

    private static void lockStudy(Connection c, long studyPk) throws SQLException {
        update(c, "UPDATE study SET num_instances = num_instances WHERE pk = ?", studyPk);
    }

    private static void recountSeries(Connection c, long seriesPk) throws SQLException {
        update(c, "UPDATE series SET num_instances = (SELECT COUNT(*) FROM instance WHERE series_fk = ?) WHERE pk = ?",
                seriesPk, seriesPk);
    }

    private static void recountStudy(Connection c, long studyPk) throws SQLException {
        Set<String> modalities = new TreeSet<>();
        List<Long> seriesPks = new ArrayList<>();
        int instances = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT pk, modality, num_instances FROM series WHERE study_fk = ?")) {
            p.setLong(1, studyPk);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    seriesPks.add(rs.getLong(1));
                    if (rs.getString(2) != null && !rs.getString(2).isEmpty()) {
                        modalities.add(rs.getString(2));
                    }
                    instances += rs.getInt(3);
                }
            }
        }
        // one indexed look-up per series: never a scan that would wait on other studies' rows
        Set<String> classes = new TreeSet<>();
        try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT sop_cuid FROM instance WHERE series_fk = ?")) {
            for (long pk : seriesPks) {
                p.setLong(1, pk);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        classes.add(rs.getString(1));
                    }
                }
            }
        }
        update(c, "UPDATE study SET num_series = ?, num_instances = ?, mods_in_study = ?, cuids_in_study = ? WHERE pk = ?",
                seriesPks.size(), instances, cut(joinMulti(modalities), 1000), cut(joinMulti(classes), 4000), studyPk);
    }

    /**
     * Adds one new instance to the aggregates of its series and study (whose row this transaction holds):
     * the same values as {@link #recountSeries} and {@link #recountStudy} would give, without reading the
     * study's other series and instances. A new series adds its modality (a series' modality is that of its
     * first instance); the instance adds its SOP class. Lists cut at their column's length are counted again.
     */
    private static void addToAggregates(Connection c, long studyPk, long seriesPk, boolean newSeries, String modality,
                                        String cuid) throws SQLException {
        update(c, "UPDATE series SET num_instances = num_instances + 1 WHERE pk = ?", seriesPk);
        String mods;
        String cuids;
        try (PreparedStatement p = c.prepareStatement("SELECT mods_in_study, cuids_in_study FROM study WHERE pk = ?")) {
            p.setLong(1, studyPk);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("study " + studyPk + " vanished inside its own transaction");
                }
                mods = rs.getString(1);
                cuids = rs.getString(2);
            }
        }
        if (mods.length() >= 1000 || cuids.length() >= 4000) {
            recountSeries(c, seriesPk); // already counted above: recountSeries only sets it again
            recountStudy(c, studyPk);
            return;
        }
        Set<String> modalities = splitMulti(mods);
        if (newSeries && modality != null && !modality.isEmpty()) {
            modalities.add(modality);
        }
        Set<String> classes = splitMulti(cuids);
        classes.add(cuid);
        update(c, "UPDATE study SET num_series = num_series + ?, num_instances = num_instances + 1, mods_in_study = ?,"
                        + " cuids_in_study = ? WHERE pk = ?",
                newSeries ? 1 : 0, cut(joinMulti(modalities), 1000), cut(joinMulti(classes), 4000), studyPk);
    }

    private static Set<String> splitMulti(String joined) {
        Set<String> values = new TreeSet<>();
        if (joined != null && joined.length() > 2) {
            values.addAll(List.of(joined.substring(1, joined.length() - 1).split("\\|")));
        }
        return values;
    }

    private static String joinMulti(Set<String> values) {
        return values.isEmpty() ? "" : "|" + String.join("|", values) + "|";
    }

    // ---- locate and delete ------------------------------------------------------------------------

    @Override
    public List<InstanceLocation> locate(String studyUID, String seriesUID, String sopUID) throws IndexException {
        if (studyUID == null || studyUID.isBlank()) {
            throw new IndexException("locate needs a Study Instance UID", true);
        }
        return inTransaction("locate " + studyUID, c -> {
            List<Object> params = new ArrayList<>(List.of(studyUID.strip()));
            StringBuilder sql = new StringBuilder(STUDY_INSTANCES_SELECT).append(" AND s.study_iuid = ?");
            if (seriesUID != null) {
                sql.append(" AND se.series_iuid = ?");
                params.add(seriesUID.strip());
            }
            if (sopUID != null) {
                sql.append(" AND i.sop_iuid = ?");
                params.add(sopUID.strip());
            }
            sql.append(" ORDER BY se.series_no, se.series_iuid, i.inst_no, i.sop_iuid");
            List<InstanceLocation> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                bind(p, params);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(location(rs));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<InstanceLocation> delete(String studyUID, String seriesUID, String sopUID) throws IndexException {
        if (studyUID == null || studyUID.isBlank()) {
            throw new IndexException("delete needs a Study Instance UID", true);
        }
        return inTransaction("delete from " + studyUID, c -> {
            List<Object> params = new ArrayList<>(List.of(studyUID.strip()));
            StringBuilder sql = new StringBuilder(STUDY_INSTANCES_SELECT).append(" AND s.study_iuid = ?");
            if (seriesUID != null) {
                sql.append(" AND se.series_iuid = ?");
                params.add(seriesUID.strip());
                if (sopUID != null) {
                    sql.append(" AND i.sop_iuid = ?");
                    params.add(sopUID.strip());
                }
            }
            List<InstanceLocation> removed = new ArrayList<>();
            List<Long> instances = new ArrayList<>();
            Set<Long> series = new LinkedHashSet<>();
            TreeSet<Long> studies = new TreeSet<>();
            Set<Long> patients = new LinkedHashSet<>();
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                bind(p, params);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        instances.add(rs.getLong(1));
                        series.add(rs.getLong(2));
                        studies.add(rs.getLong(3));
                        patients.add(rs.getLong(14));
                        removed.add(location(rs));
                    }
                }
            }
            for (long pk : studies) {
                lockStudy(c, pk);
            }
            for (long pk : instances) {
                update(c, "DELETE FROM instance WHERE pk = ?", pk);
            }
            for (long pk : series) {
                recountSeries(c, pk);
                update(c, "DELETE FROM series WHERE pk = ? AND num_instances = 0", pk);
            }
            for (long pk : studies) {
                recountStudy(c, pk);
                update(c, "DELETE FROM study WHERE pk = ? AND num_series = 0", pk);
            }
            for (long pk : patients) {
                update(c, "DELETE FROM patient WHERE pk = ? AND NOT EXISTS (SELECT 1 FROM study WHERE patient_fk = ?)", pk, pk);
            }
            return removed;
        });
    }

    // ---- storage: re-point and usage ----------------------------------------------------------------

    @Override
    public boolean relocate(String sopUID, StorageLocation from, StorageLocation to) throws IndexException {
        if (sopUID == null || sopUID.isBlank()) {
            throw new IndexException("relocate needs a SOP Instance UID", true);
        }
        return inTransaction("relocate " + sopUID, c -> update(c, "UPDATE instance SET storage_id = ?, storage_key = ?,"
                        + " obj_size = ?, checksum = ? WHERE sop_iuid = ? AND storage_id = ? AND storage_key = ?",
                cut(to.storageId(), 64), to.key().value(), to.size(), cut(to.sha256(), 128), sopUID.strip(),
                from.storageId(), from.key().value()) == 1);
    }

    @Override
    public Map<String, StorageUsage> storageUsage() throws IndexException {
        return inTransaction("storage usage", c -> {
            Map<String, StorageUsage> out = new TreeMap<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT storage_id, COUNT(*), SUM(obj_size) FROM instance GROUP BY storage_id");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new StorageUsage(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    // ---- query ------------------------------------------------------------------------------------

    @Override
    public int query(QueryRequest request, Predicate<Attributes> sink) throws IndexException {
        QueryPlan plan = QueryPlan.of(request);
        return inTransaction("query", c -> {
            int n = 0;
            try (PreparedStatement p = c.prepareStatement(plan.sql())) {
                bind(p, plan.params());
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        Attributes match = plan.match(rs);
                        if (match == null) {
                            continue;
                        }
                        n++;
                        if (!sink.test(match)) {
                            break;
                        }
                    }
                }
            }
            return n;
        });
    }

    // ---- JDBC helpers -----------------------------------------------------------------------------

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static Integer intOrNull(Attributes ds, int tag) {
        String s = ds.getString(tag);
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void setInt(PreparedStatement p, int i, Attributes ds, int tag) throws SQLException {
        Integer v = intOrNull(ds, tag);
        if (v == null) {
            p.setNull(i, Types.INTEGER);
        } else {
            p.setInt(i, v);
        }
    }

    static void bind(PreparedStatement p, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            if (v == null) {
                p.setNull(i + 1, p.getParameterMetaData().getParameterType(i + 1));
            } else if (v instanceof byte[] b) {
                p.setBytes(i + 1, b);
            } else if (v instanceof Long l) {
                p.setLong(i + 1, l);
            } else if (v instanceof Integer n) {
                p.setInt(i + 1, n);
            } else {
                p.setString(i + 1, v.toString());
            }
        }
    }

    private static Long queryPk(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, java.util.Arrays.asList(params));
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, java.util.Arrays.asList(params));
            return p.executeUpdate();
        }
    }

    private static long insert(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(p, java.util.Arrays.asList(params));
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no generated key");
                }
                return keys.getLong(1);
            }
        }
    }
}
