package org.mosaicpacs.archive.internal;

import java.util.ArrayList;
import java.util.List;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.ElementDictionary;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

/**
 * One configured attribute coercion: {@code Keyword=Value} (always set) or {@code Keyword?=Value}
 * (set only when missing or empty). The keyword is a PS3.6 keyword or a tag as {@code ggggeeee}.
 */
record Coercion(int tag, VR vr, String value, boolean onlyIfEmpty) {

    static Coercion parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("coercion is not Keyword=Value: " + text);
        }
        String name = text.substring(0, eq).trim();
        boolean onlyIfEmpty = name.endsWith("?");
        if (onlyIfEmpty) {
            name = name.substring(0, name.length() - 1).trim();
        }
        int tag = ElementDictionary.standard().tagForKeyword(name);
        if (tag == -1) {
            tag = Tag.parse(name);
        }
        if (Tag.isPrivate(tag) || Tag.group(tag) <= 0x0002) {
            throw new IllegalArgumentException("coercion of a private, command or file meta element: " + text);
        }
        VR vr = ElementDictionary.vrOf(tag, null);
        if (vr == VR.SQ) {
            throw new IllegalArgumentException("coercion of a sequence: " + text);
        }
        return new Coercion(tag, vr, text.substring(eq + 1).trim(), onlyIfEmpty);
    }

    static List<Coercion> parseAll(String[] texts) {
        List<Coercion> list = new ArrayList<>();
        if (texts != null) {
            for (String t : texts) {
                if (t != null && !t.isBlank()) {
                    list.add(parse(t.trim()));
                }
            }
        }
        return List.copyOf(list);
    }

    /** Applies this coercion; returns whether the data set changed. */
    boolean apply(Attributes dataset) {
        String current = dataset.getString(tag);
        boolean empty = current == null || current.isEmpty();
        if (onlyIfEmpty && !empty) {
            return false;
        }
        if (value.equals(current == null ? "" : current) && dataset.contains(tag)) {
            return false;
        }
        dataset.setString(tag, vr, value);
        return true;
    }
}
