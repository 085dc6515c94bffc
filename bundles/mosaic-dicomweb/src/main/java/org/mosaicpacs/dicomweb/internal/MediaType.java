package org.mosaicpacs.dicomweb.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One media range of an Accept header or one Content-Type: type/subtype, parameters (names in lower
 * case, quotes removed) and quality.
 */
record MediaType(String type, Map<String, String> parameters, double quality) {

    static final String DICOM = "application/dicom";
    static final String DICOM_JSON = "application/dicom+json";
    static final String DICOM_XML = "application/dicom+xml";
    static final String OCTET_STREAM = "application/octet-stream";
    static final String MULTIPART_RELATED = "multipart/related";
    static final String ZIP = "application/zip";

    /** The parameter {@code name}, or null. */
    String parameter(String name) {
        return parameters.get(name);
    }

    /** Whether this range accepts {@code mediaType} (wildcards as in RFC 9110). */
    boolean accepts(String mediaType) {
        if (type.equals("*/*") || type.equals(mediaType)) {
            return true;
        }
        return type.endsWith("/*") && mediaType.startsWith(type.substring(0, type.length() - 1));
    }

    /** The type of the parts of a multipart/related range ({@code type} parameter), or null. */
    String partType() {
        String t = parameter("type");
        return t == null ? null : t.toLowerCase(Locale.ROOT);
    }

    /** Parses one Content-Type value; null for null or blank. */
    static MediaType parse(String value) {
        List<MediaType> all = parseList(value);
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * Parses an Accept header (several may be joined with commas), best quality first (stable for equal
     * quality); an absent header is {@code *}{@code /*}. Ranges with quality 0 are dropped.
     */
    static List<MediaType> parseAccept(List<String> headers) {
        List<MediaType> all = new ArrayList<>();
        for (String h : headers) {
            all.addAll(parseList(h));
        }
        if (headers.isEmpty()) {
            all.add(new MediaType("*/*", Map.of(), 1));
        }
        all.removeIf(m -> m.quality <= 0);
        all.sort((a, b) -> Double.compare(b.quality, a.quality));
        return all;
    }

    private static List<MediaType> parseList(String value) {
        if (value == null || value.isBlank()) {
            return Collections.emptyList();
        }
        List<MediaType> result = new ArrayList<>();
        for (String range : split(value, ',')) {
            List<String> parts = split(range, ';');
            String type = parts.get(0).trim().toLowerCase(Locale.ROOT);
            if (type.isEmpty()) {
                continue;
            }
            if (type.equals("*")) {
                type = "*/*";
            }
            if (type.indexOf('/') <= 0) {
                throw WebException.badRequest("malformed media type '" + range.trim() + "'");
            }
            Map<String, String> params = new LinkedHashMap<>();
            double q = 1;
            for (int i = 1; i < parts.size(); i++) {
                String p = parts.get(i).trim();
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String v = p.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                if (name.equals("q")) {
                    try {
                        q = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw WebException.badRequest("malformed quality in '" + range.trim() + "'");
                    }
                } else {
                    params.put(name, v);
                }
            }
            result.add(new MediaType(type, params, q));
        }
        return result;
    }

    /** Splits on {@code separator} outside double quotes. */
    private static List<String> split(String s, char separator) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
