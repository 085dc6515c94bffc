package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for DICOM connections (PS3.15 Annex B, secure transport connection profiles) with the JDK's
 * JSSE: TLS 1.2 and 1.3 and the cipher suites recommended by BCP 195 (RFC 9325), as far as the JDK
 * offers them.
 */
public final class Tls {

    /** TLS 1.3 and 1.2: the versions the BCP 195 profiles allow. */
    public static final String[] DEFAULT_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * The cipher suites of the BCP 195 profiles: the TLS 1.3 AEAD suites, and for TLS 1.2 the ECDHE and
     * DHE suites with AES-GCM recommended by RFC 7525/9325 (the Non-downgrading BCP 195 profile's list),
     * plus ChaCha20-Poly1305.
     */
    public static final String[] BCP195_CIPHER_SUITES = {
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
    };

    private Tls() {
    }

    /**
     * Builds an SSL context from a key store (our private key and certificate chain) and a trust store
     * (the certificates of trusted peers or CAs).
     *
     * @param keyStore key store file, or {@code null} for none (a requestor without client certificate)
     * @param keyStoreType e.g. "PKCS12"
     * @param keyStorePassword password of the key store and its key
     * @param trustStore trust store file, or {@code null} for the JDK's default trust
     * @param trustStoreType e.g. "PKCS12"
     * @param trustStorePassword password of the trust store, may be {@code null}
     * @return the context
     * @throws IOException if a store cannot be read
     * @throws GeneralSecurityException if the key material is unusable
     */
    public static SSLContext sslContext(Path keyStore, String keyStoreType, char[] keyStorePassword, Path trustStore,
            String trustStoreType, char[] trustStorePassword) throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore, keyStoreType, keyStorePassword), keyStorePassword);
        }
        TrustManagerFactory tmf = null;
        if (trustStore != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore, trustStoreType, trustStorePassword));
        }
        return sslContext(kmf, tmf);
    }

    /**
     * @param keyStore loaded key store or {@code null}
     * @param keyPassword its key password
     * @param trustStore loaded trust store or {@code null}
     * @return the context
     * @throws GeneralSecurityException if the key material is unusable
     */
    public static SSLContext sslContext(KeyStore keyStore, char[] keyPassword, KeyStore trustStore)
            throws GeneralSecurityException {
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, keyPassword);
        }
        TrustManagerFactory tmf = null;
        if (trustStore != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
        }
        return sslContext(kmf, tmf);
    }

    private static SSLContext sslContext(KeyManagerFactory kmf, TrustManagerFactory tmf)
            throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(Path file, String type, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(type == null ? "PKCS12" : type);
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    static SSLContext context(Connection c) throws IOException {
        if (c.getSslContext() != null) {
            return c.getSslContext();
        }
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IOException("no default SSL context", e);
        }
    }

    private static String[] intersect(String[] wanted, String[] supported) {
        List<String> s = Arrays.asList(supported);
        List<String> out = new ArrayList<>();
        for (String w : wanted) {
            if (s.contains(w)) {
                out.add(w);
            }
        }
        return out.toArray(String[]::new);
    }

    private static SSLParameters parameters(SSLParameters p, Connection c, String[] supportedProtocols,
            String[] supportedSuites) throws IOException {
        String[] protocols = intersect(c.getTlsProtocols(), supportedProtocols);
        String[] suites = intersect(c.getTlsCipherSuites(), supportedSuites);
        if (protocols.length == 0 || suites.length == 0) {
            throw new IOException("none of the configured TLS protocols/cipher suites is supported by the JDK");
        }
        p.setProtocols(protocols);
        p.setCipherSuites(suites);
        return p;
    }

    /** Opens a TLS server socket for an acceptor connection (not bound). */
    static ServerSocket serverSocket(Connection c) throws IOException {
        SSLServerSocket ss = (SSLServerSocket) context(c).getServerSocketFactory().createServerSocket();
        SSLParameters p = parameters(ss.getSSLParameters(), c, ss.getSupportedProtocols(), ss.getSupportedCipherSuites());
        p.setNeedClientAuth(c.isTlsNeedClientAuth());
        ss.setSSLParameters(p);
        return ss;
    }

    /** Layers TLS over a connected socket and completes the handshake within {@code timeout} ms. */
    static Socket handshakeClient(Socket plain, String host, int port, Connection local, int timeout)
            throws IOException {
        SSLSocket s = (SSLSocket) context(local).getSocketFactory().createSocket(plain, host, port, true);
        s.setSSLParameters(parameters(s.getSSLParameters(), local, s.getSupportedProtocols(),
                s.getSupportedCipherSuites()));
        s.setUseClientMode(true);
        int saved = s.getSoTimeout();
        s.setSoTimeout(timeout);
        try {
            s.startHandshake();
        } finally {
            s.setSoTimeout(saved);
        }
        return s;
    }
}
