package org.mosaicpacs.dicom.io;

import java.io.IOException;

/**
 * Thrown by {@link DicomInputStream} when a stream is not a readable DICOM data set: truncated, a
 * length past the end of the stream or of its enclosing item, structural errors, or a breach of the
 * {@link DicomReadLimits} (allocation, nesting depth, inflate ratio). It is the only exception the
 * reader throws for bad input; I/O errors of the underlying stream propagate as plain
 * {@link IOException}s.
 */
public final class DicomParseException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String reason;

    /**
     * Creates an exception.
     *
     * @param reason what is wrong
     * @param offset the stream offset (bytes from the start of the stream, of the inflated stream for
     *     deflated data sets) where the problem was found
     */
    public DicomParseException(String reason, long offset) {
        this(reason, offset, null);
    }

    /** Creates an exception with a cause. */
    public DicomParseException(String reason, long offset, Throwable cause) {
        super(reason + " at offset " + offset, cause);
        this.reason = reason;
        this.offset = offset;
    }

    /** Returns the stream offset where the problem was found. */
    public long getOffset() {
        return offset;
    }

    /** Returns the reason, without the offset. */
    public String getReason() {
        return reason;
    }
}
