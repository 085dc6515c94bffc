package org.mosaicpacs.storage.s3.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Mosaic PACS S3 storage",
        description = "A storage backend that keeps objects in a bucket of an S3-compatible object store "
                + "(AWS S3, MinIO, Ceph RGW, S3Proxy...). One configuration per backend (factory PID "
                + "org.mosaicpacs.storage.s3).")
public @interface S3StorageConfiguration {

    @AttributeDefinition(name = "Storage id",
            description = "The id the index records with every instance stored here (service property storage.id). "
                    + "Do not change it once images are stored.")
    String storage_id() default "s3-main";

    @AttributeDefinition(name = "Endpoint URL",
            description = "The S3 server, e.g. http://127.0.0.1:9000 or https://s3.example.org. Empty: AWS S3 in the "
                    + "configured region.", required = false)
    String endpoint() default "";

    @AttributeDefinition(name = "Bucket", description = "The bucket that holds the objects. It must exist.")
    String bucket();

    @AttributeDefinition(name = "Region",
            description = "The region the requests are signed for (S3-compatible servers mostly accept us-east-1).")
    String region() default "us-east-1";

    @AttributeDefinition(name = "Access key",
            description = "The access key id. Empty (with an empty secret key): taken from the environment "
                    + "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or the Java system properties aws.accessKeyId, "
                    + "aws.secretAccessKey.", required = false)
    String accessKey() default "";

    @AttributeDefinition(name = "Secret key", type = AttributeType.PASSWORD,
            description = "The secret access key. A private property (.secretKey): it is never shown among the "
                    + "service properties.", required = false)
    String _secretKey() default "";

    @AttributeDefinition(name = "Path-style access",
            description = "Address the bucket as ENDPOINT/BUCKET/KEY (most S3-compatible servers) rather than "
                    + "BUCKET.ENDPOINT/KEY (AWS S3's virtual-hosted style).")
    boolean pathStyleAccess() default true;

    @AttributeDefinition(name = "Key prefix",
            description = "Every object's key starts with this, e.g. mosaic/ (a / is added when missing). Empty: the "
                    + "bucket's root.", required = false)
    String keyPrefix() default "";

    @AttributeDefinition(name = "Multipart threshold (MiB)",
            description = "Objects up to this size are sent in one request (held in memory while sent); larger "
                    + "ones, and ones of unknown size, in a multipart upload.", min = "1", max = "2047")
    int multipartThresholdMiB() default 8;

    @AttributeDefinition(name = "Part size (MiB)",
            description = "The size of each part of a multipart upload (5 MiB at least: S3's minimum; at most "
                    + "10,000 parts per object). One part per write in progress is held in memory.",
            min = "5", max = "2047")
    int partSizeMiB() default 8;

    @AttributeDefinition(name = "Retries",
            description = "How often a request that failed for a transient reason (a 5xx answer, throttling, a "
                    + "connection refused or reset, a timeout) is sent again, with exponential back-off.",
            min = "0", max = "20")
    int retries() default 3;

    @AttributeDefinition(name = "Connect timeout (s)", description = "How long to wait for a connection.", min = "1")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Socket timeout (s)",
            description = "How long to wait for the server between two packets of an answer.", min = "1")
    int socketTimeoutSeconds() default 60;
}
