package org.mosaicpacs.dicom.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;

/**
 * Parses every file of a corpus made by make-corpus.py when the system property or environment
 * variable MOSAIC_CORPUS names its folder: files outside malformed/ must parse; files in malformed/
 * must parse or throw DicomParseException, nothing else.
 */
class CorpusTest {

    static Path corpus() {
        String dir = System.getProperty("MOSAIC_CORPUS", System.getenv("MOSAIC_CORPUS"));
        return dir == null || dir.isEmpty() ? null : Paths.get(dir);
    }

    @Test
    void parseCorpus() throws IOException {
        Path root = corpus();
        Assumptions.assumeTrue(root != null && Files.isDirectory(root), "MOSAIC_CORPUS not set");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".tsv")
                            && !p.getFileName().toString().endsWith(".txt"))
                    .sorted().collect(Collectors.toList());
        }
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        int rejected = 0;
        for (Path f : files) {
            boolean malformed = root.relativize(f).toString().startsWith("malformed");
            try {
                read(f, false);
                read(f, true);
                parsed++;
            } catch (DicomParseException e) {
                rejected++;
                if (!malformed) {
                    failures.add(root.relativize(f) + ": " + e.getMessage());
                }
            } catch (Throwable t) {
                failures.add(root.relativize(f) + ": " + t);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " failures:\n" + String.join("\n", failures));
        }
        assertTrue(parsed > 0 || files.isEmpty());
        System.out.println("corpus: " + files.size() + " files, " + parsed + " parsed, " + rejected + " rejected");
    }

    @Test
    void roundTripCorpus() throws IOException {
        Path root = corpus();
        Assumptions.assumeTrue(root != null && Files.isDirectory(root), "MOSAIC_CORPUS not set");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".dcm") && !root.relativize(p).toString().startsWith("malformed"))
                    .sorted().collect(Collectors.toList());
        }
        List<String> failures = new ArrayList<>();
        for (Path f : files) {
            try (DicomInputStream in = new DicomInputStream(f)) {
                Attributes fmi = in.readFileMetaInformation();
                Attributes ds = in.readDataset();
                String tsuid = in.getTransferSyntax();
                List<String> targets = new ArrayList<>(List.of(tsuid));
                if (!TransferSyntax.of(tsuid).isEncapsulated()) {
                    targets.add(UID.ExplicitVRLittleEndian);
                }
                for (String target : targets) {
                    ByteArrayOutputStream bout = new ByteArrayOutputStream();
                    try (DicomOutputStream out = new DicomOutputStream(bout)) {
                        Attributes meta = fmi != null ? new Attributes(fmi) : new Attributes();
                        meta.setString(Tag.TransferSyntaxUID, VR.UI, target);
                        out.writeFileMetaInformation(meta);
                        out.writeDataset(ds);
                    }
                    Attributes back = Fixtures.read(bout.toByteArray());
                    if (!back.equals(ds)) {
                        failures.add(root.relativize(f) + " -> " + target + ": differs");
                    }
                }
            } catch (Exception e) {
                failures.add(root.relativize(f) + ": " + e);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " round trip failures:\n" + String.join("\n", failures));
        }
    }

    /** The raw values pydicom reads, one line per element: file, item path, tag, SHA-1 prefix or SQn. */
    private static final String PYDICOM_WALK = ""
            + "import sys, hashlib, pydicom\n"
            + "from pydicom.dataset import Dataset\n"
            + "def walk(ds, path, out):\n"
            + "    for tag in sorted(ds.keys()):\n"
            + "        if tag.element == 0: continue\n"
            + "        if tag == 0xFFFCFFFC: continue\n"
            + "        e = ds.get_item(tag)\n"
            + "        vr = getattr(e, 'VR', None)\n"
            + "        v = e.value\n"
            + "        dvr = None\n"
            + "        try:\n"
            + "            dvr = pydicom.datadict.dictionary_VR(tag)\n"
            + "        except Exception:\n"
            + "            pass\n"
            + "        if vr == 'SQ' or (vr is None and dvr == 'SQ') or (vr == 'UN' and dvr == 'SQ'):\n"
            + "            v = None\n"
            + "        if tag == 0x00080005: continue\n"
            + "        if isinstance(v, (bytes, bytearray)):\n"
            + "            out.append(\"%s %08X %s\" % (path, tag, hashlib.sha1(bytes(v)).hexdigest()[:12]))\n"
            + "        else:\n"
            + "            el = ds[tag]\n"
            + "            if el.VR == 'SQ':\n"
            + "                for i, it in enumerate(el.value):\n"
            + "                    walk(it, \"%s/%08X[%d]\" % (path, tag, i), out)\n"
            + "                out.append(\"%s %08X SQ%d\" % (path, tag, len(el.value)))\n"
            + "for f in sys.argv[1:]:\n"
            + "    try:\n"
            + "        ds = pydicom.dcmread(f)\n"
            + "        out = []\n"
            + "        walk(ds, \"\", out)\n"
            + "        for l in out: print(f, l)\n"
            + "    except Exception as ex:\n"
            + "        print(f, \"ERROR\", type(ex).__name__)\n";

    @Test
    void sameRawValuesAsPydicom() throws Exception {
        Path root = corpus();
        Assumptions.assumeTrue(root != null && Files.isDirectory(root), "MOSAIC_CORPUS not set");
        Path python = Paths.get("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        List<String> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".dcm"))
                    .filter(p -> !root.relativize(p).toString().startsWith("malformed")
                            && !p.getFileName().toString().startsWith("raw-dataset"))
                    .sorted().limit(150).map(Path::toString).collect(Collectors.toList());
        }
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "-c", PYDICOM_WALK));
        cmd.addAll(files);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.waitFor() == 0 && !out.contains(" ERROR "), "pydicom unavailable or failed");
        List<String> expected = Stream.of(out.split("\n"))
                .filter(l -> !l.isEmpty() && !l.contains(" 7FE00010 ") && !l.endsWith(EMPTY_SHA1))
                .sorted().collect(Collectors.toList());
        List<String> actual = new ArrayList<>();
        for (String f : files) {
            walk(f, read(Paths.get(f), false), "", actual);
        }
        actual.removeIf(l -> l.contains(" 7FE00010 ") || l.contains(" 00080005 ") || l.endsWith(EMPTY_SHA1));
        actual.sort(null);
        assertTrue(expected.size() > files.size(), "pydicom listed " + expected.size() + " values");
        org.junit.jupiter.api.Assertions.assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    private static final String EMPTY_SHA1 = "da39a3ee5e6b";

    private static void walk(String f, Attributes a, String path, List<String> out) throws Exception {
        for (int i = 0; i < a.size(); i++) {
            int t = a.tagAt(i);
            Object v = a.valueAt(i);
            if (v instanceof Sequence) {
                Sequence s = (Sequence) v;
                for (int k = 0; k < s.size(); k++) {
                    walk(f, s.get(k), String.format("%s/%08X[%d]", path, t, k), out);
                }
                out.add(f + " " + path + " " + String.format("%08X", t) + " SQ" + s.size());
            } else if (v instanceof byte[]) {
                byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest((byte[]) v);
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < 6; k++) {
                    sb.append(String.format("%02x", d[k]));
                }
                out.add(f + " " + path + " " + String.format("%08X", t) + " " + sb);
            }
        }
    }

    static Attributes read(Path f, boolean bulk) throws IOException {
        try (DicomInputStream in = new DicomInputStream(f)) {
            if (bulk) {
                in.setBulkDataThreshold(1024);
            }
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }
}
