package org.mosaicpacs.storage.admin.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;
import org.mosaicpacs.storage.s3.internal.S3StorageBackend;
import org.mosaicpacs.storage.s3.internal.S3StorageConfiguration;
import org.mosaicpacs.storage.s3.testing.S3ProxyServer;

/** The real parts: a Derby index (in memory), file storage {@code default}, S3 storage {@code s3-main} on S3Proxy. */
final class Fixture implements AutoCloseable {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();

    final S3ProxyServer s3;
    final ArchiveIndex index;
    final FsStorageBackend fs;
    final S3StorageBackend bucket;
    /** What was sent, by SOP Instance UID. */
    final Map<String, byte[]> sent = new LinkedHashMap<>();

    Fixture(Path temp) throws Exception {
        s3 = new S3ProxyServer(null);
        s3.createBucket("pacs");
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:admin" + DATABASES.incrementAndGet());
        dataSource.setCreateDatabase("create");
        index = new DerbyArchiveIndex(dataSource, config(DerbyIndexConfiguration.class, Map.of()));
        fs = new FsStorageBackend(config(FsStorageConfiguration.class,
                Map.of("storage_id", "default", "root", temp.resolve("storage").toString(), "fsync", false)));
        bucket = new S3StorageBackend(config(S3StorageConfiguration.class, Map.of("storage_id", "s3-main",
                "endpoint", s3.endpoint().toString(), "bucket", "pacs", "accessKey", S3ProxyServer.ACCESS_KEY,
                "_secretKey", S3ProxyServer.SECRET_KEY, "keyPrefix", "mosaic/")));
    }

    List<StorageBackend> backends() {
        return List.of(fs, bucket);
    }

    StorageBackend backend(String id) {
        return backends().stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow();
    }

    /** Stores an instance as the archive does: written to {@code into}, then indexed. */
    InstanceLocation store(StorageBackend into, String study, String studyDate, String sop, int size) throws Exception {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 7 + sop.hashCode());
        }
        StoredObject stored = into.write(StorageKey.forInstance(study, study + ".1", sop, "1"),
                new ByteArrayInputStream(bytes));
        sent.put(sop, bytes);
        return index.store(dataset(study, studyDate, sop), StorageLocation.of(stored, UID.ExplicitVRLittleEndian),
                DuplicatePolicy.REJECT).indexed();
    }

    static Attributes dataset(String study, String studyDate, String sop) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, studyDate);
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientID, VR.LO, "PID-1");
        ds.setString(Tag.PatientName, VR.PN, "DOE^JANE");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, study + ".1");
        return ds;
    }

    /** Where the index says the instance is; asserts that its bytes there are the ones sent. */
    String whereIs(String study, String sop) throws Exception {
        List<InstanceLocation> found = index.locate(study, null, sop);
        if (found.size() != 1) {
            throw new AssertionError(sop + " is indexed " + found.size() + " times");
        }
        StorageLocation l = found.get(0).location();
        try (InputStream in = backend(l.storageId()).read(l.key())) {
            if (!java.util.Arrays.equals(sent.get(sop), in.readAllBytes())) {
                throw new AssertionError(sop + ": the bytes in " + l.storageId() + " are not the ones sent");
            }
        }
        return l.storageId();
    }

    long objectsIn(StorageBackend backend) throws Exception {
        return backend.list(o -> true);
    }

    @SuppressWarnings("unchecked")
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "annotationType" -> type;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> type.getSimpleName();
                    default -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    @Override
    public void close() throws Exception {
        s3.close();
    }
}
