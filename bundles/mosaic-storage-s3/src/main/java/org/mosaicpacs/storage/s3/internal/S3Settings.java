package org.mosaicpacs.storage.s3.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What one S3 backend needs, checked: the configuration without OSGi (tests make it directly).
 *
 * @param id                the storage id
 * @param endpoint          the server, or {@code null} for AWS S3 in {@code region}
 * @param bucket            the bucket
 * @param region            the signing region
 * @param accessKey         the access key id, or empty to take it from the environment
 * @param secretKey         the secret key, or empty to take it from the environment
 * @param pathStyleAccess   ENDPOINT/BUCKET/KEY rather than BUCKET.ENDPOINT/KEY
 * @param keyPrefix         the prefix of every object key
 * @param multipartThreshold objects up to this many bytes go in one PUT
 * @param partSize          bytes per part of a multipart upload
 * @param retries           retries of a request that failed for a transient reason
 * @param connectTimeout    how long to wait for a connection
 * @param socketTimeout     how long to wait between two packets of an answer
 */
record S3Settings(String id, URI endpoint, String bucket, String region, String accessKey, String secretKey,
                  boolean pathStyleAccess, String keyPrefix, int multipartThreshold, int partSize, int retries,
                  Duration connectTimeout, Duration socketTimeout) {

    static final int MIB = 1024 * 1024;
    /** S3's smallest part (but the last). */
    static final int MIN_PART_SIZE = 5 * MIB;
    /** Java arrays end a little before 2 GiB. */
    private static final int MAX_BUFFER = Integer.MAX_VALUE - 64;

    S3Settings {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("storage.id is empty");
        }
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("storage " + id + ": bucket is not set");
        }
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null
                || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https")))) {
            throw new IllegalArgumentException("storage " + id + ": endpoint '" + endpoint
                    + "' is not an http:// or https:// URL with a host");
        }
        region = region == null || region.isBlank() ? "us-east-1" : region.strip();
        accessKey = accessKey == null ? "" : accessKey.strip();
        secretKey = secretKey == null ? "" : secretKey.strip();
        if (accessKey.isEmpty() != secretKey.isEmpty()) {
            throw new IllegalArgumentException("storage " + id + ": set both the access key and the secret key, "
                    + "or neither (then they come from the environment)");
        }
        keyPrefix = ObjectKeys.normalisePrefix(keyPrefix);
        if (partSize < MIN_PART_SIZE || partSize > MAX_BUFFER) {
            throw new IllegalArgumentException("storage " + id + ": the part size must be 5 MiB to 2 GiB, not "
                    + partSize + " bytes");
        }
        if (multipartThreshold < 1 || multipartThreshold > MAX_BUFFER) {
            throw new IllegalArgumentException("storage " + id + ": the multipart threshold must be 1 byte to 2 GiB");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("storage " + id + ": retries must not be negative");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
    }

    /** The settings of a configuration. */
    static S3Settings of(S3StorageConfiguration c) {
        String endpoint = c.endpoint() == null ? "" : c.endpoint().strip();
        URI uri;
        try {
            uri = endpoint.isEmpty() ? null : URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("storage " + c.storage_id() + ": endpoint '" + endpoint
                    + "' is not a URL: " + e.getMessage(), e);
        }
        return new S3Settings(c.storage_id(), uri, c.bucket() == null ? null : c.bucket().strip(), c.region(),
                c.accessKey(), c._secretKey(), c.pathStyleAccess(), c.keyPrefix(), mib(c.multipartThresholdMiB()),
                mib(c.partSizeMiB()), c.retries(), Duration.ofSeconds(Math.max(1, c.connectTimeoutSeconds())),
                Duration.ofSeconds(Math.max(1, c.socketTimeoutSeconds())));
    }

    private static int mib(int n) {
        return (int) Math.min((long) n * MIB, MAX_BUFFER);
    }

    /** Where the objects are, for messages: {@code s3://bucket/prefix at endpoint}. */
    String location() {
        return "s3://" + bucket + "/" + keyPrefix + " at " + (endpoint == null ? "AWS S3 " + region : endpoint);
    }

    @Override
    public String toString() {
        // never the secret key
        return "S3Settings[id=" + id + ", " + location() + "]";
    }
}
