package org.mosaicpacs.index.derby.internal;

import java.sql.SQLException;

/** Apache Derby (10.14). */
final class DerbyDialect implements Dialect {

    @Override
    public String name() {
        return "derby";
    }

    @Override
    public String migrationsFolder() {
        return "sql/derby/";
    }

    @Override
    public String createSchemaVersionTable() {
        return "CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL,"
                + " applied TIMESTAMP NOT NULL)";
    }

    @Override
    public boolean isAlreadyExists(SQLException e) {
        return "X0Y32".equals(e.getSQLState());
    }

    @Override
    public boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    @Override
    public boolean isRetryable(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if ("40001".equals(state) || "40XL1".equals(state) || "40XL2".equals(state)) {
                return true;
            }
        }
        return false;
    }
}
