package org.mosaicpacs.dicom.image;

import java.io.IOException;

/**
 * Pixel data that cannot be decoded or rendered: missing or inconsistent Image Pixel attributes, truncated or
 * corrupt compressed data, a frame beyond the limits. The message says what is wrong.
 */
public class PixelDataException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message for the user. */
    public PixelDataException(String message) {
        super(message);
    }

    /** Creates the exception with a message for the user and the failure that caused it. */
    public PixelDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
