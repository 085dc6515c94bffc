package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * The outcome of one DIMSE request we invoked: completes with the final (non-pending) response, or
 * exceptionally with an {@link IOException} when the response timeout expires or the association
 * closes first. Pending responses go to the callback given with the request, on the association's
 * reader thread, in order.
 *
 * <p>Use {@link #cancelOperation()} to send a C-CANCEL-RQ; {@code cancel(boolean)} only abandons the
 * future locally.
 */
public final class DimseFuture extends CompletableFuture<DimseResponse> {

    private final DimseAssociation association;
    private final int messageId;
    private final int presentationContextId;
    final Consumer<DimseResponse> onPending;
    volatile ScheduledFuture<?> timer;

    DimseFuture(DimseAssociation association, int messageId, int presentationContextId,
            Consumer<DimseResponse> onPending) {
        this.association = association;
        this.messageId = messageId;
        this.presentationContextId = presentationContextId;
        this.onPending = onPending;
    }

    /** @return the Message ID of the request */
    public int messageId() {
        return messageId;
    }

    /** @return the presentation context the request was sent on */
    public int presentationContextId() {
        return presentationContextId;
    }

    /**
     * Sends a C-CANCEL-RQ for this request (C-FIND, C-MOVE, C-GET). The peer then ends the operation
     * with a Cancel (FE00) status, or another final status if it was already done.
     *
     * @throws IOException if sending fails
     */
    public void cancelOperation() throws IOException {
        if (!isDone()) {
            association.ccancel(presentationContextId, messageId);
        }
    }

    /**
     * Waits for the final response. The wait ends at the latest with the response timeout of the
     * association (when one is set) or when the association closes.
     *
     * @return the final response
     * @throws IOException if no response came (timeout, association closed)
     * @throws InterruptedIOException if interrupted
     */
    public DimseResponse await() throws IOException {
        try {
            return get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the response to message " + messageId);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? new IOException(io.getMessage(), io) : new IOException(c);
        }
    }
}
