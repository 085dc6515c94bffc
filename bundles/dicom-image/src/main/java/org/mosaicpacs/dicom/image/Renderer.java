package org.mosaicpacs.dicom.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;

/**
 * Renders a decoded frame to an 8-bit image for display, in the order of the grayscale pipeline of PS3.4 N.2:
 * Modality LUT (Rescale Slope/Intercept), VOI LUT (a window from the request or the data set with VOI LUT
 * Function LINEAR, LINEAR_EXACT or SIGMOID, else the data set's VOI LUT Sequence, else the frame's minimum and
 * maximum), then MONOCHROME1 inversion. Colour: PALETTE COLOR through the palette, YBR_FULL to RGB, RGB scaled to 8
 * bits. Finally the result is scaled to fit the viewport. Thread-safe.
 */
public final class Renderer {

    private final PixelDataDecoder decoder;

    /** Creates a renderer that decodes with the given decoder. */
    public Renderer(PixelDataDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * Decodes and renders one frame.
     *
     * @throws PixelDataException when the frame cannot be decoded or its attributes cannot be rendered
     */
    public BufferedImage render(Attributes ds, String transferSyntaxUID, RenderParameters p) throws PixelDataException {
        FrameRaster raster = decoder.decode(ds, transferSyntaxUID, p.frame());
        return scale(render(ds, raster, p), p.viewportColumns(), p.viewportRows());
    }

    /** Renders a decoded frame at its own size (no viewport scaling). */
    public static BufferedImage render(Attributes ds, FrameRaster r, RenderParameters p) throws PixelDataException {
        String pi = r.photometricInterpretation();
        if (r.samplesPerPixel() == 1 && pi.startsWith("MONOCHROME")) {
            return grayscale(ds, r, p, pi.equals("MONOCHROME1"));
        }
        BufferedImage img = new BufferedImage(r.columns(), r.rows(), BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        int[] s = r.samples();
        if (pi.equals("PALETTE COLOR")) {
            int[][] lut = palette(ds, r.signed());
            int first = lut[3][0];
            int n = lut[0].length;
            for (int i = 0; i < rgb.length; i++) {
                int k = Math.min(Math.max(s[i] - first, 0), n - 1);
                rgb[i] = lut[0][k] << 16 | lut[1][k] << 8 | lut[2][k];
            }
            return img;
        }
        int shift = Math.max(0, r.bitsStored() - 8);
        boolean ybr = pi.equals("YBR_FULL");
        if (!ybr && !pi.equals("RGB")) {
            throw new PixelDataException("Photometric Interpretation " + pi + " cannot be rendered");
        }
        for (int i = 0; i < rgb.length; i++) {
            int a = s[3 * i] >> shift;
            int b = s[3 * i + 1] >> shift;
            int c = s[3 * i + 2] >> shift;
            if (ybr) {
                double y = a;
                double cb = b - 128;
                double cr = c - 128;
                a = clamp(Math.round(y + 1.402 * cr));
                b = clamp(Math.round(y - 0.344136 * cb - 0.714136 * cr));
                c = clamp(Math.round(y + 1.772 * cb));
            } else {
                a = clamp(a);
                b = clamp(b);
                c = clamp(c);
            }
            rgb[i] = a << 16 | b << 8 | c;
        }
        return img;
    }

    private static int clamp(long v) {
        return (int) Math.max(0, Math.min(255, v));
    }

    private static BufferedImage grayscale(Attributes ds, FrameRaster r, RenderParameters p, boolean invert)
            throws PixelDataException {
        double slope = ds.getDouble(Tag.RescaleSlope, 1);
        double intercept = ds.getDouble(Tag.RescaleIntercept, 0);
        if (slope == 0 || !Double.isFinite(slope) || !Double.isFinite(intercept)) {
            slope = 1;
            intercept = 0;
        }
        int[] s = r.samples();
        BufferedImage img = new BufferedImage(r.columns(), r.rows(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        double center = p.windowCenter();
        double width = p.windowWidth();
        String function = p.voiLutFunction();
        if (function == null) {
            function = ds.getString(Tag.VOILUTFunction, "LINEAR").trim();
            if (!function.equals("LINEAR_EXACT") && !function.equals("SIGMOID")) {
                function = "LINEAR";
            }
        }
        if (Double.isNaN(center)) {
            double c = ds.getDouble(Tag.WindowCenter, Double.NaN);
            double w = ds.getDouble(Tag.WindowWidth, Double.NaN);
            if (Double.isFinite(c) && Double.isFinite(w) && w >= 1) {
                center = c;
                width = w;
            }
        }
        int[] voi = null;
        int voiFirst = 0;
        int voiMax = 255;
        if (Double.isNaN(center)) {
            Sequence seq = ds.getSequence(Tag.VOILUTSequence);
            if (seq != null && !seq.isEmpty()) {
                Attributes item = seq.get(0);
                int[] desc = item.getInts(Tag.LUTDescriptor);
                if (desc == null || desc.length != 3) {
                    throw new PixelDataException("VOI LUT Sequence item has no valid LUT Descriptor");
                }
                int n = desc[0] == 0 ? 65536 : desc[0];
                voiFirst = r.signed() && desc[1] > 32767 ? desc[1] - 65536 : desc[1];
                voi = lutData(item.getBytes(Tag.LUTData, false), n, "VOI LUT Data");
                voiMax = desc[2] >= 1 && desc[2] <= 16 ? (1 << desc[2]) - 1 : 65535;
            }
        }
        if (Double.isNaN(center) && voi == null) {
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (int v : s) {
                double m = v * slope + intercept;
                min = Math.min(min, m);
                max = Math.max(max, m);
            }
            // the window that maps exactly [min, max] onto the output range (PS3.3 C.11.2.1.2.1)
            width = Math.max(1, max - min + 1);
            center = min + width / 2;
            function = "LINEAR";
        }
        for (int i = 0; i < s.length; i++) {
            double x = s[i] * slope + intercept;
            double y;
            if (voi != null) {
                int k = (int) Math.min(Math.max(Math.round(x) - voiFirst, 0), voi.length - 1);
                y = voi[k] * 256.0 / (voiMax + 1);
            } else {
                y = voi(x, center, width, function);
            }
            // truncated, as dcmtk does, so that lossless images render to the same bytes
            out[i] = (byte) clamp((long) (invert ? 255 - y : y));
        }
        return img;
    }

    /** The VOI LUT functions of PS3.3 C.11.2.1.2, to the output range 0..255. */
    static double voi(double x, double c, double w, String function) {
        switch (function) {
            case "LINEAR_EXACT":
                if (x <= c - w / 2) {
                    return 0;
                }
                if (x > c + w / 2) {
                    return 255;
                }
                return ((x - c) / w + 0.5) * 255;
            case "SIGMOID":
                return 255 / (1 + Math.exp(-4 * (x - c) / w));
            default:
                if (w <= 1) {
                    return x <= c - 0.5 ? 0 : 255;
                }
                if (x <= c - 0.5 - (w - 1) / 2) {
                    return 0;
                }
                if (x > c - 0.5 + (w - 1) / 2) {
                    return 255;
                }
                return ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
        }
    }

    private static int[] lutData(byte[] data, int n, String what) throws PixelDataException {
        if (data == null) {
            throw new PixelDataException(what + " is missing");
        }
        int[] lut = new int[n];
        if (data.length >= 2 * n) {
            for (int i = 0; i < n; i++) {
                lut[i] = (data[2 * i] & 0xFF) | (data[2 * i + 1] & 0xFF) << 8;
            }
        } else if (data.length >= n) {
            for (int i = 0; i < n; i++) {
                lut[i] = data[i] & 0xFF;
            }
        } else {
            throw new PixelDataException(what + " has " + data.length + " bytes for " + n + " entries");
        }
        return lut;
    }

    /** Returns the red, green and blue palettes scaled to 0..255, and the first mapped value in [3][0]. */
    private static int[][] palette(Attributes ds, boolean signed) throws PixelDataException {
        int[][] lut = new int[4][];
        int[] descTags = {Tag.RedPaletteColorLookupTableDescriptor, Tag.GreenPaletteColorLookupTableDescriptor,
            Tag.BluePaletteColorLookupTableDescriptor};
        int[] dataTags = {Tag.RedPaletteColorLookupTableData, Tag.GreenPaletteColorLookupTableData,
            Tag.BluePaletteColorLookupTableData};
        String[] names = {"Red", "Green", "Blue"};
        int first = 0;
        for (int c = 0; c < 3; c++) {
            int[] desc = ds.getInts(descTags[c]);
            if (desc == null || desc.length != 3) {
                throw new PixelDataException(names[c] + " Palette Color Lookup Table Descriptor is missing or invalid");
            }
            int n = desc[0] == 0 ? 65536 : desc[0];
            first = signed && desc[1] > 32767 ? desc[1] - 65536 : desc[1];
            byte[] data = ds.getBytes(dataTags[c], false);
            int bits = desc[2];
            int[] l = new int[n];
            if (data == null) {
                throw new PixelDataException(names[c] + " Palette Color Lookup Table Data is missing");
            }
            if (bits == 8 && data.length == n) {
                for (int i = 0; i < n; i++) {
                    l[i] = data[i] & 0xFF;
                }
            } else if (data.length >= 2 * n) {
                for (int i = 0; i < n; i++) {
                    int v = (data[2 * i] & 0xFF) | (data[2 * i + 1] & 0xFF) << 8;
                    l[i] = bits == 8 ? v & 0xFF : v >> 8;
                }
            } else {
                throw new PixelDataException(names[c] + " Palette Color Lookup Table Data has " + data.length
                        + " bytes for " + n + " entries");
            }
            lut[c] = l;
        }
        if (lut[0].length != lut[1].length || lut[0].length != lut[2].length) {
            throw new PixelDataException("the red, green and blue palettes differ in length");
        }
        lut[3] = new int[] {first};
        return lut;
    }

    /**
     * Scales an image to fit a viewport, keeping its aspect ratio (bilinear); returns it unchanged when both sizes
     * are 0.
     */
    public static BufferedImage scale(BufferedImage img, int viewportColumns, int viewportRows) {
        if (viewportColumns <= 0 && viewportRows <= 0) {
            return img;
        }
        double sx = viewportColumns > 0 ? (double) viewportColumns / img.getWidth() : Double.MAX_VALUE;
        double sy = viewportRows > 0 ? (double) viewportRows / img.getHeight() : Double.MAX_VALUE;
        double f = Math.min(sx, sy);
        int w = (int) Math.max(1, Math.round(img.getWidth() * f));
        int h = (int) Math.max(1, Math.round(img.getHeight() * f));
        if (w == img.getWidth() && h == img.getHeight()) {
            return img;
        }
        BufferedImage out = new BufferedImage(w, h, img.getType());
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(img, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
