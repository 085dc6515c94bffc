package org.mosaicpacs.dicom.image;

/**
 * How to render a frame (PS3.18 8.3.5 "window", "viewport", "quality"). Immutable; the {@code with...} methods
 * return changed copies.
 *
 * @param frame the frame index, 0-based
 * @param windowCenter the VOI window center, or NaN to take it from the data set
 * @param windowWidth the VOI window width (at least 1), or NaN to take it from the data set
 * @param voiLutFunction LINEAR, LINEAR_EXACT or SIGMOID; null to take it from the data set (default LINEAR)
 * @param viewportColumns the width to fit the image into (aspect ratio kept), 0 for the image's own size
 * @param viewportRows the height to fit the image into, 0 for the image's own size
 * @param quality JPEG quality 1..100
 */
public record RenderParameters(int frame, double windowCenter, double windowWidth, String voiLutFunction,
        int viewportColumns, int viewportRows, int quality) {

    /** Frame 1, window and function from the data set, the image's own size, JPEG quality 90. */
    public static final RenderParameters DEFAULT = new RenderParameters(0, Double.NaN, Double.NaN, null, 0, 0, 90);

    /** Checks the values. */
    public RenderParameters {
        if (frame < 0) {
            throw new IllegalArgumentException("frame must be 1 or more");
        }
        if (!Double.isNaN(windowWidth) && !(windowWidth >= 1)) {
            throw new IllegalArgumentException("window width must be at least 1, not " + windowWidth);
        }
        if (Double.isNaN(windowCenter) != Double.isNaN(windowWidth)) {
            throw new IllegalArgumentException("window needs both center and width");
        }
        if (voiLutFunction != null && !voiLutFunction.equals("LINEAR") && !voiLutFunction.equals("LINEAR_EXACT")
                && !voiLutFunction.equals("SIGMOID")) {
            throw new IllegalArgumentException("VOI LUT Function must be LINEAR, LINEAR_EXACT or SIGMOID, not "
                    + voiLutFunction);
        }
        if (viewportColumns < 0 || viewportRows < 0 || viewportColumns > 16384 || viewportRows > 16384) {
            throw new IllegalArgumentException("viewport must be between 1 and 16384 pixels");
        }
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("quality must be between 1 and 100, not " + quality);
        }
    }

    /** Returns a copy for another frame (0-based). */
    public RenderParameters withFrame(int frame) {
        return new RenderParameters(frame, windowCenter, windowWidth, voiLutFunction, viewportColumns, viewportRows,
                quality);
    }

    /** Returns a copy with a window (and function, null for the data set's). */
    public RenderParameters withWindow(double center, double width, String function) {
        return new RenderParameters(frame, center, width, function, viewportColumns, viewportRows, quality);
    }

    /** Returns a copy with a viewport. */
    public RenderParameters withViewport(int columns, int rows) {
        return new RenderParameters(frame, windowCenter, windowWidth, voiLutFunction, columns, rows, quality);
    }

    /** Returns a copy with a JPEG quality. */
    public RenderParameters withQuality(int quality) {
        return new RenderParameters(frame, windowCenter, windowWidth, voiLutFunction, viewportColumns, viewportRows,
                quality);
    }
}
