package org.mosaicpacs.dimse.internal;

import java.nio.file.Path;

/** Replaces {@code ${system.property}} left in a configured value. */
final class Expand {

    private Expand() {
    }

    static String properties(String value) {
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
