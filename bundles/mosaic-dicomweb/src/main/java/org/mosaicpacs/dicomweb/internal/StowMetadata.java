package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.json.DicomJsonException;
import org.mosaicpacs.dicom.json.DicomJsonParser;

/**
 * STOW-RS of DICOM JSON or XML metadata with bulk data (PS3.18 10.5.1.2): parts of application/dicom+json (each a
 * JSON array of data sets) or application/dicom+xml (one Native DICOM Model data set each) and bulk data parts named by their Content-Location, in any order. Every part is first copied to
 * one spool file (nothing of it held in memory: bulk values are then references into that file); then each data
 * set is parsed, its BulkDataURIs resolved to the parts of the same request, written as a Part 10 file (File Meta
 * Information made from its SOP Class and Instance UIDs) and given to the same
 * {@link IngestService} as application/dicom parts (same durability, duplicate policy, coercions, plugins). Pixel
 * Data is native ({@code application/octet-stream} with no or an uncompressed transfer syntax: the instance is
 * Explicit VR Little Endian) or compressed (its transfer syntax from the part's {@code transfer-syntax} parameter or
 * media type: the instance is in that syntax, one fragment per frame): one part per frame, all with the one
 * Content-Location the BulkDataURI names, or one part of codestreams back to back split by their markers
 * ({@link StowFrames}). Frame parts that do not make Number of Frames frames in one syntax fail their instance
 * (C000), as do a missing bulk part, missing SOP Class or Instance UID (A900), each with a reason in words.
 */
final class StowMetadata {

    /** The longest string value (InlineBinary included) a JSON data set may hold: larger values must be bulk parts. */
    static final int MAX_JSON_STRING = 16 * 1024 * 1024;

    /** The largest application/dicom+xml metadata part (one data set, parsed in memory). */
    static final long MAX_XML_PART = 16L * 1024 * 1024;

    private final String study;
    private final boolean xml;
    private final IngestService ingest;
    private final Origin origin;

    /** A span of the spool file: one part, its Content-Type. */
    record Span(long offset, long length, MediaType type) {
    }

    /** Why a data set cannot be stored: a Failure Reason and the reason in words. */
    private record Problem(int reason, String text) {
    }

    /**
     * Compressed Pixel Data whose frames are made when its data set is complete (Number of Frames may come later in
     * the JSON): the placeholder the parser put in the data set is filled in place.
     */
    private record PendingPixels(org.mosaicpacs.dicom.data.Fragments placeholder, String location, List<Span> parts) {
    }

    /** @param xml metadata parts are application/dicom+xml (one data set each), not application/dicom+json */
    StowMetadata(String study, boolean xml, IngestService ingest, Origin origin) {
        this.study = study;
        this.xml = xml;
        this.ingest = ingest;
        this.origin = origin;
    }

    /** Reads every part, then stores every data set; the number of parts read. */
    int store(MultipartReader reader, List<Stow.Result> results) throws IOException {
        Path spool = Files.createTempFile("mosaic-stow-", ".spool");
        try (FileChannel file = FileChannel.open(spool, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            List<Span> metadata = new ArrayList<>();
            Map<String, List<Span>> bulk = new HashMap<>();
            int parts = 0;
            MultipartReader.Part part;
            byte[] copy = new byte[64 * 1024];
            while ((part = reader.nextPart()) != null) {
                parts++;
                long offset = file.position();
                long length = spool(part.content(), file, copy);
                MediaType type = MediaType.parse(part.contentType());
                Span span = new Span(offset, length, type);
                if (type != null && type.type().equals(xml ? MediaType.DICOM_XML : MediaType.DICOM_JSON)) {
                    metadata.add(span);
                }
                String location = part.headers().get("content-location");
                if (location != null && !location.isBlank()) {
                    // several parts may share one Content-Location: the frames of compressed Pixel Data, in order
                    bulk.computeIfAbsent(location.trim(), k -> new ArrayList<>()).add(span);
                }
            }
            if (parts > 0 && metadata.isEmpty()) {
                throw WebException.badRequest(xml
                        ? "a multipart/related; type=\"application/dicom+xml\" body needs application/dicom+xml "
                        + "metadata parts (one data set each)"
                        : "a multipart/related; type=\"application/dicom+json\" body needs a first part of "
                        + "application/dicom+json metadata (a JSON array of data sets)");
            }
            for (Span m : metadata) {
                parse(spool, file, m, bulk, results);
            }
            return parts;
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /**
     * Appends a part to the spool file in writes of up to 64 KiB (InputStream.transferTo writes 8 KiB at a time);
     * the number of bytes.
     */
    private static long spool(InputStream part, FileChannel file, byte[] copy) throws IOException {
        long total = 0;
        int filled = 0;
        int n;
        while ((n = part.read(copy, filled, copy.length - filled)) >= 0) {
            filled += n;
            if (filled == copy.length) {
                write(file, copy, filled);
                total += filled;
                filled = 0;
            }
        }
        write(file, copy, filled);
        return total + filled;
    }

    private static void write(FileChannel file, byte[] bytes, int length) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes, 0, length);
        while (b.hasRemaining()) {
            file.write(b);
        }
    }

    private void parse(Path spool, FileChannel file, Span json, Map<String, List<Span>> bulk,
                       List<Stow.Result> results) throws IOException {
        List<Problem> problems = new ArrayList<>();
        List<PendingPixels> pending = new ArrayList<>();
        List<IOException> failure = new ArrayList<>();
        try (InputStream part = new java.io.BufferedInputStream(
                BulkData.ofFile(spool, json.offset(), json.length(), false).openStream(), 65536)) {
            org.mosaicpacs.dicom.json.BulkDataResolver resolver = (tag, vr, uri) -> {
                String element = String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
                List<Span> found = bulk.get(uri.trim());
                if (found == null) {
                    problems.add(new Problem(Stow.DOES_NOT_MATCH, "BulkDataURI " + uri + " of " + element
                            + " names no part of the request (Content-Location)"));
                    return new byte[0];
                }
                if (tag == Tag.PixelData && (found.size() > 1 || !native_(found.get(0).type()))) {
                    // compressed frames: made into fragments once the data set is complete (StowFrames)
                    org.mosaicpacs.dicom.data.Fragments placeholder = new org.mosaicpacs.dicom.data.Fragments(
                            org.mosaicpacs.dicom.data.VR.OB, false, 2);
                    placeholder.add(new byte[0]);
                    pending.add(new PendingPixels(placeholder, uri.trim(), found));
                    return placeholder;
                }
                if (found.size() > 1) {
                    problems.add(new Problem(Stow.CANNOT_UNDERSTAND, found.size() + " parts share the Content-Location "
                            + uri + " of " + element + ": only compressed Pixel Data is sent as several parts (one "
                            + "frame each)"));
                    return new byte[0];
                }
                Span s = found.get(0);
                return BulkData.ofFile(spool, s.offset(), s.length(), false);
            };
            java.util.function.Consumer<Attributes> store = ds -> {
                List<Problem> these = new ArrayList<>(problems);
                problems.clear();
                List<PendingPixels> pixels = new ArrayList<>(pending);
                pending.clear();
                try {
                    results.add(storeOne(ds, these, pixels, spool, file));
                } catch (IOException e) {
                    failure.add(e);
                    throw new java.io.UncheckedIOException(e);
                }
            };
            if (xml) {
                if (json.length() > MAX_XML_PART) {
                    throw WebException.badRequest("an application/dicom+xml metadata part is larger than "
                            + MAX_XML_PART + " bytes: send large values as bulk data parts");
                }
                store.accept(new org.mosaicpacs.dicom.xml.DicomXmlParser(part).setBulkDataResolver(resolver).parse());
            } else {
                new DicomJsonParser(part).setMaxStringLength(MAX_JSON_STRING).setBulkDataResolver(resolver)
                        .parseArray(store);
            }
        } catch (java.io.UncheckedIOException e) {
            throw failure.isEmpty() ? e.getCause() : failure.get(0);
        } catch (DicomJsonException | org.mosaicpacs.dicom.xml.DicomXmlException | RuntimeException e) {
            if (e instanceof WebException w) {
                throw w;
            }
            long stored = results.stream().filter(Stow.Result::stored).count();
            throw WebException.badRequest((xml ? "an application/dicom+xml metadata part is not a valid Native DICOM "
                    + "Model data set: " : "the application/dicom+json metadata is not a valid DICOM JSON array of "
                    + "data sets: ") + e.getMessage() + (stored > 0 ? " (" + stored + " instances before it were stored)"
                    : ""));
        }
    }

    /** Native pixel data: application/octet-stream with no or an uncompressed transfer syntax. */
    private static boolean native_(MediaType type) {
        if (type == null || !type.type().equals(MediaType.OCTET_STREAM)) {
            return false;
        }
        String ts = type.parameter("transfer-syntax");
        return ts == null || ts.equals(UID.ExplicitVRLittleEndian) || ts.equals(UID.ImplicitVRLittleEndian);
    }

    static String describe(MediaType type) {
        return type == null ? "a part without Content-Type" : type.type()
                + (type.parameter("transfer-syntax") == null ? "" : "; transfer-syntax=" + type.parameter("transfer-syntax"));
    }

    /**
     * The encapsulated transfer syntax of a compressed Pixel Data part: its transfer-syntax parameter (a compressed
     * syntax), else the usual one of its media type (PS3.18 Table 8.7.3-2); null when it names none.
     */
    static String compressedSyntax(MediaType type) {
        if (type == null) {
            return null;
        }
        String ts = type.parameter("transfer-syntax");
        if (ts != null) {
            return ts.matches("[0-9.]{1,64}") && !Wado.uncompressed(ts) && !ts.equals(UID.ImplicitVRLittleEndian)
                    ? ts : null;
        }
        return switch (type.type()) {
            case "image/jpeg" -> UID.JPEGBaseline8Bit;
            case "image/jls" -> UID.JPEGLSLossless;
            case "image/jp2" -> UID.JPEG2000Lossless;
            case "image/dicom-rle" -> UID.RLELossless;
            default -> null;
        };
    }

    private Stow.Result storeOne(Attributes ds, List<Problem> problems, List<PendingPixels> pixels, Path spool,
                                 FileChannel file) throws IOException {
        String sopClass = ds.getString(Tag.SOPClassUID);
        String sopInstance = ds.getString(Tag.SOPInstanceUID);
        if (!problems.isEmpty()) {
            int reason = problems.stream().anyMatch(p -> p.reason() == Stow.CANNOT_UNDERSTAND)
                    ? Stow.CANNOT_UNDERSTAND : Stow.DOES_NOT_MATCH;
            return new Stow.Result(reason, null, null, sopClass, sopInstance,
                    String.join("; ", problems.stream().map(Problem::text).toList()));
        }
        if (sopClass == null || sopClass.isBlank() || sopInstance == null || sopInstance.isBlank()) {
            return new Stow.Result(Stow.DOES_NOT_MATCH, null, null, sopClass, sopInstance, "a data set without "
                    + (sopClass == null || sopClass.isBlank() ? "SOP Class UID (0008,0016)" : "SOP Instance UID (0008,0018)"));
        }
        if (study != null && !study.equals(ds.getString(Tag.StudyInstanceUID))) {
            return new Stow.Result(Stow.DOES_NOT_MATCH, null, null, sopClass, sopInstance, "instance " + sopInstance
                    + " is of study " + ds.getString(Tag.StudyInstanceUID) + ", not " + study);
        }
        for (int tag : ds.tags()) {
            if (Integer.compareUnsigned(tag, 0x00030000) < 0) {
                ds.remove(tag); // File Meta Information (and command) elements are made here, not taken
            }
        }
        String compressed;
        try {
            compressed = encapsulate(ds, pixels, spool, file);
        } catch (StowFrames.Refused e) {
            return new Stow.Result(Stow.CANNOT_UNDERSTAND, null, null, sopClass, sopInstance, e.getMessage());
        }
        Path part10 = Files.createTempFile("mosaic-stow-", ".dcm");
        try {
            DicomOutputStream.writeFile(part10, ds, compressed != null ? compressed : UID.ExplicitVRLittleEndian);
            return Stow.result(ingest.ingest(part10, origin), sopClass, sopInstance);
        } finally {
            Files.deleteIfExists(part10);
        }
    }

    /**
     * Fills the compressed Pixel Data of a data set from its frame parts ({@link StowFrames}): the instance's Pixel
     * Data with Number of Frames frames, any in a sequence item (an icon) with one, all in one transfer syntax.
     *
     * @return the transfer syntax of the instance's compressed Pixel Data, or null when it has none
     */
    private static String encapsulate(Attributes ds, List<PendingPixels> pixels, Path spool, FileChannel file)
            throws IOException, StowFrames.Refused {
        String syntax = null;
        Object top = ds.getValue(Tag.PixelData);
        for (PendingPixels p : pixels) {
            if (p.placeholder() == top) {
                StowFrames.Encapsulated e = StowFrames.encapsulate(spool, file, p.location(), p.parts(),
                        numberOfFrames(ds));
                fill(p.placeholder(), e);
                syntax = e.transferSyntax();
            }
        }
        for (PendingPixels p : pixels) {
            if (p.placeholder() != top) {
                StowFrames.Encapsulated e = StowFrames.encapsulate(spool, file, p.location(), p.parts(), 1);
                if (!e.transferSyntax().equals(syntax)) {
                    throw new StowFrames.Refused("the compressed Pixel Data in a sequence item (" + p.location()
                            + ", " + e.transferSyntax() + ") is not in the transfer syntax of the instance's Pixel "
                            + "Data (" + (syntax == null ? "native" : syntax) + "): an instance has one");
                }
                fill(p.placeholder(), e);
            }
        }
        return syntax;
    }

    private static void fill(org.mosaicpacs.dicom.data.Fragments placeholder, StowFrames.Encapsulated e) {
        placeholder.clear();
        placeholder.addAll(e.fragments());
    }

    /** Number of Frames (0028,0008): 1 when absent; refused when it is not a positive number. */
    private static int numberOfFrames(Attributes ds) throws StowFrames.Refused {
        if (!ds.containsValue(Tag.NumberOfFrames)) {
            return 1;
        }
        long[] v = ds.getLongs(Tag.NumberOfFrames);
        if (v == null || v.length == 0 || v[0] < 1 || v[0] > Integer.MAX_VALUE) {
            throw new StowFrames.Refused("Number of Frames (0028,0008) is not a positive number: "
                    + ds.getString(Tag.NumberOfFrames));
        }
        return (int) v[0];
    }
}
