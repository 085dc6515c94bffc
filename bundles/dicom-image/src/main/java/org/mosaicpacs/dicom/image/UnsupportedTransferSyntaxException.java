package org.mosaicpacs.dicom.image;

/**
 * The pixel data is in a transfer syntax this toolkit cannot decode (JPEG 2000 Part 2, HTJ2K, video, ...): the
 * stored frames can still be served as they are, but not rendered or decompressed.
 */
public class UnsupportedTransferSyntaxException extends PixelDataException {

    private static final long serialVersionUID = 1L;

    private final String transferSyntaxUID;

    /** Creates the exception for a transfer syntax UID, with a message naming it. */
    public UnsupportedTransferSyntaxException(String transferSyntaxUID, String message) {
        super(message);
        this.transferSyntaxUID = transferSyntaxUID;
    }

    /** Returns the transfer syntax UID that cannot be decoded. */
    public String transferSyntaxUID() {
        return transferSyntaxUID;
    }
}
