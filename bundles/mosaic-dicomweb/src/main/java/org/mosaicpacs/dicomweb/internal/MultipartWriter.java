package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Writes a multipart/related body part by part straight to the response stream. */
final class MultipartWriter {

    private final OutputStream out;
    private final String boundary = "mosaic-" + UUID.randomUUID();

    MultipartWriter(OutputStream out) {
        this.out = out;
    }

    String boundary() {
        return boundary;
    }

    /** The Content-Type of the whole body, for parts of {@code partType}. */
    String contentType(String partType) {
        return MediaType.MULTIPART_RELATED + "; type=\"" + partType + "\"; boundary=" + boundary;
    }

    /** Starts a part: delimiter and headers; the caller then writes its content to {@link #stream()}. */
    void startPart(String contentType, String contentLocation) throws IOException {
        out.write(partHeader(contentType, contentLocation));
    }

    /** The delimiter and headers that {@link #startPart} writes, to count a body's length before it is sent. */
    byte[] partHeader(String contentType, String contentLocation) {
        StringBuilder h = new StringBuilder("\r\n--").append(boundary).append("\r\nContent-Type: ").append(contentType);
        if (contentLocation != null) {
            h.append("\r\nContent-Location: ").append(contentLocation);
        }
        h.append("\r\n\r\n");
        return h.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The closing delimiter that {@link #finish} writes. */
    byte[] closing() {
        return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    OutputStream stream() {
        return out;
    }

    void finish() throws IOException {
        out.write(closing());
        out.flush();
    }
}
