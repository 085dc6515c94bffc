package org.mosaicpacs.dicom.image.internal;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.mosaicpacs.dicom.image.PixelDataException;

/**
 * JPEG baseline, extended and lossless (process 14) frames through TwelveMonkeys' ImageIO JPEG reader, read as a
 * raster: the samples as coded, with no colour conversion (the Photometric Interpretation says what they are).
 * Frames with 12-bit DCT samples go to our own {@link Jpeg12Decoder}.
 */
public final class JpegDecoder {

    private static final JPEGImageReaderSpi SPI = provider();

    private JpegDecoder() {
    }

    /**
     * TwelveMonkeys' reader hands baseline and extended frames to the JDK's JPEG reader, which it finds when it is
     * registered. It is registered here in a private registry beside the JDK's reader, so that the JVM-wide ImageIO
     * registry is left alone (nothing stays behind when this bundle is stopped).
     */
    private static JPEGImageReaderSpi provider() {
        ServiceRegistry registry = new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
        Iterator<ImageReaderSpi> jdk = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class,
                spi -> spi.getClass().getName().equals("com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi"), false);
        if (jdk.hasNext()) {
            registry.registerServiceProvider(jdk.next(), ImageReaderSpi.class);
        }
        JPEGImageReaderSpi spi = new JPEGImageReaderSpi();
        registry.registerServiceProvider(spi, ImageReaderSpi.class);
        return spi;
    }

    /** Returns the sample precision of the first start-of-frame marker, or 8 when there is none. */
    static int precision(byte[] data) {
        int sof = sof(data);
        return sof < 0 || sof + 4 >= data.length ? 8 : data[sof + 4] & 0xFF;
    }

    static boolean lossless(byte[] data) {
        int sof = sof(data);
        return sof >= 0 && ((data[sof + 1] & 0xFF) == 0xC3 || (data[sof + 1] & 0xFF) == 0xC7);
    }

    /** Returns the offset of the first SOFn marker (not DHT, JPG, DAC), or -1. */
    private static int sof(byte[] data) {
        int i = 2;
        while (i + 3 < data.length) {
            if ((data[i] & 0xFF) != 0xFF) {
                return -1;
            }
            int m = data[i + 1] & 0xFF;
            if (m == 0xFF) {
                i++;
                continue;
            }
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                return i;
            }
            if (m == 0xDA || m == 0xD9) {
                return -1;
            }
            i += 2 + ((data[i + 2] & 0xFF) << 8 | (data[i + 3] & 0xFF));
        }
        return -1;
    }

    /**
     * Decodes one JPEG frame.
     *
     * @param data the compressed frame
     * @param columns expected width
     * @param rows expected height
     * @param samplesPerPixel expected number of components
     * @param out receives {@code columns × rows × samplesPerPixel} samples, pixel-interleaved
     * @throws PixelDataException when the data is not a JPEG image of these dimensions or is corrupt
     */
    public static void decode(byte[] data, int columns, int rows, int samplesPerPixel, int[] out)
            throws PixelDataException {
        if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != 0xD8) {
            throw new PixelDataException("the frame is not a JPEG stream (no SOI marker)");
        }
        int precision = precision(data);
        if (precision > 8 && !lossless(data)) {
            // 12-bit DCT (process 4): the Java JPEG readers read 8-bit DCT only, our own decoder does
            Jpeg12Decoder.decode(data, columns, rows, samplesPerPixel, out);
            return;
        }
        ImageReader reader;
        try {
            reader = SPI.createReaderInstance();
        } catch (IOException e) {
            throw new PixelDataException("no JPEG reader: " + e.getMessage(), e);
        }
        try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(iis);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w != columns || h != rows) {
                throw new PixelDataException("JPEG frame is " + w + "×" + h + ", the data set says " + columns + "×"
                        + rows);
            }
            Raster raster = reader.readRaster(0, null);
            if (raster.getNumBands() != samplesPerPixel) {
                throw new PixelDataException("JPEG frame has " + raster.getNumBands()
                        + " components, the data set says " + samplesPerPixel);
            }
            raster.getPixels(raster.getMinX(), raster.getMinY(), w, h, out);
        } catch (PixelDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PixelDataException("corrupt JPEG frame: " + e, e);
        } finally {
            reader.dispose();
        }
    }
}
