package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;
import org.mosaicpacs.dicom.data.Attributes;

/**
 * A codec a retrieve uses to send an instance stored with encapsulated (compressed) pixel data to a peer that
 * accepted its SOP class only in uncompressed transfer syntaxes. dicom-net has no codec of its own; the caller
 * provides one (in Mosaic, dicom-image's {@code Decompressor}). Implementations must be thread-safe.
 */
public interface PixelDataDecompression {

    /**
     * @param transferSyntaxUID an encapsulated transfer syntax
     * @return whether {@link #decompress} can decode pixel data in it (a peer is then offered, and sent, an
     *     uncompressed syntax for instances stored in it)
     */
    boolean canDecompress(String transferSyntaxUID);

    /**
     * @param dataset a data set read in {@code transferSyntaxUID} (not modified)
     * @param transferSyntaxUID the encapsulated transfer syntax it was read in
     * @return the data set with native pixel data, ready to be encoded in Explicit or Implicit VR Little Endian
     * @throws IOException with a message that says why when the pixel data cannot be decoded (a syntax without
     *     a decoder, corrupt data, an image too large)
     */
    Attributes decompress(Attributes dataset, String transferSyntaxUID) throws IOException;
}
