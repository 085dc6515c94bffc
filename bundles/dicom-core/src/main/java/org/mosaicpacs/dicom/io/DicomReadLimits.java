package org.mosaicpacs.dicom.io;

/**
 * Limits that keep {@link DicomInputStream} safe on hostile input. Breaking one throws
 * {@link DicomParseException}. Immutable; derive variants with the {@code with...} methods.
 *
 * <ul>
 * <li>{@code maxAllocation} (default 256 MiB): total bytes of values read into memory, plus a fixed
 * overhead per element, item and fragment that approximates their memory. Buffers grow step by step as data actually arrives, so a
 * corrupt length never allocates more than about twice the bytes present.</li>
 * <li>{@code maxValueLength} (default 256 MiB): the largest single value length accepted (also for values
 * kept as bulk data references); larger lengths are rejected as absurd.</li>
 * <li>{@code maxNestingDepth} (default 128): sequences nested in items of sequences (a top-level sequence is
 * depth 1).</li>
 * <li>{@code maxInflateRatio} (default 100) and {@code inflateRatioThreshold} (default 8 MiB): a deflated
 * data set may not inflate to more than ratio times its compressed size once past the threshold.</li>
 * </ul>
 */
public final class DicomReadLimits {

    /** The default limits. */
    public static final DicomReadLimits DEFAULT = new DicomReadLimits(256L << 20, 256L << 20, 128, 100, 8L << 20);

    /** Bytes charged to the allocation budget for each element or fragment (object and array slots). */
    static final int OVERHEAD = 48;

    /** Bytes charged to the allocation budget for each item (an empty data set). */
    static final int ITEM_OVERHEAD = 96;

    private final long maxAllocation;
    private final long maxValueLength;
    private final int maxNestingDepth;
    private final int maxInflateRatio;
    private final long inflateRatioThreshold;

    private DicomReadLimits(long maxAllocation, long maxValueLength, int maxNestingDepth, int maxInflateRatio,
            long inflateRatioThreshold) {
        if (maxAllocation <= 0 || maxValueLength <= 0 || maxNestingDepth <= 0 || maxInflateRatio <= 0
                || inflateRatioThreshold < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxAllocation = maxAllocation;
        this.maxValueLength = maxValueLength;
        this.maxNestingDepth = maxNestingDepth;
        this.maxInflateRatio = maxInflateRatio;
        this.inflateRatioThreshold = inflateRatioThreshold;
    }

    /** Returns the total allocation budget in bytes. */
    public long maxAllocation() {
        return maxAllocation;
    }

    /** Returns the largest accepted value length. */
    public long maxValueLength() {
        return maxValueLength;
    }

    /** Returns the deepest accepted sequence nesting. */
    public int maxNestingDepth() {
        return maxNestingDepth;
    }

    /** Returns the largest accepted inflated/compressed size ratio. */
    public int maxInflateRatio() {
        return maxInflateRatio;
    }

    /** Returns the inflated size from which the ratio is checked. */
    public long inflateRatioThreshold() {
        return inflateRatioThreshold;
    }

    /** Returns a copy with another allocation budget. */
    public DicomReadLimits withMaxAllocation(long bytes) {
        return new DicomReadLimits(bytes, maxValueLength, maxNestingDepth, maxInflateRatio, inflateRatioThreshold);
    }

    /** Returns a copy with another largest value length. */
    public DicomReadLimits withMaxValueLength(long bytes) {
        return new DicomReadLimits(maxAllocation, bytes, maxNestingDepth, maxInflateRatio, inflateRatioThreshold);
    }

    /** Returns a copy with another nesting depth. */
    public DicomReadLimits withMaxNestingDepth(int depth) {
        return new DicomReadLimits(maxAllocation, maxValueLength, depth, maxInflateRatio, inflateRatioThreshold);
    }

    /** Returns a copy with another inflate ratio and threshold. */
    public DicomReadLimits withMaxInflateRatio(int ratio, long threshold) {
        return new DicomReadLimits(maxAllocation, maxValueLength, maxNestingDepth, ratio, threshold);
    }

    @Override
    public String toString() {
        return "DicomReadLimits[maxAllocation=" + maxAllocation + ", maxValueLength=" + maxValueLength
                + ", maxNestingDepth=" + maxNestingDepth + ", maxInflateRatio=" + maxInflateRatio
                + ", inflateRatioThreshold=" + inflateRatioThreshold + "]";
    }
}
