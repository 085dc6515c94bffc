package org.mosaicpacs.dicom.tool;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Tls;

/**
 * The options shared by the network commands: the peer ({@code -c AET@host:port}), our AE title or
 * listening address ({@code -b}), PDU lengths, timeouts and TLS; and the threads they run on.
 */
final class NetOptions implements AutoCloseable {

    /** Our AE title when {@code -b} is not given. */
    static final String DEFAULT_AET = "MOSAIC-DICOM";

    static final Set<String> FLAGS = Set.of("--tls", "--tls-no-client-auth");
    static final Set<String> WITH_VALUE = Set.of("-c", "-b", "--max-pdu", "--max-send-pdu",
            "--connect-timeout", "--accept-timeout", "--response-timeout", "--release-timeout", "--idle-timeout",
            "--key-store", "--key-store-type", "--key-store-pass", "--trust-store", "--trust-store-type",
            "--trust-store-pass", "--tls-protocol", "--tls-cipher");

    /** The help lines of these options. */
    static final String HELP = ""
            + "  --max-pdu N             largest P-DATA-TF PDU we receive (default 16384)\n"
            + "  --max-send-pdu N        largest P-DATA-TF PDU we send (default 16384; the peer's limit too)\n"
            + "  --connect-timeout MS    TCP connect and TLS handshake (default 5000)\n"
            + "  --accept-timeout MS     wait for A-ASSOCIATE-AC (default 10000)\n"
            + "  --response-timeout MS   wait for each DIMSE response, restarted by pending ones (default 60000; 0: none)\n"
            + "  --release-timeout MS    wait for A-RELEASE-RP (default 10000)\n"
            + "  --idle-timeout MS       abort an idle association (default none)\n"
            + "  --tls                   TLS 1.3/1.2 (BCP 195 cipher suites)\n"
            + "  --key-store FILE        our key and certificate (PKCS12 by default)\n"
            + "  --key-store-type T      PKCS12 or JKS\n"
            + "  --key-store-pass P      password of the key store and its key\n"
            + "  --trust-store FILE      the certificates we trust (default: the JDK's)\n"
            + "  --trust-store-type T    PKCS12 or JKS\n"
            + "  --trust-store-pass P    password of the trust store\n"
            + "  --tls-protocol P[,P]    e.g. TLSv1.3 or TLSv1.2,TLSv1.3 (default both)\n"
            + "  --tls-cipher S[,S]      cipher suites (default the BCP 195 ones)";

    /** An AE title with host and port. */
    record Address(String aet, String host, int port) {

        @Override
        public String toString() {
            return aet + "@" + host + ":" + port;
        }
    }

    final Args args;
    private ExecutorService executor;
    private ScheduledExecutorService scheduler;

    NetOptions(Args args) {
        this.args = args;
    }

    /** Both sets of options with those of a command. */
    static Set<String> with(Set<String> common, String... more) {
        Set<String> s = new HashSet<>(common);
        s.addAll(List.of(more));
        return s;
    }

    /**
     * Parses {@code AET@host:port}.
     *
     * @param option the option it came with, for messages
     * @param hostOptional whether {@code AET@:port} or {@code AET:port} (any address) is allowed
     */
    static Address address(String option, String value, boolean hostOptional) throws UsageException {
        if (value == null) {
            throw new UsageException("missing " + option + " AET@host:port");
        }
        int at = value.indexOf('@');
        int colon = value.lastIndexOf(':');
        String aet;
        String host;
        if (at > 0) {
            aet = value.substring(0, at);
            host = colon > at ? value.substring(at + 1, colon) : null;
        } else if (hostOptional && colon > 0) {
            aet = value.substring(0, colon);
            host = "";
        } else {
            throw new UsageException(option + " needs AET@host:port, not '" + value + "'");
        }
        if (host == null || colon < 0 || (host.isEmpty() && !hostOptional)) {
            throw new UsageException(option + " needs AET@host:port, not '" + value + "'");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        checkAET(option, aet);
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535 || (port == 0 && !hostOptional)) {
            throw new UsageException(option + ": bad port in '" + value + "'");
        }
        return new Address(aet, host.isEmpty() ? "0.0.0.0" : host, port);
    }

    static String checkAET(String option, String aet) throws UsageException {
        if (aet.isEmpty() || aet.length() > 16 || aet.isBlank() || aet.chars().anyMatch(c -> c < 0x20 || c > 0x7E
                || c == '\\')) {
            throw new UsageException(option + ": '" + aet + "' is not an AE title (1 to 16 characters, no \\)");
        }
        return aet;
    }

    /** The peer of {@code -c}. */
    Address called() throws UsageException {
        return address("-c", args.get("-c"), false);
    }

    /** Our AE title: {@code -b AET}, or {@value #DEFAULT_AET}. */
    String callingAET() throws UsageException {
        String b = args.get("-b");
        return b == null ? DEFAULT_AET : checkAET("-b", b);
    }

    int maxPdu() throws UsageException {
        return intOption("--max-pdu", Connection.DEFAULT_MAX_PDU_LENGTH, 0);
    }

    private int intOption(String name, int defaultValue, int min) throws UsageException {
        long v = args.getLong(name, defaultValue);
        if (v < min || v > Integer.MAX_VALUE) {
            throw new UsageException("option " + name + " out of range: " + v);
        }
        return (int) v;
    }

    /** Our side: PDU lengths, timeouts, the SSL context; host and port of {@code listen} are set by it. */
    Connection local() throws UsageException, ToolException {
        Connection c = new Connection()
                .setMaxPduLengthReceive(maxPdu())
                .setMaxPduLengthSend(intOption("--max-send-pdu", Connection.DEFAULT_MAX_PDU_LENGTH, 8))
                .setConnectTimeout(intOption("--connect-timeout", 5000, 0))
                .setAcceptTimeout(intOption("--accept-timeout", 10000, 0))
                .setArtimTimeout(intOption("--accept-timeout", 10000, 0))
                .setResponseTimeout(intOption("--response-timeout", 60000, 0))
                .setReleaseTimeout(intOption("--release-timeout", 10000, 0))
                .setIdleTimeout(intOption("--idle-timeout", 0, 0));
        tls(c);
        return c;
    }

    /** The peer's connection. */
    Connection remote(Address a) throws UsageException, ToolException {
        Connection c = new Connection(a.host(), a.port());
        tls(c);
        return c;
    }

    private void tls(Connection c) throws UsageException, ToolException {
        boolean any = args.has("--tls") || args.has("--key-store") || args.has("--trust-store");
        if (!any) {
            return;
        }
        if (!args.has("--tls")) {
            throw new UsageException("--key-store and --trust-store need --tls");
        }
        c.setTls(true);
        c.setTlsNeedClientAuth(!args.has("--tls-no-client-auth"));
        if (args.has("--tls-protocol")) {
            c.setTlsProtocols(args.get("--tls-protocol").split(","));
        }
        if (args.has("--tls-cipher")) {
            c.setTlsCipherSuites(args.get("--tls-cipher").split(","));
        }
        c.setSslContext(sslContext());
    }

    private SSLContext sslContext;

    private SSLContext sslContext() throws ToolException {
        if (sslContext == null) {
            String ks = args.get("--key-store");
            String ts = args.get("--trust-store");
            try {
                sslContext = Tls.sslContext(ks == null ? null : Path.of(ks), args.get("--key-store-type", "PKCS12"),
                        chars(args.get("--key-store-pass")), ts == null ? null : Path.of(ts),
                        args.get("--trust-store-type", "PKCS12"), chars(args.get("--trust-store-pass")));
            } catch (Exception e) {
                throw new ToolException("TLS: " + (ks != null ? ks : ts) + ": "
                        + ToolException.oneLine(String.valueOf(e.getMessage() != null ? e.getMessage() : e)), e);
            }
        }
        return sslContext;
    }

    private static char[] chars(String s) {
        return s == null ? null : s.toCharArray();
    }

    /** Threads for readers and services: daemon threads, so a command never outlives its work. */
    ExecutorService executor() {
        if (executor == null) {
            AtomicInteger n = new AtomicInteger();
            executor = Executors.newCachedThreadPool(r -> daemon(r, "mosaic-dicom-" + n.incrementAndGet()));
        }
        return executor;
    }

    ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mosaic-dicom-timer"));
        }
        return scheduler;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
