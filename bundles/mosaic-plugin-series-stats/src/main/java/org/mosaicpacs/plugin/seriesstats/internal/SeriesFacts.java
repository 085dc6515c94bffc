package org.mosaicpacs.plugin.seriesstats.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;

/**
 * Per-series facts from the instances' headers: how many slices, their geometry, and the pixel value range
 * that the headers declare (Smallest/Largest Image Pixel Value; instances without them are counted, not
 * scanned).
 */
final class SeriesFacts {

    private final String study;
    private final String series;
    private String modality = "";
    private int instances;
    private int rows = -1;
    private int columns = -1;
    private double[] pixelSpacing;
    private double sliceThickness = Double.NaN;
    private final List<double[]> positions = new ArrayList<>();
    private double[] orientation;
    private Integer smallest;
    private Integer largest;
    private int withRange;

    SeriesFacts(String study, String series) {
        this.study = study;
        this.series = series;
    }

    /** Adds one instance's header. */
    void add(Attributes header) {
        instances++;
        if (modality.isEmpty()) {
            modality = header.getString(Tag.Modality, "");
        }
        if (rows < 0) {
            rows = header.getInt(Tag.Rows, -1);
            columns = header.getInt(Tag.Columns, -1);
        }
        double[] spacing = header.getDoubles(Tag.PixelSpacing);
        if (pixelSpacing == null && spacing != null && spacing.length == 2) {
            pixelSpacing = spacing;
        }
        if (Double.isNaN(sliceThickness)) {
            sliceThickness = header.getDouble(Tag.SliceThickness, Double.NaN);
        }
        double[] position = header.getDoubles(Tag.ImagePositionPatient);
        if (position != null && position.length == 3) {
            positions.add(position);
        }
        double[] o = header.getDoubles(Tag.ImageOrientationPatient);
        if (orientation == null && o != null && o.length == 6) {
            orientation = o;
        }
        if (header.containsValue(Tag.SmallestImagePixelValue) && header.containsValue(Tag.LargestImagePixelValue)) {
            int s = header.getInt(Tag.SmallestImagePixelValue, 0);
            int l = header.getInt(Tag.LargestImagePixelValue, 0);
            smallest = smallest == null ? s : Math.min(smallest, s);
            largest = largest == null ? l : Math.max(largest, l);
            withRange++;
        }
    }

    /** Distances between neighbouring slices along the slice normal, sorted by position; empty when unknown. */
    List<Double> sliceGaps() {
        if (orientation == null || positions.size() < 2) {
            return List.of();
        }
        double[] normal = {
                orientation[1] * orientation[5] - orientation[2] * orientation[4],
                orientation[2] * orientation[3] - orientation[0] * orientation[5],
                orientation[0] * orientation[4] - orientation[1] * orientation[3]};
        List<Double> along = new ArrayList<>();
        for (double[] p : positions) {
            along.add(p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2]);
        }
        along.sort(null);
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < along.size(); i++) {
            gaps.add(along.get(i) - along.get(i - 1));
        }
        return gaps;
    }

    String study() {
        return study;
    }

    String series() {
        return series;
    }

    int instances() {
        return instances;
    }

    /** The facts as one JSON object. */
    String toJson() {
        StringBuilder j = new StringBuilder("{");
        j.append("\"studyInstanceUID\":\"").append(study).append("\",");
        j.append("\"seriesInstanceUID\":\"").append(series).append("\",");
        j.append("\"modality\":\"").append(modality.replace("\"", "")).append("\",");
        j.append("\"instances\":").append(instances).append(',');
        j.append("\"rows\":").append(rows < 0 ? "null" : rows).append(',');
        j.append("\"columns\":").append(columns < 0 ? "null" : columns).append(',');
        j.append("\"pixelSpacing\":").append(pixelSpacing == null ? "null"
                : "[" + num(pixelSpacing[0]) + "," + num(pixelSpacing[1]) + "]").append(',');
        j.append("\"sliceThickness\":").append(Double.isNaN(sliceThickness) ? "null" : num(sliceThickness)).append(',');
        List<Double> gaps = sliceGaps();
        if (gaps.isEmpty()) {
            j.append("\"sliceSpacing\":null,");
        } else {
            List<Double> sorted = new ArrayList<>(gaps);
            sorted.sort(null);
            j.append("\"sliceSpacing\":{\"min\":").append(num(sorted.get(0)))
                    .append(",\"max\":").append(num(sorted.get(sorted.size() - 1)))
                    .append(",\"median\":").append(num(sorted.get(sorted.size() / 2))).append("},");
        }
        j.append("\"pixelValueRange\":");
        if (smallest == null) {
            j.append("null,");
        } else {
            j.append("{\"smallest\":").append(smallest).append(",\"largest\":").append(largest).append("},");
        }
        j.append("\"instancesWithPixelValueRange\":").append(withRange);
        return j.append('}').toString();
    }

    private static String num(double d) {
        double r = Math.round(d * 1000.0) / 1000.0;
        return r == Math.rint(r) ? Long.toString((long) r) : String.format(Locale.ROOT, "%s", r);
    }
}
