package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.api.deidentify.StudyDeidentifier;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOMweb resources under the configured prefix: routes each request to QIDO-RS, WADO-RS, STOW-RS or
 * WADO-URI, answers CORS, and turns every failure into a PS3.18 status code with a message (a text/plain
 * body). The HTTP layer only decodes requests and encodes answers: the index, the storage, the ingest
 * service and the plugins' query/retrieve hooks (QIDO-RS before the query, WADO-RS and WADO-URI before anything
 * is read; a rejection is 403) decide.
 */
final class DicomWebServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DicomWebServlet.class);
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

    /** What the servlet is configured with. */
    record Settings(int maxResults, Set<String> corsOrigins, int bulkDataThreshold) {
    }

    private final transient Archive archive;
    private final transient Settings settings;
    private final transient MetadataStore metadata;
    private final transient Supplier<StudyDeidentifier> deidentifier;
    private final transient WebClients clients;
    private final transient Supplier<Deidentifier> instanceDeidentifier;

    DicomWebServlet(Archive archive, Settings settings, MetadataStore metadata) {
        this(archive, settings, metadata, () -> null);
    }

    /** @param deidentifier the study de-identification of mosaic-deidentify, or null while it is absent */
    DicomWebServlet(Archive archive, Settings settings, MetadataStore metadata,
                    Supplier<StudyDeidentifier> deidentifier) {
        this(archive, settings, metadata, deidentifier, WebClients.NONE, () -> null);
    }

    /**
     * @param clients              which remote AE a client is (for clients marked for de-identification)
     * @param instanceDeidentifier the de-identifier of mosaic-deidentify (null inside while it is absent): what marked
     *                             clients retrieve goes through it
     */
    DicomWebServlet(Archive archive, Settings settings, MetadataStore metadata,
                    Supplier<StudyDeidentifier> deidentifier, WebClients clients,
                    Supplier<Deidentifier> instanceDeidentifier) {
        this.archive = archive;
        this.settings = settings;
        this.metadata = metadata;
        this.deidentifier = deidentifier;
        this.clients = clients;
        this.instanceDeidentifier = instanceDeidentifier;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        cors(request, response);
        try {
            String method = request.getMethod();
            if (method.equals("OPTIONS")) {
                preflight(request, response);
                return;
            }
            String[] path = segments(request.getPathInfo());
            if (method.equals("GET") || method.equals("HEAD")) {
                get(path, request, response);
            } else if (method.equals("POST")) {
                post(path, request, response);
            } else {
                response.setHeader("Allow", "GET, HEAD, POST, OPTIONS");
                throw new WebException(405, method + " is not supported by DICOMweb here");
            }
        } catch (WebException e) {
            error(response, e.status(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("DICOMweb request {} {} failed", request.getMethod(), request.getRequestURI(), e);
            error(response, 500, "the archive failed to answer: " + e);
        }
    }

    /**
     * The archive as this client may see it: as stored, or, for a client marked for de-identification (a remote AE
     * with {@code deidentifyOnRetrieve} whose web clients hold its address), every object de-identified with the
     * AE's profile; QIDO-RS is refused to such a client (403: the index holds identifying values). Fail closed:
     * without the de-identifier or the profile, 503 and nothing is sent.
     */
    private Archive archiveFor(String[] p, HttpServletRequest request) {
        Optional<RemoteApplicationEntity> marked = clients.markedForRetrieve(request);
        if (marked.isEmpty()) {
            return archive;
        }
        RemoteApplicationEntity ae = marked.get();
        String profile = ae.deidentifyOnRetrieve();
        if (isQido(p)) {
            throw new WebException(403, "this client (remote AE " + ae.aeTitle() + ") gets de-identified data only: "
                    + "searches (QIDO-RS) are not answered to it; retrieve the studies by their UIDs (WADO-RS, WADO-URI)");
        }
        Deidentifier d = instanceDeidentifier.get();
        if (d == null) {
            throw WebException.unavailable("this client (remote AE " + ae.aeTitle() + ") gets data de-identified with "
                    + "profile " + profile + ", and de-identification is not available (feature mosaic-deidentify): "
                    + "nothing is sent");
        }
        if (!d.profiles().contains(profile)) {
            throw WebException.unavailable("this client (remote AE " + ae.aeTitle() + ") gets data de-identified with "
                    + "profile " + profile + ", which is not configured (profiles: " + d.profiles() + "): nothing is sent");
        }
        LOG.debug("DICOMweb: {} {} from {} de-identified with profile {} (remote AE {})", request.getMethod(),
                request.getPathInfo(), request.getRemoteAddr(), profile, ae.aeTitle());
        return archive.deidentifying(d, profile, ae.aeTitle());
    }

    private static boolean isQido(String[] p) {
        int n = p.length;
        return n == 1 && (p[0].equals("studies") || p[0].equals("series") || p[0].equals("instances"))
                || n == 3 && p[0].equals("studies") && (p[2].equals("series") || p[2].equals("instances"))
                || n == 5 && p[0].equals("studies") && p[2].equals("series") && p[4].equals("instances");
    }

    private void get(String[] p, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Archive archive = archiveFor(p, request);
        Wado wado = new Wado(archive, metadata, settings.bulkDataThreshold());
        int n = p.length;
        if (n == 1 && p[0].equals("wado")) {
            new WadoUri(archive).retrieve(request, response);
            return;
        }
        if (n == 1 && (p[0].equals("studies") || p[0].equals("series") || p[0].equals("instances"))) {
            qido(QidoQuery.levelOf(p[0]), null, null, request, response);
            return;
        }
        if (n < 2 || !p[0].equals("studies")) {
            throw WebException.notFound("no DICOMweb resource at " + request.getPathInfo());
        }
        String study = uid(p[1]);
        boolean query = n == 3 && (p[2].equals("series") || p[2].equals("instances"))
                || n == 5 && p[2].equals("series") && p[4].equals("instances");
        if (!query) {
            // WADO-RS (retrieve, metadata, frames, bulk data, rendered): the plugins may refuse it first
            String series = n >= 4 && p[2].equals("series") ? uid(p[3]) : "";
            String instance = n >= 6 && p[2].equals("series") && p[4].equals("instances") ? uid(p[5]) : "";
            archive.beforeRetrieve(study, series, instance, Archive.origin(request));
        }
        if (n == 2 && Wado.wantsZip(accept(request))) {
            wado.zip(study, null, request, response);
        } else if (n == 2) {
            wado.retrieve(study, null, null, request, response);
        } else if (n == 3 && p[2].equals("metadata")) {
            wado.metadata(study, null, null, request, response);
        } else if (n == 3 && (p[2].equals("series") || p[2].equals("instances"))) {
            qido(QidoQuery.levelOf(p[2]), study, null, request, response);
        } else if (n >= 4 && p[2].equals("series")) {
            String series = uid(p[3]);
            if (n == 4 && Wado.wantsZip(accept(request))) {
                wado.zip(study, series, request, response);
            } else if (n == 4) {
                wado.retrieve(study, series, null, request, response);
            } else if (n == 5 && p[4].equals("metadata")) {
                wado.metadata(study, series, null, request, response);
            } else if (n == 5 && p[4].equals("instances")) {
                qido(QueryLevel.IMAGE, study, series, request, response);
            } else if (n >= 6 && p[4].equals("instances")) {
                String instance = uid(p[5]);
                if (n == 6) {
                    wado.retrieve(study, series, instance, request, response);
                } else if (n == 7 && p[6].equals("metadata")) {
                    wado.metadata(study, series, instance, request, response);
                } else if (n == 8 && p[6].equals("frames")) {
                    wado.frames(study, series, instance, p[7], request, response);
                } else if (n == 8 && p[6].equals("bulkdata")) {
                    wado.bulkData(study, series, instance, p[7], request, response);
                } else if (n == 7 && (p[6].equals("rendered") || p[6].equals("thumbnail"))) {
                    new Rendered(archive, wado).instance(study, series, instance, 0, p[6].equals("thumbnail"), request,
                            response);
                } else if (n == 9 && p[6].equals("frames") && (p[8].equals("rendered") || p[8].equals("thumbnail"))) {
                    new Rendered(archive, wado).instance(study, series, instance, frameNumber(p[7]),
                            p[8].equals("thumbnail"), request, response);
                } else {
                    throw WebException.notFound("no DICOMweb resource at " + request.getPathInfo());
                }
            } else if (n == 5 && p[4].equals("thumbnail")) {
                new Rendered(archive, wado).representative(study, series, request, response);
            } else if (n == 5 && p[4].equals("rendered")) {
                new Rendered(archive, wado).collection(study, series, request, response);
            } else {
                throw WebException.notFound("no DICOMweb resource at " + request.getPathInfo());
            }
        } else if (n == 3 && p[2].equals("thumbnail")) {
            new Rendered(archive, wado).representative(study, null, request, response);
        } else if (n == 3 && p[2].equals("rendered")) {
            new Rendered(archive, wado).collection(study, null, request, response);
        } else {
            throw WebException.notFound("no DICOMweb resource at " + request.getPathInfo());
        }
    }

    private static int frameNumber(String s) {
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw WebException.badRequest("a rendered frame is one frame number from 1: '" + s + "'");
    }

    private void post(String[] p, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (p.length >= 1 && p.length <= 2 && p[0].equals("studies")) {
            Optional<RemoteApplicationEntity> marked = clients.markedForStore(request);
            if (marked.isPresent()) {
                throw new WebException(403, "this client (remote AE " + marked.get().aeTitle() + ") is marked for "
                        + "de-identification on store, which STOW-RS does not do yet: store through DICOM (C-STORE)");
            }
        }
        if (p.length == 1 && p[0].equals("studies")) {
            new Stow(archive).store(null, request, response);
        } else if (p.length == 2 && p[0].equals("studies")) {
            new Stow(archive).store(uid(p[1]), request, response);
        } else if (p.length == 3 && p[0].equals("studies") && p[2].equals("deidentify")) {
            new Deidentify(deidentifier).post(uid(p[1]), request, response);
        } else {
            response.setHeader("Allow", "GET, HEAD, OPTIONS");
            throw new WebException(405, "POST is supported on /studies, /studies/{StudyInstanceUID} and "
                    + "/studies/{StudyInstanceUID}/deidentify only");
        }
    }

    private void qido(QueryLevel level, String study, String series, HttpServletRequest request,
                      HttpServletResponse response) throws IOException {
        QidoQuery query = QidoQuery.parse(level, study, series, request.getParameterMap(), settings.maxResults());
        QueryRequest asked = archive.beforeQuery(query.request(), Archive.origin(request));
        if (asked != query.request()) {
            query = new QidoQuery(asked, query.limit(), query.offset(), query.limitedByServer());
        }
        new Qido(archive).search(query, request, response);
    }

    /** A UID from the path; 400 when it is not one. */
    static String uid(String s) {
        if (s.length() > 64 || !UID.matcher(s).matches()) {
            throw WebException.badRequest("'" + s + "' is not a UID (digits and dots, at most 64 characters)");
        }
        return s;
    }

    private static String[] segments(String pathInfo) {
        if (pathInfo == null || pathInfo.equals("/") || pathInfo.isEmpty()) {
            return new String[0];
        }
        String p = pathInfo.startsWith("/") ? pathInfo.substring(1) : pathInfo;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.split("/", -1);
    }

    /** The URL of this service (scheme, host, context and servlet path), without a trailing '/'. */
    static String baseURL(HttpServletRequest request) {
        String url = request.getRequestURL().toString();
        String info = request.getPathInfo();
        if (info != null && url.endsWith(info)) {
            url = url.substring(0, url.length() - info.length());
        }
        return url;
    }

    /**
     * The response body, gzipped when the client accepts it and the content is worth compressing (JSON, XML):
     * PS3.18 8.2.2 lets an origin server use content codings the client accepts.
     */
    static OutputStream body(HttpServletRequest request, HttpServletResponse response, boolean compressible)
            throws IOException {
        if (compressible) {
            response.addHeader("Vary", "Accept-Encoding");
            for (String h : Collections.list(request.getHeaders("Accept-Encoding"))) {
                for (String coding : h.split(",")) {
                    String c = coding.trim();
                    if (c.equals("gzip") || c.startsWith("gzip;") && !c.replace(" ", "").endsWith("q=0")) {
                        response.setHeader("Content-Encoding", "gzip");
                        return new GZIPOutputStream(response.getOutputStream(), 8192);
                    }
                }
            }
        }
        return response.getOutputStream();
    }

    static List<MediaType> accept(HttpServletRequest request) {
        List<String> headers = Collections.list(request.getHeaders("Accept"));
        String param = request.getParameter("accept");
        if (param != null && !param.isBlank()) {
            headers = List.of(param);
        }
        return MediaType.parseAccept(headers);
    }

    private void cors(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        if (origin == null || settings.corsOrigins().isEmpty()) {
            return;
        }
        if (settings.corsOrigins().contains("*") || settings.corsOrigins().contains(origin)) {
            response.setHeader("Access-Control-Allow-Origin", settings.corsOrigins().contains("*") ? "*" : origin);
            response.addHeader("Vary", "Origin");
            response.setHeader("Access-Control-Expose-Headers", "Warning, Content-Type, Content-Length, Content-Location, Content-Range");
        }
    }

    private void preflight(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Allow", "GET, HEAD, POST, OPTIONS");
        if (response.containsHeader("Access-Control-Allow-Origin")) {
            response.setHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
            String headers = request.getHeader("Access-Control-Request-Headers");
            response.setHeader("Access-Control-Allow-Headers",
                    headers != null ? headers : "Accept, Authorization, Content-Type");
            response.setHeader("Access-Control-Max-Age", "600");
        }
        response.setStatus(204);
    }

    private static void error(HttpServletResponse response, int status, String message) throws IOException {
        if (response.isCommitted()) {
            LOG.warn("DICOMweb response already started when it failed: {} {}", status, message);
            throw new IOException(message);
        }
        response.resetBuffer();
        response.setHeader("Content-Encoding", null);
        response.setStatus(status);
        response.setContentType("text/plain;charset=utf-8");
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
