package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Buffers one PDV worth of bytes and sends it as a P-DATA-TF PDU when full and more bytes follow,
 * so the final fragment, sent on close, always carries the "last" bit. The buffer keeps room for the PDU and PDV
 * headers before the data ({@link Association#PDATA_HEADER} bytes), so that a PDU leaves in one write; a full
 * fragment that is not the last is left to the socket's buffer (sent when it fills), and the last one is sent
 * at once: a data set of many PDUs costs one socket write per 64 KiB, not one per PDU.
 */
final class PDataOutputStream extends OutputStream {

    private final Association association;
    private final int presentationContextId;
    private final boolean command;
    private final byte[] buffer;
    private int count;
    private boolean closed;

    PDataOutputStream(Association association, int presentationContextId, boolean command) {
        this.association = association;
        this.presentationContextId = presentationContextId;
        this.command = command;
        this.buffer = new byte[Association.PDATA_HEADER + association.maxPdvDataLength()];
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
            if (count == buffer.length - Association.PDATA_HEADER) {
                association.writePData(presentationContextId, command, false, buffer, count, false);
                count = 0;
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
