package org.mosaicpacs.itest;

import java.lang.reflect.Method;
import java.net.URI;

/**
 * A real S3 server for the distribution tests: S3Proxy over jclouds' in-memory blob store, on a free loopback
 * port of the test's own JVM (not in Karaf), with AWS signature checks on. Started once; stopped when the JVM ends.
 *
 * <p>S3Proxy is reached by reflection on purpose: Pax Exam puts every class of this folder into the probe bundle
 * it installs in Karaf and imports every package they name, and S3Proxy's packages are not in Karaf (the probe of
 * every test class would then fail to resolve).
 */
final class S3ProxyOnLoopback {

    static final String ACCESS_KEY = "itest-access";
    static final String SECRET_KEY = "itest-secret-9876543210";
    static final String BUCKET = "mosaic-itest";

    private static URI endpoint;

    private S3ProxyOnLoopback() {
    }

    /** The endpoint of the server, started with an empty bucket {@value #BUCKET} on the first call. */
    static synchronized URI endpoint() {
        if (endpoint == null) {
            try {
                endpoint = start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start S3Proxy", e);
            }
        }
        return endpoint;
    }

    private static URI start() throws Exception {
        // ContextBuilder.newBuilder("transient").credentials(..).build(BlobStoreContext.class).getBlobStore()
        Class<?> contextBuilder = Class.forName("org.jclouds.ContextBuilder");
        Class<?> blobStoreContext = Class.forName("org.jclouds.blobstore.BlobStoreContext");
        Object builder = contextBuilder.getMethod("newBuilder", String.class).invoke(null, "transient");
        builder = contextBuilder.getMethod("credentials", String.class, String.class).invoke(builder, "unused", "unused");
        Object context = contextBuilder.getMethod("build", Class.class).invoke(builder, blobStoreContext);
        Object blobStore = blobStoreContext.getMethod("getBlobStore").invoke(context);
        Class<?> blobStoreType = Class.forName("org.jclouds.blobstore.BlobStore");
        Method createContainer = blobStoreType.getMethod("createContainerInLocation",
                Class.forName("org.jclouds.domain.Location"), String.class);
        createContainer.invoke(blobStore, null, BUCKET);

        // S3Proxy.builder().blobStore(..).endpoint(..).awsAuthentication(AWS_V2_OR_V4, key, secret).build().start()
        URI uri = URI.create("http://127.0.0.1:" + Ports.freePort());
        Class<?> s3Proxy = Class.forName("org.gaul.s3proxy.S3Proxy");
        Class<?> s3ProxyBuilder = Class.forName("org.gaul.s3proxy.S3Proxy$Builder");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object authentication = Enum.valueOf((Class) Class.forName("org.gaul.s3proxy.AuthenticationType"), "AWS_V2_OR_V4");
        Object proxyBuilder = s3Proxy.getMethod("builder").invoke(null);
        s3ProxyBuilder.getMethod("blobStore", blobStoreType).invoke(proxyBuilder, blobStore);
        s3ProxyBuilder.getMethod("endpoint", URI.class).invoke(proxyBuilder, uri);
        s3ProxyBuilder.getMethod("awsAuthentication", authentication.getClass(), String.class, String.class)
                .invoke(proxyBuilder, authentication, ACCESS_KEY, SECRET_KEY);
        Object proxy = s3ProxyBuilder.getMethod("build").invoke(proxyBuilder);
        s3Proxy.getMethod("start").invoke(proxy);
        Method state = s3Proxy.getMethod("getState");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!"STARTED".equals(state.invoke(proxy))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + state.invoke(proxy));
            }
            Thread.sleep(10);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                s3Proxy.getMethod("stop").invoke(proxy);
            } catch (ReflectiveOperationException e) {
                // the JVM ends anyway
            }
        }));
        return uri;
    }
}
