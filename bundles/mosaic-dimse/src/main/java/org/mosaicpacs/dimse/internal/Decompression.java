package org.mosaicpacs.dimse.internal;

import java.io.IOException;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.image.Decompressor;
import org.mosaicpacs.dicom.image.PixelDataDecoder;
import org.mosaicpacs.dicom.net.dimse.PixelDataDecompression;

/**
 * The codec of C-MOVE and C-GET for peers that accepted a compressed instance's SOP class only uncompressed:
 * dicom-image's {@link Decompressor} (RLE Lossless, JPEG baseline, extended 8/12-bit and lossless, JPEG-LS, JPEG
 * 2000 Part 1). Other syntaxes are not decoded: those sub-operations fail, with the reason in the log, as do instances
 * whose pixel data is corrupt. One instance's decoded pixel data is
 * held in memory while it is sent, up to {@link #MAX_BYTES}.
 */
final class Decompression implements PixelDataDecompression {

    /** The largest decoded pixel data of one instance sent decompressed: 256 MiB. */
    static final long MAX_BYTES = 256L << 20;

    private final Decompressor decompressor = new Decompressor(new PixelDataDecoder());

    @Override
    public boolean canDecompress(String transferSyntaxUID) {
        return PixelDataDecoder.canDecode(transferSyntaxUID);
    }

    @Override
    public Attributes decompress(Attributes dataset, String transferSyntaxUID) throws IOException {
        return decompressor.decompress(dataset, transferSyntaxUID, MAX_BYTES);
    }
}
