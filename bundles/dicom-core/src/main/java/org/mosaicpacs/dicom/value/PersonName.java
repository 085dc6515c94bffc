package org.mosaicpacs.dicom.value;

import java.util.Arrays;

/**
 * A PN value: up to three component groups (alphabetic, ideographic, phonetic) separated by '=',
 * each of up to five components (family name, given name, middle name, prefix, suffix) separated
 * by '^' (PS3.5 6.2.1).
 *
 * <p>Parsing never fails: any string is a person name. Spaces around components are not significant
 * and are removed; components beyond the fifth are appended to the suffix, separated by spaces, and
 * groups beyond the third are dropped. Formatting trims empty components and groups at the end, so
 * "Doe^John^^^" and "Doe^John" are equal. Immutable.
 */
public final class PersonName {

    /** The component groups of a person name. */
    public enum Group { ALPHABETIC, IDEOGRAPHIC, PHONETIC }

    /** The components of a component group. */
    public enum Component { FAMILY, GIVEN, MIDDLE, PREFIX, SUFFIX }

    private static final int GROUPS = 3;
    private static final int COMPONENTS = 5;

    /** An empty person name. */
    public static final PersonName EMPTY = new PersonName(new String[GROUPS * COMPONENTS]);

    /** Components by group then component; never null ("" when absent). */
    private final String[] parts;

    private PersonName(String[] parts) {
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null) {
                parts[i] = "";
            }
        }
        this.parts = parts;
    }

    /** Parses a PN value (a single value: backslashes are not special here). Null gives {@link #EMPTY}. */
    public static PersonName parse(String s) {
        if (s == null) {
            return EMPTY;
        }
        String[] parts = new String[GROUPS * COMPONENTS];
        String[] groups = s.split("=", -1);
        for (int g = 0; g < Math.min(GROUPS, groups.length); g++) {
            String[] comps = groups[g].split("\\^", -1);
            for (int c = 0; c < comps.length; c++) {
                String v = Strings.clean(comps[c]);
                if (c < COMPONENTS) {
                    parts[g * COMPONENTS + c] = v;
                } else if (!v.isEmpty()) {
                    String suffix = parts[g * COMPONENTS + COMPONENTS - 1];
                    parts[g * COMPONENTS + COMPONENTS - 1] = suffix.isEmpty() ? v : suffix + " " + v;
                }
            }
        }
        return new PersonName(parts);
    }

    /**
     * An alphabetic name from its components, given in the order family, given, middle, prefix,
     * suffix; missing trailing components are empty.
     *
     * @throws IllegalArgumentException for more than five components, or a component containing
     *     '^', '=', '\' or a control character
     */
    public static PersonName of(String... components) {
        if (components.length > COMPONENTS) {
            throw new IllegalArgumentException("At most five components");
        }
        PersonName pn = EMPTY;
        for (int i = 0; i < components.length; i++) {
            pn = pn.with(Group.ALPHABETIC, Component.values()[i], components[i]);
        }
        return pn;
    }

    /** A component of a group, "" when absent. */
    public String get(Group group, Component component) {
        return parts[group.ordinal() * COMPONENTS + component.ordinal()];
    }

    /** A component of the alphabetic group, "" when absent. */
    public String get(Component component) {
        return get(Group.ALPHABETIC, component);
    }

    /**
     * A copy with one component replaced (null or blank removes it); the value is trimmed.
     *
     * @throws IllegalArgumentException when the value contains '^', '=', '\' or a control character
     */
    public PersonName with(Group group, Component component, String value) {
        String v = Strings.clean(value);
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '^' || ch == '=' || ch == '\\' || (ch < 0x20 && ch != 0x1B)) {
                throw new IllegalArgumentException("Delimiter in person name component: " + value);
            }
        }
        String[] p = parts.clone();
        p[group.ordinal() * COMPONENTS + component.ordinal()] = v;
        return new PersonName(p);
    }

    /** Whether every component of every group is empty. */
    public boolean isEmpty() {
        return Arrays.stream(parts).allMatch(String::isEmpty);
    }

    /** Whether every component of a group is empty. */
    public boolean isEmpty(Group group) {
        for (Component c : Component.values()) {
            if (!get(group, c).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** One component group in DICOM form, trailing empty components removed. */
    public String format(Group group) {
        int last = -1;
        for (int c = 0; c < COMPONENTS; c++) {
            if (!get(group, Component.values()[c]).isEmpty()) {
                last = c;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c <= last; c++) {
            if (c > 0) {
                sb.append('^');
            }
            sb.append(get(group, Component.values()[c]));
        }
        return sb.toString();
    }

    /** The PN value in DICOM form, trailing empty components and groups removed. */
    @Override
    public String toString() {
        int last = -1;
        for (Group g : Group.values()) {
            if (!isEmpty(g)) {
                last = g.ordinal();
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g <= last; g++) {
            if (g > 0) {
                sb.append('=');
            }
            sb.append(format(Group.values()[g]));
        }
        return sb.toString();
    }

    /**
     * The alphabetic name for display, "Prefix Given Middle Family, Suffix" with empty parts left
     * out; falls back to the ideographic, then the phonetic group when the alphabetic one is empty.
     */
    public String toDisplayString() {
        Group g = !isEmpty(Group.ALPHABETIC) ? Group.ALPHABETIC
                : !isEmpty(Group.IDEOGRAPHIC) ? Group.IDEOGRAPHIC : Group.PHONETIC;
        StringBuilder sb = new StringBuilder();
        for (Component c : new Component[] {Component.PREFIX, Component.GIVEN, Component.MIDDLE, Component.FAMILY}) {
            String v = get(g, c);
            if (!v.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(v);
            }
        }
        String suffix = get(g, Component.SUFFIX);
        if (!suffix.isEmpty()) {
            sb.append(sb.length() > 0 ? ", " : "").append(suffix);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PersonName p && Arrays.equals(p.parts, parts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parts);
    }
}
