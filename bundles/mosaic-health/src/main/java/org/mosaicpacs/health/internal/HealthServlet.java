package org.mosaicpacs.health.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.mosaicpacs.api.health.ComponentHealth;
import org.mosaicpacs.api.health.HealthReport;
import org.mosaicpacs.api.health.HealthService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /health}: 200 with the report as JSON when the archive is up, 503 with the same body
 * while it is starting or when a part of it is down. Load balancers and test harnesses poll it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/health")
@HttpWhiteboardServletName("mosaic-health")
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient HealthService health;

    @Activate
    public HealthServlet(@Reference HealthService health) {
        this.health = health;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HealthReport report = health.report();
        response.setStatus(report.isUp() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        try (Writer out = response.getWriter()) {
            out.write(toJson(report));
        }
    }

    /** The report as a JSON object: status, bootFinished, time, components[], problems[]. */
    static String toJson(HealthReport report) {
        StringBuilder json = new StringBuilder(256 + 128 * report.components().size());
        json.append("{\"status\":").append(quote(report.state().name()))
                .append(",\"bootFinished\":").append(report.bootFinished())
                .append(",\"time\":").append(quote(report.time().toString()))
                .append(",\"components\":[");
        String separator = "";
        for (ComponentHealth c : report.components()) {
            json.append(separator).append("{\"name\":").append(quote(c.name()))
                    .append(",\"bundle\":").append(quote(c.bundle()))
                    .append(",\"state\":").append(quote(c.state().name()))
                    .append(",\"detail\":").append(quote(c.detail())).append('}');
            separator = ",";
        }
        json.append("],\"problems\":[");
        separator = "";
        for (String problem : report.problems()) {
            json.append(separator).append(quote(problem));
            separator = ",";
        }
        return json.append("]}").toString();
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': q.append("\\\""); break;
                case '\\': q.append("\\\\"); break;
                case '\n': q.append("\\n"); break;
                case '\r': q.append("\\r"); break;
                case '\t': q.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
            }
        }
        return q.append('"').toString();
    }
}
