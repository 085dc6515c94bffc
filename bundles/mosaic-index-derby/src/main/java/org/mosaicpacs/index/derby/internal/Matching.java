package org.mosaicpacs.index.derby.internal;

import java.time.LocalTime;
import java.util.Locale;
import java.util.regex.Pattern;

import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.value.DateTimeRange;
import org.mosaicpacs.dicom.value.DicomDate;
import org.mosaicpacs.dicom.value.DicomTime;
import org.mosaicpacs.dicom.value.TimeRange;

/**
 * The matching of PS3.4 C.2.2.2, in Java (for keys the index has no column for) and the pieces the
 * SQL translation shares: wildcard to LIKE, date and time normal forms.
 */
final class Matching {

    private Matching() {
    }

    static boolean hasWildcard(String v) {
        return v.indexOf('*') >= 0 || v.indexOf('?') >= 0;
    }

    /** A DICOM wildcard value as a LIKE pattern with {@code \} as escape: {@code %} and {@code _} match only themselves. */
    static String likePattern(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '*' -> sb.append('%');
                case '?' -> sb.append('_');
                case '%', '_', '\\' -> sb.append('\\').append(c);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A DICOM wildcard value as a regular expression. */
    static Pattern regex(String v, boolean ignoreCase) {
        StringBuilder sb = new StringBuilder();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '*' || c == '?') {
                if (lit.length() > 0) {
                    sb.append(Pattern.quote(lit.toString()));
                    lit.setLength(0);
                }
                sb.append(c == '*' ? ".*" : ".");
            } else {
                lit.append(c);
            }
        }
        if (lit.length() > 0) {
            sb.append(Pattern.quote(lit.toString()));
        }
        return Pattern.compile(sb.toString(), Pattern.DOTALL
                | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
    }

    static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    /** A DA value in its normal form YYYYMMDD (also accepts the old YYYY.MM.DD). */
    static String normDate(String v) throws IndexException {
        String s = v.strip().replace(".", "");
        try {
            return DicomDate.format(DicomDate.parse(s).toLocalDate());
        } catch (Exception e) {
            throw new IndexException("not a date: " + v, true);
        }
    }

    static String normDateOrNull(String v) {
        try {
            return v == null || v.isBlank() ? null : normDate(v);
        } catch (IndexException e) {
            return null;
        }
    }

    static String formatTime(LocalTime t) {
        return String.format(Locale.ROOT, "%02d%02d%02d.%06d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
    }

    /** A stored TM value in its normal form HHMMSS.FFFFFF, or null when it is no time. */
    static String normTimeOrNull(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return formatTime(DicomTime.parse(v.strip().replace(":", "")).lowerBound());
        } catch (Exception e) {
            return null;
        }
    }

    /** The lower and upper bound of a DA key (single value or range), normal form; null for an open end. */
    static String[] dateRange(String v) throws IndexException {
        String s = v.strip();
        int dash = s.indexOf('-');
        if (dash < 0) {
            String d = normDate(s);
            return new String[] {d, d};
        }
        String lo = s.substring(0, dash).strip();
        String hi = s.substring(dash + 1).strip();
        if (lo.isEmpty() && hi.isEmpty()) {
            throw new IndexException("empty date range: " + v, true);
        }
        return new String[] {lo.isEmpty() ? null : normDate(lo), hi.isEmpty() ? null : normDate(hi)};
    }

    /** The lower and upper bound of a TM key (single value or range), normal form; null for an open end. */
    static String[] timeRange(String v) throws IndexException {
        String s = v.strip().replace(":", "");
        try {
            if (s.indexOf('-') < 0) {
                DicomTime t = DicomTime.parse(s);
                return new String[] {formatTime(t.lowerBound()), formatTime(t.upperBound())};
            }
            TimeRange r = TimeRange.parse(s);
            return new String[] {r.lowerBound().map(Matching::formatTime).orElse(null),
                r.upperBound().map(Matching::formatTime).orElse(null)};
        } catch (Exception e) {
            throw new IndexException("not a time or time range: " + v, true);
        }
    }

    /**
     * Whether the element {@code tag} of {@code stored} matches the query element {@code tag} of
     * {@code keys}. An empty query value matches everything (universal matching).
     */
    static boolean matches(Attributes keys, int tag, Attributes stored, boolean ignoreCasePN) throws IndexException {
        VR vr = keys.getVR(tag);
        if (vr == VR.SQ) {
            Sequence q = keys.getSequence(tag);
            if (q == null || q.isEmpty() || q.get(0).isEmpty()) {
                return true;
            }
            Sequence s = stored.getSequence(tag);
            if (s == null) {
                return false;
            }
            Attributes item = q.get(0);
            for (Attributes candidate : s) {
                if (itemMatches(item, candidate, ignoreCasePN)) {
                    return true;
                }
            }
            return false;
        }
        if (vr == null || !vr.isString()) {
            return true; // binary keys are return keys only
        }
        String[] wanted = keys.getStrings(tag);
        if (wanted == null || wanted.length == 0 || wanted.length == 1 && wanted[0].isEmpty()) {
            return true;
        }
        String[] have = stored.getStrings(tag);
        if (have == null || have.length == 0) {
            return false;
        }
        for (String w : wanted) {
            for (String h : have) {
                if (valueMatches(vr, w, h, ignoreCasePN)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean itemMatches(Attributes item, Attributes candidate, boolean ignoreCasePN) throws IndexException {
        for (int i = 0; i < item.size(); i++) {
            if (!matches(item, item.tagAt(i), candidate, ignoreCasePN)) {
                return false;
            }
        }
        return true;
    }

    static boolean valueMatches(VR vr, String wanted, String have, boolean ignoreCasePN) throws IndexException {
        switch (vr) {
            case DA -> {
                String d = normDateOrNull(have);
                String[] r = dateRange(wanted);
                return d != null && (r[0] == null || d.compareTo(r[0]) >= 0) && (r[1] == null || d.compareTo(r[1]) <= 0);
            }
            case TM -> {
                String t = normTimeOrNull(have);
                String[] r = timeRange(wanted);
                return t != null && (r[0] == null || t.compareTo(r[0]) >= 0) && (r[1] == null || t.compareTo(r[1]) <= 0);
            }
            case DT -> {
                DateTimeRange range;
                try {
                    range = DateTimeRange.parse(wanted.strip());
                } catch (Exception e) {
                    throw new IndexException("not a date-time or date-time range: " + wanted, true);
                }
                return org.mosaicpacs.dicom.value.DicomDateTime.tryParse(have.strip())
                        .map(t -> range.contains(t.lowerBound()))
                        .orElse(false);
            }
            default -> {
                boolean ci = ignoreCasePN && vr == VR.PN;
                if (hasWildcard(wanted) && vr != VR.UI) {
                    return regex(wanted, ci).matcher(have).matches();
                }
                return ci ? wanted.equalsIgnoreCase(have) : wanted.equals(have);
            }
        }
    }

}
