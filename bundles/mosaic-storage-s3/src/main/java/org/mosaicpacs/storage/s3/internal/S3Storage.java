package org.mosaicpacs.storage.s3.internal;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.mosaicpacs.api.health.Health;
import org.mosaicpacs.api.storage.ListedObject;
import org.mosaicpacs.api.storage.ObjectExistsException;
import org.mosaicpacs.api.storage.ObjectNotFoundException;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 storage itself, without OSGi: objects in one bucket under a key prefix ({@link ObjectKeys}).
 *
 * <p>A write streams: the first {@code multipartThreshold} bytes are read into memory; an object that
 * ends there is sent in one PUT, a longer one (or one of unknown size) in a multipart upload of
 * {@code partSize} parts, each read into memory while it is sent, so that a write never holds more than
 * the threshold plus one part. Each request carries the MD5 of its body ({@code Content-MD5}), which
 * the server checks; the SHA-256 of the whole object is computed while reading and stored as the object's
 * metadata {@code mosaic-sha256} (for objects sent in one PUT: a multipart upload's metadata is fixed
 * before its bytes are read). A write returns only when S3 has acknowledged the PUT or the completion
 * of the upload; a failed upload is aborted, so nothing is left under the key nor among the bucket's
 * pending uploads.
 *
 * <p>Objects are never overwritten: a write first asks whether the key exists ({@code HEAD}) and sends
 * its PUT or completion with {@code If-None-Match: *}, which servers that know conditional writes
 * (AWS S3, recent MinIO) refuse with 412 when the key appeared meanwhile. On servers that ignore the
 * header, two writes of the same key at the same moment may both pass the check and the later one
 * wins; the archive never writes one key twice at once (keys carry a revision).
 */
final class S3Storage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);
    private static final HexFormat HEX = HexFormat.of();
    /** The object metadata that holds the SHA-256 of the object (x-amz-meta-mosaic-sha256). */
    static final String SHA256_METADATA = "mosaic-sha256";
    private static final int MAX_PARTS = 10_000;
    private static final Duration HEALTH_TIMEOUT = Duration.ofMillis(900);

    private final S3Settings settings;
    private final ObjectKeys keys;
    private final SdkHttpClient http;
    private final S3Client s3;
    private final Clock clock = Clock.systemUTC();
    /** Keys per ListObjectsV2 page (S3's maximum; smaller in tests, to see pages turn). */
    private volatile int listPage = 1000;

    S3Storage(S3Settings settings) {
        this.settings = settings;
        this.keys = new ObjectKeys(settings.keyPrefix());
        // The SDK finds some of its parts (request interceptors, service files) through the thread's context
        // class loader: in OSGi that must be this bundle's, which holds the embedded SDK.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(S3Storage.class.getClassLoader());
        try {
            this.http = UrlConnectionHttpClient.builder()
                    .connectionTimeout(settings.connectTimeout())
                    .socketTimeout(settings.socketTimeout())
                    .build();
            var builder = S3Client.builder()
                    .httpClient(http)
                    .region(Region.of(settings.region()))
                    .credentialsProvider(credentials(settings))
                    .forcePathStyle(settings.pathStyleAccess())
                    // S3-compatible servers do not all know the SDK's newer checksum headers: Content-MD5 instead
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .overrideConfiguration(ClientOverrideConfiguration.builder()
                            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                    .maxAttempts(settings.retries() + 1)
                                    .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100),
                                            Duration.ofSeconds(10)))
                                    // every request gets its retries, however many failed before
                                    .circuitBreakerEnabled(false)
                                    .build())
                            .build());
            if (settings.endpoint() != null) {
                builder.endpointOverride(settings.endpoint());
            }
            this.s3 = builder.build();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (!settings.accessKey().isEmpty()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        }
        // only what is local: never an instance metadata service on the network
        return AwsCredentialsProviderChain.of(EnvironmentVariableCredentialsProvider.create(),
                SystemPropertyCredentialsProvider.create());
    }

    String id() {
        return settings.id();
    }

    S3Settings settings() {
        return settings;
    }

    ObjectKeys keys() {
        return keys;
    }

    void listPageSize(int keysPerPage) {
        this.listPage = keysPerPage;
    }

    // ---------------------------------------------------------------------------------------------- write

    StoredObject write(StorageKey key, InputStream data) throws StorageException {
        String objectKey = keys.toObjectKey(key);
        if (!ObjectKeys.fits(objectKey)) {
            throw new StorageException("storage " + id() + ": cannot store " + key + ": as an S3 object key it is longer "
                    + "than S3's " + ObjectKeys.MAX_OBJECT_KEY_BYTES + " bytes");
        }
        if (headObject(objectKey, key, "store")) {
            throw new ObjectExistsException(key);
        }
        Digesting in = new Digesting(data);
        byte[] first;
        try {
            first = readUpTo(in, settings.multipartThreshold() + 1);
        } catch (IOException e) {
            throw dataFailed(key, e);
        }
        if (first.length <= settings.multipartThreshold()) {
            putObject(key, objectKey, first, in.sha256Hex());
        } else {
            multipartUpload(key, objectKey, first, in);
        }
        return new StoredObject(id(), key, in.count, in.sha256Hex(), clock.instant());
    }

    private void putObject(StorageKey key, String objectKey, byte[] bytes, String sha256) throws StorageException {
        try {
            s3.putObject(b -> b.bucket(settings.bucket()).key(objectKey)
                            .contentLength((long) bytes.length)
                            .contentType("application/octet-stream")
                            .contentMD5(md5Base64(bytes, bytes.length))
                            .metadata(Map.of(SHA256_METADATA, sha256))
                            .ifNoneMatch("*"),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes), bytes.length,
                            "application/octet-stream"));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new ObjectExistsException(key);
            }
            throw failure("store " + key, e);
        } catch (SdkException e) {
            throw failure("store " + key, e);
        }
    }

    private void multipartUpload(StorageKey key, String objectKey, byte[] first, Digesting in) throws StorageException {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(settings.bucket()).key(objectKey)
                    .contentType("application/octet-stream")).uploadId();
        } catch (SdkException e) {
            throw failure("start a multipart upload of " + key, e);
        }
        boolean completed = false;
        try {
            InputStream source = new SequenceInputStream(new ByteArrayInputStream(first), in);
            byte[] part = new byte[settings.partSize()];
            List<CompletedPart> parts = new ArrayList<>();
            while (true) {
                int n;
                try {
                    n = source.readNBytes(part, 0, part.length);
                } catch (IOException e) {
                    throw dataFailed(key, e);
                }
                if (n == 0 && !parts.isEmpty()) {
                    break;
                }
                int number = parts.size() + 1;
                if (number > MAX_PARTS) {
                    throw new StorageException("storage " + id() + ": cannot store " + key + ": more than " + MAX_PARTS
                            + " parts of " + settings.partSize() / S3Settings.MIB + " MiB (raise the part size)");
                }
                String md5 = md5Base64(part, n);
                int length = n;
                String etag = s3.uploadPart(b -> b.bucket(settings.bucket()).key(objectKey).uploadId(uploadId)
                                .partNumber(number).contentLength((long) length).contentMD5(md5),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, length), length,
                                "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                if (n < part.length) {
                    break;
                }
            }
            s3.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(objectKey).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
                    .ifNoneMatch("*"));
            completed = true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new ObjectExistsException(key);
            }
            throw failure("store " + key, e);
        } catch (SdkException e) {
            throw failure("store " + key, e);
        } finally {
            if (!completed) {
                abort(key, objectKey, uploadId);
            }
        }
    }

    private void abort(StorageKey key, String objectKey, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(objectKey).uploadId(uploadId));
        } catch (SdkException e) {
            LOG.warn("storage {}: cannot abort the failed multipart upload {} of {} ({}); a lifecycle rule that "
                    + "aborts incomplete uploads removes its parts", id(), uploadId, key, e.toString());
        }
    }

    /** Up to {@code max} bytes of {@code in}, in an array as long as what was read. */
    private static byte[] readUpTo(InputStream in, int max) throws IOException {
        byte[] buf = new byte[Math.min(max, 64 * 1024)];
        int size = 0;
        while (size < max) {
            if (size == buf.length) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(max, (long) buf.length * 2));
            }
            int n = in.read(buf, size, buf.length - size);
            if (n < 0) {
                break;
            }
            size += n;
        }
        return size == buf.length ? buf : java.util.Arrays.copyOf(buf, size);
    }

    // ----------------------------------------------------------------------------------------------- read

    InputStream read(StorageKey key, long offset, long length) throws StorageException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        String objectKey = keys.toObjectKey(key);
        if (!ObjectKeys.fits(objectKey)) {
            throw new ObjectNotFoundException(key);
        }
        if (length == 0) {
            if (!headObject(objectKey, key, "read")) {
                throw new ObjectNotFoundException(key);
            }
            return InputStream.nullInputStream();
        }
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(settings.bucket()).key(objectKey);
        if (offset > 0 || length != Long.MAX_VALUE) {
            boolean toTheEnd = length > Long.MAX_VALUE - offset;
            request.range("bytes=" + offset + "-" + (toTheEnd ? "" : Long.toString(offset + length - 1)));
        }
        try {
            return s3.getObject(request.build());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new ObjectNotFoundException(key);
            }
            if (e.statusCode() == 416) {
                return InputStream.nullInputStream(); // the object exists, and ends before offset
            }
            throw failure("read " + key, e);
        } catch (SdkException e) {
            throw failure("read " + key, e);
        }
    }

    boolean exists(StorageKey key) throws StorageException {
        String objectKey = keys.toObjectKey(key);
        return ObjectKeys.fits(objectKey) && headObject(objectKey, key, "look up");
    }

    /** The SHA-256 kept in the object's metadata, or {@code null} when it has none (a multipart upload). */
    String storedSha256(StorageKey key) throws StorageException {
        String objectKey = keys.toObjectKey(key);
        try {
            return s3.headObject(b -> b.bucket(settings.bucket()).key(objectKey)).metadata().get(SHA256_METADATA);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new ObjectNotFoundException(key);
            }
            throw failure("look up " + key, e);
        } catch (SdkException e) {
            throw failure("look up " + key, e);
        }
    }

    private boolean headObject(String objectKey, StorageKey key, String what) throws StorageException {
        try {
            s3.headObject(b -> b.bucket(settings.bucket()).key(objectKey));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure(what + " " + key, e);
        } catch (SdkException e) {
            throw failure(what + " " + key, e);
        }
    }

    // --------------------------------------------------------------------------------------- delete, list

    /**
     * Deletes the object of {@code key}. S3 answers a delete alike whether or not there was an object, so
     * whether there was one is asked first ({@code HEAD}).
     */
    boolean delete(StorageKey key) throws StorageException {
        String objectKey = keys.toObjectKey(key);
        if (!ObjectKeys.fits(objectKey) || !headObject(objectKey, key, "delete")) {
            return false;
        }
        try {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(objectKey));
            return true;
        } catch (SdkException e) {
            throw failure("delete " + key, e);
        }
    }

    /** Lists the objects under the prefix, a page of ListObjectsV2 at a time; objects that are not ours are skipped. */
    long list(Predicate<ListedObject> visitor) throws StorageException {
        long listed = 0;
        long foreign = 0;
        String firstForeign = null;
        String token = null;
        try {
            do {
                ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(settings.bucket())
                        .maxKeys(listPage);
                if (!keys.prefix().isEmpty()) {
                    request.prefix(keys.prefix());
                }
                if (token != null) {
                    request.continuationToken(token);
                }
                ListObjectsV2Response page = s3.listObjectsV2(request.build());
                for (S3Object object : page.contents()) {
                    if (object.key().endsWith("/")) {
                        continue; // a "folder" marker of some S3 consoles: never one of ours (a final / is encoded)
                    }
                    StorageKey key = keys.toStorageKey(object.key());
                    if (key == null) {
                        if (foreign++ == 0) {
                            firstForeign = object.key();
                        }
                        continue;
                    }
                    listed++;
                    if (!visitor.test(new ListedObject(key, object.size() == null ? 0 : object.size(),
                            object.lastModified() == null ? clock.instant() : object.lastModified()))) {
                        return listed;
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw failure("list the objects", e);
        } finally {
            if (foreign > 0) {
                LOG.warn("storage {}: {} objects under {} were not written by Mosaic and are not listed, e.g. {}", id(),
                        foreign, settings.location(), firstForeign);
            }
        }
        return listed;
    }

    // --------------------------------------------------------------------------------------------- health

    /** Whether the bucket answers, within a second. */
    Health health() {
        try {
            s3.headBucket(b -> b.bucket(settings.bucket())
                    .overrideConfiguration(o -> o.apiCallTimeout(HEALTH_TIMEOUT)));
            return Health.up(settings.location());
        } catch (S3Exception e) {
            return Health.down(describe(e));
        } catch (SdkException e) {
            return Health.down(describe(e));
        }
    }

    // --------------------------------------------------------------------------------------------- errors

    private StorageException dataFailed(StorageKey key, IOException e) {
        return new StorageException("storage " + id() + ": cannot store " + key + ": reading the data failed: " + e, e);
    }

    private StorageException failure(String what, SdkException e) {
        return new StorageException("storage " + id() + ": cannot " + what + ": " + describe(e), e);
    }

    /** One line for an admin: what the server said, or why it could not be asked. */
    private String describe(SdkException e) {
        String where = settings.location();
        if (e instanceof S3Exception s3e) {
            AwsErrorDetails details = s3e.awsErrorDetails();
            String code = details == null || details.errorCode() == null ? "" : details.errorCode();
            String message = details == null || details.errorMessage() == null ? "" : details.errorMessage();
            String hint = switch (s3e.statusCode()) {
                case 403 -> " (access denied: check the access key, the secret key and the bucket's policy)";
                case 404 -> "NoSuchBucket".equals(code) || code.isEmpty() ? " (does the bucket exist?)" : "";
                default -> "";
            };
            return where + " answered HTTP " + s3e.statusCode() + (code.isEmpty() ? "" : " " + code)
                    + (message.isEmpty() ? "" : ": " + message) + hint;
        }
        if (e instanceof ApiCallTimeoutException) {
            return "no answer from " + where + " in time: " + e.getMessage();
        }
        if (e instanceof SdkClientException) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root == e ? e.getMessage() : root.toString();
            return root instanceof IOException
                    ? "cannot reach " + where + " (after " + settings.retries() + " retries): " + why
                    : "the request to " + where + " failed: " + why;
        }
        return where + ": " + e.getMessage();
    }

    @Override
    public void close() {
        s3.close();
        http.close();
    }

    // -------------------------------------------------------------------------------------------- helpers

    private static String md5Base64(byte[] bytes, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(bytes, 0, length);
            return Base64.getEncoder().encodeToString(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has MD5", e);
        }
    }

    /** Counts the bytes read through it and computes their SHA-256. */
    private static final class Digesting extends FilterInputStream {
        private final MessageDigest sha256;
        private long count;
        private String hex;

        Digesting(InputStream in) {
            super(in);
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-256", e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                sha256.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                sha256.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) {
            return 0; // every byte must pass through the digest
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // the caller closes the data it gave
        }

        /** The digest of everything read; only once the stream has been read to its end. */
        String sha256Hex() {
            if (hex == null) {
                hex = HEX.formatHex(sha256.digest());
            }
            return hex;
        }
    }
}
