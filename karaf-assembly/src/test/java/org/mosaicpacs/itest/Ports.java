package org.mosaicpacs.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;

/** What the distribution tests share: free ports, an HTTP status probe, and editing a cfg file before a start. */
final class Ports {

    private Ports() {
    }

    /** Ports handed out by this JVM: never twice, even when the first is not bound yet. */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();
    /** Above the ports Pax Exam picks for its own RMI connections (21000 and up, a few per container). */
    private static final int LOWEST = 22_000;

    /**
     * A TCP port that was free a moment ago, below the system's ephemeral range. A distribution binds its ports
     * tens of seconds after they were chosen, meanwhile the build opens many local connections; a port from the
     * ephemeral range (what {@code new ServerSocket(0)} gives) can be taken by one of those as its local port, and
     * the distribution then cannot listen (Jetty down: "waiting for the archive to be up" times out).
     */
    static int freePort() {
        int below = ephemeralLow();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (!GIVEN.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // in use: another try
            }
        }
        throw new IllegalStateException("no free port in " + LOWEST + ".." + below);
    }

    /** The lower end of the ephemeral port range (Linux), 32768 where it cannot be read. */
    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return low > LOWEST + 1000 ? low : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /** The HTTP status of a GET, or -1 when nothing answers. */
    static int httpStatus(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            int code = connection.getResponseCode();
            connection.disconnect();
            return code;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Sets {@code key = value} in a Karaf cfg file, replacing the line that has the key or appending one. */
    static void editCfg(Path cfg, String key, String value) throws IOException {
        String text = Files.readString(cfg);
        String edited = text.replaceAll("(?m)^" + key + "\\s*=.*$", key + " = " + Matcher.quoteReplacement(value));
        if (edited.equals(text)) {
            edited = text + System.lineSeparator() + key + " = " + value + System.lineSeparator();
        }
        Files.writeString(cfg, edited);
    }
}
