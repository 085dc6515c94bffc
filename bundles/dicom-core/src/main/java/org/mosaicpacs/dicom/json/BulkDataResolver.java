package org.mosaicpacs.dicom.json;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.VR;

/**
 * Turns a BulkDataURI read from DICOM JSON or XML into the value kept in the data set: usually a
 * {@link BulkData} reference (nothing is fetched), or the value bytes.
 */
@FunctionalInterface
public interface BulkDataResolver {

    /**
     * The default: reads {@code offset} and {@code length} from the query of the URI (the form
     * {@link BulkDataURIGenerator#DEFAULT} writes), removes them, and returns a little endian
     * {@link BulkData} reference. A URI without a length cannot be a {@link BulkData} and is
     * rejected: give the parser a resolver that knows the server's URIs.
     */
    BulkDataResolver DEFAULT = (tag, vr, uri) -> {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IOException("invalid BulkDataURI: " + uri);
        }
        String query = u.getRawQuery();
        long offset = 0;
        long length = -1;
        StringBuilder rest = new StringBuilder();
        if (query != null) {
            for (String p : query.split("&")) {
                try {
                    if (p.startsWith("offset=")) {
                        offset = Long.parseLong(p.substring(7));
                        continue;
                    }
                    if (p.startsWith("length=")) {
                        length = Long.parseLong(p.substring(7));
                        continue;
                    }
                } catch (NumberFormatException e) {
                    throw new IOException("invalid offset or length in BulkDataURI: " + uri);
                }
                rest.append(rest.length() == 0 ? "" : "&").append(p);
            }
        }
        if (length < 0 || offset < 0) {
            throw new IOException("BulkDataURI without offset and length (set a BulkDataResolver): " + uri);
        }
        String s = uri;
        int q = s.indexOf('?');
        int h = s.indexOf('#');
        String fragment = h >= 0 ? s.substring(h) : "";
        s = q >= 0 ? s.substring(0, q) : h >= 0 ? s.substring(0, h) : s;
        return new BulkData(URI.create(s + (rest.length() > 0 ? "?" + rest : "") + fragment), offset, length, false);
    };

    /**
     * Resolves a BulkDataURI.
     *
     * @param tag the tag of the element
     * @param vr its VR
     * @param uri the URI as written
     * @return a {@link BulkData} or a {@code byte[]} (little endian)
     * @throws IOException if the URI cannot be accepted
     */
    Object resolve(int tag, VR vr, String uri) throws IOException;
}
