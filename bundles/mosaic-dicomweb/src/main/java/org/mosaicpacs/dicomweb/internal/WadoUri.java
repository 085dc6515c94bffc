package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.dicom.image.PixelDataDecoder;

/**
 * WADO-URI (PS3.18 9): {@code wado?requestType=WADO&studyUID=&seriesUID=&objectUID=&contentType=application/dicom}
 * answers the instance as one application/dicom body, as stored or, with {@code transferSyntax}, converted
 * among the uncompressed transfer syntaxes (a compressed instance dicom-image decodes is decompressed). Rendered content types (image/jpeg, the default, and image/png) are
 * served by {@link Rendered} (dicom-image).
 */
final class WadoUri {

    private final Archive archive;

    WadoUri(Archive archive) {
        this.archive = archive;
    }

    void retrieve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestType = request.getParameter("requestType");
        if (!"WADO".equals(requestType)) {
            throw WebException.badRequest("requestType=WADO is required");
        }
        String study = required(request, "studyUID");
        String series = required(request, "seriesUID");
        String object = required(request, "objectUID");
        archive.beforeRetrieve(study, series, object, Archive.origin(request));
        String contentType = request.getParameter("contentType");
        if (contentType == null || contentType.isBlank()
                || List.of(contentType.split(",")).stream().noneMatch(c -> c.trim().startsWith(MediaType.DICOM))) {
            // a rendered image (PS3.18 9.2: image/jpeg when contentType is absent)
            String rendered = contentType == null || contentType.isBlank() ? "image/jpeg"
                    : List.of(contentType.split(",")).stream().map(String::trim)
                            .filter(c -> c.equals("image/jpeg") || c.equals("image/png")).findFirst()
                            .orElseThrow(() -> WebException.notAcceptable(
                                    "contentType is application/dicom, image/jpeg or image/png"));
            new Rendered(archive, new Wado(archive, null, Integer.MAX_VALUE)).wadoUri(study, series, object, rendered,
                    request, response);
            return;
        }
        Wado wado = new Wado(archive, null, Integer.MAX_VALUE);
        InstanceLocation i = wado.locate(study, series, object).get(0);
        String stored = i.location().transferSyntaxUID();
        String wanted = request.getParameter("transferSyntax");
        String ts = stored;
        if (wanted != null && !wanted.isBlank() && !wanted.trim().equals(stored)) {
            if (!Wado.uncompressed(wanted.trim())
                    || !(Wado.uncompressed(stored) || PixelDataDecoder.canDecode(stored))) {
                throw WebException.notAcceptable("instance " + object + " is stored in " + stored
                        + " and cannot be converted to " + wanted.trim());
            }
            ts = wanted.trim();
            Wado.checkConvertible(i, ts);
        }
        response.setStatus(200);
        response.setContentType(MediaType.DICOM);
        if (ts.equals(stored) && !archive.deidentified()) {
            response.setContentLengthLong(i.location().size());
        }
        wado.writeInstance(i, ts, response.getOutputStream());
    }

    private static String required(HttpServletRequest request, String name) {
        String v = request.getParameter(name);
        if (v == null || v.isBlank()) {
            throw WebException.badRequest(name + " is required");
        }
        return DicomWebServlet.uid(v.trim());
    }
}
