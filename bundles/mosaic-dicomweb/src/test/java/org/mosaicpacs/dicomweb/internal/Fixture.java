package org.mosaicpacs.dicomweb.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.IngestInterception;
import org.mosaicpacs.api.plugin.QueryRetrieveInterception;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.archive.internal.ArchiveConfiguration;
import org.mosaicpacs.archive.internal.ArchiveForTests;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.json.DicomJsonParser;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/**
 * The DICOMweb servlet on a real Jetty (the 9.4 line of Karaf's Pax Web), in front of the real index
 * (embedded Derby in memory), the real file storage (in a temp folder) and the real ingest pipeline.
 */
final class Fixture implements AutoCloseable {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();

    final Path dir;
    final ArchiveIndex index;
    final CountingStorage storage;
    final IngestService ingest;
    final MetadataStore metadata;
    final Server jetty;
    final String base;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The study de-identification behind POST .../deidentify; null (the feature absent) unless a test sets it. */
    final java.util.concurrent.atomic.AtomicReference<org.mosaicpacs.api.deidentify.StudyDeidentifier> deidentifier =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** The plugins' interceptors the ingest asks; none unless a test sets them. */
    final java.util.concurrent.atomic.AtomicReference<IngestInterception> interception =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** The plugins' query/retrieve hooks; absent (no hook) unless a test sets them. */
    final java.util.concurrent.atomic.AtomicReference<QueryRetrieveInterception> queryRetrieve =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** The remote AEs (null: mosaic-dimse absent); none configured unless a test adds some. */
    final java.util.concurrent.atomic.AtomicReference<org.mosaicpacs.api.ae.RemoteApplicationEntities> remoteAEs =
            new java.util.concurrent.atomic.AtomicReference<>(new RemoteAEs());
    /** The instance de-identifier for marked clients; null (the feature absent) unless a test sets it. */
    final java.util.concurrent.atomic.AtomicReference<org.mosaicpacs.api.deidentify.Deidentifier> instanceDeidentifier =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Remote AEs in memory, as mosaic-dimse's directory would give them. */
    static final class RemoteAEs implements org.mosaicpacs.api.ae.RemoteApplicationEntities {
        final List<org.mosaicpacs.api.ae.RemoteApplicationEntity> aes = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public List<org.mosaicpacs.api.ae.RemoteApplicationEntity> list() {
            return List.copyOf(aes);
        }

        @Override
        public java.util.Optional<org.mosaicpacs.api.ae.RemoteApplicationEntity> lookup(String aeTitle) {
            return aes.stream().filter(a -> a.aeTitle().equals(aeTitle)).findFirst();
        }

        @Override
        public boolean add(org.mosaicpacs.api.ae.RemoteApplicationEntity ae) {
            boolean replaced = aes.removeIf(a -> a.aeTitle().equals(ae.aeTitle()));
            aes.add(ae);
            return replaced;
        }

        @Override
        public boolean remove(String aeTitle) {
            return aes.removeIf(a -> a.aeTitle().equals(aeTitle));
        }
    }

    Fixture(Path dir) throws Exception {
        this(dir, 1000, Set.of(), "KEEP_FIRST");
    }

    Fixture(Path dir, int maxResults, Set<String> corsOrigins, String duplicatePolicy) throws Exception {
        this.dir = dir;
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:dicomweb" + DATABASES.incrementAndGet());
        dataSource.setCreateDatabase("create");
        index = new DerbyArchiveIndex(dataSource, config(DerbyIndexConfiguration.class, Map.of()));
        storage = new CountingStorage(new FsStorageBackend(config(FsStorageConfiguration.class,
                Map.of("root", dir.resolve("storage").toString(), "fsync", false))));
        metadata = new MetadataStore(dir.resolve("metadata"), 1024);
        ingest = ArchiveForTests.ingestService(config(ArchiveConfiguration.class, Map.of(
                "journalDirectory", dir.resolve("journal").toString(), "duplicatePolicy", duplicatePolicy)),
                index, storage, e -> metadata.invalidate(e.instance().studyInstanceUID(),
                        e.instance().seriesInstanceUID()), (ds, origin) -> {
                    IngestInterception i = interception.get();
                    return i == null ? new IngestInterception.Result(Verdict.accept(), ds, "") : i.intercept(ds, origin);
                });
        Archive archive = new Archive(() -> index, () -> ingest, id -> id.equals(storage.id()) ? storage : null,
                queryRetrieve::get);
        DicomWebServlet servlet = new DicomWebServlet(archive,
                new DicomWebServlet.Settings(maxResults, corsOrigins, 1024), metadata, deidentifier::get, new WebClients(remoteAEs::get),
                instanceDeidentifier::get);
        jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(servlet), "/dicom-web/*");
        jetty.setHandler(context);
        jetty.start();
        base = "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/dicom-web";
    }

    IngestResult store(Path file) {
        IngestResult r = ingest.ingest(file, new Origin("TEST", "MOSAIC", ""));
        if (!r.outcome().isAcknowledged()) {
            throw new AssertionError("not stored: " + r);
        }
        return r;
    }

    HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> send(String method, String path, HttpRequest.BodyPublisher body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.method(method, body).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static List<Attributes> jsonArray(byte[] body) throws IOException {
        List<Attributes> all = new ArrayList<>();
        new DicomJsonParser(new ByteArrayInputStream(body))
                .setBulkDataResolver((tag, vr, uri) -> new org.mosaicpacs.dicom.data.BulkData(java.net.URI.create(uri), 0, 0, false))
                .parseArray(all::add);
        return all;
    }

    /** One part of a multipart body. */
    record Part(Map<String, String> headers, byte[] content) {
    }

    /** Splits a multipart body (as a test peer would; not the reader under test). */
    static List<Part> multipart(HttpResponse<byte[]> r) {
        String ct = r.headers().firstValue("Content-Type").orElseThrow();
        String boundary = MediaType.parse(ct).parameter("boundary");
        byte[] body = r.body();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i + delimiter.length <= body.length; i++) {
            if (Arrays.equals(body, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                starts.add(i);
                i += delimiter.length - 1;
            }
        }
        List<Part> parts = new ArrayList<>();
        for (int k = 0; k + 1 < starts.size(); k++) {
            int from = starts.get(k) + delimiter.length + 2;
            int to = starts.get(k + 1) - 2;
            int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), from);
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (String line : new String(body, from, headerEnd - from, StandardCharsets.ISO_8859_1).split("\r\n")) {
                int c = line.indexOf(':');
                headers.put(line.substring(0, c).trim().toLowerCase(), line.substring(c + 1).trim());
            }
            parts.add(new Part(headers, Arrays.copyOfRange(body, headerEnd + 4, to)));
        }
        return parts;
    }

    private static int indexOf(byte[] a, byte[] b, int from) {
        for (int i = from; i + b.length <= a.length; i++) {
            if (Arrays.equals(a, i, i + b.length, b, 0, b.length)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }

    /** A typed configuration with the given values (keys as in the cfg files) and the defaults. */
    @SuppressWarnings("unchecked")
    static <T extends Annotation> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String key = method.getName().replace('_', '.');
            Object v = values.get(key);
            if (v == null) {
                return method.getDefaultValue();
            }
            if (method.getReturnType().isEnum() && v instanceof String s) {
                return Enum.valueOf((Class<Enum>) method.getReturnType(), s);
            }
            return v;
        });
    }

    /** A storage backend that counts the objects read from their start (what metadata must not do each time). */
    static final class CountingStorage implements StorageBackend {
        private final StorageBackend delegate;
        final AtomicInteger wholeReads = new AtomicInteger();

        CountingStorage(StorageBackend delegate) {
            this.delegate = delegate;
        }

        @Override
        public String id() {
            return delegate.id();
        }

        @Override
        public StoredObject write(StorageKey key, InputStream data) throws StorageException {
            return delegate.write(key, data);
        }

        @Override
        public InputStream read(StorageKey key) throws StorageException {
            wholeReads.incrementAndGet();
            return delegate.read(key);
        }

        @Override
        public InputStream read(StorageKey key, long offset, long length) throws StorageException {
            return delegate.read(key, offset, length);
        }

        @Override
        public boolean exists(StorageKey key) throws StorageException {
            return delegate.exists(key);
        }

        @Override
        public boolean delete(StorageKey key) throws StorageException {
            return delegate.delete(key);
        }
    }
}
