package org.mosaicpacs.dicom.json;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.io.DicomInputStream;

/**
 * Compares our DICOM JSON with dcmtk's {@code dcm2json} and pydicom's {@code Dataset.to_json_dict()}
 * for every valid file of a corpus made by make-corpus.py (MOSAIC_CORPUS, system property or
 * environment variable; skipped when unset). Element for element: numbers are compared by value
 * (pydicom writes DS "49" as 49.0), InlineBinary by its decoded bytes, PN objects without empty groups.
 * Known, documented peer bugs are narrow exceptions in {@link #peerBug}; anything else fails.
 */
class CorpusJsonComparisonTest {

    private static final Path DCM2JSON = Paths.get("/usr/bin/dcm2json");
    private static final Path PYTHON = Paths.get("/usr/bin/python3");

    @Test
    void ourJsonEqualsDcm2jsonAndPydicom() throws Exception {
        String dir = System.getProperty("MOSAIC_CORPUS", System.getenv("MOSAIC_CORPUS"));
        Path root = dir == null || dir.isEmpty() ? null : Paths.get(dir);
        Assumptions.assumeTrue(root != null && Files.isDirectory(root), "MOSAIC_CORPUS not set");
        List<Path> files = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("manifest.tsv"), StandardCharsets.UTF_8)) {
            String rel = line.split("\t", 2)[0];
            if (!rel.equals("path") && !rel.startsWith("malformed/") && Files.isRegularFile(root.resolve(rel))) {
                files.add(root.resolve(rel));
            }
        }
        Map<Path, String> pydicom = Files.isExecutable(PYTHON) ? pydicom(files) : Map.of();
        boolean dcmtk = Files.isExecutable(DCM2JSON);

        List<String> failures = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> excused = new TreeMap<>();
        for (Path f : files) {
            String rel = root.relativize(f).toString();
            Object ours;
            try (DicomInputStream in = new DicomInputStream(f)) {
                Attributes ds = in.readDataset();
                StringWriter w = new StringWriter();
                new DicomJsonWriter(w).write(ds);
                ours = tree(w.toString());
            } catch (IOException | RuntimeException e) {
                failures.add(rel + ": ours: " + e);
                continue;
            }
            count(counts, "files");
            if (dcmtk) {
                Process p = new ProcessBuilder(DCM2JSON.toString(), "-q", "-fc", f.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                if (p.exitValue() != 0) {
                    // dcm2json 3.6.7 refuses encapsulated (compressed) pixel data for InlineBinary
                    count(counts, "dcm2json refused");
                } else {
                    List<String> diffs = new ArrayList<>();
                    compare("", ours, tree(new String(out, StandardCharsets.UTF_8)), null, diffs);
                    record(rel, "dcm2json", diffs, counts, excused, failures);
                }
            }
            String py = pydicom.get(f);
            if (py != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> line = (Map<String, Object>) tree(py);
                if (line.containsKey("error")) {
                    count(counts, "pydicom failed");
                } else {
                    List<String> diffs = new ArrayList<>();
                    compare("", ours, line.get("json"), null, diffs);
                    record(rel, "pydicom", diffs, counts, excused, failures);
                }
            }
        }
        System.out.println("JSON corpus comparison: " + counts + "; excused peer bugs: " + excused);
        Files.write(Paths.get("target", "json-corpus-differences.txt"), failures, StandardCharsets.UTF_8);
        if (!failures.isEmpty()) {
            fail(failures.size() + " differences:\n" + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
        }
        assertTrue(counts.getOrDefault("files", 0) > 0);
    }

    @Test
    void peerExceptionsAreNarrow() {
        assertTrue(peerBug("dcm2json", "[scs-utf8] /00080005: ours [ISO_IR 100]") != null);
        assertTrue(peerBug("pydicom", "[scs-utf8] /00080005: ours [ISO_IR 100]") == null);
        assertTrue(peerBug("pydicom", "[empty-as-string] /00080008[1] CS: ours null theirs \"\"") != null);
        assertTrue(peerBug("dcm2json", "[empty-as-string] /00080008[1] CS: ours null theirs \"\"") == null);
        assertTrue(peerBug("dcm2json", "[big-endian-inline] /7FE00010 OW") == null);
        assertTrue(peerBug("pydicom", "[double-precision] /00720074[2] FD") == null);
        assertTrue(peerBug("pydicom", "/00100010[0] PN: ours {Alphabetic=A} theirs {Alphabetic=B}") == null);
        assertTrue(peerBug("dcm2json", "/00100010[0] PN: ours {Alphabetic=A} theirs {Alphabetic=B}") == null);
    }

    private static void record(String rel, String peer, List<String> diffs, Map<String, Integer> counts,
            Map<String, Integer> excused, List<String> failures) {
        List<String> real = new ArrayList<>();
        for (String d : diffs) {
            String bug = peerBug(peer, d);
            if (bug != null) {
                count(excused, peer + ": " + bug);
            } else {
                real.add(d);
            }
        }
        if (real.isEmpty()) {
            count(counts, peer + " equal");
        } else {
            count(counts, peer + " different");
            real.forEach(d -> failures.add(rel + ": " + peer + ": " + d));
        }
    }

    /**
     * Differences that are documented bugs or limitations of a peer, not ours; null for any other.
     * Each is matched narrowly on the element and the kind of difference.
     */
    static String peerBug(String peer, String diff) {
        String code = diff.startsWith("[") ? diff.substring(1, diff.indexOf(']')) : "";
        switch (code) {
            case "scs-utf8":
                // dcm2json converts all text to UTF-8 and rewrites (0008,0005) to "ISO_IR 192" (its
                // documented behaviour); we keep the declared value, as pydicom does, so that the
                // JSON reads back to the same bytes. Only (0008,0005) itself differs: the text is
                // compared decoded and matches.
                return peer.equals("dcm2json") ? "rewrites (0008,0005) to ISO_IR 192" : null;
            case "empty-as-string":
                // PS3.18 F.2.5: an empty value of a multi-valued element is null; pydicom 2.3 writes "".
                return peer.equals("pydicom") ? "empty value in a multi-valued element as \"\" instead of null" : null;
            case "group-length":
                // pydicom keeps Group Length (gggg,0000), retired in data sets (PS3.5 7.2); our reader
                // drops them by default, as dcm2json does.
                return peer.equals("pydicom") ? "writes group length elements" : null;
            case "trailing-padding":
                // Data Set Trailing Padding (FFFC,FFFC) carries no information (PS3.10 7.2): our reader
                // discards it; both peers keep it.
                return "writes Data Set Trailing Padding, which our reader discards";
            case "padding-spaces":
                // Leading and trailing spaces are padding for AE, CS, DS, IS, LO, SH and the other
                // multi-valued string VRs (PS3.5 6.2); pydicom 2.3 strips only the end of the whole
                // value, so it keeps leading spaces, and trailing ones of all but the last value
                // ("DERIVED \PRIMARY"). Matched only when the values are equal after trimming.
                return peer.equals("pydicom") ? "keeps padding spaces inside values" : null;
            case "invalid-utf8":
                // Invalid UTF-8 under ISO_IR 192: our SpecificCharacterSet decodes the value as Latin-1
                // (documented recovery); both peers write U+FFFD. Matched only when theirs has U+FFFD.
                return "U+FFFD for invalid UTF-8 where we recover Latin-1";
            case "big-endian-inline":
                // PS3.18 F.2.7: InlineBinary is little endian; pydicom 2.3 base64-encodes the bytes of a
                // big endian data set as they are. Matched only when theirs, swapped, equals ours.
                return peer.equals("pydicom") ? "InlineBinary of a big endian data set not swapped" : null;
            case "double-precision":
                // dcm2json 3.6.7 prints FD with 17 significant digits computed imprecisely
                // (1.7976931348623167e308 for Double.MAX_VALUE, which does not read back); matched only
                // within a relative difference of 1e-15.
                return peer.equals("dcm2json") ? "FD printed imprecisely" : null;
            case "unsafe-integer":
                // SV/UV beyond +/-(2^53-1): we write strings, as dcm2json does (RFC 8259 section 6,
                // CP-1861); pydicom 2.3 writes numbers that IEEE double readers cannot hold exactly.
                return peer.equals("pydicom") ? "SV/UV beyond 2^53 as numbers" : null;
            default:
                return null;
        }
    }

    // ---- comparison ----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static void compare(String path, Object a, Object b, String vr, List<String> diffs) {
        if (a instanceof Map && b instanceof Map) {
            Map<String, Object> ma = (Map<String, Object>) a;
            Map<String, Object> mb = (Map<String, Object>) b;
            if ("PN".equals(vr)) {
                ma = withoutEmpty(ma);
                mb = withoutEmpty(mb);
                if (!ma.equals(mb)) {
                    diffs.add((mb.toString().contains("\uFFFD") ? "[invalid-utf8] " : "") + path + ": PN ours " + ma + " theirs " + mb);
                }
                return;
            }
            TreeSet<String> keys = new TreeSet<>(ma.keySet());
            keys.addAll(mb.keySet());
            for (String k : keys) {
                if (!ma.containsKey(k)) {
                    String code = k.endsWith("0000") ? "[group-length] " : k.equals("FFFCFFFC") ? "[trailing-padding] " : "";
                    diffs.add(code + path + "/" + k + ": missing in ours, theirs " + shorten(mb.get(k)));
                } else if (!mb.containsKey(k)) {
                    diffs.add(path + "/" + k + ": extra in ours " + shorten(ma.get(k)));
                } else {
                    element(path + "/" + k, (Map<String, Object>) ma.get(k), (Map<String, Object>) mb.get(k), diffs);
                }
            }
            return;
        }
        diffs.add(path + ": not comparable " + shorten(a) + " vs " + shorten(b));
    }

    private static void element(String path, Map<String, Object> a, Map<String, Object> b, List<String> diffs) {
        String vr = (String) a.get("vr");
        if (!Objects.equals(vr, b.get("vr"))) {
            diffs.add(path + ": vr ours " + vr + " theirs " + b.get("vr"));
            return;
        }
        Object va = a.get("Value");
        Object vb = b.get("Value");
        if (va instanceof List && ((List<?>) va).isEmpty()) {
            va = null;
        }
        if (vb instanceof List && ((List<?>) vb).isEmpty()) {
            vb = null;
        }
        Object ia = a.get("InlineBinary");
        Object ib = b.get("InlineBinary");
        if (ia != null || ib != null) {
            byte[] ba = ia == null ? null : Base64.getDecoder().decode((String) ia);
            byte[] bb = ib == null ? null : Base64.getDecoder().decode((String) ib);
            if (!Arrays.equals(ba, bb)) {
                String code = ba != null && bb != null && Arrays.equals(ba, swap(bb, vr)) ? "[big-endian-inline] " : "";
                diffs.add(code + path + " " + vr + ": InlineBinary differs (ours " + (ba == null ? "none" : ba.length + " bytes")
                        + ", theirs " + (bb == null ? "none" : bb.length + " bytes") + ")");
            }
        }
        if (!Objects.equals(a.get("BulkDataURI"), b.get("BulkDataURI"))) {
            diffs.add(path + " " + vr + ": BulkDataURI ours " + a.get("BulkDataURI") + " theirs " + b.get("BulkDataURI"));
        }
        if (va == null || vb == null) {
            if (va != vb) {
                diffs.add(path + " " + vr + ": Value ours " + shorten(va) + " theirs " + shorten(vb));
            }
            return;
        }
        List<?> la = (List<?>) va;
        List<?> lb = (List<?>) vb;
        if (path.endsWith("/00080005") && lb.equals(List.of("ISO_IR 192"))) {
            if (!la.equals(lb)) {
                diffs.add("[scs-utf8] " + path + ": ours " + la);
            }
            return;
        }
        if (la.size() != lb.size()) {
            diffs.add(path + " " + vr + ": " + la.size() + " values ours " + shorten(la) + " theirs " + shorten(lb));
            return;
        }
        for (int i = 0; i < la.size(); i++) {
            Object x = la.get(i);
            Object y = lb.get(i);
            String p = path + "[" + i + "]";
            if (x instanceof Map || y instanceof Map) {
                compare(p, x, y, vr, diffs);
            } else if (x instanceof Num && y instanceof Num) {
                String tx = ((Num) x).text;
                String ty = ((Num) y).text;
                if (vr.equals("FL") ? Float.parseFloat(tx) != Float.parseFloat(ty) : !sameNumber(tx, ty)) {
                    BigDecimal bx = new BigDecimal(tx);
                    BigDecimal by = new BigDecimal(ty);
                    String code = vr.equals("FD") && bx.subtract(by).abs().compareTo(bx.abs().multiply(new BigDecimal("1e-15"))) <= 0
                            ? "[double-precision] " : "";
                    diffs.add(code + p + " " + vr + ": number ours " + x + " theirs " + y);
                }
            } else if (!Objects.equals(x, y)) {
                String code = x == null && "".equals(y) ? "[empty-as-string] "
                        : x instanceof String && y instanceof String && ((String) y).contains("\uFFFD") ? "[invalid-utf8] "
                        : x instanceof String && y instanceof String
                                && ((String) y).strip().equals(((String) x).strip()) ? "[padding-spaces] "
                        : (vr.equals("SV") || vr.equals("UV")) && x instanceof String && y instanceof Num
                                && new BigDecimal((String) x).compareTo(new BigDecimal(((Num) y).text)) == 0 ? "[unsafe-integer] "
                        : "";
                diffs.add(code + p + " " + vr + ": ours " + shorten(x) + " (" + kind(x) + ") theirs " + shorten(y) + " (" + kind(y) + ")");
            }
        }
    }

    private static byte[] swap(byte[] b, String vr) {
        int unit = vr.equals("OW") ? 2 : vr.equals("OF") || vr.equals("OL") ? 4 : vr.equals("OD") || vr.equals("OV") ? 8 : 1;
        byte[] c = b.clone();
        for (int i = 0; i + unit <= c.length; i += unit) {
            for (int j = 0; j < unit / 2; j++) {
                byte t = c[i + j];
                c[i + j] = c[i + unit - 1 - j];
                c[i + unit - 1 - j] = t;
            }
        }
        return c;
    }

    private static boolean sameNumber(String x, String y) {
        if (new BigDecimal(x).compareTo(new BigDecimal(y)) == 0) {
            return true;
        }
        return Double.parseDouble(x) == Double.parseDouble(y);
    }

    private static Map<String, Object> withoutEmpty(Map<String, Object> m) {
        Map<String, Object> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (v instanceof String && !((String) v).isEmpty()) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String kind(Object o) {
        return o == null ? "null" : o instanceof Num ? "number" : o instanceof String ? "string" : o.getClass().getSimpleName();
    }

    private static String shorten(Object o) {
        String s = String.valueOf(o);
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    private static void count(Map<String, Integer> m, String key) {
        m.merge(key, 1, Integer::sum);
    }

    // ---- peers ---------------------------------------------------------------------------------

    private static Map<Path, String> pydicom(List<Path> files) throws Exception {
        Path script = Files.createTempFile("pydicom_json", ".py");
        try (InputStream in = CorpusJsonComparisonTest.class.getResourceAsStream("pydicom_json.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread feeder = new Thread(() -> {
            try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
                for (Path f : files) {
                    w.write(f.toString() + "\n");
                }
            } catch (IOException ignored) {
                // the reader below sees the missing lines
            }
        });
        feeder.start();
        Map<Path, String> out = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) tree(line);
                out.put(Paths.get((String) m.get("path")), line);
            }
        } finally {
            feeder.join();
            p.waitFor(60, TimeUnit.SECONDS);
            Files.deleteIfExists(script);
        }
        return out;
    }

    // ---- a JSON tree with our strict reader -------------------------------------------------

    /** A JSON number, kept as text. */
    static final class Num {
        final String text;

        Num(String text) {
            this.text = text;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Num && sameNumber(text, ((Num) o).text);
        }

        @Override
        public int hashCode() {
            return 0;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static Object tree(String json) throws IOException {
        JsonInput in = new JsonInput(new StringReader(json), 10_000, Integer.MAX_VALUE);
        Object v = value(in, in.next());
        if (in.next() != JsonInput.Event.END) {
            throw new IOException("trailing content");
        }
        return v;
    }

    private static Object value(JsonInput in, JsonInput.Event e) throws IOException {
        switch (e) {
            case BEGIN_OBJECT:
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonInput.Event n = in.next(); n != JsonInput.Event.END_OBJECT; n = in.next()) {
                    String name = in.text();
                    m.put(name, value(in, in.next()));
                }
                return m;
            case BEGIN_ARRAY:
                List<Object> l = new ArrayList<>();
                for (JsonInput.Event n = in.next(); n != JsonInput.Event.END_ARRAY; n = in.next()) {
                    l.add(value(in, n));
                }
                return l;
            case STRING:
                return in.text();
            case NUMBER:
                return new Num(in.text());
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case NULL:
                return null;
            default:
                throw new IOException("unexpected " + e);
        }
    }

}
