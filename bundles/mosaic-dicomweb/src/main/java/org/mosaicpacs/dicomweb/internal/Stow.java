package org.mosaicpacs.dicomweb.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.mosaicpacs.dicom.xml.DicomXmlWriter;

/**
 * STOW-RS (PS3.18 10.5): a multipart/related body of application/dicom parts, each streamed into the
 * {@link IngestService} as it arrives (the body is never held; of each part only its header, at most
 * {@value #MAX_HEADER_BYTES} bytes, is looked at first to learn its UIDs). The answer lists the stored
 * instances (Referenced SOP Sequence) and the failed ones with a Failure Reason (Failed SOP Sequence; for an
 * instance a plugin refused, the plugin's DICOM status):
 * 200 when all were stored, 202 when some failed or came with a warning, 409 when none was stored.
 */
final class Stow {

    static final int MAX_HEADER_BYTES = 4 * 1024 * 1024;

    /** Failure Reasons (PS3.18 Table 10.5.3-3, the C-STORE statuses of PS3.4). */
    static final int CANNOT_UNDERSTAND = 0xC000;
    static final int DOES_NOT_MATCH = 0xA900;
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int PROCESSING_FAILURE = 0x0110;
    static final int DUPLICATE = 0x0111;
    static final int ELEMENTS_DISCARDED = 0xB006;

    private final Archive archive;

    Stow(Archive archive) {
        this.archive = archive;
    }

    void store(String study, HttpServletRequest request, HttpServletResponse response) throws IOException {
        MediaType type = MediaType.parse(request.getContentType());
        if (type == null || !type.type().equals(MediaType.MULTIPART_RELATED)) {
            throw new WebException(415, "STOW-RS takes multipart/related; type=\"application/dicom\", not "
                    + request.getContentType());
        }
        boolean xmlMetadata = MediaType.DICOM_XML.equals(type.partType());
        boolean metadata = MediaType.DICOM_JSON.equals(type.partType()) || xmlMetadata;
        if (type.partType() != null && !type.partType().equals(MediaType.DICOM) && !metadata) {
            throw new WebException(415, "STOW-RS takes multipart/related with application/dicom parts, or "
                    + "application/dicom+json or application/dicom+xml metadata with bulk data parts; not "
                    + type.partType());
        }
        String boundary = type.parameter("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
            throw WebException.badRequest("the multipart/related Content-Type has no valid boundary parameter");
        }
        boolean xml = wantsXml(DicomWebServlet.accept(request));
        IngestService ingest = archive.ingest();
        String base = DicomWebServlet.baseURL(request);
        Origin origin = new Origin("STOW-RS", "", request.getRemoteAddr());

        List<Result> results = new java.util.ArrayList<>();
        MultipartReader reader = new MultipartReader(request.getInputStream(), boundary);
        int parts = 0;
        try {
            if (metadata) {
                parts = new StowMetadata(study, xmlMetadata, ingest, origin).store(reader, results);
            } else {
                MultipartReader.Part part;
                while ((part = reader.nextPart()) != null) {
                    parts++;
                    results.add(storeOne(part, study, ingest, origin));
                }
            }
        } catch (MultipartReader.MalformedMultipartException e) {
            long stored = results.stream().filter(Result::stored).count();
            throw WebException.badRequest("malformed multipart body: " + e.getMessage()
                    + (stored > 0 ? " (" + stored + " instances before it were stored)" : ""));
        }
        if (parts == 0) {
            throw WebException.badRequest("the multipart body has no part");
        }
        Attributes answer = new Attributes();
        Sequence referenced = null;
        Sequence failed = null;
        boolean warnings = false;
        List<String> messages = new java.util.ArrayList<>();
        for (Result r : results) {
            if (r.stored()) {
                if (referenced == null) {
                    referenced = answer.newSequence(Tag.ReferencedSOPSequence, 4);
                }
                Attributes item = referenced.addNewItem();
                item.setString(Tag.ReferencedSOPClassUID, VR.UI, r.sopClass);
                item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, r.sopInstance);
                item.setString(Tag.RetrieveURL, VR.UR, base + "/studies/" + r.study + "/series/" + r.series
                        + "/instances/" + r.sopInstance);
                if (r.reason != 0) {
                    item.setInt(Tag.WarningReason, VR.US, r.reason);
                    warnings = true;
                }
            } else {
                if (failed == null) {
                    failed = answer.newSequence(Tag.FailedSOPSequence, 4);
                }
                Attributes item = failed.addNewItem();
                if (r.sopClass != null) {
                    item.setString(Tag.ReferencedSOPClassUID, VR.UI, r.sopClass);
                } else {
                    item.setNull(Tag.ReferencedSOPClassUID, VR.UI);
                }
                if (r.sopInstance != null) {
                    item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, r.sopInstance);
                } else {
                    item.setNull(Tag.ReferencedSOPInstanceUID, VR.UI);
                }
                item.setInt(Tag.FailureReason, VR.US, r.reason);
                if (r.message != null && messages.size() < 10) {
                    messages.add(r.message);
                }
            }
        }
        // why an instance failed, in words (the Failure Reason is a code): PS3.18 8.3.3.3 Warning header fields
        for (String m : messages) {
            response.addHeader("Warning", "299 mosaic: \"" + m.replace('"', '\'').replaceAll("[\\r\\n]", " ") + "\"");
        }
        if (study != null) {
            answer.setString(Tag.RetrieveURL, VR.UR, base + "/studies/" + study);
        }
        int status = referenced == null ? 409 : failed != null || warnings ? 202 : 200;
        response.setStatus(status);
        response.setContentType(xml ? MediaType.DICOM_XML : MediaType.DICOM_JSON);
        try (OutputStream out = DicomWebServlet.body(request, response, true)) {
            if (xml) {
                new DicomXmlWriter(out, null).write(answer);
            } else {
                new DicomJsonWriter(out, null).write(answer);
            }
        }
    }

    /** What became of one instance; {@code message} says why it failed, in words (or null). */
    record Result(int reason, String study, String series, String sopClass, String sopInstance, String message) {
        Result(int reason, String study, String series, String sopClass, String sopInstance) {
            this(reason, study, series, sopClass, sopInstance, null);
        }

        boolean stored() {
            return reason == 0 || reason == ELEMENTS_DISCARDED;
        }
    }

    private Result storeOne(MultipartReader.Part part, String study, IngestService ingest, Origin origin)
            throws IOException {
        MediaType partType = MediaType.parse(part.contentType());
        if (partType != null && !partType.type().equals(MediaType.DICOM)) {
            return new Result(CANNOT_UNDERSTAND, null, null, null, null);
        }
        HeadCapture head = new HeadCapture(part.content(), MAX_HEADER_BYTES);
        Attributes ds = null;
        try {
            DicomInputStream dis = new DicomInputStream(head);
            Attributes fmi = dis.readFileMetaInformation();
            if (fmi == null) {
                return new Result(CANNOT_UNDERSTAND, null, null, null, null);
            }
            ds = dis.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
        } catch (MultipartReader.MalformedMultipartException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (!head.full()) {
                return new Result(CANNOT_UNDERSTAND, null, null, null, null);
            }
            ds = null; // a header beyond the limit: the ingest reads it, without a check here
        }
        String sopClass = ds == null ? null : ds.getString(Tag.SOPClassUID);
        String sopInstance = ds == null ? null : ds.getString(Tag.SOPInstanceUID);
        if (study != null && (ds == null || !study.equals(ds.getString(Tag.StudyInstanceUID)))) {
            return new Result(DOES_NOT_MATCH, null, null, sopClass, sopInstance);
        }
        InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head.captured()), part.content());
        return result(ingest.ingest(whole, origin), sopClass, sopInstance);
    }

    /** The STOW-RS result of one ingest. */
    static Result result(IngestResult result, String sopClass, String sopInstance) {
        if (result.instance().isPresent()) {
            var i = result.instance().get();
            sopClass = i.sopClassUID();
            sopInstance = i.sopInstanceUID();
        }
        int reason = switch (result.outcome()) {
            case STORED, REPLACED -> 0;
            case KEPT_FIRST -> ELEMENTS_DISCARDED;
            case REJECTED_DUPLICATE -> DUPLICATE;
            case CANNOT_UNDERSTAND -> CANNOT_UNDERSTAND;
            case INVALID -> DOES_NOT_MATCH;
            case STORAGE_UNAVAILABLE -> OUT_OF_RESOURCES;
            case PROCESSING_FAILURE -> PROCESSING_FAILURE;
            // the failure status the plugin's interceptor refused the instance with
            case REJECTED_BY_PLUGIN -> result.status();
        };
        return result.instance().map(i -> new Result(reason, i.studyInstanceUID(), i.seriesInstanceUID(),
                        i.sopClassUID(), i.sopInstanceUID()))
                .orElse(new Result(reason == 0 ? PROCESSING_FAILURE : reason, null, null, sopClass, sopInstance,
                        result.message()));
    }

    static boolean wantsXml(List<MediaType> accept) {
        for (MediaType m : accept) {
            if (m.accepts(MediaType.DICOM_JSON) || m.type().equals("application/json")) {
                return false;
            }
            if (m.type().equals(MediaType.DICOM_XML)) {
                return true;
            }
        }
        throw WebException.notAcceptable("the STOW-RS answer is application/dicom+json or application/dicom+xml");
    }

    /** Keeps the first bytes read through it, so that they can be read again; fails past its limit. */
    static final class HeadCapture extends InputStream {

        /** The header did not fit in the limit. */
        static final class Full extends IOException {
            private static final long serialVersionUID = 1L;

            Full() {
                super("header larger than the capture limit");
            }
        }

        private final InputStream in;
        private final int limit;
        private final ByteArrayOutputStream captured = new ByteArrayOutputStream(8192);

        HeadCapture(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        byte[] captured() {
            return captured.toByteArray();
        }

        /** Whether the limit was reached (the header was not all read). */
        boolean full() {
            return captured.size() >= limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int room = limit - captured.size();
            if (room <= 0) {
                throw new Full();
            }
            int n = in.read(b, off, Math.min(len, room));
            if (n > 0) {
                captured.write(b, off, n);
            }
            return n;
        }
    }
}
