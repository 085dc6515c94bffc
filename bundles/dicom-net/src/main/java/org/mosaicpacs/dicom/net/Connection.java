package org.mosaicpacs.dicom.net;

/**
 * A network connection of a device (PS3.15 Annex H "Network Connection"): where it listens or
 * connects, and the upper layer parameters used on it. Times are in milliseconds, 0 meaning none.
 * A plain mutable configuration object; do not change it while associations use it.
 */
public final class Connection {

    /** Default maximum PDU length received and sent: 16 KiB. */
    public static final int DEFAULT_MAX_PDU_LENGTH = 16384;

    private String hostname = "127.0.0.1";
    private int port;
    private boolean tls;
    private int connectTimeout = 5000;
    private int artimTimeout = 10000;
    private int acceptTimeout = 10000;
    private int releaseTimeout = 10000;
    private int idleTimeout;
    private int responseTimeout;
    private int maxPduLengthReceive = DEFAULT_MAX_PDU_LENGTH;
    private int maxPduLengthSend = DEFAULT_MAX_PDU_LENGTH;
    private String[] tlsProtocols = Tls.DEFAULT_PROTOCOLS.clone();
    private String[] tlsCipherSuites = Tls.BCP195_CIPHER_SUITES.clone();
    private boolean tlsNeedClientAuth = true;
    private javax.net.ssl.SSLContext sslContext;

    /** A connection on 127.0.0.1, port 0 (ephemeral). */
    public Connection() {
    }

    /**
     * @param hostname host name or address
     * @param port TCP port, 0 for an ephemeral port when listening
     */
    public Connection(String hostname, int port) {
        this.hostname = hostname;
        this.port = port;
    }

    /** @return host name or address */
    public String getHostname() {
        return hostname;
    }

    /** @param hostname host name or address @return this */
    public Connection setHostname(String hostname) {
        this.hostname = hostname;
        return this;
    }

    /** @return TCP port */
    public int getPort() {
        return port;
    }

    /** @param port TCP port @return this */
    public Connection setPort(int port) {
        this.port = port;
        return this;
    }

    /**
     * @return whether the connection uses TLS (PS3.15 Annex B secure transport connection profiles).
     *     A requestor uses TLS when the remote connection says so, with the local connection's
     *     {@link #getSslContext() key and trust material}; an acceptor when its listening connection does.
     */
    public boolean isTls() {
        return tls;
    }

    /** @param tls whether TLS is used @return this */
    public Connection setTls(boolean tls) {
        this.tls = tls;
        return this;
    }

    /** @return the TLS protocols enabled, default TLSv1.3 and TLSv1.2 */
    public String[] getTlsProtocols() {
        return tlsProtocols.clone();
    }

    /** @param protocols TLS protocol names, e.g. "TLSv1.3" @return this */
    public Connection setTlsProtocols(String... protocols) {
        this.tlsProtocols = protocols.clone();
        return this;
    }

    /**
     * @return the cipher suites offered, default {@link Tls#BCP195_CIPHER_SUITES}; only those the JDK
     *     supports are enabled
     */
    public String[] getTlsCipherSuites() {
        return tlsCipherSuites.clone();
    }

    /** @param suites cipher suite names (JSSE names) @return this */
    public Connection setTlsCipherSuites(String... suites) {
        this.tlsCipherSuites = suites.clone();
        return this;
    }

    /** @return whether an acceptor requires a client certificate (mutual authentication), default true */
    public boolean isTlsNeedClientAuth() {
        return tlsNeedClientAuth;
    }

    /** @param need whether an acceptor requires a client certificate @return this */
    public Connection setTlsNeedClientAuth(boolean need) {
        this.tlsNeedClientAuth = need;
        return this;
    }

    /** @return the SSL context with our key and the trusted certificates, or {@code null} (JDK default) */
    public javax.net.ssl.SSLContext getSslContext() {
        return sslContext;
    }

    /**
     * @param context an SSL context, e.g. from {@link Tls#sslContext}; {@code null} for the JDK default
     * @return this
     */
    public Connection setSslContext(javax.net.ssl.SSLContext context) {
        this.sslContext = context;
        return this;
    }

    /** @return TCP connect timeout of a requestor */
    public int getConnectTimeout() {
        return connectTimeout;
    }

    /** @param ms TCP connect timeout @return this */
    public Connection setConnectTimeout(int ms) {
        this.connectTimeout = ms;
        return this;
    }

    /**
     * @return ARTIM timeout (PS3.8 9.1.5): how long an acceptor waits for the A-ASSOCIATE-RQ and either
     *     side waits for the transport to close after a reject, release or abort
     */
    public int getArtimTimeout() {
        return artimTimeout;
    }

    /** @param ms ARTIM timeout @return this */
    public Connection setArtimTimeout(int ms) {
        this.artimTimeout = ms;
        return this;
    }

    /** @return how long a requestor waits for A-ASSOCIATE-AC/RJ */
    public int getAcceptTimeout() {
        return acceptTimeout;
    }

    /** @param ms accept timeout @return this */
    public Connection setAcceptTimeout(int ms) {
        this.acceptTimeout = ms;
        return this;
    }

    /** @return how long a release waits for A-RELEASE-RP */
    public int getReleaseTimeout() {
        return releaseTimeout;
    }

    /** @param ms release timeout @return this */
    public Connection setReleaseTimeout(int ms) {
        this.releaseTimeout = ms;
        return this;
    }

    /** @return how long an established association may stay without any PDU before it is aborted */
    public int getIdleTimeout() {
        return idleTimeout;
    }

    /** @param ms idle timeout @return this */
    public Connection setIdleTimeout(int ms) {
        this.idleTimeout = ms;
        return this;
    }

    /** @return how long a DIMSE requestor waits for a response (used by the DIMSE layer) */
    public int getResponseTimeout() {
        return responseTimeout;
    }

    /** @param ms response timeout @return this */
    public Connection setResponseTimeout(int ms) {
        this.responseTimeout = ms;
        return this;
    }

    /**
     * @return the maximum P-DATA-TF length an acceptor advertises and accepts; must not be 0. A requestor
     *     advertises and enforces the Maximum Length of its own A-ASSOCIATE-RQ instead.
     */
    public int getMaxPduLengthReceive() {
        return maxPduLengthReceive;
    }

    /** @param length maximum receive length, at least 8 @return this */
    public Connection setMaxPduLengthReceive(int length) {
        if (length < 8) {
            throw new IllegalArgumentException("max PDU length receive must be at least 8: " + length);
        }
        this.maxPduLengthReceive = length;
        return this;
    }

    /** @return our cap on P-DATA-TF length sent, applied on top of the peer's advertised maximum */
    public int getMaxPduLengthSend() {
        return maxPduLengthSend;
    }

    /** @param length maximum send length, at least 8 @return this */
    public Connection setMaxPduLengthSend(int length) {
        if (length < 8) {
            throw new IllegalArgumentException("max PDU length send must be at least 8: " + length);
        }
        this.maxPduLengthSend = length;
        return this;
    }

    @Override
    public String toString() {
        return "Connection[" + hostname + ":" + port + (tls ? " tls" : "") + "]";
    }
}
