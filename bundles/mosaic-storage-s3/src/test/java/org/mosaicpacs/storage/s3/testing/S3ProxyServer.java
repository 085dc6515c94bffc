package org.mosaicpacs.storage.s3.testing;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server for the tests: S3Proxy on a free loopback port, over jclouds' in-memory blob store (or,
 * given a folder, its file-system one), with AWS signature checks on. It can be stopped and started again on the same port
 * with what it held, to play a store that goes away and comes back.
 *
 * <p>Shared with the tests of other modules through this module's test-jar (mosaic-storage-admin, mosaic-archive).
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "mosaic-test-access";
    public static final String SECRET_KEY = "mosaic-test-secret-0123456789";

    private final BlobStoreContext context;
    private final int port;
    private S3Proxy proxy;

    public S3ProxyServer(Path directory) throws Exception {
        Properties properties = new Properties();
        if (directory != null) {
            properties.setProperty("jclouds.filesystem.basedir", directory.toString());
        }
        this.context = ContextBuilder.newBuilder(directory == null ? "transient" : "filesystem")
                .credentials("unused", "unused").overrides(properties).build(BlobStoreContext.class);
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = socket.getLocalPort();
        }
        start();
    }

    /** Starts (again) on the same port. */
    public void start() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    public void stop() throws Exception {
        proxy.stop();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public BlobStore blobStore() {
        return context.getBlobStore();
    }

    public void createBucket(String bucket) {
        context.getBlobStore().createContainerInLocation(null, bucket);
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            context.close();
        }
    }
}
