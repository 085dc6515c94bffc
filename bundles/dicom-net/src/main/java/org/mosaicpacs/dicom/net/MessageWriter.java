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
    private boolean flush = true;

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
     * Whether {@link #close()} sends the message's last PDU at once (the default) or leaves it in the
     * association's send buffer, to leave in one socket write with the messages that follow (the buffer is
     * sent when it is full, and with the next message sent at once). For a burst of messages whose last one
     * the sender knows, e.g. the pending responses of a C-FIND before its final response: one write for
     * many instead of one each. Fragments before the last are always sent at once.
     *
     * @param flush false to leave the last PDU buffered
     * @return this
     */
    public MessageWriter flushOnClose(boolean flush) {
        this.flush = flush;
        return this;
    }

    /**
     * Closes the open streams (sending their last fragments) and frees the message slot.
     *
     * @throws IOException if sending fails
     */
    @Override
    public void close() throws IOException {
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
