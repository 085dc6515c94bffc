package org.mosaicpacs.dicomweb.internal;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.image.Decompressor;
import org.mosaicpacs.dicom.image.FrameRaster;
import org.mosaicpacs.dicom.image.ImageDescriptor;
import org.mosaicpacs.dicom.image.ImageEncoder;
import org.mosaicpacs.dicom.image.PixelDataDecoder;
import org.mosaicpacs.dicom.image.PixelDataException;
import org.mosaicpacs.dicom.image.RenderParameters;
import org.mosaicpacs.dicom.image.Renderer;
import org.mosaicpacs.dicom.image.UnsupportedTransferSyntaxException;
import org.mosaicpacs.dicom.io.DicomInputStream;

/**
 * Pixel data for people and for decoders, with dicom-image: WADO-RS {@code /rendered} of an instance or a frame
 * and of all the images of a series or study, and {@code /thumbnail} of an instance, series or study (PS3.18 8.3.5: {@code window}, {@code viewport},
 * {@code quality}; JPEG by default, PNG on request), WADO-URI {@code contentType=image/jpeg|image/png}
 * ({@code windowCenter}, {@code windowWidth}, {@code rows}, {@code columns}, {@code imageQuality},
 * {@code frameNumber}), and frames of compressed instances decoded to {@code application/octet-stream}.
 */
final class Rendered {

    /** The size a thumbnail fits in when the request names no viewport. */
    static final int THUMBNAIL_SIZE = 128;

    private static final PixelDataDecoder DECODER = new PixelDataDecoder();
    private static final Renderer RENDERER = new Renderer(DECODER);

    private final Archive archive;
    private final Wado wado;

    Rendered(Archive archive, Wado wado) {
        this.archive = archive;
        this.wado = wado;
    }

    /** {@code /rendered} and {@code /thumbnail} of one instance; {@code frame} 1-based, 0 for the first. */
    void instance(String study, String series, String instance, int frame, boolean thumbnail,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        InstanceLocation i = wado.locate(study, series, instance).get(0);
        RenderParameters p = parameters(request, thumbnail).withFrame(Math.max(0, frame - 1));
        send(i, load(i), p, request, response);
    }

    /** {@code /thumbnail} of a study or series: a representative instance (the middle image of the first series). */
    void representative(String study, String series, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        List<InstanceLocation> all = wado.locate(study, series, null);
        List<InstanceLocation> images = new ArrayList<>();
        String firstSeries = null;
        for (InstanceLocation i : all) {
            if (isImageClass(i.sopClassUID())) {
                if (firstSeries == null) {
                    firstSeries = i.seriesInstanceUID();
                }
                if (i.seriesInstanceUID().equals(firstSeries)) {
                    images.add(i);
                }
            }
        }
        if (images.isEmpty()) {
            throw WebException.notFound("no image in " + (series != null ? "series " + series : "study " + study));
        }
        InstanceLocation chosen = images.get(images.size() / 2);
        Loaded loaded = load(chosen);
        if (!loaded.ds().contains(Tag.PixelData)) {
            throw WebException.notFound("the representative instance " + chosen.sopInstanceUID() + " has no pixels");
        }
        send(chosen, loaded, parameters(request, true), request, response);
    }

    /**
     * {@code /rendered} of a study or series (PS3.18 10.4.1.1.3): every frame of every image instance, in the
     * index's order (series, then instance), each rendered with the request's parameters as one part of a
     * {@code multipart/related} response of JPEG (default) or PNG parts. Instances of non-image classes (SR,
     * KOS, presentation states, segmentations) and instances without pixel data are left out. Each frame is
     * rendered and written before the next is decoded, so a series of any length is never held in memory. The
     * first image is rendered before the status is sent, so that a failure there is still a status code; a frame
     * that cannot be rendered later ends the response without its closing delimiter (the client sees a truncated
     * body, never a silently shorter one).
     */
    void collection(String study, String series, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String type = partType(DicomWebServlet.accept(request));
        if (type == null) {
            throw WebException.notAcceptable("rendered studies and series are multipart/related of image/jpeg or image/png");
        }
        RenderParameters p = parameters(request, false);
        SourceRegion region = region(request);
        List<InstanceLocation> images = new ArrayList<>();
        for (InstanceLocation i : wado.locate(study, series, null)) {
            if (isImageClass(i.sopClassUID())) {
                images.add(i);
            }
        }
        MultipartWriter parts = null;
        for (InstanceLocation i : images) {
            Loaded loaded = load(i);
            if (!loaded.ds().contains(Tag.PixelData)) {
                continue;
            }
            try {
                int frames = ImageDescriptor.of(loaded.ds()).numberOfFrames();
                for (int f = 0; f < frames; f++) {
                    byte[] image = encode(image(loaded, p.withFrame(f), region), p, type);
                    if (parts == null) {
                        response.setStatus(200);
                        parts = new MultipartWriter(response.getOutputStream());
                        response.setContentType(parts.contentType(type));
                    }
                    parts.startPart(type, null);
                    parts.stream().write(image);
                }
            } catch (PixelDataException e) {
                if (parts == null) {
                    throw failure(i, e);
                }
                throw new IOException("rendered " + (series != null ? "series " + series : "study " + study)
                        + " cut short: " + failure(i, e).getMessage(), e);
            }
        }
        if (parts == null) {
            throw WebException.notFound("no image to render in " + (series != null ? "series " + series : "study " + study));
        }
        parts.finish();
    }

    /**
     * The part type a rendered study or series is sent in: the first Accept range that takes image/jpeg or
     * image/png, as the type itself or as the {@code type} of a multipart/related range (without one: JPEG).
     */
    static String partType(List<MediaType> accept) {
        for (MediaType m : accept) {
            if (m.type().equals(MediaType.MULTIPART_RELATED)) {
                String part = m.partType();
                if (part == null || part.equals("image/jpeg") || part.equals("image/*") || part.equals("*/*")) {
                    return "image/jpeg";
                }
                if (part.equals("image/png")) {
                    return "image/png";
                }
            } else if (m.accepts("image/jpeg")) {
                return "image/jpeg";
            } else if (m.accepts("image/png")) {
                return "image/png";
            }
        }
        return null;
    }

    /** WADO-URI with a rendered content type. */
    void wadoUri(String study, String series, String object, String contentType, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        InstanceLocation i = wado.locate(study, series, object).get(0);
        RenderParameters p = RenderParameters.DEFAULT;
        try {
            String c = request.getParameter("windowCenter");
            String w = request.getParameter("windowWidth");
            if (c != null || w != null) {
                if (c == null || w == null) {
                    throw WebException.badRequest("windowCenter and windowWidth go together");
                }
                p = p.withWindow(Double.parseDouble(c.trim()), Double.parseDouble(w.trim()), null);
            }
            String rows = request.getParameter("rows");
            String columns = request.getParameter("columns");
            if (rows != null || columns != null) {
                p = p.withViewport(columns == null ? 0 : Integer.parseInt(columns.trim()),
                        rows == null ? 0 : Integer.parseInt(rows.trim()));
            }
            String q = request.getParameter("imageQuality");
            if (q != null) {
                p = p.withQuality(Integer.parseInt(q.trim()));
            }
            String f = request.getParameter("frameNumber");
            if (f != null) {
                p = p.withFrame(Integer.parseInt(f.trim()) - 1);
            }
        } catch (IllegalArgumentException e) {
            throw WebException.badRequest("bad rendering parameter: " + e.getMessage());
        }
        write(i, load(i), p, contentType, null, response);
    }

    /**
     * Frames of a compressed instance, each a part of a multipart/related response: decoded to native
     * little-endian pixels ({@code application/octet-stream}) or, with {@code storedForm}, as stored (all the
     * fragments of each frame, found with the offset table or the frame start markers) in the part type the Accept
     * header allows.
     */
    void frames(InstanceLocation i, List<Integer> numbers, boolean storedForm, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        Loaded loaded = load(i);
        String partType = storedForm
                ? Wado.framePartType(DicomWebServlet.accept(request), loaded.ts(), false)
                : MediaType.OCTET_STREAM + "; transfer-syntax=" + org.mosaicpacs.dicom.data.UID.ExplicitVRLittleEndian;
        List<byte[]> frames = new ArrayList<>();
        try {
            ImageDescriptor d = ImageDescriptor.of(loaded.ds());
            // all frames are made before the response starts, so that an error is still a status code
            for (int n : numbers) {
                frames.add(storedForm ? PixelDataDecoder.compressedFrame(loaded.ds(), n - 1)
                        : Decompressor.nativeFrame(DECODER.decode(loaded.ds(), loaded.ts(), n - 1), d));
            }
        } catch (PixelDataException e) {
            throw failure(i, e);
        }
        response.setStatus(200);
        MultipartWriter parts = new MultipartWriter(response.getOutputStream());
        response.setContentType(parts.contentType(partType.substring(0, partType.indexOf(';'))));
        for (byte[] f : frames) {
            parts.startPart(partType, null);
            parts.stream().write(f);
        }
        parts.finish();
    }

    /**
     * Whether an Accept header asks for the frames of an instance stored compressed in {@code stored} as
     * uncompressed octet streams: the first range that names {@code application/octet-stream} (as the type or the
     * multipart part type) with no transfer syntax or an uncompressed one, before any range that accepts the stored
     * form ({@code transfer-syntax=*} or the stored syntax).
     */
    static boolean wantsDecodedFrames(List<MediaType> accept, String stored) {
        for (MediaType m : accept) {
            String ts = m.parameter("transfer-syntax");
            if (ts != null && (ts.equals("*") || ts.equals(stored))) {
                return false;
            }
            boolean multipart = m.type().equals(MediaType.MULTIPART_RELATED);
            String part = multipart ? m.partType() : m.type();
            if (MediaType.OCTET_STREAM.equals(part) && (ts == null || Wado.uncompressed(ts))) {
                return true;
            }
        }
        return false;
    }

    // -------------------------------------------------------------------------------------------------

    record Loaded(Attributes ds, String ts) {
    }

    /** The whole instance, pixel data included (bounded by the toolkit's read limits). */
    private Loaded load(InstanceLocation i) throws IOException {
        StorageBackend storage = archive.storage(i.location().storageId());
        try (InputStream in = storage.read(i.location().key())) {
            DicomInputStream dis = new DicomInputStream(new BufferedInputStream(in, 65536));
            dis.readFileMetaInformation();
            Attributes ds = dis.readDataset();
            return new Loaded(ds, dis.getTransferSyntax());
        } catch (StorageException e) {
            throw WebException.unavailable("instance " + i.sopInstanceUID() + " cannot be read: " + e.getMessage());
        }
    }

    private static boolean isImageClass(String sopClass) {
        return !sopClass.startsWith("1.2.840.10008.5.1.4.1.1.88.") && !sopClass.startsWith("1.2.840.10008.5.1.4.1.1.11.")
                && !sopClass.startsWith("1.2.840.10008.5.1.4.1.1.104.") && !sopClass.equals("1.2.840.10008.5.1.4.1.1.66");
    }

    /** The PS3.18 8.3.5.1 query parameters. */
    static RenderParameters parameters(HttpServletRequest request, boolean thumbnail) {
        RenderParameters p = RenderParameters.DEFAULT;
        if (thumbnail) {
            p = p.withViewport(THUMBNAIL_SIZE, THUMBNAIL_SIZE);
        }
        try {
            String window = request.getParameter("window");
            if (window != null) {
                String[] w = window.split(",");
                if (w.length < 2 || w.length > 3) {
                    throw WebException.badRequest("window is center,width[,function]: '" + window + "'");
                }
                String function = w.length == 3 ? w[2].trim().toUpperCase(Locale.ROOT).replace('-', '_') : null;
                p = p.withWindow(Double.parseDouble(w[0].trim()), Double.parseDouble(w[1].trim()), function);
            }
            String viewport = request.getParameter("viewport");
            if (viewport != null) {
                String[] v = viewport.split(",", -1); // a source region after vw,vh: SourceRegion
                p = p.withViewport(Integer.parseInt(v[0].trim()), Integer.parseInt(v[1].trim()));
            }
            String quality = request.getParameter("quality");
            if (quality != null) {
                p = p.withQuality(Integer.parseInt(quality.trim()));
            }
        } catch (IllegalArgumentException e) {
            throw WebException.badRequest("bad rendering parameter: " + e.getMessage());
        }
        return p;
    }

    private void send(InstanceLocation i, Loaded loaded, RenderParameters p, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        String type = null;
        for (MediaType m : DicomWebServlet.accept(request)) {
            if (m.accepts("image/jpeg")) {
                type = "image/jpeg";
                break;
            }
            if (m.accepts("image/png")) {
                type = "image/png";
                break;
            }
        }
        if (type == null) {
            throw WebException.notAcceptable("rendered images are image/jpeg or image/png");
        }
        write(i, loaded, p, type, region(request), response);
    }

    private void write(InstanceLocation i, Loaded loaded, RenderParameters p, String type,
            SourceRegion region, HttpServletResponse response) throws IOException {
        if (!loaded.ds().contains(Tag.PixelData)) {
            throw WebException.badRequest("instance " + i.sopInstanceUID() + " has no pixel data to render");
        }
        BufferedImage img;
        try {
            ImageDescriptor d = ImageDescriptor.of(loaded.ds());
            if (p.frame() >= d.numberOfFrames()) {
                throw WebException.notFound("instance " + i.sopInstanceUID() + " has " + d.numberOfFrames()
                        + " frame(s), not " + (p.frame() + 1));
            }
            img = image(loaded, p, region);
        } catch (PixelDataException e) {
            throw failure(i, e);
        }
        byte[] out = encode(img, p, type);
        response.setStatus(200);
        response.setContentType(type);
        response.setContentLength(out.length);
        response.getOutputStream().write(out);
    }

    /**
     * One frame rendered with the request's parameters: scaled to fit the viewport, or, when the viewport names a
     * source region, rendered at its own size, cut to the region (flipped where asked) and then scaled.
     */
    private static BufferedImage image(Loaded loaded, RenderParameters p, SourceRegion region)
            throws PixelDataException {
        if (region == null) {
            return RENDERER.render(loaded.ds(), loaded.ts(), p);
        }
        BufferedImage whole = RENDERER.render(loaded.ds(), loaded.ts(), p.withViewport(0, 0));
        return Renderer.scale(region.cut(whole), p.viewportColumns(), p.viewportRows());
    }

    /** The source region of the request's PS3.18 viewport parameter; null when it names none. */
    private static SourceRegion region(HttpServletRequest request) {
        String viewport = request.getParameter("viewport");
        return viewport == null ? null : SourceRegion.parse(viewport);
    }

    private static byte[] encode(BufferedImage img, RenderParameters p, String type) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (type.equals("image/png")) {
            ImageEncoder.writePng(img, out);
        } else {
            ImageEncoder.writeJpeg(img, p.quality(), out);
        }
        return out.toByteArray();
    }

    static WebException failure(InstanceLocation i, PixelDataException e) {
        if (e instanceof UnsupportedTransferSyntaxException) {
            return new WebException(501, "instance " + i.sopInstanceUID() + ": " + e.getMessage());
        }
        return new WebException(500, "the pixel data of instance " + i.sopInstanceUID() + " cannot be decoded: "
                + e.getMessage());
    }
}
