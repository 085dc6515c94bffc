package org.mosaicpacs.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Tls;

/**
 * TLS (TLS 1.2/1.3, BCP 195 cipher suites, mutual authentication) between our SCU and SCP, and with
 * DCMTK built with OpenSSL. The key and a self-signed certificate are made with openssl in the test.
 */
@Timeout(120)
class TlsTest {

    static final char[] PASSWORD = "secret".toCharArray();

    @TempDir
    static Path keys;
    static SSLContext sslContext;
    static SSLContext untrusting;

    @TempDir
    Path tmp;
    ExecutorService executor;
    ScheduledExecutorService scheduler;
    TestScp scp;
    Process process;

    @BeforeAll
    static void makeKeys() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Fixtures.run(60, keys, "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=mosaic-test");
        Fixtures.run(60, keys, "/usr/bin/openssl", "pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem",
                "-out", "keystore.p12", "-passout", "pass:secret", "-name", "mosaic");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.resolve("keystore.p12"))) {
            ks.load(in, PASSWORD);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(keys.resolve("cert.pem"))) {
            Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("peer", cert);
        }
        sslContext = Tls.sslContext(ks, PASSWORD, trust);
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        untrusting = Tls.sslContext(ks, PASSWORD, empty);
    }

    @BeforeEach
    void setUp() {
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (scp != null) {
            scp.close();
        }
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    void startScp() throws IOException {
        scp = new TestScp(Files.createDirectories(tmp.resolve("scp")), executor, scheduler,
                new Connection("127.0.0.1", 0).setTls(true).setSslContext(sslContext).setResponseTimeout(10_000)
                        .setArtimTimeout(5_000));
    }

    DimseAssociation connect(SSLContext ctx, String... protocols) throws IOException {
        Connection local = new Connection().setSslContext(ctx).setResponseTimeout(10_000);
        if (protocols.length > 0) {
            local.setTlsProtocols(protocols);
        }
        return DimseAssociation.connect(local, new Connection("127.0.0.1", scp.port()).setTls(true),
                new AssociateRQBuilder(TestScp.AET, "TLSSCU").addVerification().addContext(UID.CTImageStorage).build(),
                null, executor, scheduler);
    }

    @Test
    void echoAndStoreOverTls12And13() throws Exception {
        startScp();
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            try (DimseAssociation as = connect(sslContext, protocol)) {
                assertEquals(Status.Success, as.cecho().status());
                Attributes ds = Fixtures.image(UID.CTImageStorage, "T", "1.2.9", "1.2.9.1", "1.2.9.1." + protocol.length()
                        + protocol.charAt(protocol.length() - 1), 32);
                Path f = Fixtures.write(Files.createDirectories(tmp.resolve("in")), ds, UID.ExplicitVRLittleEndian);
                assertEquals(Status.Success, as.cstore(f, Commands.MEDIUM).await().status());
            }
        }
        assertEquals(2, scp.files.size());
    }

    @Test
    void untrustedPeerIsRefused() throws Exception {
        startScp();
        assertThrows(IOException.class, () -> connect(untrusting));
        // a client without a certificate: the server needs client authentication
        SSLContext noKey = SSLContext.getInstance("TLS");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(keys.resolve("cert.pem"))) {
            trust.setCertificateEntry("peer", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        noKey.init(null, tmf.getTrustManagers(), null);
        assertThrows(IOException.class, () -> {
            try (DimseAssociation as = connect(noKey)) {
                as.cecho();
            }
        });
        // and the server still serves
        try (DimseAssociation as = connect(sslContext)) {
            assertEquals(Status.Success, as.cecho().status());
        }
    }

    static boolean dcmtkHasTls() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/echoscu"))) {
            return false;
        }
        Process p = new ProcessBuilder("/usr/bin/echoscu", "--help").redirectErrorStream(true).start();
        String help;
        try (InputStream in = p.getInputStream()) {
            help = new String(in.readAllBytes());
        }
        p.waitFor(10, TimeUnit.SECONDS);
        return help.contains("+tls");
    }

    @Test
    void echoscuWithTls() throws Exception {
        assumeTrue(dcmtkHasTls(), "DCMTK without TLS");
        startScp();
        Fixtures.run(60, keys, "/usr/bin/echoscu", "-aec", TestScp.AET, "+tls", "key.pem", "cert.pem", "-pw",
                "+cf", "cert.pem", "127.0.0.1", String.valueOf(scp.port()));
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path f = Fixtures.write(in, Fixtures.image(UID.CTImageStorage, "T", "1.2.8", "1.2.8.1", "1.2.8.1.1", 32),
                UID.ExplicitVRLittleEndian);
        Fixtures.run(60, keys, "/usr/bin/storescu", "-aec", TestScp.AET, "+tls", "key.pem", "cert.pem", "-pw",
                "+cf", "cert.pem", "127.0.0.1", String.valueOf(scp.port()), f.toString());
        assertTrue(scp.files.containsKey("1.2.8.1.1"));
    }

    @Test
    void ourScuToStorescpWithTls() throws Exception {
        assumeTrue(dcmtkHasTls(), "DCMTK without TLS");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescp")), "storescp is not installed");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path received = Files.createDirectories(tmp.resolve("storescp"));
        process = new ProcessBuilder("/usr/bin/storescp", "-aet", "STORESCP", "+tls", "key.pem", "cert.pem", "-pw",
                "+cf", "cert.pem", "-od", received.toString(), String.valueOf(port)).directory(keys.toFile())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("storescp.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean up = false;
        while (!up && System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                up = true;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        assertTrue(up, "storescp did not start");
        Path in = Files.createDirectories(tmp.resolve("in"));
        Attributes ds = Fixtures.image(UID.CTImageStorage, "T", "1.2.7", "1.2.7.1", "1.2.7.1.1", 32);
        Path f = Fixtures.write(in, ds, UID.ExplicitVRLittleEndian);
        try (DimseAssociation as = DimseAssociation.connect(new Connection().setSslContext(sslContext)
                        .setResponseTimeout(10_000), new Connection("127.0.0.1", port).setTls(true),
                new AssociateRQBuilder("STORESCP", "TLSSCU").addVerification().addContext(UID.CTImageStorage)
                        .build(), null, executor, scheduler)) {
            assertEquals(Status.Success, as.cecho().status());
            assertEquals(Status.Success, as.cstore(f, Commands.MEDIUM).await().status());
        }
        try (Stream<Path> s = Files.list(received)) {
            Path g = s.findFirst().orElseThrow();
            assertEquals("", Fixtures.diff(Fixtures.read(f), Fixtures.read(g)));
            assertEquals("1.2.7.1.1", Fixtures.read(g).getString(Tag.SOPInstanceUID));
        }
    }
}
