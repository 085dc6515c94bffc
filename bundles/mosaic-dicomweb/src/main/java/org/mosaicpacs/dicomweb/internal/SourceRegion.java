package org.mosaicpacs.dicomweb.internal;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * The source region of a rendered image (PS3.18 8.3.5.1.3, {@code viewport=vw,vh,sx,sy,sw,sh}): the part of the
 * frame, in the frame's own pixels, that is scaled into the viewport. {@code sx,sy} is its top left corner (0 when
 * left empty); {@code sw,sh} its width and height (to the frame's right and bottom edge when left empty). A
 * negative width or height flips the region: it then runs from {@code sx+sw} to {@code sx} (or {@code sy+sh} to
 * {@code sy}) and is mirrored horizontally (vertically). A region that leaves the frame is a bad request.
 *
 * @param x sx
 * @param y sy
 * @param width sw, or null for "to the right edge"
 * @param height sh, or null for "to the bottom edge"
 */
record SourceRegion(int x, int y, Integer width, Integer height) {

    /**
     * The region of a viewport parameter; null when it names none (only {@code vw,vh}).
     *
     * @throws WebException (400) when the parameter is neither {@code vw,vh} nor {@code vw,vh,sx,sy,sw,sh} of integers
     */
    static SourceRegion parse(String viewport) {
        try {
            return read(viewport);
        } catch (NumberFormatException e) {
            throw WebException.badRequest("viewport source region: not an integer: '" + viewport + "'");
        }
    }

    private static SourceRegion read(String viewport) {
        String[] v = viewport.split(",", -1);
        if (v.length == 2) {
            return null;
        }
        if (v.length != 6) {
            throw WebException.badRequest("viewport is vw,vh or vw,vh,sx,sy,sw,sh: '" + viewport + "'");
        }
        int x = v[2].isBlank() ? 0 : Integer.parseInt(v[2].trim());
        int y = v[3].isBlank() ? 0 : Integer.parseInt(v[3].trim());
        Integer w = v[4].isBlank() ? null : Integer.valueOf(v[4].trim());
        Integer h = v[5].isBlank() ? null : Integer.valueOf(v[5].trim());
        if (x < 0 || y < 0) {
            throw WebException.badRequest("viewport source region: sx and sy must not be negative: '" + viewport + "'");
        }
        if (w != null && w == 0 || h != null && h == 0) {
            throw WebException.badRequest("viewport source region: sw and sh must not be 0: '" + viewport + "'");
        }
        return new SourceRegion(x, y, w, h);
    }

    /**
     * The region cut out of a frame rendered at its own size, flipped where asked.
     *
     * @throws WebException (400) when the region leaves the frame
     */
    BufferedImage cut(BufferedImage frame) {
        int sw = width != null ? width : frame.getWidth() - x;
        int sh = height != null ? height : frame.getHeight() - y;
        int left = sw < 0 ? x + sw : x;
        int top = sh < 0 ? y + sh : y;
        int w = Math.abs(sw);
        int h = Math.abs(sh);
        if (w == 0 || h == 0 || left < 0 || top < 0 || left + w > frame.getWidth() || top + h > frame.getHeight()) {
            throw WebException.badRequest("viewport source region " + this + " is not inside the frame of "
                    + frame.getWidth() + "x" + frame.getHeight() + " pixels");
        }
        BufferedImage out = new BufferedImage(w, h, frame.getType());
        Raster src = frame.getRaster();
        WritableRaster dst = out.getRaster();
        int[] pixel = new int[src.getNumBands()];
        for (int row = 0; row < h; row++) {
            int fromRow = sh < 0 ? top + h - 1 - row : top + row;
            for (int col = 0; col < w; col++) {
                int fromCol = sw < 0 ? left + w - 1 - col : left + col;
                dst.setPixel(col, row, src.getPixel(fromCol, fromRow, pixel));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return x + "," + y + "," + (width == null ? "" : width) + "," + (height == null ? "" : height);
    }
}
