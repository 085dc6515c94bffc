package org.mosaicpacs.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Parse throughput of {@link DicomInputStream} in files per second; multiply by the file size (printed
 * by {@link BenchFiles}, and by run.sh) for MB/s. Files come from the folder named by the system property
 * {@code mosaic.bench.dir} (as written by {@link BenchFiles}), else they are generated into a temporary
 * folder. Files are read through the file system (page cache), as dcmdump and pydicom read them, except
 * {@link #ctReadAllFromMemory}, which parses a byte array.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParseBenchmark {

    private Path dir;
    private boolean temporary;
    private Path ct;
    private Path srDefined;
    private Path srUndefined;
    private byte[] ctBytes;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        String given = System.getProperty("mosaic.bench.dir");
        temporary = given == null || given.isEmpty();
        dir = temporary ? Files.createTempDirectory("mosaic-bench") : Paths.get(given);
        BenchFiles.write(dir);
        ct = dir.resolve(BenchFiles.CT);
        srDefined = dir.resolve(BenchFiles.SR_DEFINED);
        srUndefined = dir.resolve(BenchFiles.SR_UNDEFINED);
        ctBytes = Files.readAllBytes(ct);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (temporary) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** CT, the whole file, pixel data read into memory. */
    @Benchmark
    public Attributes ctReadAll() throws IOException {
        try (DicomInputStream in = new DicomInputStream(ct)) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    /** CT, pixel data (and any other value of 1 KiB or more) kept as a BulkData reference, not read. */
    @Benchmark
    public Attributes ctBulkData() throws IOException {
        try (DicomInputStream in = new DicomInputStream(ct)) {
            in.setBulkDataThreshold(1024);
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    /** CT, stopping before the pixel data. */
    @Benchmark
    public Attributes ctStopBeforePixelData() throws IOException {
        try (DicomInputStream in = new DicomInputStream(ct)) {
            in.readFileMetaInformation();
            return in.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
        }
    }

    /** CT, the whole file parsed from a byte array (no file system). */
    @Benchmark
    public Attributes ctReadAllFromMemory() throws IOException {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(ctBytes))) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    /** Deep SR, sequences and items of defined length. */
    @Benchmark
    public Attributes srDefinedLengths() throws IOException {
        try (DicomInputStream in = new DicomInputStream(srDefined)) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    /** Deep SR, sequences and items of undefined length (delimitation items). */
    @Benchmark
    public Attributes srUndefinedLengths() throws IOException {
        try (DicomInputStream in = new DicomInputStream(srUndefined)) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }
}
