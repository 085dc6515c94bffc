package org.mosaicpacs.deidentify.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mapping store: each project's secret, its patients (original → pseudonym, date offset) and its UIDs
 * (original → new), in tables of their own ({@code deid_*}, schema version in {@code deid_schema_version})
 * in the index database, the DataSource {@code (dataSourceName=mosaic)}. Read only by
 * {@code mosaic:deidentify-map}. Thread safe.
 */
@Component(service = MappingStore.class)
public final class MappingStore {

    private static final Logger LOG = LoggerFactory.getLogger(MappingStore.class);
    private static final String DUPLICATE_KEY = "23505";
    private static final int REMEMBERED = 100_000;

    /** One row of a mapping: what kind, the original, its replacement, and the patient's date offset (days). */
    public record Mapping(String project, String kind, String original, String replacement, Integer dateOffsetDays) {
    }

    private final DataSource dataSource;
    private final SecureRandom random = new SecureRandom();
    /** Keys already recorded, so that repeated UIDs (a study's, a series') are not written again and again. */
    private final Set<String> recorded = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>(1024, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));

    @Activate
    public MappingStore(@Reference(name = "dataSource", target = "(dataSourceName=mosaic)") DataSource dataSource)
            throws SQLException, IOException {
        this.dataSource = dataSource;
        migrate();
    }

    /** The project's random secret, made and stored at the first call. */
    synchronized byte[] projectSecret(String project) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement p = c.prepareStatement("SELECT secret FROM deid_project WHERE project = ?")) {
                p.setString(1, project);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        return HexFormat.of().parseHex(rs.getString(1));
                    }
                }
            }
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO deid_project (project, secret, created) VALUES (?, ?, ?)")) {
                p.setString(1, project);
                p.setString(2, HexFormat.of().formatHex(secret));
                p.setTimestamp(3, Timestamp.from(Instant.now()));
                p.executeUpdate();
            } catch (SQLException e) {
                if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                    throw e;
                }
                return projectSecret(project); // another node made it first
            }
            return secret;
        }
    }

    /** Records what one de-identification replaced (what is already recorded is left as it is). */
    void record(String project, Engine.Result result) throws SQLException {
        recordAll(project, List.of(result));
    }

    /**
     * Records what several de-identifications replaced in one transaction (one commit, one log sync): all or
     * nothing. Replacements are a keyed hash of the original with the project's secret, which is committed before
     * any is made ({@link #projectSecret}), so a batch lost in a crash loses no information: the same originals
     * get the same replacements the next time and are recorded then.
     */
    void recordAll(String project, List<Engine.Result> results) throws SQLException {
        Map<String, Engine.Result> patients = new LinkedHashMap<>();
        Map<String, String> uids = new LinkedHashMap<>();
        for (Engine.Result result : results) {
            String patientKey = project + "\u0000p\u0000" + result.patientKey();
            if (!recorded.contains(patientKey)) {
                patients.putIfAbsent(result.patientKey(), result);
            }
            for (Map.Entry<String, String> e : result.uids().entrySet()) {
                if (!recorded.contains(project + "\u0000u\u0000" + e.getKey())) {
                    uids.putIfAbsent(e.getKey(), e.getValue());
                }
            }
        }
        if (patients.isEmpty() && uids.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO deid_patient (project, original, pseudonym, date_offset, created) VALUES (?, ?, ?, ?, ?)")) {
                    for (Engine.Result result : patients.values()) {
                        p.setString(1, project);
                        p.setString(2, result.patientKey());
                        p.setString(3, result.patientId());
                        p.setInt(4, result.dateOffsetDays());
                        p.setTimestamp(5, now);
                        insertIfAbsent(p);
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO deid_uid (project, original, replacement, created) VALUES (?, ?, ?, ?)")) {
                    for (Map.Entry<String, String> e : uids.entrySet()) {
                        p.setString(1, project);
                        p.setString(2, e.getKey());
                        p.setString(3, e.getValue());
                        p.setTimestamp(4, now);
                        insertIfAbsent(p);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        for (String patientKey : patients.keySet()) {
            recorded.add(project + "\u0000p\u0000" + patientKey);
        }
        for (String original : uids.keySet()) {
            recorded.add(project + "\u0000u\u0000" + original);
        }
    }

    private static void insertIfAbsent(PreparedStatement p) throws SQLException {
        try {
            p.executeUpdate();
        } catch (SQLException e) {
            if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /**
     * The mappings of a project (all projects when null), patients first, then UIDs; only those whose
     * original or replacement equals {@code value} when it is given.
     */
    public List<Mapping> mappings(String project, String value, int limit) throws SQLException {
        List<Mapping> out = new ArrayList<>();
        String where = (project == null ? "1 = 1" : "project = ?") + (value == null ? "" : " AND (original = ? OR %s = ?)");
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement p = c.prepareStatement("SELECT project, original, pseudonym, date_offset FROM deid_patient WHERE "
                    + where.formatted("pseudonym") + " ORDER BY project, pseudonym")) {
                bind(p, project, value);
                p.setMaxRows(limit);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Mapping(rs.getString(1), "patient", rs.getString(2), rs.getString(3), rs.getInt(4)));
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT project, original, replacement FROM deid_uid WHERE "
                    + where.formatted("replacement") + " ORDER BY project, original")) {
                bind(p, project, value);
                p.setMaxRows(Math.max(1, limit - out.size()));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next() && out.size() < limit) {
                        out.add(new Mapping(rs.getString(1), "uid", rs.getString(2), rs.getString(3), null));
                    }
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement p, String project, String value) throws SQLException {
        int i = 1;
        if (project != null) {
            p.setString(i++, project);
        }
        if (value != null) {
            p.setString(i++, value);
            p.setString(i, value);
        }
    }

    // ---- schema ----------------------------------------------------------------------------------

    /** Brings the deid_* tables to the newest version; each migration once, in its own transaction. */
    private void migrate() throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE deid_schema_version (version INTEGER NOT NULL PRIMARY KEY, "
                        + "description VARCHAR(256) NOT NULL, applied TIMESTAMP NOT NULL)");
            } catch (SQLException e) {
                if (!"X0Y32".equals(e.getSQLState())) { // Derby: table exists
                    throw e;
                }
            }
            for (String line : read("migrations.list").split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                apply(c, Integer.parseInt(parts[0]), parts[1]);
            }
        }
    }

    private void apply(Connection c, int version, String script) throws SQLException, IOException {
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE deid_schema_version IN EXCLUSIVE MODE");
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT COUNT(*) FROM deid_schema_version WHERE version = " + version)) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    c.commit();
                    return;
                }
            }
            LOG.info("de-identification mapping store: applying migration {} ({})", version, script);
            try (Statement s = c.createStatement()) {
                for (String sql : read(script).split(";\\s*\n")) {
                    String stmt = sql.lines().filter(l -> !l.strip().startsWith("--")).reduce("", (a, b) -> a + "\n" + b).strip();
                    if (!stmt.isEmpty()) {
                        s.execute(stmt.endsWith(";") ? stmt.substring(0, stmt.length() - 1) : stmt);
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO deid_schema_version (version, description, applied) VALUES (?, ?, ?)")) {
                p.setInt(1, version);
                p.setString(2, script);
                p.setTimestamp(3, Timestamp.from(Instant.now()));
                p.executeUpdate();
            }
            c.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The schema version now in the database. */
    int schemaVersion() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(version) FROM deid_schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static String read(String name) throws IOException {
        try (InputStream in = MappingStore.class.getResourceAsStream("sql/" + name)) {
            if (in == null) {
                throw new IOException("missing migration resource sql/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
