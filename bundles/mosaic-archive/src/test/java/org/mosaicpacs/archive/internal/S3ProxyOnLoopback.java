package org.mosaicpacs.archive.internal;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/** A real S3 server for the tests: S3Proxy over jclouds' in-memory store, signatures checked, on loopback. */
final class S3ProxyOnLoopback implements AutoCloseable {

    static final String ACCESS_KEY = "mosaic-archive-test";
    static final String SECRET_KEY = "mosaic-archive-test-secret-42";

    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final URI endpoint;

    S3ProxyOnLoopback(String bucket) throws Exception {
        context = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, bucket);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        endpoint = URI.create("http://127.0.0.1:" + port);
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    URI endpoint() {
        return endpoint;
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
