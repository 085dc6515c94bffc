package org.mosaicpacs.dicom.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

/**
 * Reads DICOM JSON (PS3.18 Annex F) into {@link Attributes}: one data set ({@link #parse()}) or a
 * JSON array of data sets, one at a time ({@link #parseArray(Consumer)}).
 *
 * <p>The JSON must be valid (RFC 8259, parsed strictly by this class) and follow Annex F: member
 * names are tags of eight hex digits, each element has a known {@code "vr"} and at most one of
 * {@code "Value"}, {@code "InlineBinary"} and {@code "BulkDataURI"}; other members are rejected.
 * Values: strings or {@code null} for string VRs, numbers (or strings holding a number) for IS and
 * DS, numbers for the binary numeric VRs (also the strings "NaN", "Infinity", "-Infinity" for FL and
 * FD, as {@link DicomJsonWriter} writes them), PN objects, "GGGGEEEE" strings for AT, item objects for
 * SQ; SV and UV also as strings. InlineBinary is base64 of little endian bytes; an InlineBinary Pixel
 * Data that starts with an item tag is read as encapsulated {@link Fragments} (with or without the
 * sequence delimiter). A BulkDataURI goes to the
 * {@link BulkDataResolver}, whose result (usually a {@code BulkData}) becomes the value. Text is
 * encoded with the Specific Character Set of the data set read (elements are set in tag order, so
 * (0008,0005) comes first); when none is declared and a text value needs more than ASCII,
 * "ISO_IR 192" is added to the root data set, so that nothing is lost to '?'.
 *
 * <p>Limits: the nesting depth of sequences (default 128), the length of one string (default
 * 64 Mi characters), numbers of at most 512 characters. The data set being read is held in memory as
 * a JSON tree before it is converted; an array is read data set by data set. Not thread safe.
 */
public final class DicomJsonParser {

    private static final Object NULL = new Object();

    private final Reader reader;
    private BulkDataResolver resolver = BulkDataResolver.DEFAULT;
    private int maxNestingDepth = 128;
    private int maxStringLength = 64 << 20;
    private JsonInput in;

    /** Creates a parser of characters. */
    public DicomJsonParser(Reader reader) {
        this.reader = reader;
    }

    /** Creates a parser of UTF-8 bytes (malformed UTF-8 is an error). */
    public DicomJsonParser(InputStream in) {
        this(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)));
    }

    /** Sets the resolver of BulkDataURIs (default {@link BulkDataResolver#DEFAULT}). */
    public DicomJsonParser setBulkDataResolver(BulkDataResolver resolver) {
        this.resolver = resolver == null ? BulkDataResolver.DEFAULT : resolver;
        return this;
    }

    /** Sets the maximum nesting depth of sequences (default 128). */
    public DicomJsonParser setMaxNestingDepth(int depth) {
        if (depth < 0) {
            throw new IllegalArgumentException("negative depth");
        }
        this.maxNestingDepth = depth;
        return this;
    }

    /** Sets the maximum length of one JSON string in characters (default 64 Mi). */
    public DicomJsonParser setMaxStringLength(int chars) {
        if (chars < 0) {
            throw new IllegalArgumentException("negative length");
        }
        this.maxStringLength = chars;
        return this;
    }

    /**
     * Reads one data set: the input must be one JSON object and nothing else.
     *
     * @throws DicomJsonException if the input is not valid JSON or not valid DICOM JSON
     * @throws IOException if reading fails or the resolver rejects a BulkDataURI
     */
    public Attributes parse() throws IOException {
        JsonInput json = input();
        if (json.next() != JsonInput.Event.BEGIN_OBJECT) {
            throw json.error("expected a JSON object");
        }
        Attributes ds = toDataset(readObject(json));
        if (json.next() != JsonInput.Event.END) {
            throw json.error("unexpected content after the data set");
        }
        return ds;
    }

    /**
     * Reads a JSON array of data sets (a QIDO-RS response), handing each to {@code consumer} as soon
     * as it is read.
     *
     * @return the number of data sets
     */
    public int parseArray(Consumer<Attributes> consumer) throws IOException {
        JsonInput json = input();
        if (json.next() != JsonInput.Event.BEGIN_ARRAY) {
            throw json.error("expected a JSON array");
        }
        int n = 0;
        while (true) {
            JsonInput.Event e = json.next();
            if (e == JsonInput.Event.END_ARRAY) {
                break;
            }
            if (e != JsonInput.Event.BEGIN_OBJECT) {
                throw json.error("expected a data set object in the array");
            }
            consumer.accept(toDataset(readObject(json)));
            n++;
        }
        if (json.next() != JsonInput.Event.END) {
            throw json.error("unexpected content after the array");
        }
        return n;
    }

    /** Reads a JSON array of data sets into a list. */
    public List<Attributes> parseArray() throws IOException {
        List<Attributes> list = new ArrayList<>();
        parseArray(list::add);
        return list;
    }

    private JsonInput input() {
        if (in == null) {
            in = new JsonInput(reader, 3 * maxNestingDepth + 2, maxStringLength);
        }
        return in;
    }

    // ---- JSON tree -----------------------------------------------------------------------------

    private Map<String, Object> readObject(JsonInput json) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            JsonInput.Event e = json.next();
            if (e == JsonInput.Event.END_OBJECT) {
                return map;
            }
            String name = json.text();
            if (map.containsKey(name)) {
                throw json.error("duplicate member \"" + name + "\"");
            }
            map.put(name, readValue(json, json.next()));
        }
    }

    private Object readValue(JsonInput json, JsonInput.Event e) throws IOException {
        switch (e) {
            case BEGIN_OBJECT:
                return readObject(json);
            case BEGIN_ARRAY:
                List<Object> list = new ArrayList<>();
                for (JsonInput.Event v = json.next(); v != JsonInput.Event.END_ARRAY; v = json.next()) {
                    list.add(readValue(json, v));
                }
                return list;
            case STRING:
                return json.text();
            case NUMBER:
                return new JsonNumber(json.text());
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case NULL:
                return NULL;
            default:
                throw json.error("unexpected " + e);
        }
    }

    /** A number as written, so that DS and IS keep their digits. */
    private static final class JsonNumber {
        final String lexeme;

        JsonNumber(String lexeme) {
            this.lexeme = lexeme;
        }
    }

    // ---- DICOM ---------------------------------------------------------------------------------

    private Attributes toDataset(Map<String, Object> object) throws IOException {
        Attributes ds = new Attributes();
        fill(ds, object);
        return ds;
    }

    private void fill(Attributes ds, Map<String, Object> object) throws IOException {
        TreeMap<Long, Object> sorted = new TreeMap<>();
        for (Map.Entry<String, Object> e : object.entrySet()) {
            String key = e.getKey();
            if (key.length() != 8 || !key.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new DicomJsonException("member name is not a tag: \"" + key + "\"", -1);
            }
            sorted.put(Long.parseLong(key, 16), e.getValue());
        }
        for (Map.Entry<Long, Object> e : sorted.entrySet()) {
            int tag = (int) (long) e.getKey();
            if (!(e.getValue() instanceof Map)) {
                throw error(tag, "element is not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> element = (Map<String, Object>) e.getValue();
            element(ds, tag, element);
        }
    }

    private void element(Attributes ds, int tag, Map<String, Object> element) throws IOException {
        Object vrName = element.get("vr");
        VR vr = vrName instanceof String ? VR.fromCode((String) vrName) : null;
        if (vr == null) {
            throw error(tag, "missing or unknown vr " + (vrName == null ? "" : String.valueOf(vrName)));
        }
        Object value = null;
        String kind = null;
        for (Map.Entry<String, Object> m : element.entrySet()) {
            String k = m.getKey();
            if (k.equals("vr")) {
                continue;
            }
            if (!k.equals("Value") && !k.equals("InlineBinary") && !k.equals("BulkDataURI")) {
                throw error(tag, "unknown member \"" + k + "\"");
            }
            if (kind != null) {
                throw error(tag, "both " + kind + " and " + k);
            }
            kind = k;
            value = m.getValue();
        }
        if (kind == null || value == NULL) {
            if (vr == VR.SQ) {
                ds.newSequence(tag, 0);
            } else {
                ds.setNull(tag, vr);
            }
            return;
        }
        if (kind.equals("BulkDataURI")) {
            if (!(value instanceof String) || vr == VR.SQ) {
                throw error(tag, "BulkDataURI must be a string, not for SQ");
            }
            Object resolved = resolver.resolve(tag, vr, (String) value);
            ds.setValue(tag, vr, resolved);
            return;
        }
        if (kind.equals("InlineBinary")) {
            if (!(value instanceof String) || vr == VR.SQ) {
                throw error(tag, "InlineBinary must be a string, not for SQ");
            }
            byte[] b;
            try {
                b = Base64.getDecoder().decode((String) value);
            } catch (IllegalArgumentException e) {
                throw error(tag, "invalid base64 in InlineBinary");
            }
            if (tag == Tag.PixelData && (vr == VR.OB || vr == VR.OW) && b.length >= 8
                    && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF && b[2] == 0 && (b[3] & 0xFF) == 0xE0) {
                ds.setFragments(tag, fragments(tag, vr, b));
            } else {
                ds.setBytes(tag, vr, b);
            }
            return;
        }
        if (!(value instanceof List)) {
            throw error(tag, "Value must be an array");
        }
        List<?> values = (List<?>) value;
        if (vr == VR.SQ) {
            Sequence seq = ds.newSequence(tag, values.size());
            for (Object v : values) {
                if (!(v instanceof Map)) {
                    throw error(tag, "sequence item is not an object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> item = (Map<String, Object>) v;
                fill(seq.addNewItem(), item);
            }
            return;
        }
        if (vr.isBulkCandidate()) {
            throw error(tag, "Value is not allowed for VR " + vr + " (use InlineBinary or BulkDataURI)");
        }
        if (values.isEmpty()) {
            ds.setNull(tag, vr);
            return;
        }
        if (values.size() > 1 && !vr.isMultiValued() && vr.isString()) {
            throw error(tag, "VR " + vr + " has a single value");
        }
        if (vr.isString()) {
            String[] s = new String[values.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = stringValue(tag, vr, values.get(i));
            }
            declareUTF8IfNeeded(ds, vr, s);
            ds.setString(tag, vr, s);
        } else {
            ds.setBytes(tag, vr, binary(tag, vr, values));
        }
    }

    /**
     * Adds Specific Character Set "ISO_IR 192" to the root data set when none is declared (in the
     * data set or its ancestors) and a text value needs more than ASCII; values set before were
     * ASCII, so their bytes stay valid.
     */
    static void declareUTF8IfNeeded(Attributes ds, VR vr, String[] values) {
        if (!vr.usesSpecificCharacterSet()) {
            return;
        }
        boolean ascii = true;
        for (String v : values) {
            for (int i = 0; ascii && i < v.length(); i++) {
                ascii = v.charAt(i) < 0x80;
            }
        }
        if (ascii) {
            return;
        }
        Attributes root = ds;
        for (Attributes a = ds; a != null; a = a.getParent()) {
            if (a.contains(Tag.SpecificCharacterSet)) {
                return;
            }
            root = a;
        }
        root.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    }

    private String stringValue(int tag, VR vr, Object v) throws IOException {
        if (v == NULL) {
            return "";
        }
        if (vr == VR.PN) {
            if (v instanceof String) {
                return (String) v;
            }
            if (!(v instanceof Map)) {
                throw error(tag, "PN value is not an object");
            }
            Map<?, ?> m = (Map<?, ?>) v;
            String[] groups = new String[3];
            String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
            for (Map.Entry<?, ?> g : m.entrySet()) {
                int k = java.util.Arrays.asList(names).indexOf(g.getKey());
                if (k < 0) {
                    throw error(tag, "unknown PN member \"" + g.getKey() + "\"");
                }
                if (g.getValue() != NULL) {
                    if (!(g.getValue() instanceof String)) {
                        throw error(tag, "PN component group is not a string");
                    }
                    groups[k] = (String) g.getValue();
                }
            }
            int last = groups[2] != null ? 3 : groups[1] != null ? 2 : 1;
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < last; k++) {
                if (k > 0) {
                    sb.append('=');
                }
                sb.append(groups[k] == null ? "" : groups[k]);
            }
            return sb.toString();
        }
        if (v instanceof JsonNumber && (vr == VR.DS || vr == VR.IS)) {
            String lexeme = ((JsonNumber) v).lexeme;
            if (vr == VR.IS && !lexeme.matches("-?\\d+")) {
                try {
                    return new BigDecimal(lexeme).toBigIntegerExact().toString();
                } catch (ArithmeticException e) {
                    throw error(tag, "IS value is not an integer: " + lexeme);
                }
            }
            return lexeme;
        }
        if (!(v instanceof String)) {
            throw error(tag, "value of VR " + vr + " is not a string");
        }
        return (String) v;
    }

    private byte[] binary(int tag, VR vr, List<?> values) throws IOException {
        int n = values.size();
        if (vr == VR.FL || vr == VR.FD) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                Object v = values.get(i);
                String text = v instanceof JsonNumber ? ((JsonNumber) v).lexeme
                        : v instanceof String && ((String) v).matches("NaN|-?Infinity") ? (String) v : null;
                if (text == null) {
                    throw error(tag, "value of VR " + vr + " is not a number");
                }
                d[i] = vr == VR.FL ? Float.parseFloat(text) : Double.parseDouble(text);
            }
            return vr.toBytes(d, false);
        }
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            Object v = values.get(i);
            if (vr == VR.AT) {
                if (!(v instanceof String) || !((String) v).matches("[0-9A-Fa-f]{8}")) {
                    throw error(tag, "AT value is not \"GGGGEEEE\"");
                }
                l[i] = Long.parseLong((String) v, 16);
                continue;
            }
            if (!(v instanceof JsonNumber) && !((vr == VR.SV || vr == VR.UV) && v instanceof String)) {
                throw error(tag, "value of VR " + vr + " is not a number");
            }
            BigInteger b;
            try {
                b = new BigDecimal(v instanceof JsonNumber ? ((JsonNumber) v).lexeme : (String) v).toBigIntegerExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw error(tag, "value of VR " + vr + " is not an integer");
            }
            BigInteger[] range = range(vr);
            if (b.compareTo(range[0]) < 0 || b.compareTo(range[1]) > 0) {
                throw error(tag, "value " + b + " out of range for VR " + vr);
            }
            l[i] = b.longValue();
        }
        return vr.toBytes(l, false);
    }

    private static BigInteger[] range(VR vr) {
        switch (vr) {
            case SS: return new BigInteger[] {BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE)};
            case US: return new BigInteger[] {BigInteger.ZERO, BigInteger.valueOf(0xFFFF)};
            case SL: return new BigInteger[] {BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)};
            case UL: return new BigInteger[] {BigInteger.ZERO, BigInteger.valueOf(0xFFFFFFFFL)};
            case SV: return new BigInteger[] {BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)};
            default: return new BigInteger[] {BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)};
        }
    }

    private static Fragments fragments(int tag, VR vr, byte[] b) throws IOException {
        Fragments f = new Fragments(vr, false, 4);
        int p = 0;
        while (p + 8 <= b.length) {
            int group = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
            int element = (b[p + 2] & 0xFF) | (b[p + 3] & 0xFF) << 8;
            long len = (b[p + 4] & 0xFFL) | (b[p + 5] & 0xFFL) << 8 | (b[p + 6] & 0xFFL) << 16 | (b[p + 7] & 0xFFL) << 24;
            p += 8;
            if (group == 0xFFFE && element == 0xE0DD) {
                return f;
            }
            if (group != 0xFFFE || element != 0xE000 || len > b.length - p) {
                throw error(tag, "invalid encapsulated pixel data in InlineBinary");
            }
            f.add(java.util.Arrays.copyOfRange(b, p, p + (int) len));
            p += (int) len;
        }
        if (p != b.length) {
            throw error(tag, "invalid encapsulated pixel data in InlineBinary");
        }
        return f;
    }

    private static DicomJsonException error(int tag, String reason) {
        return new DicomJsonException(Tag.toString(tag) + ": " + reason, -1);
    }
}
