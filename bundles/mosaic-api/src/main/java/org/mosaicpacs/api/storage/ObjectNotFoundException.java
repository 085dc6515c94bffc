package org.mosaicpacs.api.storage;

/** No object is stored under the key that was asked for. */
public class ObjectNotFoundException extends StorageException {

    private static final long serialVersionUID = 1L;

    public ObjectNotFoundException(StorageKey key) {
        super("no object stored under " + key);
    }
}
