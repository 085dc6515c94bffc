package org.mosaicpacs.api.deidentify;

/**
 * An instance that cannot be de-identified with a profile: an unknown profile, unreadable input, or data
 * the profile must refuse (compressed pixel data to clean, burned-in annotation with no region to blank).
 * The message says which, in words for a user; no output was written.
 */
public class DeidentificationException extends Exception {

    private static final long serialVersionUID = 1L;

    public DeidentificationException(String message) {
        super(message);
    }

    public DeidentificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
