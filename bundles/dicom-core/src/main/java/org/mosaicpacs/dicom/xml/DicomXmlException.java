package org.mosaicpacs.dicom.xml;

import java.io.IOException;

/** Thrown when a Native DICOM Model document is not well formed, not allowed (DTD), too deep, or not valid. */
public final class DicomXmlException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int line;

    /**
     * Creates an exception.
     *
     * @param reason what is wrong
     * @param line the line of the problem, or -1 if unknown
     */
    public DicomXmlException(String reason, int line) {
        super(line >= 0 ? reason + " (line " + line + ")" : reason);
        this.line = line;
    }

    /** Returns the line of the problem, or -1 if unknown. */
    public int getLine() {
        return line;
    }
}
