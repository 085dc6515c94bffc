package org.mosaicpacs.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

/**
 * The S3 backend as an admin adds it to a running archive: {@code feature:install mosaic-storage-s3} (from the
 * distribution's own system/ folder), then a configuration file in etc/ that points at an S3 server (S3Proxy,
 * started by this test on loopback); the backend appears with its storage.id, stores and reads through the
 * AWS SDK embedded in the bundle, shows in /health, and comes and goes with its feature.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class S3StorageIT extends MosaicTestSupport {

    private static final String S3_ITEST = "(&(storage.backend=s3)(storage.id=s3-itest))";
    private static final String HEALTH_UP = "{\"name\":\"storage s3-itest\",\"bundle\":\"mosaic-storage-s3\",\"state\":\"UP\"";

    @Configuration
    public Option[] config() {
        // runs in this JVM, not in Karaf: the S3 server lives here, Karaf learns where through a system property
        return OptionUtils.combine(distribution(), editConfigurationFilePut("etc/system.properties",
                "mosaic.itest.s3.endpoint", S3ProxyOnLoopback.endpoint().toString()));
    }

    @Test
    public void theS3BackendIsInstalledConfiguredUsedAndRemovedWhileTheArchiveRuns() throws Exception {
        awaitArchiveUp("the archive to be up");
        assertFalse("not a boot feature", hasService(StorageBackend.class, "(storage.backend=s3)"));

        executeCommand("feature:install mosaic-storage-s3");
        writeCfg("org.mosaicpacs.storage.s3-itest.cfg", String.join("\n",
                "storage.id = s3-itest",
                "endpoint = " + System.getProperty("mosaic.itest.s3.endpoint"),
                "bucket = " + S3ProxyOnLoopback.BUCKET,
                "accessKey = " + S3ProxyOnLoopback.ACCESS_KEY,
                ".secretKey = " + S3ProxyOnLoopback.SECRET_KEY,
                "keyPrefix = archive/",
                "multipartThresholdMiB = 1",
                "partSizeMiB = 5",
                "retries = 1", ""));

        StorageBackend s3 = service(StorageBackend.class, S3_ITEST);
        assertEquals("s3-itest", s3.id());
        ServiceReference<StorageBackend> reference =
                bundleContext.getServiceReferences(StorageBackend.class, S3_ITEST).iterator().next();
        assertNull("the secret key is not a service property", reference.getProperty(".secretKey"));
        for (String name : reference.getPropertyKeys()) {
            assertFalse(name, String.valueOf(reference.getProperty(name)).contains(S3ProxyOnLoopback.SECRET_KEY));
        }

        // a small object in one PUT, a large one in parts: both through the SDK inside the bundle
        byte[] small = random(70_000, 1);
        byte[] large = random(6 * 1024 * 1024 + 17, 2);
        StorageKey smallKey = StorageKey.forInstance("1.2.3", "1.2.3.4", "1.2.3.4.5", "1");
        StorageKey largeKey = StorageKey.forInstance("1.2.3", "1.2.3.4", "1.2.3.4.6", "1");
        StoredObject stored = s3.write(smallKey, new ByteArrayInputStream(small));
        assertEquals(small.length, stored.size());
        assertEquals(large.length, s3.write(largeKey, new ByteArrayInputStream(large)).size());
        assertArrayEquals(small, readAll(s3.read(smallKey)));
        assertArrayEquals(large, readAll(s3.read(largeKey)));
        List<StorageKey> listed = new ArrayList<>();
        assertEquals(2, s3.list(o -> listed.add(o.key())));
        assertTrue(listed.toString(), listed.contains(smallKey) && listed.contains(largeKey));

        await("the bucket's health in /health", () -> httpGet("/health").body().contains(HEALTH_UP));
        assertEquals("an added backend keeps the archive UP", 200, httpGet("/health").status());

        executeCommand("feature:uninstall mosaic-storage-s3");
        await("the S3 backend to go away", () -> !hasService(StorageBackend.class, S3_ITEST));
        assertTrue("the file storage is untouched", hasService(StorageBackend.class, "(storage.id=default)"));
        await("the archive to be up without it", () -> httpGet("/health").status() == 200
                && !httpGet("/health").body().contains("storage s3-itest"));

        executeCommand("feature:install mosaic-storage-s3");
        StorageBackend again = service(StorageBackend.class, S3_ITEST);
        assertArrayEquals("what was stored is still there", small, readAll(again.read(smallKey, 0, small.length)));
        assertArrayEquals(slice(large, 5 * 1024 * 1024 - 3, 5 * 1024 * 1024 + 3),
                readAll(again.read(largeKey, 5 * 1024 * 1024 - 3, 6)));
        assertTrue(again.delete(smallKey));
        assertFalse(again.exists(smallKey));
    }

    private static void writeCfg(String name, String content) throws IOException {
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path partial = Files.createTempFile(etc, "s3-itest", ".tmp"); // not a .cfg: Karaf reads only the whole file
        Files.writeString(partial, content);
        Files.move(partial, etc.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }
}
