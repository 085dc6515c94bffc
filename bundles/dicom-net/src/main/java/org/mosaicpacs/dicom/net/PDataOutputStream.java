package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Buffers one PDV worth of bytes and sends it as a P-DATA-TF PDU when full and more bytes follow,
 * so the final fragment, sent on close, always carries the "last" bit. The buffer keeps room for the PDU and PDV
 * headers before the data ({@link Association#PDATA_HEADER} bytes), so that a PDU leaves in one write; a full
 * fragment that is not the last is left to the socket's buffer (sent when it fills), and the last one is sent
 * at once: a data set of many PDUs costs one socket write per 64 KiB, not one per PDU. The buffer starts small
 * and grows up to the PDV size: most commands and C-FIND identifiers are a few hundred bytes, and a buffer of the
 * peer's PDU size (16 KiB or more), allocated and zeroed for each of them, cost more than their encoding.
 */
final class PDataOutputStream extends OutputStream {

    /** The first buffer's data size; it grows to {@link #max} for longer messages. */
    private static final int INITIAL = 1024;

    private final Association association;
    private final int presentationContextId;
    private final boolean command;
    private final int max;
    private byte[] buffer;
    private int count;
    private boolean closed;

    PDataOutputStream(Association association, int presentationContextId, boolean command) {
        this.association = association;
        this.presentationContextId = presentationContextId;
        this.command = command;
        this.max = association.maxPdvDataLength();
        this.buffer = new byte[Association.PDATA_HEADER + Math.min(max, INITIAL)];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("P-DATA stream closed");
        }
        while (len > 0) {
            int room = buffer.length - Association.PDATA_HEADER;
            if (count == max) {
                association.writePData(presentationContextId, command, false, buffer, count, false);
                count = 0;
            } else if (count == room) {
                int grown = (int) Math.min(max, Math.max(2L * room, (long) count + len));
                buffer = Arrays.copyOf(buffer, Association.PDATA_HEADER + grown);
            }
            int n = Math.min(len, buffer.length - Association.PDATA_HEADER - count);
            System.arraycopy(b, off, buffer, Association.PDATA_HEADER + count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void close() throws IOException {
        close(true);
    }

    /**
     * Writes the last fragment.
     *
     * @param flush whether to send it now, or leave it buffered for the PDU that follows at once
     */
    void close(boolean flush) throws IOException {
        if (!closed) {
            closed = true;
            association.writePData(presentationContextId, command, true, buffer, count, flush);
        }
    }
}
