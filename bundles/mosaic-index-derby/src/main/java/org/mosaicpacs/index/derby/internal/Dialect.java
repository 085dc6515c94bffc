package org.mosaicpacs.index.derby.internal;

import java.sql.SQLException;

/**
 * What differs between databases. The index's SQL is standard (joins, LIKE ... ESCAPE, bind
 * parameters); a dialect adds its schema migrations and reads its error codes. A PostgreSQL index is a
 * bundle with one more implementation of this interface and its own migrations.
 */
interface Dialect {

    /** The name of the dialect, e.g. {@code derby}. */
    String name();

    /** The folder of the classpath resources holding {@code migrations.list} and the migration scripts. */
    String migrationsFolder();

    /** The statement creating the schema_version table (version INT PRIMARY KEY, description, applied). */
    String createSchemaVersionTable();

    /** Whether {@code e} says that a table or other object to be created exists already. */
    boolean isAlreadyExists(SQLException e);

    /** Whether {@code e} is a unique or primary key violation. */
    boolean isDuplicateKey(SQLException e);

    /** Whether the transaction failed for a reason worth retrying: deadlock, lock timeout, serialization. */
    boolean isRetryable(SQLException e);
}
