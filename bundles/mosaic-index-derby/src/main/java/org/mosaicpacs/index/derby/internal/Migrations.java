package org.mosaicpacs.index.derby.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema to the newest version: each numbered migration listed in the dialect's
 * {@code migrations.list} runs once, in its own transaction that also records its version in
 * {@code schema_version}. Idempotent; two processes (or components) starting at once are safe: the
 * table {@code schema_version} is locked for each step, and a step another one applied meanwhile is
 * skipped.
 */
final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    record Migration(int version, String resource) {
    }

    private final DataSource dataSource;
    private final Dialect dialect;

    Migrations(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Applies what is missing; returns the schema version now in the database. */
    int migrate() throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute(dialect.createSchemaVersionTable());
            } catch (SQLException e) {
                if (!dialect.isAlreadyExists(e)) {
                    throw e;
                }
            }
            int current = 0;
            for (Migration m : list()) {
                current = apply(c, m);
            }
            return current;
        }
    }

    private int apply(Connection c, Migration m) throws SQLException, IOException {
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE schema_version IN EXCLUSIVE MODE");
            }
            if (version(c) >= m.version()) {
                c.commit();
                return version(c);
            }
            LOG.info("index schema: applying migration {} ({})", m.version(), m.resource());
            try (Statement s = c.createStatement()) {
                for (String sql : statements(read(m.resource()))) {
                    s.execute(sql);
                }
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)")) {
                p.setInt(1, m.version());
                p.setString(2, m.resource());
                p.setTimestamp(3, Timestamp.from(Instant.now()));
                p.executeUpdate();
            }
            c.commit();
            return m.version();
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    List<Migration> list() throws IOException {
        List<Migration> list = new ArrayList<>();
        for (String line : read("migrations.list").split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            list.add(new Migration(Integer.parseInt(parts[0]), parts[1]));
        }
        return list;
    }

    private String read(String name) throws IOException {
        try (InputStream in = Migrations.class.getResourceAsStream(dialect.migrationsFolder() + name)) {
            if (in == null) {
                throw new IOException("missing migration resource " + dialect.migrationsFolder() + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Splits a script into statements: comment lines dropped, each statement ends with ';' at a line's end. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            if (t.endsWith(";")) {
                sb.append(t, 0, t.length() - 1);
                out.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(t).append('\n');
            }
        }
        if (!sb.toString().isBlank()) {
            out.add(sb.toString());
        }
        return out;
    }
}
