package org.mosaicpacs.dicom.image.internal;

import com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.mosaicpacs.dicom.image.PixelDataException;

/**
 * JPEG 2000 frames (ISO/IEC 15444-1 codestreams, or JP2 files as some writers store them) through jai-imageio's
 * JJ2000 reader, read as a raster: the samples as coded, after the inverse component transform when the codestream
 * uses one (YBR_RCT and YBR_ICT decode to RGB, PS3.5 8.2.4). The reader is created from its provider directly, so
 * nothing is registered in the JVM-wide ImageIO registry.
 */
public final class J2kDecoder {

    private static final J2KImageReaderSpi SPI = new J2KImageReaderSpi();

    private J2kDecoder() {
    }

    /**
     * Decodes one JPEG 2000 frame.
     *
     * @param data the compressed frame
     * @param columns expected width
     * @param rows expected height
     * @param samplesPerPixel expected number of components
     * @param bitsStored Bits Stored of the data set
     * @param signed whether Pixel Representation is 1
     * @param out receives {@code columns × rows × samplesPerPixel} stored values, pixel-interleaved
     * @throws PixelDataException when the data is not a JPEG 2000 image of these dimensions or is corrupt
     */
    public static void decode(byte[] data, int columns, int rows, int samplesPerPixel, int bitsStored, boolean signed,
            int[] out) throws PixelDataException {
        int siz = siz(data);
        if (siz < 0) {
            throw new PixelDataException("the frame is not a JPEG 2000 codestream (no SOC and SIZ markers)");
        }
        if (siz + 40 >= data.length) {
            throw new PixelDataException("JPEG 2000 SIZ marker is truncated");
        }
        // checked before JJ2000 allocates anything per component (ISO/IEC 15444-1 A.5.1: Csiz)
        int components = (data[siz + 38] & 0xFF) << 8 | (data[siz + 39] & 0xFF);
        if (components != samplesPerPixel) {
            throw new PixelDataException("JPEG 2000 frame has " + components + " components, the data set says "
                    + samplesPerPixel);
        }
        // Ssiz of the first component: bit 7 signed, bits 0-6 precision - 1
        boolean codedSigned = (data[siz + 40] & 0x80) != 0;
        int precision = (data[siz + 40] & 0x7F) + 1;
        read(data, columns, rows, samplesPerPixel, out);
        if (precision <= bitsStored) {
            // the coded bits are the stored value, whatever the SIZ marker says of the sign (Pixel Representation
            // decides, as for the native form)
            for (int i = 0; i < out.length; i++) {
                out[i] = stored(out[i], bitsStored, signed);
            }
        } else {
            // e.g. 12 bits stored coded with a 16-bit precision: a lossy decoder can overshoot the stored range, so
            // the decoded value is kept in it rather than cut to its low bits (4096 is not 0)
            int min = signed ? -(1 << (bitsStored - 1)) : 0;
            int max = signed ? (1 << (bitsStored - 1)) - 1 : (1 << bitsStored) - 1;
            for (int i = 0; i < out.length; i++) {
                int v = codedSigned ? stored(out[i], precision, true) : out[i] & (int) ((1L << precision) - 1);
                out[i] = Math.max(min, Math.min(max, v));
            }
        }
    }

    private static int stored(int v, int bits, boolean signed) {
        int shift = 32 - bits;
        return signed ? v << shift >> shift : (int) (Integer.toUnsignedLong(v << shift) >>> shift);
    }

    /** The offset of the SIZ marker segment: right after SOC, at the start or inside a JP2 file's codestream box. */
    private static int siz(byte[] data) {
        if (codestream(data, 0)) {
            return 2;
        }
        if (jp2(data)) {
            for (int i = 12; i + 4 <= data.length; i++) {
                if (codestream(data, i)) {
                    return i + 2;
                }
            }
        }
        return -1;
    }

    private static void read(byte[] data, int columns, int rows, int samplesPerPixel, int[] out)
            throws PixelDataException {
        ImageReader reader;
        try {
            reader = SPI.createReaderInstance(null);
        } catch (IOException e) {
            throw new PixelDataException("no JPEG 2000 reader: " + e.getMessage(), e);
        }
        try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(iis, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w != columns || h != rows) {
                throw new PixelDataException("JPEG 2000 frame is " + w + "×" + h + ", the data set says " + columns
                        + "×" + rows);
            }
            Raster raster = reader.readRaster(0, null);
            if (raster.getNumBands() != samplesPerPixel) {
                throw new PixelDataException("JPEG 2000 frame has " + raster.getNumBands()
                        + " components, the data set says " + samplesPerPixel);
            }
            raster.getPixels(raster.getMinX(), raster.getMinY(), w, h, out);
        } catch (PixelDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PixelDataException("corrupt JPEG 2000 frame: " + e, e);
        } catch (Error e) {
            // JJ2000 reports some malformed codestreams with java.lang.Error, and a hostile one can ask for more
            // memory or recursion than there is: each failed this frame only. Other VM errors are real trouble.
            if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError || e instanceof StackOverflowError)) {
                throw e;
            }
            throw new PixelDataException("corrupt JPEG 2000 frame: " + e, e);
        } finally {
            reader.dispose();
        }
    }

    private static boolean codestream(byte[] data, int at) {
        return data.length >= at + 4 && (data[at] & 0xFF) == 0xFF && (data[at + 1] & 0xFF) == 0x4F
                && (data[at + 2] & 0xFF) == 0xFF && (data[at + 3] & 0xFF) == 0x51;
    }

    /** The JP2 signature box: length 12, type 'jP  '. */
    private static boolean jp2(byte[] data) {
        return data.length >= 12 && data[0] == 0 && data[1] == 0 && data[2] == 0 && data[3] == 12 && data[4] == 'j'
                && data[5] == 'P' && data[6] == ' ' && data[7] == ' ';
    }
}
