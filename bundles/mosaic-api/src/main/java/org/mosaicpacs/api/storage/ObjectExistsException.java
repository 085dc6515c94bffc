package org.mosaicpacs.api.storage;

/** A write found an object already stored under its key: backends never overwrite. */
public class ObjectExistsException extends StorageException {

    private static final long serialVersionUID = 1L;

    public ObjectExistsException(StorageKey key) {
        super("an object is already stored under " + key);
    }
}
