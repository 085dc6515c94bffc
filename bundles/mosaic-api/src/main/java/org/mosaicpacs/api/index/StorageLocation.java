package org.mosaicpacs.api.index;

import java.util.Objects;

import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;

/**
 * Where the bytes of one instance are, and in what form.
 *
 * @param storageId         the id of the {@link org.mosaicpacs.api.storage.StorageBackend} that holds them
 * @param key               their key in that backend
 * @param transferSyntaxUID the transfer syntax they are encoded in
 * @param size              their length in bytes
 * @param sha256            their SHA-256 digest (hex), as the backend reported it
 */
public record StorageLocation(String storageId, StorageKey key, String transferSyntaxUID, long size, String sha256) {

    public StorageLocation {
        Objects.requireNonNull(storageId, "storageId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(transferSyntaxUID, "transferSyntaxUID");
        sha256 = sha256 == null ? "" : sha256;
    }

    /** The location of an object a backend has just written, in {@code transferSyntaxUID}. */
    public static StorageLocation of(StoredObject object, String transferSyntaxUID) {
        return new StorageLocation(object.storageId(), object.key(), transferSyntaxUID, object.size(), object.sha256());
    }
}
