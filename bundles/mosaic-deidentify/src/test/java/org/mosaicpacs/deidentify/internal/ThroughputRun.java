package org.mosaicpacs.deidentify.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;

/**
 * A measured run for docs/benchmarks.md (not a test): de-identification throughput in instances per
 * second, single thread, on in-memory Part 10 instances: the engine alone (data set in, data set out),
 * the Part 10 service (parse, de-identify, write), and the Part 10 service recording its mappings in an
 * embedded Derby database on disk. Input: the realistic/ files of the corpus ({@code MOSAIC_CORPUS} or
 * /work/corpus), else synthetic CT images 512x512x16.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.mosaicpacs.deidentify.internal.ThroughputRun [seconds]</pre>
 */
public final class ThroughputRun {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<byte[]> files = inputs();
        long bytes = files.stream().mapToLong(b -> b.length).sum();
        System.out.printf("%d instances, %.1f MB in all, %d s per measurement, 1 thread%n", files.size(), bytes / 1e6, seconds);
        List<Attributes> datasets = new ArrayList<>();
        for (byte[] f : files) {
            try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(f))) {
                in.readFileMetaInformation();
                datasets.add(in.readDataset());
            }
        }
        ProfileDefinition def = new ProfileDefinition("bench", new String[] {"CLEAN_DESCRIPTORS", "RETAIN_LONGITUDINAL_MODIFIED_DATES"},
                "bench", "", 10, 365, new String[0], new String[0], false);
        AnnexEDeidentifier noStore = new AnnexEDeidentifier(null, def);
        measure("engine (Attributes -> Attributes)", seconds, bytes, files.size(), () -> {
            for (Attributes ds : datasets) {
                noStore.deidentify(ds, "bench");
            }
        });
        measure("Part 10 in memory (parse, de-identify, write)", seconds, bytes, files.size(), () -> {
            for (byte[] f : files) {
                noStore.deidentify(new ByteArrayInputStream(f), new ByteArrayOutputStream(f.length + 1024), "bench");
            }
        });
        Path db = Files.createTempDirectory("deid-bench");
        System.setProperty("derby.stream.error.file", db.resolve("derby.log").toString());
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(db.resolve("db").toString());
        ds.setCreateDatabase("create");
        AnnexEDeidentifier withStore = new AnnexEDeidentifier(new MappingStore(ds), def);
        int[] round = {0};
        measure("Part 10 + mapping store (Derby on disk), one commit per instance", seconds, bytes, files.size(), () -> {
            round[0]++;
            for (byte[] f : files) {
                withStore.deidentify(new ByteArrayInputStream(renamed(f, round[0])), new ByteArrayOutputStream(f.length + 1024),
                        "bench");
            }
        });
        int batchSize = StudyDeidentification.BATCH_INSTANCES;
        measure("Part 10 + mapping store (Derby on disk), one commit per " + batchSize + " instances", seconds, bytes,
                files.size(), () -> {
            round[0]++;
            AnnexEDeidentifier.Batch batch = withStore.batch("bench");
            for (byte[] f : files) {
                batch.deidentify(new ByteArrayInputStream(renamed(f, round[0])), new ByteArrayOutputStream(f.length + 1024));
                if (batch.size() >= batchSize) {
                    batch.commit();
                }
            }
            batch.commit();
        });
    }

    /** The instance as a new study and instance each round, so that the store records new mappings every time. */
    private static byte[] renamed(byte[] f, int round) throws Exception {
        Attributes a;
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(f))) {
            in.readFileMetaInformation();
            a = in.readDataset();
        }
        a.setString(Tag.StudyInstanceUID, VR.UI, a.getString(Tag.StudyInstanceUID, "1.2") + "." + round);
        a.setString(Tag.SOPInstanceUID, VR.UI, a.getString(Tag.SOPInstanceUID, "1.2") + "." + round);
        return Part10PeerTest.part10(a, UID.ExplicitVRLittleEndian);
    }

    interface Work {
        void run() throws Exception;
    }

    private static void measure(String what, int seconds, long bytes, int count, Work work) throws Exception {
        long warm = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warm) {
            work.run();
        }
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long rounds = 0;
        while (System.nanoTime() < end) {
            work.run();
            rounds++;
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-70s %8.0f instances/s %8.1f MB/s%n", what, rounds * count / s, rounds * bytes / s / 1e6);
    }

    private static List<byte[]> inputs() throws Exception {
        Path corpus = CorpusLeakTest.corpus();
        List<byte[]> out = new ArrayList<>();
        if (corpus != null && Files.isDirectory(corpus.resolve("realistic"))) {
            try (Stream<Path> s = Files.walk(corpus.resolve("realistic"))) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    out.add(Files.readAllBytes(p));
                }
            }
            return out;
        }
        for (int i = 0; i < 50; i++) {
            Attributes ds = EngineTest.image("1.2.3", "1.2.3.4", "1.2.3.4." + i);
            ds.setInt(Tag.Rows, VR.US, 512);
            ds.setInt(Tag.Columns, VR.US, 512);
            ds.setBytes(Tag.PixelData, VR.OW, new byte[512 * 512 * 2]);
            out.add(Part10PeerTest.part10(ds, UID.ExplicitVRLittleEndian));
        }
        return out;
    }
}
