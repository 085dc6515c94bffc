package org.mosaicpacs.api.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link StorageBackend} reports about an object it has made durable.
 *
 * @param storageId the id of the backend that holds it ({@link StorageBackend#id()})
 * @param key       its key
 * @param size      its length in bytes
 * @param sha256    the SHA-256 digest of its bytes, 64 lower-case hex digits
 * @param stored    when the write completed
 */
public record StoredObject(String storageId, StorageKey key, long size, String sha256, Instant stored) {

    public StoredObject {
        Objects.requireNonNull(storageId, "storageId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(stored, "stored");
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }
}
