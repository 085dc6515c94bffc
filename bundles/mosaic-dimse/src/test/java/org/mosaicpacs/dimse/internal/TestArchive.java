package org.mosaicpacs.dimse.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/**
 * The archive AE with the real parts behind it: the Derby index (embedded, in a temp folder) and the
 * file-system storage. Instances are put in as the ingest would leave them: the Part 10 object written
 * durably to the backend, then indexed.
 */
final class TestArchive implements AutoCloseable {

    static {
        // Derby's log goes to target/, not into the module folder
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    final Path folder;
    final DerbyArchiveIndex index;
    final FsStorageBackend storage;
    final ArchiveAE ae;
    final ExecutorService executor = Executors.newCachedThreadPool();
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    /** Backends the AE sees; a test removes one to make it "absent". */
    final Set<String> present = new HashSet<>();

    TestArchive(Path folder, int queryLimit, Map<String, Connection> destinations) throws Exception {
        this(folder, queryLimit, destinations, false);
    }

    TestArchive(Path folder, int queryLimit, Map<String, Connection> destinations, boolean caseInsensitivePN)
            throws Exception {
        this.folder = folder;
        EmbeddedDataSource ds = new EmbeddedDataSource();
        ds.setDatabaseName(folder.resolve("index").toString());
        ds.setCreateDatabase("create");
        index = new DerbyArchiveIndex(ds, config(DerbyIndexConfiguration.class, Map.of()));
        storage = new FsStorageBackend(config(FsStorageConfiguration.class, Map.of("root",
                folder.resolve("storage").toString(), "fsync", false)));
        present.add(storage.id());
        ArchiveAE.Settings settings = new ArchiveAE.Settings("MOSAIC", "127.0.0.1", 0, 4, Set.of(), destinations,
                List.of("*"), caseInsensitivePN, queryLimit, 30_000, 60_000, folder.resolve("spool"));
        ae = new ArchiveAE(settings, () -> null, () -> index, id -> present.contains(id) ? storage : null);
    }

    int port() {
        return ae.port();
    }

    Connection remote() {
        return new Connection("127.0.0.1", ae.port());
    }

    /** Stores a data set in the given transfer syntax; returns the Part 10 file that was stored (the original). */
    Path put(Attributes dataset, String tsuid) throws Exception {
        Path original = Files.createDirectories(folder.resolve("originals"))
                .resolve(dataset.getString(Tag.SOPInstanceUID) + ".dcm");
        DicomOutputStream.writeFile(original, dataset, tsuid);
        StoredObject stored;
        try (InputStream in = Files.newInputStream(original)) {
            stored = storage.write(StorageKey.forInstance(dataset.getString(Tag.StudyInstanceUID),
                    dataset.getString(Tag.SeriesInstanceUID), dataset.getString(Tag.SOPInstanceUID), "1"), in);
        }
        Attributes header;
        try (DicomInputStream in = new DicomInputStream(original)) {
            in.readFileMetaInformation();
            header = in.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
        }
        index.store(header, StorageLocation.of(stored, tsuid), DuplicatePolicy.REJECT);
        return original;
    }

    @Override
    public void close() {
        ae.close();
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    /** A small 16-bit CT image (64 x rows) with a sequence and text in Latin-1. */
    static Attributes image(String patientId, String patientName, String studyUid, String seriesUid, String iuid,
            int number) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientName, VR.PN, patientName);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.setString(Tag.AccessionNumber, VR.SH, "A" + patientId);
        ds.setString(Tag.StudyDescription, VR.LO, "Thorax Übersicht");
        ds.setInt(Tag.SeriesNumber, VR.IS, 1);
        ds.setInt(Tag.InstanceNumber, VR.IS, number);
        ds.setDouble(Tag.SliceThickness, VR.DS, 1.25);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 16);
        ds.setInt(Tag.Columns, VR.US, 64);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.newSequence(Tag.ReferencedStudySequence, 1).addNewItem()
                .setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.3.1.2.3.1")
                .setString(Tag.ReferencedSOPInstanceUID, VR.UI, studyUid + ".9");
        byte[] pixels = new byte[16 * 64 * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (byte) (i * 7 + number);
            pixels[i + 1] = (byte) ((i >> 8) & 0x0F);
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        return ds;
    }

    /** The same image with encapsulated pixel data (a stand-in JPEG stream: only its syntax matters here). */
    static Attributes encapsulated(Attributes image) {
        Attributes ds = new Attributes();
        ds.addAll(image);
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setInt(Tag.BitsStored, VR.US, 8);
        ds.setInt(Tag.HighBit, VR.US, 7);
        Fragments frags = new Fragments(VR.OB, false, 2);
        frags.add(new byte[0]);
        frags.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, (byte) 0xFF, (byte) 0xD9});
        ds.setFragments(Tag.PixelData, frags);
        return ds;
    }

    /** A configuration annotation with the given values and the defaults for the rest. */
    @SuppressWarnings("unchecked")
    static <T> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            Object v = values.get(method.getName());
            return v != null ? v : method.getDefaultValue();
        });
    }

    /** Runs a tool with a bounded wait; returns its output (stdout and stderr) and exit code. */
    static Result run(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile("tool-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timeout: " + String.join(" ", cmd) + "\n" + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    record Result(int exit, String output) {
    }

    static boolean tool(String name) {
        return Files.isExecutable(Path.of("/usr/bin", name));
    }
}
