package org.mosaicpacs.storage.s3.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.storage.s3.testing.S3ProxyServer;

/**
 * A backend taken away (its configuration deleted, its bundle stopped or uninstalled) while it writes: the
 * write in progress finishes and its object is in the bucket; only then is the client closed.
 */
class S3DeactivationTest {

    @SuppressWarnings("unchecked")
    private static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "annotationType" -> type;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> type.getSimpleName();
                    default -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    @Test
    void aWriteInProgressFinishesBeforeTheBackendCloses() throws Exception {
        try (S3ProxyServer server = new S3ProxyServer(null)) {
            server.createBucket("drain");
            Map<String, Object> settings = Map.of("storage_id", "s3-drain", "endpoint", server.endpoint().toString(),
                    "bucket", "drain", "accessKey", S3ProxyServer.ACCESS_KEY, "_secretKey", S3ProxyServer.SECRET_KEY);
            S3StorageBackend backend = new S3StorageBackend(config(S3StorageConfiguration.class, settings));
            byte[] data = new byte[300_000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31);
            }
            CountDownLatch stalled = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            InputStream sender = new InputStream() {
                private int position;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (position == data.length / 2 && stalled.getCount() > 0) {
                        stalled.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                    if (position >= data.length) {
                        return -1;
                    }
                    int limit = position < data.length / 2 ? data.length / 2 : data.length;
                    int n = Math.min(len, limit - position);
                    System.arraycopy(data, position, b, off, n);
                    position += n;
                    return n;
                }
            };
            StorageKey key = StorageKey.of("1.2.3", "1.2.3.4", "1.2.3.4.5", "1");
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<StoredObject> write = threads.submit(() -> backend.write(key, sender));
                assertTrue(stalled.await(60, TimeUnit.SECONDS), "the write is half way");
                Thread[] deactivating = new Thread[1];
                Future<?> deactivation = threads.submit(() -> {
                    deactivating[0] = Thread.currentThread();
                    backend.deactivate();
                    return null;
                });
                // the deactivation waits for the write (it is parked, not done)
                while (deactivating[0] == null || deactivating[0].getState() != Thread.State.TIMED_WAITING) {
                    assertTrue(!deactivation.isDone(), "deactivation returned while a write was in progress");
                    Thread.onSpinWait();
                }
                release.countDown();

                StoredObject stored = write.get(60, TimeUnit.SECONDS);
                deactivation.get(60, TimeUnit.SECONDS);
                assertEquals(data.length, stored.size());
            } finally {
                threads.shutdownNow();
            }
            S3StorageBackend again = new S3StorageBackend(config(S3StorageConfiguration.class, settings));
            try (InputStream in = again.read(key)) {
                assertArrayEquals(data, in.readAllBytes(), "the object written during the deactivation is complete");
            } finally {
                again.deactivate();
            }
        }
    }
}
