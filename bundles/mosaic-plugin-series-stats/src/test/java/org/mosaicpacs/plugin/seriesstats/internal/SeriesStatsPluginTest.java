package org.mosaicpacs.plugin.seriesstats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.plugin.EndpointRequest;
import org.mosaicpacs.api.plugin.EndpointResponse;
import org.mosaicpacs.api.plugin.SeriesStable;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/** The plugin against the real index (embedded Derby) and the real file storage. */
class SeriesStatsPluginTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String STUDY = "1.2.826.0.1.3680043.10.1077.50";
    private static final String SERIES = STUDY + ".1";

    @TempDir
    Path temp;

    private ArchiveIndex index;
    private StorageBackend storage;
    private SeriesStatsPlugin plugin;

    @BeforeEach
    void setUp() throws Exception {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:seriesstats" + DATABASES.incrementAndGet());
        dataSource.setCreateDatabase("create");
        index = new DerbyArchiveIndex(dataSource, config(DerbyIndexConfiguration.class, Map.of()));
        storage = new FsStorageBackend(config(FsStorageConfiguration.class,
                Map.of("root", temp.resolve("storage").toString(), "fsync", false)));
        plugin = new SeriesStatsPlugin(config(SeriesStatsPlugin.Config.class, Map.of("directory", temp.resolve("stats").toString())));
        plugin.bindIndex(index);
        plugin.bindStorage(storage);
    }

    /** A CT slice at height z, 512 x 512, 0.7 mm pixels, 2.5 mm thick, with a pixel value range when given. */
    private void store(int number, double z, Integer smallest, Integer largest) throws Exception {
        String sop = SERIES + "." + number;
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, SERIES);
        ds.setString(Tag.PatientID, VR.LO, "PID-7");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(number));
        ds.setString(Tag.SliceThickness, VR.DS, "2.5");
        ds.setString(Tag.ImagePositionPatient, VR.DS, "-100", "-120", Double.toString(z));
        ds.setString(Tag.ImageOrientationPatient, VR.DS, "1", "0", "0", "0", "1", "0");
        ds.setInt(Tag.Rows, VR.US, 512);
        ds.setInt(Tag.Columns, VR.US, 512);
        ds.setString(Tag.PixelSpacing, VR.DS, "0.7", "0.7");
        if (smallest != null) {
            ds.setInt(Tag.SmallestImagePixelValue, VR.US, smallest);
            ds.setInt(Tag.LargestImagePixelValue, VR.US, largest);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(buf)) {
            out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(UID.CTImageStorage, sop,
                    UID.ExplicitVRLittleEndian));
            out.writeDataset(ds);
        }
        StoredObject stored = storage.write(StorageKey.forInstance(STUDY, SERIES, sop, "1"), new ByteArrayInputStream(buf.toByteArray()));
        index.store(ds, StorageLocation.of(stored, UID.ExplicitVRLittleEndian), DuplicatePolicy.KEEP_FIRST);
    }

    private String get(String path) throws Exception {
        EndpointResponse r = plugin.handle(new EndpointRequest("GET", path, Map.of(), null));
        return r.status() + " " + new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aStableSeriesGetsItsFactsFromTheStoredHeaders() throws Exception {
        // stored out of order, with one gap of 5 mm: the spacing is found along the slice normal, sorted
        store(1, 10.0, 0, 1800);
        store(3, 15.0, 20, 2400);
        store(2, 12.5, null, null);
        store(4, 20.0, 5, 900);
        assertEquals("200 {\"series\":[]}", get("/series"));
        assertEquals(404, plugin.handle(new EndpointRequest("GET", "/series/" + SERIES, Map.of(), null)).status());

        plugin.seriesStable(new SeriesStable(STUDY, SERIES, Instant.EPOCH, 4));

        assertEquals("200 {\"series\":[\"" + SERIES + "\"]}", get("/series"));
        assertEquals("200 {\"studyInstanceUID\":\"" + STUDY + "\",\"seriesInstanceUID\":\"" + SERIES + "\","
                + "\"modality\":\"CT\",\"instances\":4,\"rows\":512,\"columns\":512,\"pixelSpacing\":[0.7,0.7],"
                + "\"sliceThickness\":2.5,\"sliceSpacing\":{\"min\":2.5,\"max\":5,\"median\":2.5},"
                + "\"pixelValueRange\":{\"smallest\":0,\"largest\":2400},\"instancesWithPixelValueRange\":3}",
                get("/series/" + SERIES));
    }

    @Test
    void theFactsSurviveANewPluginInstance() throws Exception {
        store(1, 0.0, 0, 100);
        plugin.seriesStable(new SeriesStable(STUDY, SERIES, Instant.EPOCH, 1));

        SeriesStatsPlugin restarted = new SeriesStatsPlugin(config(SeriesStatsPlugin.Config.class,
                Map.of("directory", temp.resolve("stats").toString())));
        EndpointResponse r = restarted.handle(new EndpointRequest("GET", "/series/" + SERIES, Map.of(), null));
        assertEquals(200, r.status());
        assertEquals(404, restarted.handle(new EndpointRequest("GET", "/series/../../etc", Map.of(), null)).status());
    }

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
