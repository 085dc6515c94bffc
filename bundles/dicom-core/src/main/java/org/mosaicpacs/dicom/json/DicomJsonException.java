package org.mosaicpacs.dicom.json;

import java.io.IOException;

/**
 * Thrown when DICOM JSON input is not valid JSON, breaks a limit, or does not follow PS3.18 Annex F
 * (unknown VR, bad tag key, a value of the wrong type). Carries the character offset of the problem.
 */
public final class DicomJsonException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String reason;

    /**
     * Creates an exception.
     *
     * @param reason what is wrong
     * @param offset the offset in characters from the start of the input, or -1 if unknown
     */
    public DicomJsonException(String reason, long offset) {
        super(offset >= 0 ? reason + " at offset " + offset : reason);
        this.offset = offset;
        this.reason = reason;
    }

    /** Returns the offset in characters from the start of the input, or -1 if unknown. */
    public long getOffset() {
        return offset;
    }

    /** Returns the reason without the offset. */
    public String getReason() {
        return reason;
    }
}
