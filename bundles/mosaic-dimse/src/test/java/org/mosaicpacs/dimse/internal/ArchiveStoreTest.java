package org.mosaicpacs.dimse.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.archive.internal.ArchiveConfiguration;
import org.mosaicpacs.archive.internal.ArchiveIngestService;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/**
 * C-STORE into the real archive behind the AE (ingest, Derby in memory, file storage): DCMTK's storescu sends
 * three files on one association, the second refused after its header (a malformed Series Instance UID, 2 MB
 * of pixels still on the way); the first and third are stored as sent, nothing else is, nothing is spooled.
 */
@Timeout(120)
class ArchiveStoreTest {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    @TempDir
    Path temp;

    @Test
    void aRefusedCStoreDoesNotDisturbTheNextOnTheSameAssociation() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescu")), "storescu is not installed");
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:dimse-store");
        dataSource.setCreateDatabase("create");
        ArchiveIndex index = new DerbyArchiveIndex(dataSource, config(DerbyIndexConfiguration.class, Map.of()));
        StorageBackend storage = new FsStorageBackend(config(FsStorageConfiguration.class,
                Map.of("root", temp.resolve("storage").toString(), "fsync", false)));
        ArchiveIngestService archive = new ArchiveIngestService(config(ArchiveConfiguration.class,
                Map.of("journalDirectory", temp.resolve("journal").toString())));
        bind(archive, "bindIndex", ArchiveIndex.class, index);
        bind(archive, "bindStorage", StorageBackend.class, storage);

        List<Path> files = new ArrayList<>();
        Path in = Files.createDirectories(temp.resolve("in"));
        for (int i = 1; i <= 3; i++) {
            Attributes ds = image("1.2.77." + i, i == 2 ? 1 << 20 : 4096);
            if (i == 2) {
                ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.077");
            }
            Path f = in.resolve(i + ".dcm");
            DicomOutputStream.writeFile(f, ds, UID.ExplicitVRLittleEndian);
            files.add(f);
        }
        Path spool = temp.resolve("spool");
        ArchiveAE.Settings settings = new ArchiveAE.Settings("MOSAIC", "127.0.0.1", 0, 4, Set.of(), Map.of(),
                List.of("*"), false, 100, 10_000, 60_000, spool);
        String log;
        try (ArchiveAE ae = new ArchiveAE(settings, () -> archive, () -> index, id -> storage)) {
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/storescu", "-v", "--no-halt", "-xs", "-aec", "MOSAIC",
                    "127.0.0.1", String.valueOf(ae.port())));
            files.forEach(f -> cmd.add(f.toString()));
            Path out = temp.resolve("storescu.log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "storescu finished");
            log = Files.readString(out);
        }
        assertEquals(1, count(log, "Association Accepted"), log);
        assertEquals(2, count(log, "Received Store Response (Success)"), log);
        assertEquals(1, count(log, "Received Store Response (Error: DataSetDoesNotMatchSOPClass)"), log);

        List<InstanceLocation> indexed = index.locate("1.2.77", null, null);
        assertEquals(List.of("1.2.77.1", "1.2.77.3"), indexed.stream().map(InstanceLocation::sopInstanceUID).sorted().toList());
        assertEquals(2, storage.list(o -> true), "only the two accepted instances are stored");
        for (InstanceLocation l : indexed) {
            Path sent = files.get(l.sopInstanceUID().endsWith(".1") ? 0 : 2);
            assertArrayEquals(pixels(Files.newInputStream(sent)), pixels(storage.read(l.location().key())));
        }
        try (Stream<Path> s = Files.list(spool)) {
            assertEquals(0, s.count(), "nothing spooled");
        }
    }

    private static byte[] pixels(InputStream part10) throws Exception {
        try (DicomInputStream in = new DicomInputStream(part10)) {
            in.readFileMetaInformation();
            return in.readDataset().getBytes(Tag.PixelData);
        }
    }

    private static Attributes image(String sop, int pixelBytes) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.PatientID, VR.LO, "P77");
        ds.setString(Tag.PatientName, VR.PN, "STORE^TEST");
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.77");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.77.0");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setInt(Tag.Rows, VR.US, pixelBytes / 128);
        ds.setInt(Tag.Columns, VR.US, 64);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        byte[] pixels = new byte[pixelBytes];
        new Random(pixelBytes).nextBytes(pixels);
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }

    private static <T> void bind(Object component, String method, Class<T> type, T service) throws Exception {
        Method m = component.getClass().getDeclaredMethod(method, type);
        m.setAccessible(true); // what Declarative Services does
        m.invoke(component, service);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** A typed configuration: the annotation's defaults, with some values replaced. */
    @SuppressWarnings("unchecked")
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            if (values.containsKey(name)) {
                return values.get(name);
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            return switch (name) {
                case "annotationType" -> type;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> type.getSimpleName();
                default -> throw new UnsupportedOperationException(name);
            };
        });
    }
}
