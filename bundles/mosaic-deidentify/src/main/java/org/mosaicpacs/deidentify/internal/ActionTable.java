package org.mosaicpacs.deidentify.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.api.deidentify.ConfidentialityOption;
import org.mosaicpacs.dicom.data.VR;

/**
 * PS3.15 Table E.1-1 as generated into {@code action-table.tsv} by {@code src/build/generate_action_table.py}:
 * the basic profile's action and each option's action for every listed attribute.
 */
final class ActionTable {

    /** The JSON option columns, in the order of the resource. */
    static final ConfidentialityOption[] COLUMNS = {
        ConfidentialityOption.RETAIN_SAFE_PRIVATE, ConfidentialityOption.RETAIN_UIDS,
        ConfidentialityOption.RETAIN_DEVICE_IDENTITY, ConfidentialityOption.RETAIN_INSTITUTION_IDENTITY,
        ConfidentialityOption.RETAIN_PATIENT_CHARACTERISTICS, ConfidentialityOption.RETAIN_LONGITUDINAL_FULL_DATES,
        ConfidentialityOption.RETAIN_LONGITUDINAL_MODIFIED_DATES, ConfidentialityOption.CLEAN_DESCRIPTORS,
        ConfidentialityOption.CLEAN_STRUCTURED_CONTENT, ConfidentialityOption.CLEAN_GRAPHICS,
    };

    /** Tag of the row that stands for all private attributes. */
    static final int PRIVATE = -1;

    /**
     * One row.
     *
     * @param tag     the tag, with repeating-group digits zero; {@link #PRIVATE} for private attributes
     * @param mask    which bits of a tag must equal {@code tag}
     * @param vr      the VR in PS3.6 (the first one when several)
     * @param basic   the action of the basic profile
     * @param options the action (K or C) of each option that changes this row
     */
    record Row(int tag, int mask, VR vr, String keyword, Action basic, Map<ConfidentialityOption, Action> options,
               String name) {

        /** The action with the chosen options: an option that keeps (K) wins over one that cleans (C). */
        Action action(java.util.Set<ConfidentialityOption> chosen) {
            Action result = null;
            for (Map.Entry<ConfidentialityOption, Action> e : options.entrySet()) {
                if (chosen.contains(e.getKey()) && (result == null || e.getValue() == Action.K)) {
                    result = e.getValue();
                }
            }
            return result != null ? result : basic;
        }
    }

    private static final ActionTable STANDARD = load();

    private final List<Row> rows;
    private final Map<Integer, Row> byTag;
    private final List<Row> masked;
    private final Row privateRow;

    private ActionTable(List<Row> rows) {
        this.rows = Collections.unmodifiableList(rows);
        Map<Integer, Row> exact = new HashMap<>();
        List<Row> withMask = new ArrayList<>();
        Row priv = null;
        for (Row r : rows) {
            if (r.tag() == PRIVATE) {
                priv = r;
            } else if (r.mask() == -1) {
                exact.put(r.tag(), r);
            } else {
                withMask.add(r);
            }
        }
        this.byTag = exact;
        this.masked = withMask;
        this.privateRow = priv;
    }

    static ActionTable standard() {
        return STANDARD;
    }

    List<Row> rows() {
        return rows;
    }

    Row privateRow() {
        return privateRow;
    }

    /**
     * The row of a standard tag, or null. Repeating groups (50xx curve data, 60xx overlays) match even
     * groups 5000-501E and 6000-601E only.
     */
    Row lookup(int tag) {
        Row r = byTag.get(tag);
        if (r != null) {
            return r;
        }
        int group = tag >>> 16;
        if ((group & 0xFF01) == 0x5000 && (group & 0xFF) <= 0x1E || (group & 0xFF01) == 0x6000 && (group & 0xFF) <= 0x1E) {
            for (Row m : masked) {
                if ((tag & m.mask()) == m.tag()) {
                    return m;
                }
            }
        }
        return null;
    }

    private static ActionTable load() {
        try (InputStream in = ActionTable.class.getResourceAsStream("action-table.tsv")) {
            if (in == null) {
                throw new IllegalStateException("action-table.tsv missing from the bundle");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ActionTable parse(InputStream in) throws IOException {
        List<Row> rows = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 6 + COLUMNS.length) {
                throw new IOException("malformed action table line: " + line);
            }
            Map<ConfidentialityOption, Action> options = new EnumMap<>(ConfidentialityOption.class);
            for (int k = 0; k < COLUMNS.length; k++) {
                if (!f[5 + k].equals("-")) {
                    options.put(COLUMNS[k], Action.of(f[5 + k]));
                }
            }
            boolean priv = f[0].equals("PRIVATE");
            rows.add(new Row(priv ? PRIVATE : (int) Long.parseLong(f[0], 16), priv ? 0 : (int) Long.parseLong(f[1], 16),
                    priv ? VR.UN : VR.fromCode(f[2]), f[3], Action.of(f[4]), Collections.unmodifiableMap(options),
                    f[5 + COLUMNS.length]));
        }
        return new ActionTable(rows);
    }
}
