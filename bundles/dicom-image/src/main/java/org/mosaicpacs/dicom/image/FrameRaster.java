package org.mosaicpacs.dicom.image;

/**
 * One decoded frame: the stored values of each sample, pixel-interleaved (R,G,B,R,G,B... for colour), sign
 * extended when Pixel Representation is 1, with the bits outside Bits Stored removed.
 *
 * @param columns width in pixels
 * @param rows height in pixels
 * @param samplesPerPixel 1 or 3
 * @param photometricInterpretation of these samples: as in the data set, except that YBR_FULL_422 data, once
 *        decoded to one sample set per pixel, is YBR_FULL
 * @param bitsStored significant bits of each sample
 * @param signed whether the values are signed
 * @param samples {@code columns × rows × samplesPerPixel} values
 */
public record FrameRaster(int columns, int rows, int samplesPerPixel, String photometricInterpretation,
        int bitsStored, boolean signed, int[] samples) {

    /** Returns the value of one sample of the pixel at (x, y). */
    public int sample(int x, int y, int sample) {
        return samples[(y * columns + x) * samplesPerPixel + sample];
    }
}
