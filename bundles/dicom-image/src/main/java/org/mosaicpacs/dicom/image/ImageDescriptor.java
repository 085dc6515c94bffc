package org.mosaicpacs.dicom.image;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;

/**
 * The Image Pixel Module attributes (PS3.3 C.7.6.3) that say how the pixel data is laid out, checked for
 * consistency when read.
 *
 * @param rows Rows
 * @param columns Columns
 * @param samplesPerPixel Samples per Pixel (1 or 3)
 * @param bitsAllocated Bits Allocated (8 or 16; 32 for native data)
 * @param bitsStored Bits Stored (1..Bits Allocated)
 * @param highBit High Bit (Bits Stored - 1 .. Bits Allocated - 1)
 * @param pixelRepresentation 0 unsigned, 1 two's complement
 * @param photometricInterpretation e.g. MONOCHROME2, RGB, YBR_FULL_422, PALETTE COLOR
 * @param planarConfiguration 0 colour-by-pixel, 1 colour-by-plane
 * @param numberOfFrames Number of Frames (1 when absent)
 */
public record ImageDescriptor(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
        int highBit, int pixelRepresentation, String photometricInterpretation, int planarConfiguration,
        int numberOfFrames) {

    /**
     * Reads and checks the descriptor of a data set.
     *
     * @throws PixelDataException when an attribute is missing or the values contradict each other
     */
    public static ImageDescriptor of(Attributes ds) throws PixelDataException {
        int rows = ds.getInt(Tag.Rows, -1);
        int columns = ds.getInt(Tag.Columns, -1);
        int spp = ds.getInt(Tag.SamplesPerPixel, 1);
        int ba = ds.getInt(Tag.BitsAllocated, -1);
        int bs = ds.getInt(Tag.BitsStored, ba);
        int hb = ds.getInt(Tag.HighBit, bs - 1);
        int pr = ds.getInt(Tag.PixelRepresentation, 0);
        String pi = ds.getString(Tag.PhotometricInterpretation);
        int pc = ds.getInt(Tag.PlanarConfiguration, 0);
        String nf = ds.getString(Tag.NumberOfFrames);
        int frames;
        try {
            frames = nf == null || nf.isBlank() ? 1 : Integer.parseInt(nf.trim());
        } catch (NumberFormatException e) {
            throw new PixelDataException("Number of Frames is not an integer: '" + nf + "'");
        }
        if (rows <= 0 || columns <= 0) {
            throw new PixelDataException("Rows and Columns must be present and positive (Rows " + rows + ", Columns "
                    + columns + ")");
        }
        if (ba != 8 && ba != 16 && ba != 32) {
            throw new PixelDataException("Bits Allocated " + ba + " is not supported (8, 16 or 32)");
        }
        if (bs < 1 || bs > ba || hb < bs - 1 || hb >= ba) {
            throw new PixelDataException("inconsistent Bits Stored " + bs + " / High Bit " + hb + " for Bits Allocated "
                    + ba);
        }
        if (pr != 0 && pr != 1) {
            throw new PixelDataException("Pixel Representation must be 0 or 1, not " + pr);
        }
        if (pi == null || pi.isBlank()) {
            throw new PixelDataException("Photometric Interpretation is missing");
        }
        pi = pi.trim();
        int expected = pi.startsWith("MONOCHROME") || pi.equals("PALETTE COLOR") ? 1 : 3;
        if (spp != expected) {
            throw new PixelDataException("Samples per Pixel " + spp + " does not fit Photometric Interpretation " + pi);
        }
        if (!pi.equals("MONOCHROME1") && !pi.equals("MONOCHROME2") && !pi.equals("PALETTE COLOR") && !pi.equals("RGB")
                && !pi.equals("YBR_FULL") && !pi.equals("YBR_FULL_422") && !pi.equals("YBR_ICT")
                && !pi.equals("YBR_RCT") && !pi.equals("YBR_PARTIAL_420")) {
            throw new PixelDataException("Photometric Interpretation " + pi + " is not supported");
        }
        if (pc != 0 && pc != 1) {
            throw new PixelDataException("Planar Configuration must be 0 or 1, not " + pc);
        }
        if (frames < 1) {
            throw new PixelDataException("Number of Frames must be at least 1, not " + frames);
        }
        return new ImageDescriptor(rows, columns, spp, ba, bs, hb, pr, pi, pc, frames);
    }

    /** Returns whether the samples are signed (Pixel Representation 1). */
    public boolean signed() {
        return pixelRepresentation == 1;
    }

    /** Returns whether the image is MONOCHROME1 or MONOCHROME2. */
    public boolean monochrome() {
        return photometricInterpretation.startsWith("MONOCHROME");
    }

    /** Returns the number of samples in one frame (rows × columns × samples per pixel). */
    public long samplesPerFrame() {
        return (long) rows * columns * samplesPerPixel;
    }

    /**
     * Returns the length in bytes of one frame of native (uncompressed) pixel data; YBR_FULL_422 holds two
     * samples per pixel.
     */
    public long nativeFrameLength() {
        long samples = photometricInterpretation.equals("YBR_FULL_422") ? (long) rows * columns * 2 : samplesPerFrame();
        return samples * (bitsAllocated / 8);
    }
}
