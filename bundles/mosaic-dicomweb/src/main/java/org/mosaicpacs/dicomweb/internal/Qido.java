package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.json.DicomJsonArrayWriter;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.mosaicpacs.dicom.xml.DicomXmlWriter;

/**
 * QIDO-RS (PS3.18 10.6): runs a {@link QidoQuery} on the index and answers DICOM JSON (or, when asked
 * for, multipart/related DICOM XML, one part per match). Matches are held only up to the page size, which
 * the server maximum bounds, so that the status and a Warning header can be set before the body.
 */
final class Qido {

    static final String WARNING_MORE = "299 mosaic: \"The number of results exceeded the maximum supported by "
            + "the server. Additional results can be requested.\"";

    private final Archive archive;

    Qido(Archive archive) {
        this.archive = archive;
    }

    void search(QidoQuery query, HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean xml = wantsXml(DicomWebServlet.accept(request));
        List<Attributes> page = new ArrayList<>();
        boolean[] more = {false};
        int[] seen = {0};
        try {
            archive.index().query(query.request(), match -> {
                if (seen[0]++ < query.offset()) {
                    return true;
                }
                if (page.size() == query.limit()) {
                    more[0] = true;
                    return false;
                }
                page.add(match);
                return true;
            });
        } catch (IndexException e) {
            if (e.isInvalidRequest()) {
                throw WebException.badRequest(e.getMessage());
            }
            throw WebException.unavailable("the index failed: " + e.getMessage());
        }
        if (more[0] && query.limitedByServer()) {
            response.setHeader("Warning", WARNING_MORE);
        }
        if (page.isEmpty()) {
            // PS3.18 8.3.4.4.1: no match is 204 No Content with an empty payload
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        String base = DicomWebServlet.baseURL(request);
        for (Attributes match : page) {
            finish(match, query.request().level(), base);
        }
        response.setStatus(HttpServletResponse.SC_OK);
        if (xml) {
            try (OutputStream out = DicomWebServlet.body(request, response, true)) {
                MultipartWriter parts = new MultipartWriter(out);
                response.setContentType(parts.contentType(MediaType.DICOM_XML));
                for (Attributes match : page) {
                    parts.startPart(MediaType.DICOM_XML, null);
                    new DicomXmlWriter(out, null).write(match);
                }
                parts.finish();
            }
        } else {
            response.setContentType(MediaType.DICOM_JSON);
            try (OutputStream out = DicomWebServlet.body(request, response, true);
                 DicomJsonArrayWriter array = new DicomJsonArrayWriter(new DicomJsonWriter(out, null))) {
                for (Attributes match : page) {
                    array.write(match);
                }
            }
        }
    }

    /** The answer to one match: without the Query/Retrieve Level, with Retrieve URL and Instance Availability. */
    private static void finish(Attributes match, QueryLevel level, String base) {
        match.remove(Tag.QueryRetrieveLevel);
        String study = match.getString(Tag.StudyInstanceUID);
        String series = match.getString(Tag.SeriesInstanceUID);
        String url = base + "/studies/" + study;
        if (level != QueryLevel.STUDY) {
            url += "/series/" + series;
        }
        if (level == QueryLevel.IMAGE) {
            url += "/instances/" + match.getString(Tag.SOPInstanceUID);
        }
        match.setString(Tag.RetrieveURL, VR.UR, url);
        match.setString(Tag.InstanceAvailability, VR.CS, "ONLINE");
    }

    /** Whether the client wants DICOM XML (it accepts it, and prefers it to JSON). */
    static boolean wantsXml(List<MediaType> accept) {
        return wantsXml(accept, "search results are application/dicom+json or multipart/related; "
                + "type=\"application/dicom+xml\"");
    }

    /** {@link #wantsXml(List)}, with {@code refusal} as the 406 message. */
    static boolean wantsXml(List<MediaType> accept, String refusal) {
        for (MediaType m : accept) {
            if (m.accepts(MediaType.DICOM_JSON) || m.type().equals("application/json")) {
                return false;
            }
            if (m.type().equals(MediaType.MULTIPART_RELATED) && MediaType.DICOM_XML.equals(m.partType())
                    || m.type().equals(MediaType.DICOM_XML)) {
                return true;
            }
        }
        throw WebException.notAcceptable(refusal);
    }
}
