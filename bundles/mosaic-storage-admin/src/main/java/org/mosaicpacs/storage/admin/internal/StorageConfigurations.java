package org.mosaicpacs.storage.admin.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The configurations behind the storage commands: the backends' factory configurations
 * ({@code org.mosaicpacs.storage.<kind>}) and the archive's write target ({@code org.mosaicpacs.archive}).
 * In Karaf, {@link ConfigAdminStorageConfigurations} over ConfigurationAdmin.
 */
interface StorageConfigurations {

    /** The archive's configuration PID, where the write target and its rules are. */
    String ARCHIVE_PID = "org.mosaicpacs.archive";

    /** The factory PID of the backends of a kind ({@code fs}, {@code s3}). */
    static String factoryPid(String kind) {
        return "org.mosaicpacs.storage." + kind;
    }

    /** One configured backend. */
    record Configured(String id, String kind, Map<String, Object> properties) {
    }

    /** The configured backends of the known kinds. */
    List<Configured> configured() throws IOException;

    /** Creates the factory configuration {@code kind} named {@code name}, with {@code properties}. */
    void create(String kind, String name, Map<String, Object> properties) throws IOException;

    /** Deletes the configurations of backend {@code id}; whether there was one. */
    boolean delete(String id) throws IOException;

    /** The archive's default write target ({@code storageId}). */
    String writeTarget() throws IOException;

    /** The archive's storage rules ({@code storageRules}). */
    List<String> rules() throws IOException;

    /** Sets the archive's default write target; the archive takes it live. */
    void setWriteTarget(String id) throws IOException;
}
