package org.mosaicpacs.api.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * One object as {@link StorageBackend#list} sees it.
 *
 * @param key      its key
 * @param size     its length in bytes
 * @param modified when it was last written (for a grace period: an object younger than an ingest may
 *                 still be on its way into the index)
 */
public record ListedObject(StorageKey key, long size, Instant modified) {

    public ListedObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(modified, "modified");
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }
}
