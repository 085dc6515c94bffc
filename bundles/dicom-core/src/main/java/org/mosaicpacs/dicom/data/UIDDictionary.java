package org.mosaicpacs.dicom.data;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Names, keywords and types of the UIDs in {@link UID}, loaded once from the generated resource
 * {@code uids.dic}. Thread safe.
 */
public final class UIDDictionary {

    private static final Map<String, String[]> BY_UID;
    private static final Map<String, String> BY_KEYWORD;

    static {
        Map<String, String[]> byUid = new HashMap<>();
        Map<String, String> byKeyword = new HashMap<>();
        for (String[] r : ElementDictionary.read("uids.dic")) {
            if (r.length >= 5) {
                byUid.put(r[0], r);
                byKeyword.put(r[1], r[0]);
            }
        }
        BY_UID = Collections.unmodifiableMap(byUid);
        BY_KEYWORD = Collections.unmodifiableMap(byKeyword);
    }

    private UIDDictionary() {
    }

    /** Returns the name of a UID (e.g. "CT Image Storage"), or null if unknown. */
    public static String nameOf(String uid) {
        String[] r = BY_UID.get(uid);
        return r == null ? null : r[4];
    }

    /** Returns the keyword of a UID (e.g. "CTImageStorage"), or null if unknown. */
    public static String keywordOf(String uid) {
        String[] r = BY_UID.get(uid);
        return r == null ? null : r[1];
    }

    /** Returns the type ("Transfer Syntax", "SOP Class", "Storage SOP Class", ...), or null if unknown. */
    public static String typeOf(String uid) {
        String[] r = BY_UID.get(uid);
        return r == null ? null : r[2];
    }

    /** Returns whether the UID is a known retired UID. */
    public static boolean isRetired(String uid) {
        String[] r = BY_UID.get(uid);
        return r != null && "R".equals(r[3]);
    }

    /** Returns whether the UID is a storage SOP class of PS3.4 Table B.5-1. */
    public static boolean isStorageSOPClass(String uid) {
        return "Storage SOP Class".equals(typeOf(uid));
    }

    /** Returns the UID for a keyword, or null if unknown. */
    public static String forKeyword(String keyword) {
        return BY_KEYWORD.get(keyword);
    }

    /** Returns all known UIDs. */
    public static java.util.Set<String> uids() {
        return BY_UID.keySet();
    }
}
