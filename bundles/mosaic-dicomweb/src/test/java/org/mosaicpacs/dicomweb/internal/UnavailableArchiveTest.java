package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** While the index, the ingest service or the storage is absent (dynamic references), DICOMweb answers 503. */
class UnavailableArchiveTest {

    @TempDir
    Path temp;

    @Test
    void answers503WithAMessage() throws Exception {
        Archive nothing = new Archive(() -> null, () -> null, id -> null);
        Server jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new DicomWebServlet(nothing, new DicomWebServlet.Settings(10, Set.of(), 1024),
                new MetadataStore(temp, 1024))), "/dicom-web/*");
        jetty.setHandler(context);
        jetty.start();
        try {
            String base = "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/dicom-web";
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"/studies", "/studies/1.2.3/series/1.2.3.4/metadata", "/studies/1.2.3"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, r.statusCode(), path);
                assertTrue(r.body().contains("index"), r.body());
            }
            HttpResponse<String> stow = http.send(HttpRequest.newBuilder(URI.create(base + "/studies"))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=b")
                    .POST(HttpRequest.BodyPublishers.ofString("--b\r\n\r\nx\r\n--b--")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, stow.statusCode());
            assertTrue(stow.body().contains("ingest"), stow.body());
        } finally {
            jetty.stop();
        }
    }
}
