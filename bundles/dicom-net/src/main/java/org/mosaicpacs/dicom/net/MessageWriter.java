package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one DIMSE message (a command set, optionally followed by a data set) on one presentation
 * context as a stream of P-DATA-TF PDUs, fragmented to the peer's maximum PDU length. Holds the
 * association's message slot until {@link #close() closed}, so messages never interleave; several
 * messages may still be outstanding (sent and awaiting their responses) at the same time.
 * Obtain one from {@link Association#beginMessage(int)}; use it from one thread.
 */
public final class MessageWriter implements AutoCloseable {

    private final Association association;
    private final int presentationContextId;
    private PDataOutputStream command;
    private PDataOutputStream dataSet;
    private boolean closed;

    MessageWriter(Association association, int presentationContextId) {
        this.association = association;
        this.presentationContextId = presentationContextId;
    }

    /** @return the presentation context ID of the message */
    public int presentationContextId() {
        return presentationContextId;
    }

    /**
     * @return the stream of the command set; closing it sends its last fragment
     * @throws IllegalStateException if called twice or after the data set stream
     */
    public OutputStream command() {
        if (command != null || dataSet != null || closed) {
            throw new IllegalStateException("command stream already opened");
        }
        command = new PDataOutputStream(association, presentationContextId, true);
        return command;
    }

    /**
     * @return the stream of the data set; closing it sends its last fragment. Closes the command stream.
     * @throws IOException if closing the command stream fails
     * @throws IllegalStateException if the command stream was not opened or this is called twice
     */
    public OutputStream dataSet() throws IOException {
        if (command == null || dataSet != null || closed) {
            throw new IllegalStateException("data set stream needs a command stream first, once");
        }
        // the data set follows at once: the command's last fragment leaves with the data set's first
        command.close(false);
        dataSet = new PDataOutputStream(association, presentationContextId, false);
        return dataSet;
    }

    /**
     * Closes the open streams (sending their last fragments) and frees the message slot.
     *
     * @throws IOException if sending fails
     */
    @Override
    public void close() throws IOException {
        close(true);
    }

    /**
     * Closes the open streams and frees the message slot; with {@code flush} false the last fragment stays in the
     * socket's buffer and leaves with the next message that is sent at once (the two then cost the peer one read).
     * Only for a message whose successor follows without delay on the same association, such as a C-GET pending
     * response followed by the next C-STORE sub-operation: a message left in the buffer waits for the next flush.
     *
     * @param flush whether to send the last fragment now
     * @throws IOException if sending fails
     * @since 0.3.0
     */
    public void close(boolean flush) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (dataSet != null) {
                dataSet.close(flush);
            } else if (command != null) {
                command.close(flush);
            }
        } finally {
            association.endMessage();
        }
    }
}
