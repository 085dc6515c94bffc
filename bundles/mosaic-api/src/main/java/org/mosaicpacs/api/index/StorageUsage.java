package org.mosaicpacs.api.index;

import java.util.Objects;

/**
 * What the index records in one storage backend.
 *
 * @param storageId the backend's id ({@code storage.id})
 * @param objects   the number of indexed instances whose bytes are there
 * @param bytes     the sum of their sizes
 * @since 0.2.0
 */
public record StorageUsage(String storageId, long objects, long bytes) {

    public StorageUsage {
        Objects.requireNonNull(storageId, "storageId");
    }
}
