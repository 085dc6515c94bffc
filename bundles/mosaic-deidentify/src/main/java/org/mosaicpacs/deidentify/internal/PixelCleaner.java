package org.mosaicpacs.deidentify.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

/**
 * Clean Pixel Data: sets the pixels of configured rectangles to 0 in every frame, for native
 * (uncompressed) pixel data. Encapsulated (compressed) pixel data is refused with a message.
 */
final class PixelCleaner {

    /** A rectangle in pixels: left, top, width, height. */
    record Rect(int x, int y, int width, int height) {
    }

    /**
     * Rectangles for the images of one modality, manufacturer and size ({@code *} or 0: any).
     * Written {@code MODALITY|Manufacturer|COLUMNSxROWS: x y w h; x y w h}, e.g.
     * {@code US|ACME|640x480: 0 0 640 40} (no commas: a configuration lists several rules with commas).
     */
    record Rule(String modality, String manufacturer, int columns, int rows, List<Rect> rects) {

        boolean matches(String mod, String man, int cols, int rws) {
            return (modality.equals("*") || modality.equalsIgnoreCase(mod == null ? "" : mod.strip()))
                    && (manufacturer.equals("*") || manufacturer.equalsIgnoreCase(man == null ? "" : man.strip()))
                    && (columns == 0 || columns == cols) && (rows == 0 || rows == rws);
        }

        static Rule parse(String text) {
            String[] headAndRects = text.split(":", 2);
            String[] head = headAndRects[0].split("\\|");
            if (headAndRects.length != 2 || head.length != 3) {
                throw new IllegalArgumentException("rectangle rule '" + text
                        + "' is not MODALITY|Manufacturer|COLUMNSxROWS: x y w h; ...");
            }
            int cols = 0;
            int rows = 0;
            String size = head[2].strip();
            if (!size.equals("*")) {
                String[] cr = size.toLowerCase(Locale.ROOT).split("x");
                if (cr.length != 2) {
                    throw new IllegalArgumentException("rectangle rule '" + text + "': size is COLUMNSxROWS or *");
                }
                cols = Integer.parseInt(cr[0].strip());
                rows = Integer.parseInt(cr[1].strip());
            }
            List<Rect> rects = new ArrayList<>();
            for (String r : headAndRects[1].split(";")) {
                if (r.isBlank()) {
                    continue;
                }
                String[] n = r.strip().split("\\s+");
                if (n.length != 4) {
                    throw new IllegalArgumentException("rectangle rule '" + text + "': a rectangle is x y w h");
                }
                Rect rect = new Rect(Integer.parseInt(n[0].strip()), Integer.parseInt(n[1].strip()),
                        Integer.parseInt(n[2].strip()), Integer.parseInt(n[3].strip()));
                if (rect.x() < 0 || rect.y() < 0 || rect.width() <= 0 || rect.height() <= 0) {
                    throw new IllegalArgumentException("rectangle rule '" + text + "': negative or empty rectangle");
                }
                rects.add(rect);
            }
            return new Rule(head[0].strip(), head[1].strip(), cols, rows, List.copyOf(rects));
        }
    }

    private PixelCleaner() {
    }

    /** The first rule that matches the image, or null. */
    static Rule ruleFor(List<Rule> rules, Attributes ds) {
        for (Rule r : rules) {
            if (r.matches(ds.getString(Tag.Modality), ds.getString(Tag.Manufacturer), ds.getInt(Tag.Columns, 0),
                    ds.getInt(Tag.Rows, 0))) {
                return r;
            }
        }
        return null;
    }

    /** Blanks the rule's rectangles in {@code ds}'s pixel data (clipped to the image). */
    static void clean(Attributes ds, Rule rule) throws DeidentificationException {
        if (!ds.contains(Tag.PixelData)) {
            return;
        }
        if (ds.getFragments(Tag.PixelData) != null) {
            throw new DeidentificationException("Clean Pixel Data: the pixel data is compressed (encapsulated); "
                    + "only uncompressed pixel data can be cleaned: transcode it first");
        }
        int rows = ds.getInt(Tag.Rows, 0);
        int cols = ds.getInt(Tag.Columns, 0);
        int bits = ds.getInt(Tag.BitsAllocated, 0);
        int spp = ds.getInt(Tag.SamplesPerPixel, 1);
        int planar = ds.getInt(Tag.PlanarConfiguration, 0);
        int frames = Math.max(1, ds.getInt(Tag.NumberOfFrames, 1));
        if (rows <= 0 || cols <= 0 || bits % 8 != 0 || bits == 0 || spp <= 0) {
            throw new DeidentificationException("Clean Pixel Data: cannot blank pixels with Rows " + rows + ", Columns "
                    + cols + ", Bits Allocated " + bits + ", Samples per Pixel " + spp);
        }
        byte[] pixels = ds.getBytes(Tag.PixelData);
        int bpp = bits / 8;
        long needed = (long) rows * cols * spp * bpp * frames;
        if (pixels == null || pixels.length < needed) {
            throw new DeidentificationException("Clean Pixel Data: the pixel data is shorter (" + (pixels == null ? 0 : pixels.length)
                    + " bytes) than its attributes say (" + needed + ")");
        }
        byte[] out = pixels.clone();
        for (Rect r : rule.rects()) {
            int x1 = Math.min(cols, r.x() + r.width());
            int y1 = Math.min(rows, r.y() + r.height());
            for (int f = 0; f < frames; f++) {
                for (int s = 0; s < spp; s++) {
                    for (int y = r.y(); y < y1; y++) {
                        for (int x = r.x(); x < x1; x++) {
                            long px = planar == 1
                                    ? (((long) f * spp + s) * rows + y) * cols + x
                                    : (((long) f * rows + y) * cols + x) * spp + s;
                            int off = (int) (px * bpp);
                            for (int b = 0; b < bpp; b++) {
                                out[off + b] = 0;
                            }
                        }
                    }
                }
            }
        }
        VR vr = ds.getVR(Tag.PixelData);
        ds.setBytes(Tag.PixelData, vr, out);
    }
}
