package org.mosaicpacs.dicom.json;

import java.io.Closeable;
import java.io.IOException;

import org.mosaicpacs.dicom.data.Attributes;

/**
 * Writes a JSON array of data sets, one at a time, as a QIDO-RS response body is written: the
 * opening bracket before the first data set, the closing one on {@link #close()}. Each data set is
 * flushed when written, so nothing accumulates. The underlying writer is not closed.
 *
 * <pre>{@code
 * try (DicomJsonArrayWriter array = new DicomJsonArrayWriter(new DicomJsonWriter(out, null))) {
 *     for (Attributes match : matches) {
 *         array.write(match);
 *     }
 * }
 * }</pre>
 */
public final class DicomJsonArrayWriter implements Closeable {

    private final DicomJsonWriter writer;
    private boolean started;
    private boolean closed;

    /** Creates an array writer that writes each data set with {@code writer} and its settings. */
    public DicomJsonArrayWriter(DicomJsonWriter writer) {
        this.writer = writer;
    }

    /** Writes the next data set of the array, and flushes. */
    public void write(Attributes dataset) throws IOException {
        if (closed) {
            throw new IllegalStateException("array already closed");
        }
        start();
        writer.writeDataset(dataset);
        writer.output().flush();
    }

    /** Ends the array (writes {@code []} if no data set was written) and flushes; does not close the stream. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            start();
            closed = true;
            writer.output().endArray();
            writer.output().flush();
        }
    }

    private void start() throws IOException {
        if (!started) {
            started = true;
            writer.output().beginArray();
        }
    }
}
