package org.mosaicpacs.deidentify.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The Type (1, 2, 3) of the attributes with a combined action in the IOD of each storage SOP class, as
 * generated into {@code iod-types.tsv}. Only attributes at the top level of a data set have a Type here;
 * inside sequences, and for attributes or SOP classes not listed, the Type is unknown (0).
 */
final class IodTypes {

    private static final IodTypes STANDARD = load();

    /** tag → (SOP Class UID or "*") → type */
    private final Map<Integer, Map<String, Integer>> types;

    private IodTypes(Map<Integer, Map<String, Integer>> types) {
        this.types = types;
    }

    static IodTypes standard() {
        return STANDARD;
    }

    /** The Type of {@code tag} at the top level of an instance of {@code sopClassUID}, 0 when unknown. */
    int typeOf(int tag, String sopClassUID) {
        Map<String, Integer> t = types.get(tag);
        if (t == null) {
            return 0;
        }
        Integer type = sopClassUID == null ? null : t.get(sopClassUID);
        return type != null ? type : t.getOrDefault("*", 0);
    }

    private static IodTypes load() {
        Map<Integer, Map<String, Integer>> types = new HashMap<>();
        try (InputStream in = IodTypes.class.getResourceAsStream("iod-types.tsv")) {
            if (in == null) {
                throw new IllegalStateException("iod-types.tsv missing from the bundle");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                Map<String, Integer> t = types.computeIfAbsent((int) Long.parseLong(f[0], 16), k -> new HashMap<>());
                for (String uid : f[2].split(",")) {
                    t.put(uid, Integer.parseInt(f[1]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new IodTypes(types);
    }
}
