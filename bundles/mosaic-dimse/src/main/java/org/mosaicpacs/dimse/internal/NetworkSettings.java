package org.mosaicpacs.dimse.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.mosaicpacs.api.config.SystemProperties;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Tls;

/**
 * The settings of the archive AE about its peers: the TLS listener and the key and trust material for
 * TLS in both directions, whether only configured remote AEs may call, and where Storage Commitment
 * reports go. Parsed from the {@link DimseConfiguration}; the key stores are read when parsing, so a wrong
 * path or password is reported at activation.
 *
 * @param tlsPort                  the TLS listener's port, or -1 for none (0: ephemeral, for tests)
 * @param sslContext               the key and trust material, or {@code null} when no key store is configured
 * @param tlsProtocols             the TLS versions enabled
 * @param tlsNeedClientAuth        whether the TLS listener requires a client certificate
 * @param acceptOnlyRemoteAEs      whether only configured remote AEs (and the accepted calling AE titles) may call
 * @param commitmentOnNewAssociation whether Storage Commitment reports always go on a new association
 */
record NetworkSettings(int tlsPort, SSLContext sslContext, List<String> tlsProtocols, boolean tlsNeedClientAuth,
                       boolean acceptOnlyRemoteAEs, boolean commitmentOnNewAssociation) {

    /** No TLS, anyone may call, reports on the request's association. */
    static final NetworkSettings DEFAULT = new NetworkSettings(-1, null, List.of("TLSv1.3", "TLSv1.2"), true, false,
            false);

    NetworkSettings {
        tlsProtocols = List.copyOf(tlsProtocols);
        if (tlsPort >= 0 && sslContext == null) {
            throw new IllegalArgumentException("a TLS port needs a TLS key store (tlsKeyStore)");
        }
    }

    static NetworkSettings of(DimseConfiguration c) {
        String port = SystemProperties.expand(c.tlsPort()).trim();
        int tlsPort = port.isEmpty() ? -1 : Integer.parseInt(port);
        if (tlsPort > 65535 || tlsPort < -1) {
            throw new IllegalArgumentException("TLS port is not 0..65535: " + port);
        }
        List<String> protocols = ArchiveAE.list(c.tlsProtocols());
        SSLContext ctx = sslContext(c);
        return new NetworkSettings(tlsPort, ctx, protocols.isEmpty() ? DEFAULT.tlsProtocols() : protocols,
                c.tlsNeedClientAuth(), c.acceptOnlyConfiguredRemoteAEs(), c.storageCommitmentReportOnNewAssociation());
    }

    private static SSLContext sslContext(DimseConfiguration c) {
        String keyStore = SystemProperties.expand(c.tlsKeyStore()).trim();
        if (keyStore.isEmpty()) {
            return null;
        }
        String trustStore = SystemProperties.expand(c.tlsTrustStore()).trim();
        Path ks = Path.of(keyStore);
        Path ts = trustStore.isEmpty() ? null : Path.of(trustStore);
        for (Path p : ts == null ? List.of(ks) : List.of(ks, ts)) {
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("cannot read the TLS store " + p);
            }
        }
        try {
            return Tls.sslContext(ks, type(c.tlsKeyStoreType()), c.tlsKeyStorePassword().toCharArray(), ts,
                    type(c.tlsTrustStoreType()), c.tlsTrustStorePassword().isEmpty() ? null
                            : c.tlsTrustStorePassword().toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load the TLS key or trust store (" + keyStore
                    + (ts == null ? "" : ", " + ts) + "): " + e.getMessage(), e);
        }
    }

    private static String type(String t) {
        return t == null || t.isBlank() ? "PKCS12" : t.trim();
    }

    /** The TLS listener's connection beside {@code plain}: same address and timeouts, TLS on. */
    Connection tlsConnection(Connection plain) {
        return new Connection(plain.getHostname(), tlsPort).setTls(true).setSslContext(sslContext)
                .setTlsProtocols(tlsProtocols.toArray(String[]::new)).setTlsNeedClientAuth(tlsNeedClientAuth)
                .setResponseTimeout(plain.getResponseTimeout()).setIdleTimeout(plain.getIdleTimeout())
                .setMaxPduLengthReceive(plain.getMaxPduLengthReceive()).setMaxPduLengthSend(plain.getMaxPduLengthSend());
    }
}
