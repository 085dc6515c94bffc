package org.mosaicpacs.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mosaicpacs.plugins.internal.TestSupport.config;
import static org.mosaicpacs.plugins.internal.TestSupport.plugin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.plugin.EndpointResponse;
import org.mosaicpacs.api.plugin.PluginEndpoint;

/** {@code /plugins/*} served by a real Jetty, as Pax Web serves it. */
class PluginServletTest {

    @TempDir
    Path temp;

    private PluginRuntime runtime;
    private Server server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        runtime = new PluginRuntime(null, config(temp.resolve("pending.txt"), 10, 1000), new TestSupport.MovableClock(), false);
        server = new Server(0);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new PluginServlet(runtime)), "/plugins/*");
        server.setHandler(context);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        runtime.deactivate();
    }

    private HttpResponse<String> get(String path) throws Exception {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachPluginAnswersUnderItsNameUntilItGoes() throws Exception {
        AtomicInteger stored = new AtomicInteger(41);
        PluginEndpoint counter = request -> request.path().equals("/count")
                ? EndpointResponse.json("{\"count\":" + stored.incrementAndGet() + ",\"method\":\"" + request.method()
                        + "\",\"q\":\"" + request.parameter("q") + "\"}")
                : EndpointResponse.notFound("only /count here");
        Map<String, Object> props = plugin("counter");
        runtime.bindPluginEndpoint(counter, props);
        runtime.bindPluginEndpoint(request -> {
            throw new IllegalStateException("broken");
        }, plugin("broken"));

        HttpResponse<String> count = get("/plugins/counter/count?q=x");
        assertEquals(200, count.statusCode());
        assertEquals("application/json", count.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"count\":42,\"method\":\"GET\",\"q\":\"x\"}", count.body());
        assertEquals(404, get("/plugins/counter/other").statusCode());
        assertEquals("{\"plugins\":[\"broken\",\"counter\"]}", get("/plugins/").body());
        assertEquals(500, get("/plugins/broken/anything").statusCode());
        assertEquals(1, runtime.plugins().stream().filter(p -> p.name().equals("broken")).findFirst().orElseThrow()
                .counts().failures());

        runtime.unbindPluginEndpoint(counter, props);
        assertEquals(404, get("/plugins/counter/count").statusCode());
        assertEquals(404, get("/plugins/nobody/count").statusCode());
    }
}
