package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

/**
 * Thrown by a {@link DicomService} to answer a request with a status other than success: the
 * {@link DicomServiceRegistry} writes the response with this status, the error comment (0000,0902, at
 * most 64 characters) and the optional extra command elements (e.g. Offending Element).
 */
public class DicomServiceException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Attributes extraCommand = new Attributes();

    /**
     * @param status the DIMSE status
     * @param errorComment the error comment, or {@code null}
     */
    public DicomServiceException(int status, String errorComment) {
        super(errorComment == null ? Status.toString(status) : errorComment);
        this.status = status;
    }

    /**
     * @param status the DIMSE status
     * @param cause the cause; its message becomes the error comment
     */
    public DicomServiceException(int status, Throwable cause) {
        super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        this.status = status;
    }

    /** @return the DIMSE status */
    public int status() {
        return status;
    }

    /**
     * @param tags offending elements (0000,0901)
     * @return this
     */
    public DicomServiceException offendingElements(int... tags) {
        extraCommand.setInt(Tag.OffendingElement, VR.AT, tags);
        return this;
    }

    /**
     * Fills a response command set with the status, the error comment and the extra elements.
     *
     * @param rsp the response command set
     * @return {@code rsp}
     */
    public Attributes fillResponse(Attributes rsp) {
        rsp.setInt(Tag.Status, VR.US, status);
        String comment = getMessage();
        if (comment != null && !comment.isEmpty()) {
            rsp.setString(Tag.ErrorComment, VR.LO, truncate(comment));
        }
        rsp.addAll(extraCommand);
        return rsp;
    }

    private static String truncate(String s) {
        String ascii = s.replaceAll("[^\\x20-\\x7E]", "?").replace('\\', '/');
        return ascii.length() <= 64 ? ascii : ascii.substring(0, 64);
    }
}
