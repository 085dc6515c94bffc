package org.mosaicpacs.dicom.tool;

/** Wrong command-line arguments: reported in one line with a pointer to --help, exit status 2. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
