package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;

/** No response (final or pending) arrived within the response timeout. */
public class DimseTimeoutException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param messageId the request's message ID
     * @param timeout the timeout in ms
     */
    public DimseTimeoutException(int messageId, int timeout) {
        super("no response to message " + messageId + " within " + timeout + " ms");
    }
}
