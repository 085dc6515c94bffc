package org.mosaicpacs.dicom.tool;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.mosaicpacs.dicom.io.DicomParseException;

/** A failure reported as one line {@code mosaic-dicom: FILE: what}, exit status 1. */
final class ToolException extends Exception {

    private static final long serialVersionUID = 1L;

    ToolException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Describes a failure on a file in one line, without a stack trace. */
    static ToolException of(Path file, Throwable e) {
        Throwable t = e instanceof UncheckedIOException ? e.getCause() : e;
        String what;
        if (t instanceof DicomParseException) {
            what = t.getMessage();
        } else if (t instanceof NoSuchFileException) {
            what = "no such file";
        } else if (t instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (t instanceof EOFException) {
            what = "unexpected end of file" + (t.getMessage() == null ? "" : ": " + t.getMessage());
        } else if (t instanceof IOException) {
            what = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        } else {
            what = "not a readable DICOM file (" + t + ")";
        }
        return new ToolException(file + ": " + oneLine(what), t);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
    }
}
