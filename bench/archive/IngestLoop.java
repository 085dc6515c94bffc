package org.mosaicpacs.archive.internal;

import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/**
 * A local ingest loop, without network: N synthetic CT instances (one series; 128x128, 16 bits by default)
 * ingested from memory streams through the real pipeline into an on-disk Derby index and an fsync'ing file
 * storage under DIR, by T threads. Prints instances/s. Compiled against the bundles' classes (see
 * bench/README.md); count the fsyncs with {@code strace -f -c -e trace=fsync,fdatasync}.
 *
 * <pre>java -cp CLASSES org.mosaicpacs.archive.internal.IngestLoop DIR N THREADS [ROWS]</pre>
 */
public final class IngestLoop {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        int rows = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        Files.createDirectories(dir);
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(dir.resolve("index").toString());
        ds.setCreateDatabase("create");
        ArchiveIndex index = new DerbyArchiveIndex(ds, config(DerbyIndexConfiguration.class, Map.of()));
        StorageBackend storage = new FsStorageBackend(config(FsStorageConfiguration.class,
                Map.of("root", dir.resolve("storage").toString(), "fsync", true)));
        IngestPipeline pipeline = new IngestPipeline(new IngestPipeline.Settings("default", DuplicatePolicy.REJECT, true,
                List.of()), () -> index, id -> storage, List::of, new IngestJournal(dir.resolve("journal")));
        String run = Long.toString(System.currentTimeMillis());
        byte[][] files = new byte[n + 20][];
        for (int i = 0; i < files.length; i++) {
            files[i] = ct(run, i, rows, i >= n);
        }
        Origin origin = new Origin("LOOP", "MOSAIC", "");
        for (int i = n; i < n + 20; i++) { // warm-up, other study
            check(pipeline.ingest(new ByteArrayInputStream(files[i]), origin));
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<?>> runs = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            runs.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < n; ) {
                    check(pipeline.ingest(new ByteArrayInputStream(files[i]), origin));
                }
                return null;
            }));
        }
        for (Future<?> f : runs) {
            f.get();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        System.out.printf("INGEST %d instances (%d bytes each), %d threads: %.2f s, %.1f instances/s%n", n,
                files[0].length, threads, s, n / s);
        System.exit(0);
    }

    private static void check(IngestResult r) {
        if (!r.outcome().isAcknowledged()) {
            throw new IllegalStateException(r.outcome() + " " + r.message());
        }
    }

    private static byte[] ct(String run, int i, int rows, boolean warmUp) throws Exception {
        String study = "2.25.77" + run + (warmUp ? "1" : "0");
        String series = study + ".1";
        String sop = series + "." + (i + 1);
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, "20261130");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientName, VR.PN, "LOOP^INGEST");
        ds.setString(Tag.PatientID, VR.LO, "LOOP-" + run);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i + 1));
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, rows);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setBytes(Tag.PixelData, VR.OW, new byte[rows * rows * 2]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DicomOutputStream dos = new DicomOutputStream(out)) {
            dos.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(UID.CTImageStorage, sop,
                    UID.ExplicitVRLittleEndian));
            dos.writeDataset(ds);
            dos.finish();
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("annotationType")) {
                return type;
            }
            if (values.containsKey(name)) {
                return values.get(name);
            }
            return method.getDefaultValue();
        });
    }
}
