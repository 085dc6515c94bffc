package org.mosaicpacs.storage.s3.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.mosaicpacs.api.health.HealthState;
import org.mosaicpacs.api.storage.ListedObject;
import org.mosaicpacs.api.storage.ObjectExistsException;
import org.mosaicpacs.api.storage.ObjectNotFoundException;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.storage.s3.testing.S3ProxyServer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 backend against a real S3 server (S3Proxy on loopback), as the archive and an admin meet it. */
class S3StorageTest {

    private static final int MIB = 1024 * 1024;

    private static S3ProxyServer server;
    /** A plain S3 client, to look at the bucket as any other S3 tool would. */
    private static S3Client look;

    private String bucket;
    private final List<S3Storage> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3ProxyServer(null);
        look = S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .build();
    }

    @AfterAll
    static void stopServer() throws Exception {
        look.close();
        server.close();
    }

    @BeforeEach
    void newBucket(TestInfo test) {
        bucket = "b-" + test.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "")
                .substring(0, 20) + "-" + System.nanoTime() % 100000;
        server.createBucket(bucket);
    }

    @AfterEach
    void closeBackends() {
        opened.forEach(S3Storage::close);
    }

    private S3Storage storage(String prefix, int thresholdBytes, int partBytes, int retries) {
        S3Storage s = new S3Storage(new S3Settings("s3-test", server.endpoint(), bucket, "us-east-1",
                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, true, prefix, thresholdBytes, partBytes, retries,
                Duration.ofSeconds(5), Duration.ofSeconds(30)));
        opened.add(s);
        return s;
    }

    private S3Storage storage() {
        return storage("mosaic/", 5 * MIB, 5 * MIB, 2);
    }

    private static StorageKey instanceKey(int n) {
        return StorageKey.forInstance("1.2.826.0.1.3680043.2.1", "1.2.826.0.1.3680043.2.1.1", "1.2.826.0.1.3680043.2.1.1." + n,
                "1700000000000");
    }

    // ------------------------------------------------------------------------------- write, read, delete

    @Test
    void whatIsWrittenIsReadBackWithItsSizeAndSha256() throws Exception {
        S3Storage s3 = storage();
        byte[] data = bytes(300_000, 1);

        StoredObject stored = s3.write(instanceKey(1), new ByteArrayInputStream(data));

        assertEquals("s3-test", stored.storageId());
        assertEquals(instanceKey(1), stored.key());
        assertEquals(data.length, stored.size());
        assertEquals(sha256(data), stored.sha256());
        assertEquals(sha256(data), s3.storedSha256(instanceKey(1)), "the SHA-256 travels with the object as metadata");
        try (InputStream in = s3.read(instanceKey(1), 0, Long.MAX_VALUE)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        // an S3 tool sees a plain object under the prefix, named after the UIDs
        assertEquals(List.of("mosaic/1.2.826.0.1.3680043.2.1/1.2.826.0.1.3680043.2.1.1/1.2.826.0.1.3680043.2.1.1.1/1700000000000"),
                rawKeys());
    }

    @Test
    void anEmptyObjectIsAnObjectToo() throws Exception {
        S3Storage s3 = storage();
        StoredObject stored = s3.write(instanceKey(1), InputStream.nullInputStream());
        assertEquals(0, stored.size());
        assertEquals(sha256(new byte[0]), stored.sha256());
        assertTrue(s3.exists(instanceKey(1)));
        try (InputStream in = s3.read(instanceKey(1), 0, Long.MAX_VALUE)) {
            assertEquals(0, in.readAllBytes().length);
        }
        try (InputStream in = s3.read(instanceKey(1), 0, 10)) {
            assertEquals(0, in.readAllBytes().length);
        }
    }

    @Test
    void rangedReadsGiveTheAskedBytesClippedAtTheEnd() throws Exception {
        S3Storage s3 = storage();
        byte[] data = bytes(10_000, 2);
        s3.write(instanceKey(1), new ByteArrayInputStream(data));

        assertArrayEquals(slice(data, 100, 250), readAll(s3, instanceKey(1), 100, 150));
        assertArrayEquals(slice(data, 9_990, 10_000), readAll(s3, instanceKey(1), 9_990, 1_000), "clipped at the end");
        assertArrayEquals(slice(data, 4_000, 10_000), readAll(s3, instanceKey(1), 4_000, Long.MAX_VALUE));
        assertArrayEquals(new byte[0], readAll(s3, instanceKey(1), 10_000, 5), "at the end: nothing");
        assertArrayEquals(new byte[0], readAll(s3, instanceKey(1), 50_000, 5), "past the end: nothing");
        assertArrayEquals(new byte[0], readAll(s3, instanceKey(1), 10, 0), "no length: nothing");
        assertThrows(IllegalArgumentException.class, () -> s3.read(instanceKey(1), -1, 5));
        assertThrows(IllegalArgumentException.class, () -> s3.read(instanceKey(1), 0, -5));
        assertThrows(ObjectNotFoundException.class, () -> s3.read(instanceKey(2), 0, Long.MAX_VALUE));
        assertThrows(ObjectNotFoundException.class, () -> s3.read(instanceKey(2), 10, 10));
        assertThrows(ObjectNotFoundException.class, () -> s3.read(instanceKey(2), 10, 0));
    }

    @Test
    void existsAndDeleteTellWhetherThereWasAnObject() throws Exception {
        S3Storage s3 = storage();
        assertFalse(s3.exists(instanceKey(1)));
        s3.write(instanceKey(1), new ByteArrayInputStream(bytes(10, 3)));
        assertTrue(s3.exists(instanceKey(1)));

        assertTrue(s3.delete(instanceKey(1)));

        assertFalse(s3.exists(instanceKey(1)));
        assertFalse(s3.delete(instanceKey(1)), "nothing left to delete");
        assertThrows(ObjectNotFoundException.class, () -> s3.read(instanceKey(1), 0, Long.MAX_VALUE));
        assertEquals(List.of(), rawKeys());
    }

    @Test
    void anExistingKeyIsNeverOverwritten() throws Exception {
        S3Storage s3 = storage();
        byte[] first = bytes(1000, 4);
        s3.write(instanceKey(1), new ByteArrayInputStream(first));

        ObjectExistsException e = assertThrows(ObjectExistsException.class,
                () -> s3.write(instanceKey(1), new ByteArrayInputStream(bytes(2000, 5))));

        assertTrue(e.getMessage().contains(instanceKey(1).value()), e.getMessage());
        assertArrayEquals(first, readAll(s3, instanceKey(1), 0, Long.MAX_VALUE), "the first object is left as it was");
    }

    // --------------------------------------------------------------------------------------------- multipart

    @Test
    void aLargeObjectGoesUpInPartsAndComesBackIntact() throws Exception {
        S3Storage s3 = storage("mosaic/", 5 * MIB, 5 * MIB, 2);
        long size = 20L * MIB + 12_345; // five parts, the last a short one
        Generated data = new Generated(size, 7);

        StoredObject stored = s3.write(instanceKey(1), data);

        assertEquals(size, stored.size());
        assertEquals(data.sha256(), stored.sha256());
        String etag = look.headObject(b -> b.bucket(bucket).key(rawKeys().get(0))).eTag();
        assertTrue(etag.endsWith("-5\""), "a multipart upload of 5 parts, the server says: " + etag);
        try (InputStream in = s3.read(instanceKey(1), 0, Long.MAX_VALUE)) {
            assertEquals(data.sha256(), sha256(in));
        }
        Generated again = new Generated(size, 7);
        again.skipNBytes(15L * MIB - 10);
        assertArrayEquals(again.readNBytes(20), readAll(s3, instanceKey(1), 15L * MIB - 10, 20), "a range across two parts");
        assertNoPendingUploads();
    }

    @Test
    void anObjectOfExactlyThePartSizeMultipleEndsCleanly() throws Exception {
        S3Storage s3 = storage("", 1, 5 * MIB, 2);
        Generated data = new Generated(10L * MIB, 8);
        StoredObject stored = s3.write(instanceKey(1), data);
        assertEquals(10L * MIB, stored.size());
        try (InputStream in = s3.read(instanceKey(1), 0, Long.MAX_VALUE)) {
            assertEquals(data.sha256(), sha256(in));
        }
    }

    // ----------------------------------------------------------------------------------- failures leave nothing

    @Test
    void aStreamThatFailsBeforeTheThresholdLeavesNothing() throws Exception {
        S3Storage s3 = storage();
        InputStream failing = new Failing(new Generated(3 * MIB, 9), MIB);

        StorageException e = assertThrows(StorageException.class, () -> s3.write(instanceKey(1), failing));

        assertTrue(e.getMessage().contains("reading the data failed"), e.getMessage());
        assertLeftNothing(s3, instanceKey(1));
    }

    @Test
    void aStreamThatFailsInTheMiddleOfAMultipartUploadLeavesNothing() throws Exception {
        S3Storage s3 = storage("mosaic/", 5 * MIB, 5 * MIB, 2);
        // two parts are up when the data breaks
        InputStream failing = new Failing(new Generated(30L * MIB, 10), 12L * MIB);

        StorageException e = assertThrows(StorageException.class, () -> s3.write(instanceKey(1), failing));

        assertTrue(e.getMessage().contains("reading the data failed"), e.getMessage());
        assertLeftNothing(s3, instanceKey(1));
        // and the key can be written afterwards
        s3.write(instanceKey(1), new ByteArrayInputStream(bytes(100, 11)));
        assertTrue(s3.exists(instanceKey(1)));
    }

    private void assertLeftNothing(S3Storage s3, StorageKey key) throws StorageException {
        assertFalse(s3.exists(key));
        assertEquals(0, s3.list(o -> true));
        assertEquals(List.of(), rawKeys());
        assertNoPendingUploads();
    }

    private void assertNoPendingUploads() {
        assertEquals(List.of(), look.listMultipartUploads(b -> b.bucket(bucket)).uploads(), "no upload left pending");
    }

    // ----------------------------------------------------------------------------------------- hostile keys

    @Test
    void hostileKeysStayInsideThePrefixAndComeBackAsTheyWere() throws Exception {
        S3Storage s3 = storage("tenant/a", 5 * MIB, 5 * MIB, 2);
        List<StorageKey> keys = List.of(
                new StorageKey("../../outside"), new StorageKey(".."), new StorageKey("."), new StorageKey("/absolute"),
                new StorageKey("a//b"), new StorageKey("trailing/"), new StorageKey("x/../../y"), new StorageKey("%2E%2E/z"),
                new StorageKey("back\\slash\u0000nul\nnewline"), new StorageKey("études/ü/日本/😀"),
                StorageKey.of("../", "/", "ü", ".."), StorageKey.of("1.2.3", "1.2.3.4"), new StorageKey("a/b"),
                new StorageKey("a%2Fb"), new StorageKey("..."));
        for (StorageKey key : keys) {
            s3.write(key, new ByteArrayInputStream(key.value().getBytes(StandardCharsets.UTF_8)));
        }

        for (StorageKey key : keys) {
            assertArrayEquals(key.value().getBytes(StandardCharsets.UTF_8), readAll(s3, key, 0, Long.MAX_VALUE), key.value());
        }
        Set<StorageKey> listed = new java.util.HashSet<>();
        assertEquals(keys.size(), s3.list(o -> listed.add(o.key())));
        assertEquals(Set.copyOf(keys), listed, "list gives back exactly the keys written");
        for (String raw : rawKeys()) {
            assertTrue(raw.startsWith("tenant/a/"), raw);
            for (String segment : raw.split("/", -1)) {
                assertFalse(segment.isEmpty() || segment.equals(".") || segment.equals(".."), "segment of " + raw);
            }
        }
        assertTrue(s3.delete(new StorageKey("../../outside")));
        assertFalse(s3.exists(new StorageKey("../../outside")));
        assertTrue(s3.exists(new StorageKey("..")));
    }

    @Test
    void aKeyTooLongForS3IsRefusedClearly() throws Exception {
        S3Storage s3 = storage();
        StorageKey huge = new StorageKey("日".repeat(1000)); // 9 bytes each once encoded
        StorageException e = assertThrows(StorageException.class,
                () -> s3.write(huge, new ByteArrayInputStream(new byte[1])));
        assertTrue(e.getMessage().contains("longer than S3's 1024 bytes"), e.getMessage());
        assertFalse(s3.exists(huge));
        assertFalse(s3.delete(huge));
        assertThrows(ObjectNotFoundException.class, () -> s3.read(huge, 0, 1));
    }

    // ------------------------------------------------------------------------------------------------- list

    @Test
    void listGivesEveryObjectOnceAcrossPagesAndSkipsWhatIsNotOurs() throws Exception {
        S3Storage s3 = storage();
        s3.listPageSize(7);
        Set<StorageKey> written = new TreeSet<>(java.util.Comparator.comparing(StorageKey::value));
        for (int i = 0; i < 23; i++) {
            s3.write(instanceKey(i), new ByteArrayInputStream(bytes(i, i)));
            written.add(instanceKey(i));
        }
        // another tool's objects: beside the prefix, and under it with names Mosaic never makes
        look.putObject(b -> b.bucket(bucket).key("other/thing"), RequestBody.fromString("x"));
        look.putObject(b -> b.bucket(bucket).key("mosaic/not ours"), RequestBody.fromString("x"));
        look.putObject(b -> b.bucket(bucket).key("mosaic/a%2fb"), RequestBody.fromString("x"));

        List<ListedObject> listed = new ArrayList<>();
        assertEquals(23, s3.list(listed::add));

        assertEquals(written, listed.stream().map(ListedObject::key).collect(Collectors.toCollection(
                () -> new TreeSet<>(java.util.Comparator.comparing(StorageKey::value)))));
        for (ListedObject o : listed) {
            String sop = o.key().value().split("/")[2];
            int n = Integer.parseInt(sop.substring(sop.lastIndexOf('.') + 1));
            assertEquals(n, o.size(), o.key().value());
        }
        AtomicInteger seen = new AtomicInteger();
        assertEquals(10, s3.list(o -> seen.incrementAndGet() < 10), "stops when the visitor says so");
        // the visitor may delete what it is given
        assertEquals(23, s3.list(o -> {
            try {
                return s3.delete(o.key());
            } catch (StorageException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertEquals(0, s3.list(o -> true));
    }

    // ------------------------------------------------------------------------------------ the server goes away

    @Test
    void aStoppedServerGivesAClearErrorAndTheBackendWorksAgainWhenItReturns() throws Exception {
        S3Storage s3 = storage();
        s3.write(instanceKey(1), new ByteArrayInputStream(bytes(100, 12)));
        assertEquals(HealthState.UP, s3.health().state());

        server.stop();
        try {
            StorageException write = assertThrows(StorageException.class,
                    () -> s3.write(instanceKey(2), new ByteArrayInputStream(bytes(100, 13))));
            assertTrue(write.getMessage().contains("storage s3-test: cannot store " + instanceKey(2)), write.getMessage());
            assertTrue(write.getMessage().contains("cannot reach s3://" + bucket + "/mosaic/ at " + server.endpoint()),
                    write.getMessage());
            StorageException read = assertThrows(StorageException.class, () -> s3.read(instanceKey(1), 0, 10));
            assertTrue(read.getMessage().contains("cannot read " + instanceKey(1)), read.getMessage());
            assertThrows(StorageException.class, () -> s3.exists(instanceKey(1)));
            assertThrows(StorageException.class, () -> s3.list(o -> true));
            var health = s3.health();
            assertEquals(HealthState.DOWN, health.state());
            assertTrue(health.detail().contains("cannot reach " + "s3://" + bucket)
                    || health.detail().contains("no answer from s3://" + bucket), health.detail());
        } finally {
            server.start();
        }

        assertEquals(HealthState.UP, s3.health().state());
        assertArrayEquals(bytes(100, 12), readAll(s3, instanceKey(1), 0, Long.MAX_VALUE), "what was stored is still there");
        s3.write(instanceKey(2), new ByteArrayInputStream(bytes(100, 13)));
        assertTrue(s3.exists(instanceKey(2)));
    }

    @Test
    void aWrongSecretKeyOrAMissingBucketIsAClearError() throws Exception {
        S3Storage wrongKey = new S3Storage(new S3Settings("s3-test", server.endpoint(), bucket, "us-east-1",
                S3ProxyServer.ACCESS_KEY, "not-the-secret", true, "", 5 * MIB, 5 * MIB, 0, Duration.ofSeconds(5),
                Duration.ofSeconds(30)));
        opened.add(wrongKey);
        StorageException e = assertThrows(StorageException.class,
                () -> wrongKey.write(instanceKey(1), new ByteArrayInputStream(new byte[1])));
        assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
        assertTrue(e.getMessage().contains("check the access key, the secret key"), e.getMessage());
        assertEquals(HealthState.DOWN, wrongKey.health().state());

        bucket = "no-such-bucket";
        S3Storage noBucket = storage();
        var health = noBucket.health();
        assertEquals(HealthState.DOWN, health.state());
        assertTrue(health.detail().contains("HTTP 404"), health.detail());
        StorageException missing = assertThrows(StorageException.class,
                () -> noBucket.write(instanceKey(1), new ByteArrayInputStream(new byte[1])));
        assertTrue(missing.getMessage().contains("no-such-bucket"), missing.getMessage());
    }

    @Test
    void differentKeysAreWrittenConcurrently() throws Exception {
        S3Storage s3 = storage();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int base = t * 10;
            threads.add(new Thread(() -> {
                try {
                    for (int i = base; i < base + 10; i++) {
                        s3.write(instanceKey(i), new ByteArrayInputStream(bytes(1000 + i, i)));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        for (int i = 0; i < 40; i++) {
            assertArrayEquals(bytes(1000 + i, i), readAll(s3, instanceKey(i), 0, Long.MAX_VALUE));
        }
    }

    // ------------------------------------------------------------------------------------------- settings

    @Test
    void settingsThatCannotWorkAreRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new S3Settings("s3-x",
                server.endpoint(), " ", "us-east-1", "a", "b", true, "", MIB, 5 * MIB, 1, Duration.ofSeconds(1),
                Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("bucket is not set"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new S3Settings("s3-x", server.endpoint(), "b",
                "us-east-1", "a", "b", true, "", MIB, MIB, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("part size must be 5 MiB"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new S3Settings("s3-x", java.net.URI.create("ftp://h/"),
                "b", "us-east-1", "a", "b", true, "", MIB, 5 * MIB, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("not an http:// or https:// URL"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new S3Settings("s3-x", server.endpoint(), "b",
                "us-east-1", "a", "", true, "", MIB, 5 * MIB, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("both the access key and the secret key"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new S3Settings("s3-x", server.endpoint(), "b",
                "us-east-1", "a", "b", true, "x/../y", MIB, 5 * MIB, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("'..'"), e.getMessage());
        S3Settings fine = new S3Settings("s3-x", server.endpoint(), "b", null, "a", "secret!", true, "/p", MIB,
                5 * MIB, 1, Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertEquals("p/", fine.keyPrefix());
        assertEquals("us-east-1", fine.region());
        assertFalse(fine.toString().contains("secret!"), "the secret key never appears in a message");
    }

    // -------------------------------------------------------------------------------------------- helpers

    private List<String> rawKeys() {
        return look.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                .collect(Collectors.toList());
    }

    private static byte[] readAll(S3Storage s3, StorageKey key, long offset, long length) throws IOException {
        try (InputStream in = s3.read(key, offset, length)) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** {@code size} pseudo-random bytes made as they are read: a stream of unknown length, never all in memory. */
    static final class Generated extends InputStream {
        private final java.util.SplittableRandom random;
        private final MessageDigest digest;
        private long remaining;
        private String hex;

        Generated(long size, int seed) throws Exception {
            this.random = new java.util.SplittableRandom(seed);
            this.digest = MessageDigest.getInstance("SHA-256");
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, remaining), 8192);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) random.nextInt(256);
            }
            digest.update(b, off, n);
            remaining -= n;
            return n;
        }

        /** The SHA-256 of all the bytes (reads what is left). */
        String sha256() {
            if (hex == null) {
                byte[] sink = new byte[8192];
                while (read(sink, 0, sink.length) > 0) {
                    // the digest sees them
                }
                hex = HexFormat.of().formatHex(digest.digest());
            }
            return hex;
        }
    }

    /** Fails with an IOException after {@code after} bytes, like a peer whose connection drops. */
    static final class Failing extends java.io.FilterInputStream {
        private long left;

        Failing(InputStream in, long after) {
            super(in);
            this.left = after;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                throw new IOException("connection reset by the sending modality");
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
