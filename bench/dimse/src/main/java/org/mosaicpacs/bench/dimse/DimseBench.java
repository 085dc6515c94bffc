package org.mosaicpacs.bench.dimse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.net.ApplicationEntity;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Device;
import org.mosaicpacs.dicom.net.TransferCapability;
import org.mosaicpacs.dicom.net.TransferCapability.Role;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.CStoreSCP;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DicomServer;
import org.mosaicpacs.dicom.net.dimse.DicomServiceRegistry;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.DimseFuture;
import org.mosaicpacs.dicom.net.dimse.Status;

/**
 * C-STORE throughput over loopback, in one run on the same files: our SCU to our SCP, DCMTK's storescu to
 * our SCP, and storescu to DCMTK's storescp, each with 1 and with 4 associations (storescu: 4 processes).
 * Both SCPs write every received instance to a folder. Bounded: a fixed number of files, and every
 * scenario is stopped after a timeout.
 *
 * <p>Options: {@code --count N} (200), {@code --rows R} (512; columns = rows, 16 bits), {@code --work DIR}
 * (a temp folder), {@code --files DIR} (use the .dcm files there instead of generating them, e.g. a
 * make-corpus.py ct-bench folder), {@code --dcmtk DIR} (/usr/bin), {@code --timeout SECONDS} (300 per
 * scenario), {@code --warmup N} (20 instances through our SCU and SCP first, not measured).
 */
public final class DimseBench {

    static final String AET = "MOSAIC";
    static final String STORESCP_AET = "STORESCP";

    int count = 200;
    int rows = 512;
    Path work;
    Path filesDir;
    Path dcmtk = Path.of("/usr/bin");
    int timeoutSeconds = 300;
    int warmup = 20;

    List<Path> files;
    long totalBytes;
    final List<String> results = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        DimseBench b = new DimseBench();
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--count" -> b.count = Integer.parseInt(v);
                case "--rows" -> b.rows = Integer.parseInt(v);
                case "--work" -> b.work = Path.of(v);
                case "--files" -> b.filesDir = Path.of(v);
                case "--dcmtk" -> b.dcmtk = Path.of(v);
                case "--timeout" -> b.timeoutSeconds = Integer.parseInt(v);
                case "--warmup" -> b.warmup = Integer.parseInt(v);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
            i++;
        }
        int failures = b.run();
        System.exit(failures == 0 ? 0 : 1);
    }

    int run() throws Exception {
        if (work == null) {
            work = Files.createTempDirectory("dimse-bench-");
        }
        Files.createDirectories(work);
        files = filesDir != null ? existingFiles(filesDir) : generate(work.resolve("in"));
        for (Path f : files) {
            totalBytes += Files.size(f);
        }
        System.out.printf(Locale.ROOT, "%d files, %.1f MB in total (%s), work folder %s%n", files.size(),
                totalBytes / 1e6, filesDir != null ? filesDir : rows + "x" + rows + " 16-bit CT, Explicit VR LE",
                work);
        ExecutorService executor = Executors.newCachedThreadPool();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        int failures = 0;
        try {
            Path received = work.resolve("received-mosaic");
            AtomicInteger stored = new AtomicInteger();
            try (DicomServer server = startScp(received, stored, executor, scheduler)) {
                int port = server.getLocalPort();
                if (warmup > 0) {
                    ourScu(port, files.subList(0, Math.min(warmup, files.size())), 1, executor, scheduler);
                    clean(received);
                    stored.set(0);
                }
                for (int assocs : new int[] {1, 4}) {
                    failures += measure("Mosaic SCU -> Mosaic SCP", assocs, stored, received,
                            () -> ourScu(port, files, assocs, executor, scheduler));
                }
                if (Files.isExecutable(dcmtk.resolve("storescu"))) {
                    for (int assocs : new int[] {1, 4}) {
                        failures += measure("dcmtk storescu -> Mosaic SCP", assocs, stored, received,
                                () -> storescu(AET, port, assocs));
                    }
                } else {
                    System.out.println("no storescu in " + dcmtk + ": dcmtk scenarios skipped");
                }
            }
            if (Files.isExecutable(dcmtk.resolve("storescu")) && Files.isExecutable(dcmtk.resolve("storescp"))) {
                for (int assocs : new int[] {1, 4}) {
                    failures += storescpScenario(assocs);
                }
            }
        } finally {
            executor.shutdownNow();
            scheduler.shutdownNow();
        }
        System.out.println();
        System.out.println("| Scenario | Associations | Instances | MB | Seconds | Instances/s | MB/s |");
        System.out.println("|---|---|---|---|---|---|---|");
        results.forEach(System.out::println);
        return failures;
    }

    interface Scenario {
        void run() throws Exception;
    }

    int measure(String name, int assocs, AtomicInteger stored, Path received, Scenario s) throws Exception {
        clean(received);
        stored.set(0);
        long t0 = System.nanoTime();
        String error = null;
        try {
            s.run();
        } catch (Exception e) {
            error = e.toString();
        }
        long nanos = System.nanoTime() - t0;
        return report(name, assocs, stored.get(), nanos, error);
    }

    int report(String name, int assocs, int received, long nanos, String error) {
        double sec = nanos / 1e9;
        boolean ok = error == null && received == files.size();
        String line = String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.2f | %.1f | %.1f |", name, assocs, received,
                totalBytes / 1e6, sec, ok ? received / sec : 0, ok ? totalBytes / 1e6 / sec : 0);
        if (!ok) {
            line += " FAILED: " + (error != null ? error : received + " of " + files.size() + " received");
        }
        System.out.println(line);
        results.add(line);
        return ok ? 0 : 1;
    }

    // ---------------------------------------------------------------- data

    List<Path> generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        String study = "2.25.1" + System.currentTimeMillis();
        String series = study + ".1";
        byte[] pixels = new byte[rows * rows * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            int v = (i / 2 % rows) * 4 + (i / 2 / rows);
            pixels[i] = (byte) v;
            pixels[i + 1] = (byte) ((v >> 8) & 0x0F);
        }
        List<Path> list = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            Attributes ds = new Attributes();
            ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
            ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
            ds.setString(Tag.SOPInstanceUID, VR.UI, series + "." + (n + 1));
            ds.setString(Tag.StudyDate, VR.DA, "20240102");
            ds.setString(Tag.Modality, VR.CS, "CT");
            ds.setString(Tag.PatientName, VR.PN, "Bench^CT");
            ds.setString(Tag.PatientID, VR.LO, "BENCH");
            ds.setString(Tag.StudyInstanceUID, VR.UI, study);
            ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
            ds.setInt(Tag.SeriesNumber, VR.IS, 1);
            ds.setInt(Tag.InstanceNumber, VR.IS, n + 1);
            ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
            ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
            ds.setInt(Tag.Rows, VR.US, rows);
            ds.setInt(Tag.Columns, VR.US, rows);
            ds.setInt(Tag.BitsAllocated, VR.US, 16);
            ds.setInt(Tag.BitsStored, VR.US, 12);
            ds.setInt(Tag.HighBit, VR.US, 11);
            ds.setInt(Tag.PixelRepresentation, VR.US, 0);
            pixels[0] = (byte) n;
            ds.setBytes(Tag.PixelData, VR.OW, pixels.clone());
            Path f = dir.resolve(String.format(Locale.ROOT, "ct%05d.dcm", n + 1));
            DicomOutputStream.writeFile(f, ds, UID.ExplicitVRLittleEndian);
            list.add(f);
        }
        return list;
    }

    List<Path> existingFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> list = s.filter(p -> p.toString().endsWith(".dcm")).sorted().limit(count).toList();
            if (list.isEmpty()) {
                throw new IOException("no .dcm files in " + dir);
            }
            return list;
        }
    }

    static void clean(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }

    static long countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    // ---------------------------------------------------------------- our SCP and SCU

    DicomServer startScp(Path received, AtomicInteger stored, ExecutorService executor,
            ScheduledExecutorService scheduler) throws IOException {
        Files.createDirectories(received);
        Connection conn = new Connection("127.0.0.1", 0);
        List<String> any = List.of(TransferCapability.ANY);
        Device device = new Device("bench").addConnection(conn).addApplicationEntity(new ApplicationEntity(AET)
                .addTransferCapability(new TransferCapability(UID.Verification, Role.SCP, any))
                .addTransferCapability(new TransferCapability(UID.CTImageStorage, Role.SCP,
                        List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian))));
        DicomServiceRegistry registry = new DicomServiceRegistry().add(new CStoreSCP(work.resolve("spool"),
                UID.CTImageStorage) {
            @Override
            protected int store(DimseAssociation as, int pcid, Attributes command, Path part, String ts)
                    throws IOException {
                Files.move(part, received.resolve(command.getString(Tag.AffectedSOPInstanceUID) + ".dcm"),
                        StandardCopyOption.REPLACE_EXISTING);
                stored.incrementAndGet();
                return Status.Success;
            }
        });
        DicomServer server = new DicomServer(device, conn, registry, executor, scheduler);
        server.start();
        return server;
    }

    void ourScu(int port, List<Path> list, int assocs, ExecutorService executor, ScheduledExecutorService scheduler)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(assocs);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int a = 0; a < assocs; a++) {
                List<Path> share = share(list, a, assocs);
                futures.add(pool.submit(() -> {
                    AssociateRQBuilder rq = new AssociateRQBuilder(AET, "BENCHSCU")
                            .addContext(UID.CTImageStorage, UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);
                    try (DimseAssociation as = DimseAssociation.connect(
                            new Connection().setResponseTimeout(timeoutSeconds * 1000), new Connection("127.0.0.1", port),
                            rq.build(), null, executor, scheduler)) {
                        List<DimseFuture> pending = new ArrayList<>();
                        for (Path f : share) {
                            pending.add(as.cstore(f, Commands.MEDIUM));
                        }
                        for (DimseFuture f : pending) {
                            int status = f.await().status();
                            if (status != Status.Success) {
                                throw new IOException("C-STORE status " + Integer.toHexString(status));
                            }
                        }
                        as.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(timeoutSeconds, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static List<Path> share(List<Path> list, int a, int n) {
        List<Path> share = new ArrayList<>();
        for (int i = a; i < list.size(); i += n) {
            share.add(list.get(i));
        }
        return share;
    }

    // ---------------------------------------------------------------- DCMTK

    /** Runs storescu in {@code assocs} parallel processes, each sending its share of the files. */
    void storescu(String aet, int port, int assocs) throws Exception {
        List<Process> processes = new ArrayList<>();
        try {
            for (int a = 0; a < assocs; a++) {
                List<String> cmd = new ArrayList<>(List.of(dcmtk.resolve("storescu").toString(), "-aec", aet, "-R",
                        "-xe", "127.0.0.1", String.valueOf(port)));
                share(files, a, assocs).forEach(f -> cmd.add(f.toString()));
                processes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(work.resolve("storescu-" + a + ".log").toFile()).start());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            for (Process p : processes) {
                long left = deadline - System.nanoTime();
                if (!p.waitFor(Math.max(1, left), TimeUnit.NANOSECONDS)) {
                    throw new IOException("storescu timed out");
                }
                if (p.exitValue() != 0) {
                    throw new IOException("storescu exit " + p.exitValue() + ", see " + work);
                }
            }
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
            }
        }
    }

    int storescpScenario(int assocs) throws Exception {
        Path dir = work.resolve("received-storescp");
        clean(dir);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // --fork: one child process per association, so 4 associations run in parallel as with our SCP
        Process scp = new ProcessBuilder(dcmtk.resolve("storescp").toString(), "-aet", STORESCP_AET, "--fork",
                "-od", dir.toString(), String.valueOf(port)).redirectErrorStream(true)
                .redirectOutput(work.resolve("storescp.log").toFile()).start();
        try {
            waitForPort(port);
            long t0 = System.nanoTime();
            String error = null;
            try {
                storescu(STORESCP_AET, port, assocs);
            } catch (Exception e) {
                error = e.toString();
            }
            long nanos = System.nanoTime() - t0;
            return report("dcmtk storescu -> dcmtk storescp", assocs, (int) countFiles(dir), nanos, error);
        } finally {
            scp.descendants().forEach(ProcessHandle::destroyForcibly);
            scp.destroyForcibly();
            scp.waitFor(10, TimeUnit.SECONDS);
        }
    }

    void waitForPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException("storescp did not start", e);
                }
                Thread.sleep(50);
            }
        }
    }
}
