package org.mosaicpacs.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;

/** What the distribution tests share: free ports, an HTTP status probe, and editing a cfg file before a start. */
final class Ports {

    private Ports() {
    }

    /** A TCP port that was free a moment ago. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
