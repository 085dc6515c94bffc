package org.mosaicpacs.api.config;

import java.nio.file.Path;

/**
 * Expands {@code ${name}} references to system properties in configured values.
 *
 * <p>The cfg files in {@code etc/} are expanded by Karaf already; this covers the defaults written in a
 * component's {@code @ObjectClassDefinition} (used when no cfg file exists), such as
 * {@code ${mosaic.data}/storage}. {@code mosaic.data} falls back to {@code ${karaf.data}/mosaic}; any other
 * unknown property expands to the empty string.
 */
public final class SystemProperties {

    private SystemProperties() {
    }

    /** The value with each {@code ${name}} replaced by the system property {@code name}. */
    public static String expand(String value) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            int end = start < 0 ? -1 : value.indexOf('}', start);
            if (end < 0) {
                sb.append(value, i, value.length());
                break;
            }
            String name = value.substring(start + 2, end);
            String v = System.getProperty(name);
            if (v == null && name.equals("mosaic.data")) {
                v = Path.of(System.getProperty("karaf.data", "data"), "mosaic").toString();
            }
            sb.append(value, i, start).append(v == null ? "" : v);
            i = end + 1;
        }
        return sb.toString();
    }
}
