package org.mosaicpacs.dicom.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Writes rendered images as JPEG (baseline, with a quality) or PNG, with the JDK's ImageIO writers. */
public final class ImageEncoder {

    private ImageEncoder() {
    }

    /** Writes a baseline JPEG of the given quality (1..100). */
    public static void writeJpeg(BufferedImage img, int quality, OutputStream out) throws IOException {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        if (!it.hasNext()) {
            throw new IOException("no JPEG writer in this Java runtime");
        }
        ImageWriter writer = it.next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(Math.max(1, Math.min(100, quality)) / 100f);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** Writes a PNG. */
    public static void writePng(BufferedImage img, OutputStream out) throws IOException {
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(img, "png", ios)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        }
    }
}
