package org.mosaicpacs.dicom.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The data element dictionary: VR, VM, keyword and retired flag of a tag.
 *
 * <p>{@link #standard()} holds the elements of PS3.6 and the command elements of PS3.7, loaded once
 * from the generated resource {@code elements.dic}; repeating groups (50xx, 60xx, 7Fxx, ...) match any
 * group of their range. Group length elements (gggg,0000) are UL and private creator elements
 * (gggg,0010-00FF) are LO in every dictionary.
 *
 * <p>{@link #forPrivateCreator(String)} returns the dictionary of one private creator, read from the
 * built-in resource {@code private.dic}. Its lines are tab separated: private creator, tag as
 * {@code ggggxxee} where {@code xx} stands for the block the creator reserved, VR, VM, keyword.
 * Lookups in a private dictionary ignore the block byte.
 *
 * <p>Instances are immutable and thread safe.
 */
public final class ElementDictionary {

    private static final String STANDARD_RESOURCE = "elements.dic";
    private static final String PRIVATE_RESOURCE = "private.dic";

    private final String privateCreator;
    private final int[] tags;
    private final int[] masks;
    private final String[] vrs;
    private final String[] vms;
    private final boolean[] retired;
    private final String[] keywords;
    private final int[] maskedIndex;
    private final Map<String, Integer> byKeyword;

    private ElementDictionary(String privateCreator, List<String[]> rows) {
        this.privateCreator = privateCreator;
        int n = rows.size();
        tags = new int[n];
        masks = new int[n];
        vrs = new String[n];
        vms = new String[n];
        retired = new boolean[n];
        keywords = new String[n];
        byKeyword = new HashMap<>(n * 2);
        List<Integer> masked = new ArrayList<>();
        rows.sort((a, b) -> Integer.compareUnsigned(parseValue(a[0]), parseValue(b[0])));
        for (int i = 0; i < n; i++) {
            String[] r = rows.get(i);
            tags[i] = parseValue(r[0]);
            masks[i] = parseMask(r[0]);
            vrs[i] = r[1];
            vms[i] = r[2];
            retired[i] = "R".equals(r[3]);
            keywords[i] = r[4];
            byKeyword.putIfAbsent(r[4], i);
            if (masks[i] != -1) {
                masked.add(i);
            }
        }
        maskedIndex = masked.stream().mapToInt(Integer::intValue).toArray();
    }

    private static final class Standard {
        static final ElementDictionary INSTANCE = load();

        private static ElementDictionary load() {
            List<String[]> rows = new ArrayList<>(5200);
            for (String[] r : read(STANDARD_RESOURCE)) {
                if (r.length >= 5) {
                    rows.add(new String[] {r[0], r[1], r[2], r[3], r[4]});
                }
            }
            return new ElementDictionary(null, rows);
        }
    }

    private static final class Private {
        static final Map<String, ElementDictionary> BY_CREATOR = load();

        private static Map<String, ElementDictionary> load() {
            Map<String, List<String[]>> rows = new TreeMap<>();
            for (String[] r : read(PRIVATE_RESOURCE)) {
                if (r.length >= 5) {
                    rows.computeIfAbsent(r[0], k -> new ArrayList<>())
                            .add(new String[] {r[1].replace("xx", "00"), r[2], r[3], "-", r[4]});
                }
            }
            Map<String, ElementDictionary> out = new HashMap<>();
            rows.forEach((creator, list) -> out.put(creator, new ElementDictionary(creator, list)));
            return Collections.unmodifiableMap(out);
        }
    }

    private static final ElementDictionary EMPTY_PRIVATE = new ElementDictionary("", new ArrayList<>());

    /** Returns the standard dictionary (PS3.6 and PS3.7 command elements). */
    public static ElementDictionary standard() {
        return Standard.INSTANCE;
    }

    /**
     * Returns the dictionary of a private creator: the standard one for null, an empty one for an
     * unknown creator. Trailing spaces of the creator are ignored.
     */
    public static ElementDictionary forPrivateCreator(String privateCreator) {
        if (privateCreator == null) {
            return standard();
        }
        ElementDictionary d = Private.BY_CREATOR.get(privateCreator.trim());
        return d != null ? d : EMPTY_PRIVATE;
    }

    /** Returns the private creators of the built-in private dictionary. */
    public static Set<String> privateCreators() {
        return Private.BY_CREATOR.keySet();
    }

    /** Returns the VR of a tag for an optional private creator; UN when unknown. */
    public static VR vrOf(int tag, String privateCreator) {
        VR vr = forPrivateCreator(privateCreator).vrOf(tag);
        return vr != null ? vr : VR.UN;
    }

    /** Returns the private creator of this dictionary, null for the standard one. */
    public String privateCreator() {
        return privateCreator;
    }

    /** Returns the VR (the first of alternatives, except OW for "OB or OW"), or null if unknown. */
    public VR vrOf(int tag) {
        if (Tag.isGroupLength(tag) && (tag >>> 16) != 0xFFFE) {
            return VR.UL;
        }
        if (Tag.isPrivateCreator(tag)) {
            return VR.LO;
        }
        int i = indexOf(tag);
        if (i < 0 || "-".equals(vrs[i])) {
            return null;
        }
        String v = vrs[i];
        return VR.fromCode(v.equals("OB|OW") ? "OW" : v.substring(0, 2));
    }

    /** Returns all VRs allowed for the tag (several for e.g. "US or SS"), empty if unknown. */
    public VR[] vrsOf(int tag) {
        VR one = vrOf(tag);
        int i = indexOf(tag);
        if (one == null) {
            return new VR[0];
        }
        if (i < 0) {
            return new VR[] {one};
        }
        return Arrays.stream(vrs[i].split("\\|")).map(VR::fromCode).toArray(VR[]::new);
    }

    /** Returns the keyword, or null if unknown. */
    public String keywordOf(int tag) {
        if (Tag.isPrivateCreator(tag)) {
            return "PrivateCreator";
        }
        int i = indexOf(tag);
        return i < 0 ? (Tag.isGroupLength(tag) ? "GroupLength" : null) : keywords[i];
    }

    /** Returns the value multiplicity (e.g. "1", "1-n", "2-2n"), or null if unknown. */
    public String vmOf(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : vms[i];
    }

    /** Returns whether the element is retired (false if unknown). */
    public boolean isRetired(int tag) {
        int i = indexOf(tag);
        return i >= 0 && retired[i];
    }

    /** Returns whether the dictionary knows the tag. */
    public boolean contains(int tag) {
        return indexOf(tag) >= 0;
    }

    /**
     * Returns the tag of a keyword (for repeating groups the base group, for private dictionaries
     * block 00), or -1 if unknown.
     */
    public int tagForKeyword(String keyword) {
        Integer i = byKeyword.get(keyword);
        return i == null ? -1 : tags[i];
    }

    /** Returns the number of entries. */
    public int size() {
        return tags.length;
    }

    private int indexOf(int tag) {
        int key = tag;
        if (privateCreator != null) {
            key = tag & 0xFFFF00FF;
        } else if (Tag.isPrivate(tag)) {
            return -1;
        }
        int lo = 0;
        int hi = tags.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(tags[mid], key);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else if (masks[mid] == -1) {
                return mid;
            } else {
                break;
            }
        }
        for (int i : maskedIndex) {
            if ((key & masks[i]) == tags[i]) {
                return i;
            }
        }
        return -1;
    }

    private static int parseValue(String t) {
        return (int) Long.parseLong(t.toLowerCase().replace('x', '0'), 16);
    }

    private static int parseMask(String t) {
        int mask = 0;
        String s = t.toLowerCase();
        for (int i = 0; i < 8; i++) {
            if (s.charAt(i) != 'x') {
                mask |= 0xF << (4 * (7 - i));
            }
        }
        return mask;
    }

    static List<String[]> read(String resource) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = ElementDictionary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty() && line.charAt(0) != '#') {
                    rows.add(line.split("\t"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
