package org.mosaicpacs.dicom.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.UID;

/**
 * The --tls options: listen, echo and store over TLS with a key store and a trust store made in the
 * test (openssl), and DCMTK's echoscu +tls to our listen. Skipped without openssl.
 */
class TlsVerbsTest {

    @TempDir
    static Path keys;
    @TempDir
    Path tmp;

    @BeforeAll
    static void makeKeys() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        NetFixtures.run(60, "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                keys.resolve("key.pem").toString(), "-out", keys.resolve("cert.pem").toString(), "-days", "2",
                "-subj", "/CN=mosaic-tool-test");
        NetFixtures.run(60, "/usr/bin/openssl", "pkcs12", "-export", "-inkey", keys.resolve("key.pem").toString(),
                "-in", keys.resolve("cert.pem").toString(), "-out", keys.resolve("keystore.p12").toString(),
                "-passout", "pass:secret", "-name", "mosaic");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(keys.resolve("cert.pem"))) {
            Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("peer", cert);
        }
        try (OutputStream out = Files.newOutputStream(keys.resolve("trust.p12"))) {
            trust.store(out, "secret".toCharArray());
        }
    }

    private static String[] tls(String... args) {
        String[] opts = {"--tls", "--key-store", keys.resolve("keystore.p12").toString(), "--key-store-pass", "secret",
            "--trust-store", keys.resolve("trust.p12").toString(), "--trust-store-pass", "secret"};
        String[] all = new String[args.length + opts.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(opts, 0, all, args.length, opts.length);
        return all;
    }

    @Test
    void echoAndStoreOverTls() throws Exception {
        Path dir = tmp.resolve("tls");
        try (NetFixtures.Listener listener = NetFixtures.listen(tls("listen", "-b", "TLSLISTEN@127.0.0.1:0",
                "--directory", dir.toString()))) {
            assertTrue(listener.out().contains("(TLS)"), listener.out());
            String peer = "TLSLISTEN@127.0.0.1:" + listener.port();
            MainTest.Run echo = MainTest.run(tls("echo", "-c", peer, "--tls-protocol", "TLSv1.2"));
            assertEquals(0, echo.status, echo.err);
            Path in = Files.createDirectories(tmp.resolve("in"));
            NetFixtures.write(in, NetFixtures.image(UID.CTImageStorage, "P1", "2.25.1", "2.25.11", "2.25.111", 4),
                    UID.ExplicitVRLittleEndian);
            MainTest.Run store = MainTest.run(tls("store", "-c", peer, in.toString()));
            assertEquals(0, store.status, store.err);
            listener.awaitLines("Received ", 1);
            assertTrue(Files.isRegularFile(dir.resolve("2.25.111.dcm")));

            // without TLS, or without our certificate: refused, one line
            MainTest.Run plain = MainTest.run("echo", "-c", peer, "--connect-timeout", "3000", "--accept-timeout",
                    "3000");
            assertEquals(1, plain.status);
            assertEquals(1, plain.err.lines().count(), plain.err);
            MainTest.Run noKey = MainTest.run("echo", "-c", peer, "--tls", "--trust-store",
                    keys.resolve("trust.p12").toString(), "--trust-store-pass", "secret", "--accept-timeout", "3000");
            assertEquals(1, noKey.status);
            assertEquals(1, noKey.err.lines().count(), noKey.err);

            if (NetFixtures.dcmtkHasTls()) {
                NetFixtures.run(60, "/usr/bin/echoscu", "-aec", "TLSLISTEN", "+tls", keys.resolve("key.pem").toString(),
                        keys.resolve("cert.pem").toString(), "-pw", "+cf", keys.resolve("cert.pem").toString(),
                        "127.0.0.1", String.valueOf(listener.port()));
            }
        }
    }

    @Test
    void badKeyStoreIsOneLine() {
        MainTest.Run r = MainTest.run("echo", "-c", "X@127.0.0.1:1", "--tls", "--key-store",
                tmp.resolve("missing.p12").toString());
        assertEquals(1, r.status);
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.startsWith("mosaic-dicom: TLS: "), r.err);
        assertEquals(2, MainTest.run("echo", "-c", "X@127.0.0.1:1", "--key-store", "k.p12").status);
    }
}
