package org.mosaicpacs.api.index;

/**
 * The index could not do what was asked: the database failed or is gone (the caller answers with a
 * processing failure and may try again), or the request is not one the index accepts
 * ({@link #isInvalidRequest()}: the caller answers with "identifier does not match SOP class" or
 * "cannot understand").
 */
public class IndexException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean invalidRequest;

    public IndexException(String message, Throwable cause) {
        super(message, cause);
        this.invalidRequest = false;
    }

    public IndexException(String message, boolean invalidRequest) {
        super(message);
        this.invalidRequest = invalidRequest;
    }

    /** Whether the request itself is at fault (a missing UID, a malformed key), not the database. */
    public boolean isInvalidRequest() {
        return invalidRequest;
    }
}
