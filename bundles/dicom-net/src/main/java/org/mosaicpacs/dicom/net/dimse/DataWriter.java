package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.OutputStream;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/**
 * Writes the data set of a DIMSE message, encoded in the transfer syntax of the presentation context.
 * Must not close {@code out}.
 */
@FunctionalInterface
public interface DataWriter {

    /**
     * @param out where the encoded data set goes (a P-DATA stream; do not close it)
     * @param transferSyntax the negotiated transfer syntax UID of the presentation context
     * @throws IOException if writing fails
     */
    void writeTo(OutputStream out, String transferSyntax) throws IOException;

    /**
     * @param dataset a data set
     * @return a writer that encodes it with dicom-core in whatever transfer syntax was negotiated
     *     (uncompressed or deflated; pixel data stays as it is)
     */
    static DataWriter of(Attributes dataset) {
        return (out, ts) -> {
            // out buffers (a P-DATA stream): a small buffer before it, not the writer's default 64 KiB, which
            // was allocated and zeroed for each C-FIND match
            DicomOutputStream dos = new DicomOutputStream(out, ts, 1024);
            dos.writeDataset(dataset);
            dos.finish();
        };
    }

    /**
     * @param encoded a data set already encoded in the transfer syntax that will be negotiated (e.g. the
     *     rest of a Part 10 file after its meta information); copied as is, in reads of up to 64 KiB (not the 8 KiB
     *     of {@code transferTo}), not closed
     * @return a writer that copies the stream
     */
    static DataWriter of(java.io.InputStream encoded) {
        return (out, ts) -> {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = encoded.readNBytes(buffer, 0, buffer.length)) > 0) {
                out.write(buffer, 0, n);
            }
        };
    }
}
