package org.mosaicpacs.dicomweb.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.storage.ObjectNotFoundException;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.image.Decompressor;
import org.mosaicpacs.dicom.image.PixelDataDecoder;
import org.mosaicpacs.dicom.image.PixelDataException;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/**
 * WADO-RS (PS3.18 10.4): instances as multipart/related application/dicom, streamed one instance at a time
 * from the storage backends (as stored, converted among the uncompressed transfer syntaxes, or decompressed), metadata
 * from the {@link MetadataStore}, bulk data and uncompressed (or one-fragment-per-frame) frames with
 * their byte ranges read straight from the stored object.
 */
final class Wado {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    /** The largest object converted to another transfer syntax (it is read into memory). */
    static final long MAX_CONVERTED_BYTES = 256L * 1024 * 1024;
    /** Decompresses instances stored compressed for a client that asks for an uncompressed syntax. */
    private static final Decompressor DECOMPRESSOR = new Decompressor(new PixelDataDecoder());
    private static final Pattern OFFSET_LENGTH = Pattern.compile("(\\d{1,18})-(\\d{1,18})");

    private final Archive archive;
    private final MetadataStore metadata;
    private final int bulkDataThreshold;

    Wado(Archive archive, MetadataStore metadata, int bulkDataThreshold) {
        this.archive = archive;
        this.metadata = metadata;
        this.bulkDataThreshold = bulkDataThreshold;
    }

    // ---------------------------------------------------------------- instances

    void retrieve(String study, String series, String instance, HttpServletRequest request,
                  HttpServletResponse response) throws IOException {
        List<InstanceLocation> instances = locate(study, series, instance);
        List<MediaType> accept = DicomWebServlet.accept(request);
        Map<InstanceLocation, String> syntaxes = new LinkedHashMap<>();
        for (InstanceLocation i : instances) {
            String stored = i.location().transferSyntaxUID();
            String ts = transferSyntax(accept, stored);
            if (ts == null) {
                throw WebException.notAcceptable("instance " + i.sopInstanceUID() + " is stored in " + stored
                        + ", which the Accept header does not allow and which cannot be converted (ask for "
                        + "multipart/related; type=\"application/dicom\"; transfer-syntax=*)");
            }
            checkConvertible(i, ts);
            syntaxes.put(i, ts);
        }
        String base = DicomWebServlet.baseURL(request);
        response.setStatus(200);
        OutputStream out = response.getOutputStream();
        MultipartWriter parts = new MultipartWriter(out);
        response.setContentType(parts.contentType(MediaType.DICOM));
        List<byte[]> headers = new ArrayList<>(syntaxes.size());
        // every part as stored: the body's length is known from the index before the first byte
        boolean asStored = !archive.deidentified();
        long length = 0;
        for (Map.Entry<InstanceLocation, String> e : syntaxes.entrySet()) {
            InstanceLocation i = e.getKey();
            // a de-identified instance has other UIDs than the path it is asked by: no Content-Location names them
            byte[] header = parts.partHeader(MediaType.DICOM + "; transfer-syntax=" + e.getValue(),
                    archive.deidentified() ? null : base + "/studies/" + i.studyInstanceUID() + "/series/"
                            + i.seriesInstanceUID() + "/instances/" + i.sopInstanceUID());
            headers.add(header);
            asStored &= e.getValue().equals(i.location().transferSyntaxUID());
            length += header.length + i.location().size();
        }
        if (asStored) {
            // a Content-Length instead of chunked transfer coding: no chunk framing for the client to decode (Python's
            // http.client copies every chunk once more), and a client can show its progress
            response.setContentLengthLong(length + parts.closing().length);
        }
        int k = 0;
        for (Map.Entry<InstanceLocation, String> e : syntaxes.entrySet()) {
            out.write(headers.get(k++));
            writeInstance(e.getKey(), e.getValue(), out);
        }
        parts.finish();
    }

    /**
     * Whether the Accept ranges (or {@code ?accept=}) ask for a ZIP archive before anything else: the first range that
     * is {@code application/zip}, a multipart, {@code application/dicom} or a wildcard decides (the default stays
     * multipart/related).
     */
    static boolean wantsZip(List<MediaType> accept) {
        for (MediaType m : accept) {
            if (m.type().equals(MediaType.ZIP)) {
                return true;
            }
            if (m.type().equals("*/*") || m.type().startsWith("multipart/") || m.type().equals(MediaType.DICOM)
                    || m.type().equals("application/*")) {
                return false;
            }
        }
        return false;
    }

    /**
     * A study or series as one ZIP archive of Part 10 files in their stored transfer syntax, named
     * {@code <SeriesInstanceUID>/<SOPInstanceUID>.dcm} and nothing else. Written straight to the response, one
     * instance at a time: entries are DEFLATED (fast level), because a deflated entry can be streamed with its CRC and
     * sizes in a data descriptor after the data, whereas a STORED entry needs both before its data (each object read
     * twice, or held); uncompressed pixel data also shrinks. For a client marked for de-identification the objects
     * come from the de-identifying storage view and the names carry the de-identified UIDs.
     */
    void zip(String study, String series, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        List<InstanceLocation> instances = locate(study, series, null);
        if (archive.deidentified()) {
            for (InstanceLocation i : instances) {
                if (i.location().size() > MAX_CONVERTED_BYTES) {
                    throw WebException.notAcceptable("instance " + i.sopInstanceUID() + " is larger than "
                            + MAX_CONVERTED_BYTES + " bytes and is not de-identified for DICOMweb (it is done in "
                            + "memory): retrieve it by C-MOVE or C-GET");
                }
            }
        }
        response.setStatus(200);
        response.setContentType(MediaType.ZIP);
        String name = series == null ? study : study + "_" + series;
        // de-identified: the archive's name must not carry the original UIDs
        response.setHeader("Content-Disposition", "attachment; filename=\""
                + (archive.deidentified() ? "deidentified" : name) + ".zip\"");
        java.util.Set<String> names = new java.util.HashSet<>();
        // not closed on a failure: a broken download must not end with a central directory that looks complete
        java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(
                new NonClosingOutputStream(response.getOutputStream()));
        zip.setMethod(java.util.zip.ZipOutputStream.DEFLATED);
        zip.setLevel(java.util.zip.Deflater.BEST_SPEED);
        for (InstanceLocation i : instances) {
            String entry = entryName(i);
            if (!names.add(entry)) {
                continue; // never two entries of one name
            }
            zip.putNextEntry(new java.util.zip.ZipEntry(entry));
            writeInstance(i, i.location().transferSyntaxUID(), zip);
            zip.closeEntry();
        }
        zip.finish();
        response.getOutputStream().flush();
    }

    /** {@code <SeriesInstanceUID>/<SOPInstanceUID>.dcm}: of the index, or, de-identified, of the object sent. */
    private String entryName(InstanceLocation i) throws IOException {
        String seriesUID = i.seriesInstanceUID();
        String sopUID = i.sopInstanceUID();
        if (archive.deidentified()) {
            StorageBackend storage = archive.storage(i.location().storageId());
            try (InputStream in = storage.read(i.location().key())) {
                DicomInputStream dis = new DicomInputStream(in);
                dis.readFileMetaInformation();
                Attributes header = dis.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
                seriesUID = header.getString(Tag.SeriesInstanceUID, "");
                sopUID = header.getString(Tag.SOPInstanceUID, "");
            } catch (StorageException e) {
                throw new IOException("instance " + i.sopInstanceUID() + " cannot be read: " + e.getMessage(), e);
            }
            if (!seriesUID.matches("[0-9.]{1,64}") || !sopUID.matches("[0-9.]{1,64}")) {
                throw new IOException("a de-identified instance has no usable UIDs");
            }
        }
        return seriesUID + "/" + sopUID + ".dcm";
    }

    /**
     * Writes one instance as a Part 10 file in {@code ts}: its stored bytes, converted among the uncompressed
     * syntaxes, or decompressed when it is stored compressed and {@code ts} is uncompressed (dicom-image's
     * {@link Decompressor}, the codec C-GET and C-MOVE use for peers that accept only uncompressed data).
     * Decompressed to Explicit VR Little Endian, frames are decoded and written one at a time (the compressed object
     * is in memory, at most {@value #MAX_CONVERTED_BYTES} bytes); to another uncompressed syntax the decoded pixel data
     * is held whole, also at most {@value #MAX_CONVERTED_BYTES} bytes.
     *
     * @throws WebException 500 for pixel data that cannot be decoded (501 for a syntax dicom-image does not decode),
     *         which the servlet answers when nothing was sent yet
     */
    void writeInstance(InstanceLocation i, String ts, OutputStream out) throws IOException {
        StorageBackend storage = archive.storage(i.location().storageId());
        try (InputStream in = storage.read(i.location().key())) {
            if (ts.equals(i.location().transferSyntaxUID())) {
                copy(in, out);
                return;
            }
            DicomInputStream dis = new DicomInputStream(new BufferedInputStream(in, 65536));
            Attributes fmi = dis.readFileMetaInformation();
            Attributes ds = dis.readDataset();
            // the syntax of the object read (the index's, unless a de-identifier re-encoded it)
            String read = dis.getTransferSyntax();
            if (TransferSyntax.of(read).isEncapsulated() && ds.getFragments(Tag.PixelData) != null) {
                if (ts.equals(UID.ExplicitVRLittleEndian)) {
                    DECOMPRESSOR.decompress(ds, read, fmi, out);
                    return;
                }
                ds = DECOMPRESSOR.decompress(ds, read, MAX_CONVERTED_BYTES);
            }
            DicomOutputStream dos = new DicomOutputStream(new NonClosingOutputStream(out));
            // the UIDs of the object read (a de-identified one has others than the index)
            dos.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(
                    ds.getString(Tag.SOPClassUID, i.sopClassUID()), ds.getString(Tag.SOPInstanceUID, i.sopInstanceUID()),
                    ts));
            dos.writeDataset(ds);
            dos.finish();
        } catch (PixelDataException e) {
            throw Rendered.failure(i, e);
        } catch (StorageException e) {
            throw new IOException("instance " + i.sopInstanceUID() + " cannot be read from " + storage.id() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The transfer syntax to send an instance stored in {@code stored} in, as the Accept ranges allow (first
     * acceptable range wins), or null. A range without transfer-syntax asks for Explicit VR Little Endian
     * (PS3.18 8.7.3.5.2); {@code *} takes the stored syntax; uncompressed syntaxes convert among themselves, and a
     * compressed syntax dicom-image decodes ({@link PixelDataDecoder#canDecode}) becomes any uncompressed one.
     */
    static String transferSyntax(List<MediaType> accept, String stored) {
        for (MediaType m : accept) {
            String ts;
            if (m.type().equals("*/*")) {
                ts = m.parameter("transfer-syntax") == null ? "*" : m.parameter("transfer-syntax");
            } else if (m.type().equals(MediaType.MULTIPART_RELATED) || m.type().equals("multipart/*")) {
                String part = m.partType();
                if (part != null && !part.equals(MediaType.DICOM) && !part.equals("application/*")
                        && !part.equals("*/*")) {
                    continue;
                }
                ts = m.parameter("transfer-syntax");
            } else if (m.type().equals(MediaType.DICOM)) {
                ts = m.parameter("transfer-syntax");
            } else {
                continue;
            }
            if (ts == null) {
                ts = UID.ExplicitVRLittleEndian;
            }
            if (ts.equals("*") || ts.equals(stored)) {
                return stored;
            }
            if (uncompressed(ts) && (uncompressed(stored) || PixelDataDecoder.canDecode(stored))) {
                return ts;
            }
        }
        return null;
    }

    /**
     * A converted instance is held in memory while it is written: objects larger than
     * {@value #MAX_CONVERTED_BYTES} bytes are only sent as stored (406 otherwise), so that one request
     * cannot exhaust the heap.
     */
    static void checkConvertible(InstanceLocation i, String ts) {
        if (!ts.equals(i.location().transferSyntaxUID()) && i.location().size() > MAX_CONVERTED_BYTES) {
            throw WebException.notAcceptable("instance " + i.sopInstanceUID() + " (" + i.location().size()
                    + " bytes) is too large to convert from " + i.location().transferSyntaxUID()
                    + ": ask for its stored transfer syntax (transfer-syntax=*)");
        }
    }

    static boolean uncompressed(String ts) {
        return ts.equals(UID.ImplicitVRLittleEndian) || ts.equals(UID.ExplicitVRLittleEndian)
                || ts.equals(UID.ExplicitVRBigEndian) || ts.equals(UID.DeflatedExplicitVRLittleEndian);
    }

    // ---------------------------------------------------------------- metadata

    void metadata(String study, String series, String instance, HttpServletRequest request,
                  HttpServletResponse response) throws IOException {
        List<InstanceLocation> instances = locate(study, series, instance);
        boolean xml = Qido.wantsXml(DicomWebServlet.accept(request), "metadata is served as application/dicom+json "
                + "or multipart/related; type=\"application/dicom+xml\"");
        // group by series, in the order the index gives them (series, then instance number)
        Map<String, List<InstanceLocation>> bySeries = new LinkedHashMap<>();
        for (InstanceLocation i : instances) {
            bySeries.computeIfAbsent(i.seriesInstanceUID(), k -> new ArrayList<>()).add(i);
        }
        if (archive.deidentified()) {
            deidentifiedMetadata(instances, xml, request, response);
            return;
        }
        // every series' metadata is made ready before the answer starts, so that a failure is a status code
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, List<InstanceLocation>> e : bySeries.entrySet()) {
            List<InstanceLocation> all = instance == null ? e.getValue() : locate(study, e.getKey(), null);
            files.add(metadata.prepare(archive, study, e.getKey(), all));
        }
        String base = DicomWebServlet.baseURL(request);
        response.setStatus(200);
        try (OutputStream out = DicomWebServlet.body(request, response, true)) {
            MetadataAnswer answer = new MetadataAnswer(out, xml, response);
            for (Path file : files) {
                MetadataStore.forEach(file, instance, json -> answer.add(MetadataStore.withBase(json, base)));
            }
            answer.finish();
        }
    }

    /**
     * The metadata answer, one instance at a time: a DICOM JSON array, or (PS3.18 8.7.3, PS3.19 Native DICOM Model)
     * multipart/related with one application/dicom+xml part per instance, made from the same DICOM JSON (its
     * BulkDataURIs become BulkData elements with the same URIs, inline binary values stay inline).
     */
    private static final class MetadataAnswer {
        private final OutputStream out;
        private final MultipartWriter parts;
        private boolean first = true;

        MetadataAnswer(OutputStream out, boolean xml, HttpServletResponse response) {
            this.out = out;
            this.parts = xml ? new MultipartWriter(out) : null;
            response.setContentType(xml ? parts.contentType(MediaType.DICOM_XML) : MediaType.DICOM_JSON);
        }

        void add(String json) throws IOException {
            if (parts == null) {
                out.write(first ? '[' : ',');
                out.write(json.getBytes(StandardCharsets.UTF_8));
            } else {
                Attributes ds = new org.mosaicpacs.dicom.json.DicomJsonParser(new java.io.StringReader(json))
                        .setBulkDataResolver((tag, vr, uri) -> new BulkData(URI.create(uri), 0, 0, false))
                        .parse();
                parts.startPart(MediaType.DICOM_XML, null);
                new org.mosaicpacs.dicom.xml.DicomXmlWriter(out, null)
                        .setBulkDataURIGenerator((dataset, tag, vr, value) ->
                                value instanceof BulkData b ? b.uri().toString() : null)
                        .write(ds);
            }
            first = false;
        }

        void finish() throws IOException {
            if (parts == null) {
                out.write(first ? "[]".getBytes(StandardCharsets.US_ASCII) : "]".getBytes(StandardCharsets.US_ASCII));
            } else {
                parts.finish();
            }
        }
    }

    /**
     * The metadata of de-identified instances: built from each de-identified object, never cached (the cache holds
     * identified data). The BulkDataURIs are under the path the client asked by, where it gets the de-identified
     * values.
     */
    private void deidentifiedMetadata(List<InstanceLocation> instances, boolean xml, HttpServletRequest request,
                                      HttpServletResponse response) throws IOException {
        // the first one before the answer starts, so that a refusal is a status code
        String firstJson = metadata.json(archive, instances.get(0));
        String base = DicomWebServlet.baseURL(request);
        response.setStatus(200);
        try (OutputStream out = DicomWebServlet.body(request, response, true)) {
            MetadataAnswer answer = new MetadataAnswer(out, xml, response);
            for (int k = 0; k < instances.size(); k++) {
                String json = k == 0 ? firstJson : metadata.json(archive, instances.get(k));
                answer.add(MetadataStore.withBase(json, base));
            }
            answer.finish();
        }
    }

    // ---------------------------------------------------------------- bulk data and frames

    void bulkData(String study, String series, String instance, String spec, HttpServletRequest request,
                  HttpServletResponse response) throws IOException {
        InstanceLocation i = locate(study, series, instance).get(0);
        StorageBackend storage = archive.storage(i.location().storageId());
        long offset;
        long length;
        Matcher m = OFFSET_LENGTH.matcher(spec);
        if (m.matches()) {
            offset = Long.parseLong(m.group(1));
            length = Long.parseLong(m.group(2));
            if (!archive.deidentified() && offset + length > i.location().size()) {
                throw WebException.notFound("bulk data " + spec + " lies outside instance " + instance);
            }
        } else if (spec.length() == 8 && spec.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            int tag = (int) Long.parseLong(spec, 16);
            Attributes ds = header(i);
            Object value = ds.getValue(tag);
            if (value == null) {
                throw WebException.notFound("instance " + instance + " has no value for " + spec);
            }
            if (!(value instanceof BulkData)) {
                byte[] bytes = value instanceof Fragments f ? fragments(f) : ds.getBytes(tag, false);
                if (bytes == null) {
                    throw WebException.notFound("instance " + instance + " has no binary value for " + spec);
                }
                sendBulk(request, response, () -> new ByteArrayInputStream(bytes), bytes.length,
                        (from, n) -> new ByteArrayInputStream(bytes, (int) from, (int) n));
                return;
            }
            BulkData b = (BulkData) value;
            offset = b.offset();
            length = b.length();
        } else {
            throw WebException.badRequest("bulk data is named by a tag (8 hex digits) or OFFSET-LENGTH, not '" + spec + "'");
        }
        long base = offset;
        sendBulk(request, response, () -> read(storage, i, base, length), length,
                (from, n) -> read(storage, i, base + from, n));
    }

    private interface Opener {
        InputStream open() throws IOException;
    }

    private interface RangeOpener {
        InputStream open(long from, long length) throws IOException;
    }

    /** One bulk value: multipart/related by default, a single octet-stream (with byte ranges) when asked for. */
    private void sendBulk(HttpServletRequest request, HttpServletResponse response, Opener whole, long length,
                          RangeOpener range) throws IOException {
        boolean single = false;
        for (MediaType m : DicomWebServlet.accept(request)) {
            if (m.type().equals(MediaType.MULTIPART_RELATED) || m.type().equals("*/*") || m.type().equals("multipart/*")) {
                break;
            }
            if (m.accepts(MediaType.OCTET_STREAM)) {
                single = true;
                break;
            }
        }
        response.setHeader("Accept-Ranges", "bytes");
        String rangeHeader = request.getHeader("Range");
        if (single && rangeHeader != null) {
            Matcher r = RANGE.matcher(rangeHeader.trim());
            long from;
            long to;
            if (!r.matches() || r.group(1).isEmpty() && r.group(2).isEmpty()) {
                throw new WebException(416, "only one byte range (bytes=FIRST-LAST) is supported: " + rangeHeader);
            }
            if (r.group(1).isEmpty()) {
                from = Math.max(0, length - Long.parseLong(r.group(2)));
                to = length - 1;
            } else {
                from = Long.parseLong(r.group(1));
                to = r.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(r.group(2)), length - 1);
            }
            if (from >= length || from > to) {
                response.setHeader("Content-Range", "bytes */" + length);
                throw new WebException(416, "range " + rangeHeader + " is outside the value of " + length + " bytes");
            }
            response.setStatus(206);
            response.setHeader("Content-Range", "bytes " + from + "-" + to + "/" + length);
            response.setContentType(MediaType.OCTET_STREAM);
            response.setContentLengthLong(to - from + 1);
            try (InputStream in = range.open(from, to - from + 1)) {
                copy(in, response.getOutputStream());
            }
            return;
        }
        response.setStatus(200);
        if (single) {
            response.setContentType(MediaType.OCTET_STREAM);
            response.setContentLengthLong(length);
            try (InputStream in = whole.open()) {
                copy(in, response.getOutputStream());
            }
            return;
        }
        MultipartWriter parts = new MultipartWriter(response.getOutputStream());
        response.setContentType(parts.contentType(MediaType.OCTET_STREAM));
        parts.startPart(MediaType.OCTET_STREAM, null);
        try (InputStream in = whole.open()) {
            copy(in, parts.stream());
        }
        parts.finish();
    }

    void frames(String study, String series, String instance, String list, HttpServletRequest request,
                HttpServletResponse response) throws IOException {
        InstanceLocation i = locate(study, series, instance).get(0);
        List<Integer> numbers = new ArrayList<>();
        for (String s : list.split(",")) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n < 1) {
                    throw new NumberFormatException();
                }
                numbers.add(n);
            } catch (NumberFormatException e) {
                throw WebException.badRequest("frame numbers are whole numbers from 1, separated by commas: '" + list + "'");
            }
        }
        Attributes ds = header(i);
        int frames = ds.getInt(Tag.NumberOfFrames, 1);
        for (int n : numbers) {
            if (n > frames) {
                throw WebException.notFound("instance " + instance + " has " + frames + " frames, not " + n);
            }
        }
        String stored = i.location().transferSyntaxUID();
        Object pixels = ds.getValue(Tag.PixelData);
        if (pixels == null) {
            throw WebException.notFound("instance " + instance + " has no Pixel Data");
        }
        boolean native_ = !(pixels instanceof Fragments);
        if (!native_ && (Rendered.wantsDecodedFrames(DicomWebServlet.accept(request), stored)
                || ((Fragments) pixels).size() - 1 != frames && frames != 1)) {
            // decoded by dicom-image, or frames over several fragments found by it
            new Rendered(archive, this).frames(i, numbers, !Rendered.wantsDecodedFrames(DicomWebServlet.accept(request),
                    stored), request, response);
            return;
        }
        String partType = framePartType(DicomWebServlet.accept(request), stored, native_);
        StorageBackend storage = archive.storage(i.location().storageId());
        boolean swap = TransferSyntax.of(stored).isBigEndian() && ds.getInt(Tag.BitsAllocated, 8) > 8;
        response.setStatus(200);
        MultipartWriter parts = new MultipartWriter(response.getOutputStream());
        response.setContentType(parts.contentType(partType.substring(0, partType.indexOf(';'))));
        if (native_) {
            long bits = (long) ds.getInt(Tag.Rows, 0) * ds.getInt(Tag.Columns, 0) * ds.getInt(Tag.SamplesPerPixel, 1)
                    * ds.getInt(Tag.BitsAllocated, 8);
            if (bits == 0 || bits % 8 != 0) {
                throw new WebException(501, "frames of " + bits + " bits are not served yet");
            }
            long frameLength = bits / 8;
            for (int n : numbers) {
                long from = (n - 1) * frameLength;
                parts.startPart(partType, null);
                byte[] frame;
                if (pixels instanceof BulkData b) {
                    if (from + frameLength > b.length()) {
                        throw new IOException("Pixel Data of " + instance + " is shorter than its frames");
                    }
                    if (!swap) {
                        try (InputStream in = read(storage, i, b.offset() + from, frameLength)) {
                            copy(in, parts.stream());
                        }
                        continue;
                    }
                    try (InputStream in = read(storage, i, b.offset() + from, frameLength)) {
                        frame = in.readAllBytes();
                    }
                } else {
                    byte[] all = ds.getBytes(Tag.PixelData, false);
                    if (from + frameLength > all.length) {
                        throw new IOException("Pixel Data of " + instance + " is shorter than its frames");
                    }
                    parts.stream().write(all, (int) from, (int) frameLength);
                    continue;
                }
                for (int k = 0; k + 1 < frame.length; k += 2) {
                    byte t = frame[k];
                    frame[k] = frame[k + 1];
                    frame[k + 1] = t;
                }
                parts.stream().write(frame);
            }
        } else {
            Fragments f = (Fragments) pixels;
            int count = f.size() - 1;
            if (count != frames && frames != 1) {
                throw new WebException(501, "instance " + instance + " has " + frames + " frames in " + count
                        + " fragments: frames spanning several fragments are not served yet");
            }
            for (int n : numbers) {
                parts.startPart(partType, null);
                if (frames == 1) {
                    for (int k = 1; k < f.size(); k++) {
                        writeFragment(f.get(k), storage, i, parts.stream());
                    }
                } else {
                    writeFragment(f.get(n), storage, i, parts.stream());
                }
            }
        }
        parts.finish();
    }

    /** The part type of frames (with its transfer-syntax parameter) as the Accept header allows; 406 when none. */
    static String framePartType(List<MediaType> accept, String stored, boolean nativePixels) {
        for (MediaType m : accept) {
            String partType;
            String ts;
            if (m.type().equals(MediaType.MULTIPART_RELATED) || m.type().equals("multipart/*") || m.type().equals("*/*")) {
                partType = m.partType() == null ? MediaType.OCTET_STREAM : m.partType();
                ts = m.parameter("transfer-syntax");
            } else {
                partType = m.type();
                ts = m.parameter("transfer-syntax");
            }
            if (nativePixels) {
                if (!(partType.equals(MediaType.OCTET_STREAM) || partType.equals("*/*") || partType.equals("application/*"))) {
                    continue;
                }
                if (ts == null || ts.equals("*") || uncompressed(ts) || ts.equals(stored)) {
                    return MediaType.OCTET_STREAM + "; transfer-syntax=" + UID.ExplicitVRLittleEndian;
                }
            } else {
                if (ts == null || !(ts.equals("*") || ts.equals(stored))) {
                    continue;
                }
                String image = imageMediaType(stored);
                if (partType.equals("*/*") || partType.equals(image)) {
                    return image + "; transfer-syntax=" + stored;
                }
                if (partType.equals(MediaType.OCTET_STREAM) || partType.equals("application/*")) {
                    return MediaType.OCTET_STREAM + "; transfer-syntax=" + stored;
                }
            }
        }
        throw WebException.notAcceptable(nativePixels
                ? "uncompressed frames are multipart/related; type=\"application/octet-stream\""
                : "the frames are stored compressed in " + stored + ": ask for transfer-syntax=* or " + stored
                        + " (conversion is not supported yet)");
    }

    /** The image media type of a compressed transfer syntax (PS3.18 Table 8.7.3-5). */
    static String imageMediaType(String ts) {
        switch (ts) {
            case UID.JPEGBaseline8Bit: case UID.JPEGExtended12Bit: case UID.JPEGLossless:
            case UID.JPEGLosslessSV1:
                return "image/jpeg";
            case UID.JPEGLSLossless: case UID.JPEGLSNearLossless:
                return "image/jls";
            case UID.JPEG2000Lossless: case UID.JPEG2000:
                return "image/jp2";
            default:
                return MediaType.OCTET_STREAM;
        }
    }

    private void writeFragment(Object fragment, StorageBackend storage, InstanceLocation i, OutputStream out)
            throws IOException {
        if (fragment instanceof BulkData b) {
            try (InputStream in = read(storage, i, b.offset(), b.length())) {
                copy(in, out);
            }
        } else if (fragment instanceof byte[] bytes) {
            out.write(bytes);
        }
    }

    private static byte[] fragments(Fragments f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 1; k < f.size(); k++) {
            if (f.get(k) instanceof byte[] bytes) {
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- common

    /**
     * The data set of an instance without reading its large values: values from the bulk data threshold on
     * are references (offset and length) into the stored object.
     */
    Attributes header(InstanceLocation i) throws IOException {
        StorageBackend storage = archive.storage(i.location().storageId());
        try (InputStream in = storage.read(i.location().key())) {
            DicomInputStream dis = new DicomInputStream(new BufferedInputStream(in, 65536));
            dis.setBulkDataURI(URI.create("mosaic:stored")).setBulkDataThreshold(bulkDataThreshold);
            dis.readFileMetaInformation();
            return dis.readDataset();
        } catch (ObjectNotFoundException e) {
            throw WebException.notFound("instance " + i.sopInstanceUID() + " is indexed but its object is missing");
        } catch (StorageException e) {
            throw WebException.unavailable("instance " + i.sopInstanceUID() + " cannot be read: " + e.getMessage());
        }
    }

    private static InputStream read(StorageBackend storage, InstanceLocation i, long offset, long length)
            throws IOException {
        try {
            return storage.read(i.location().key(), offset, length);
        } catch (StorageException e) {
            throw new IOException("instance " + i.sopInstanceUID() + " cannot be read: " + e.getMessage(), e);
        }
    }

    List<InstanceLocation> locate(String study, String series, String instance) {
        List<InstanceLocation> found;
        try {
            found = archive.index().locate(study, series, instance);
        } catch (IndexException e) {
            throw WebException.unavailable("the index failed: " + e.getMessage());
        }
        if (found.isEmpty()) {
            throw WebException.notFound(instance != null ? "no instance " + instance + " in series " + series
                    + " of study " + study : series != null ? "no series " + series + " in study " + study
                    : "no study " + study);
        }
        return found;
    }

    /** The buffer of {@link #copy}: large writes keep the servlet container's per-write cost out of a retrieve. */
    private static final int COPY_BUFFER = 256 * 1024;

    /**
     * Copies a stored object to the response in writes of up to {@value #COPY_BUFFER} bytes ({@code transferTo}
     * writes 8 KiB at a time: a 600-instance series retrieve went from 379 to 524 MiB/s with this buffer,
     * docs/benchmarks.md).
     */
    static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        int n;
        while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
            out.write(buffer, 0, n);
        }
    }

    /** Keeps the response stream open when a writer closes. */
    static final class NonClosingOutputStream extends FilterOutputStream {
        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
