package org.mosaicpacs.api.storage;

import java.io.IOException;

/** A storage operation failed: the device, the network or the backend's configuration. */
public class StorageException extends IOException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
