package org.mosaicpacs.dimse.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.archive.internal.ArchiveConfiguration;
import org.mosaicpacs.archive.internal.ArchiveIngestService;
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
 * The real archive behind the AE in a test: the ingest service of mosaic-archive, the Derby index (in memory)
 * and the file storage (in a temp folder), wired as DS would wire them; and a map of remote AEs.
 */
final class RealArchive {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();

    final ArchiveIndex index;
    final StorageBackend storage;
    final ArchiveIngestService ingest;
    final Map<String, StorageBackend> backends = new ConcurrentHashMap<>();
    final MapRemoteAEs remoteAEs = new MapRemoteAEs();
    final Path dir;

    RealArchive(Path dir) throws Exception {
        this.dir = dir;
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName("memory:dimse" + DATABASES.incrementAndGet());
        ds.setCreateDatabase("create");
        index = new DerbyArchiveIndex(ds, config(DerbyIndexConfiguration.class, Map.of()));
        storage = new FsStorageBackend(config(FsStorageConfiguration.class,
                Map.of("root", dir.resolve("storage").toString(), "fsync", false)));
        backends.put(storage.id(), storage);
        ingest = new ArchiveIngestService(config(ArchiveConfiguration.class,
                Map.of("journalDirectory", dir.resolve("journal").toString())));
        bind("bindIndex", ArchiveIndex.class, index);
        bind("bindStorage", StorageBackend.class, storage);
    }

    private void bind(String method, Class<?> type, Object service) throws Exception {
        Method m = ArchiveIngestService.class.getDeclaredMethod(method, type);
        m.setAccessible(true);
        m.invoke(ingest, service);
    }

    ArchiveAE.Settings settings(Map<String, org.mosaicpacs.dicom.net.Connection> moveDestinations) {
        return new ArchiveAE.Settings("MOSAIC", "127.0.0.1", 0, 8, Set.of(),
                new MoveDestinations(moveDestinations, () -> remoteAEs), List.of("*"), false, 100, 20_000, 60_000,
                dir.resolve("spool"));
    }

    ArchiveAE start(NetworkSettings network) throws IOException {
        return new ArchiveAE(settings(Map.of()), network, () -> ingest, () -> index, backends::get, () -> remoteAEs);
    }

    /** A small CT image of its own. */
    static Attributes image(String study, String series, String iuid) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientName, VR.PN, "Commit^Test");
        ds.setString(Tag.PatientID, VR.LO, "P-" + study);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setInt(Tag.SeriesNumber, VR.IS, 1);
        ds.setInt(Tag.InstanceNumber, VR.IS, 1);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 8);
        ds.setInt(Tag.Columns, VR.US, 8);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setBytes(Tag.PixelData, VR.OW, new byte[128]);
        return ds;
    }

    static Path write(Path folder, Attributes ds) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(ds.getString(Tag.SOPInstanceUID) + ".dcm");
        DicomOutputStream.writeFile(file, ds, UID.ExplicitVRLittleEndian);
        return file;
    }

    /** Runs a tool with a bounded wait and returns its output; fails on a non-zero exit. */
    static String run(long seconds, Path workDir, String... cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile("tool-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timeout: " + String.join(" ", cmd) + "\n" + Files.readString(log));
            }
            String out = Files.readString(log);
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static byte[] read(StorageBackend backend, org.mosaicpacs.api.storage.StorageKey key) throws Exception {
        try (InputStream in = backend.read(key)) {
            return in.readAllBytes();
        }
    }

    /** A typed configuration with the given values and the defaults of the annotation for the others. */
    @SuppressWarnings("unchecked")
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("annotationType")) {
                return type;
            }
            if (values.containsKey(name)) {
                return values.get(name);
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            return switch (name) {
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> type.getSimpleName() + values;
                default -> throw new IllegalStateException("no value for " + name);
            };
        });
    }

    /** Remote AEs in a map (what the configurations give in Karaf). */
    static final class MapRemoteAEs implements RemoteApplicationEntities {
        final Map<String, RemoteApplicationEntity> map = new ConcurrentHashMap<>();

        @Override
        public List<RemoteApplicationEntity> list() {
            return List.copyOf(new TreeMap<>(map).values());
        }

        @Override
        public Optional<RemoteApplicationEntity> lookup(String aeTitle) {
            return Optional.ofNullable(aeTitle == null ? null : map.get(aeTitle.strip()));
        }

        @Override
        public boolean add(RemoteApplicationEntity ae) {
            return map.put(ae.aeTitle(), ae) != null;
        }

        @Override
        public boolean remove(String aeTitle) {
            return map.remove(aeTitle) != null;
        }
    }
}
