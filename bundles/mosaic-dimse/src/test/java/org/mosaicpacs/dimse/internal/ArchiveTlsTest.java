package org.mosaicpacs.dimse.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.api.ae.ServiceClassUser.StoreResult;
import org.mosaicpacs.api.ae.ServiceClassUser.VerificationResult;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.io.DicomInputStream;

/**
 * The archive AE's TLS listener and TLS towards remote AEs marked TLS, with DCMTK (built with OpenSSL) as the
 * peer: echoscu and storescu +tls against the TLS port, movescu to a storescp +tls destination configured as a
 * remote AE, and the archive's own C-ECHO and C-STORE SCU over TLS. The key, certificate, key store and trust
 * store are made in the test with openssl and keytool; the settings go through {@link NetworkSettings#of}.
 */
@Timeout(120)
class ArchiveTlsTest {

    static final String STUDY = "1.2.826.0.1.3680043.2.1125.9.1";

    @TempDir
    static Path keys;

    @TempDir
    Path temp;
    RealArchive archive;
    ArchiveAE ae;
    Requester requester;
    Process storescp;

    @BeforeAll
    static void makeKeys() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/echoscu")), "DCMTK is not installed");
        String help = RealArchive.run(30, null, "/usr/bin/echoscu", "--help");
        assumeTrue(help.contains("+tls"), "DCMTK without TLS");
        RealArchive.run(60, keys, "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=mosaic-test");
        RealArchive.run(60, keys, "/usr/bin/openssl", "pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem",
                "-out", "keystore.p12", "-passout", "pass:secret", "-name", "mosaic");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        RealArchive.run(60, keys, keytool, "-importcert", "-noprompt", "-alias", "peer", "-file", "cert.pem",
                "-keystore", "truststore.p12", "-storetype", "PKCS12", "-storepass", "trustme");
    }

    @BeforeEach
    void setUp() throws Exception {
        archive = new RealArchive(temp);
        NetworkSettings network = NetworkSettings.of(RealArchive.config(DimseConfiguration.class, Map.of(
                "tlsPort", "0",
                "tlsKeyStore", keys.resolve("keystore.p12").toString(),
                "tlsKeyStorePassword", "secret",
                "tlsTrustStore", keys.resolve("truststore.p12").toString(),
                "tlsTrustStorePassword", "trustme")));
        ae = archive.start(network);
        requester = new Requester("MOSAIC", () -> archive.remoteAEs, network.sslContext(), network.tlsProtocols(),
                20_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (storescp != null) {
            storescp.destroy();
            if (!storescp.waitFor(10, TimeUnit.SECONDS)) {
                storescp.destroyForcibly();
            }
        }
        requester.close();
        ae.close();
    }

    private String[] tls(String tool, String... rest) {
        String[] head = {tool, "+tls", "key.pem", "cert.pem", "-pw", "+cf", "cert.pem"};
        String[] all = new String[head.length + rest.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
    }

    @Test
    void echoscuAndStorescuOverTls() throws Exception {
        assertTrue(ae.tlsPort() > 0 && ae.tlsPort() != ae.port(), "a TLS listener beside the plain one");
        RealArchive.run(60, keys, tls("/usr/bin/echoscu", "-aec", "MOSAIC", "127.0.0.1", String.valueOf(ae.tlsPort())));
        Path f = RealArchive.write(temp.resolve("in"), RealArchive.image(STUDY, STUDY + ".1", STUDY + ".1.1"));
        RealArchive.run(60, keys, tls("/usr/bin/storescu", "-aec", "MOSAIC", "127.0.0.1",
                String.valueOf(ae.tlsPort()), f.toString()));
        assertEquals(1, archive.index.locate(STUDY, null, null).size(), "stored over TLS and indexed");

        // plain DICOM on the TLS port fails; the listener goes on
        assertThrows(IOException.class, () -> RealArchive.run(60, keys, "/usr/bin/echoscu", "-to", "5", "-ta", "5",
                "-aec", "MOSAIC", "127.0.0.1", String.valueOf(ae.tlsPort())));
        RealArchive.run(60, keys, tls("/usr/bin/echoscu", "-aec", "MOSAIC", "127.0.0.1", String.valueOf(ae.tlsPort())));
        // and the plain port is still plain
        RealArchive.run(60, keys, "/usr/bin/echoscu", "-aec", "MOSAIC", "127.0.0.1", String.valueOf(ae.port()));
    }

    @Test
    void movescuToATlsDestinationAndTheArchiveAsTlsScu() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescp")), "storescp is not installed");
        Path f = RealArchive.write(temp.resolve("in"), RealArchive.image(STUDY, STUDY + ".2", STUDY + ".2.1"));
        assertTrue(archive.ingest.ingest(f, new Origin("TEST", "MOSAIC", "")).outcome().isAcknowledged());
        int port = freePort();
        Path received = Files.createDirectories(temp.resolve("storescp"));
        storescp = new ProcessBuilder(tls("/usr/bin/storescp", "-aet", "TLSSCP", "-od", received.toString(),
                String.valueOf(port))).directory(keys.toFile()).redirectErrorStream(true)
                .redirectOutput(temp.resolve("storescp.log").toFile()).start();
        awaitPort(port);
        // configured while the AE runs: seen by the next association
        archive.remoteAEs.add(new RemoteApplicationEntity("TLSSCP", "127.0.0.1", port, true, "storescp +tls"));

        RealArchive.run(60, null, "/usr/bin/movescu", "-S", "-aet", "MOVESCU", "-aec", "MOSAIC", "-aem", "TLSSCP",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + STUDY, "127.0.0.1",
                String.valueOf(ae.port()));
        List<Path> files = list(received);
        assertEquals(1, files.size(), "moved over TLS to storescp");
        assertEquals(STUDY + ".2.1", sopInstanceUID(files.get(0)));

        VerificationResult echo = requester.verify("TLSSCP");
        assertEquals(0, echo.status());
        assertTrue(echo.ae().tls());
        List<StoreResult> results = requester.store("TLSSCP", List.of(f));
        assertEquals(0, results.get(0).status(), results.toString());
        assertEquals(STUDY + ".2.1", results.get(0).sopInstanceUID());

        // the same AE without TLS: storescp +tls does not speak plain DICOM
        archive.remoteAEs.add(new RemoteApplicationEntity("TLSSCP", "127.0.0.1", port, false, ""));
        assertThrows(IOException.class, () -> requester.verify("TLSSCP"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nothing listens on port " + port);
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    static String sopInstanceUID(Path file) throws IOException {
        try (DicomInputStream in = new DicomInputStream(file)) {
            Attributes ds = in.readDataset();
            return ds.getString(Tag.SOPInstanceUID);
        }
    }
}
