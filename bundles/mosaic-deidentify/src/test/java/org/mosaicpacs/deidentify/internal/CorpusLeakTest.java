package org.mosaicpacs.deidentify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mosaicpacs.api.deidentify.ConfidentialityOption;
import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UIDDictionary;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/**
 * The leak check: every file of the corpus ({@code MOSAIC_CORPUS}, else {@code /work/corpus}; skipped when
 * neither exists) is de-identified through the Part 10 service (basic profile; and with the cleaning options), and the output bytes
 * (all but the Pixel Data value, whose burned-in text is Clean Pixel Data's matter) are searched for every
 * identifying value of the original: names, IDs, dates, UIDs, institution, free text of the attributes the
 * table removes or replaces. A value counts only when no attribute the profile keeps holds it too. Files that
 * are not DICOM must give a clear {@link DeidentificationException}, nothing else; every output must pass
 * dcmdump (no error, {@code +E}) and pydicom (every element's value read, at any depth).
 */
class CorpusLeakTest {

    @TempDir
    Path temp;

    static Path corpus() {
        String env = System.getenv("MOSAIC_CORPUS");
        Path p = env != null && !env.isBlank() ? Path.of(env) : Path.of("/work/corpus");
        return Files.isDirectory(p) ? p : null;
    }

    /**
     * With the basic profile, and with the options that keep text and dates in cleaned form (their values
     * are then neither identifying nor kept: what the table removes or replaces must still not appear).
     */
    @ParameterizedTest(name = "options: {0}")
    @ValueSource(strings = {"", "CLEAN_DESCRIPTORS,CLEAN_STRUCTURED_CONTENT,CLEAN_GRAPHICS,RETAIN_LONGITUDINAL_MODIFIED_DATES"})
    void noIdentifyingValueSurvives(String options) throws Exception {
        Path corpus = corpus();
        assumeTrue(corpus != null, "no corpus: set MOSAIC_CORPUS");
        ProfileDefinition definition = new ProfileDefinition("leak", new String[] {options}, "leak-check", "", 10, 365,
                new String[0], new String[0], false);
        Set<ConfidentialityOption> chosen = definition.options();
        AnnexEDeidentifier service = new AnnexEDeidentifier(null, definition);
        List<Path> files;
        try (Stream<Path> s = Files.walk(corpus)) {
            files = s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".tsv")
                    && !f.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
        int done = 0;
        int refused = 0;
        List<String> leaks = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (Path f : files) {
            Attributes original;
            try (DicomInputStream in = new DicomInputStream(f)) {
                in.readFileMetaInformation();
                original = in.readDataset();
            } catch (Exception e) {
                original = null; // unreadable: the service must refuse it cleanly (below)
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = Files.newInputStream(f)) {
                service.deidentify(in, out, "leak");
            } catch (DeidentificationException e) {
                refused++;
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), f + ": an error with no message");
                continue;
            }
            if (original == null) {
                continue; // the service read more than the strict reader did; nothing to compare
            }
            done++;
            byte[] header = withoutPixelData(out.toByteArray());
            String text = new String(header, StandardCharsets.ISO_8859_1);
            Set<String> kept = new HashSet<>();
            Set<String> identifying = new HashSet<>();
            collect(original, chosen, identifying, kept);
            for (String v : identifying) {
                if (!kept.contains(v) && !isOurDummy(v) && text.contains(v)) {
                    leaks.add(corpus.relativize(f) + ": '" + v + "'");
                }
            }
            Path copy = temp.resolve("out" + outputs.size() + ".dcm");
            Files.write(copy, out.toByteArray());
            outputs.add(copy);
        }
        System.out.printf("leak check (options: %s): %d files de-identified, %d refused with a message, %d leaks%n", chosen, done, refused, leaks.size());
        assertTrue(done > 0, "the corpus had no readable file");
        assertEquals(List.of(), leaks.subList(0, Math.min(50, leaks.size())), leaks.size() + " identifying values found");
        long warnings = 0;
        // every de-identified file, read by two readers nobody here wrote (in chunks: one process per 100 files)
        for (int from = 0; from < outputs.size(); from += 100) {
            List<Path> chunk = outputs.subList(from, Math.min(outputs.size(), from + 100));
            if (Peers.hasDcmdump()) {
                Peers.Run r = Peers.dcmdumpStrict(chunk);
                assertEquals(0, r.exit(), r.output());
                assertFalse(r.output().lines().anyMatch(l -> l.startsWith("E: ")), r.output());
                warnings += r.output().lines().filter(l -> l.startsWith("W: ")).count();
            }
            if (Peers.hasPydicom()) {
                Peers.Run r = Peers.pydicom(chunk);
                assertEquals(0, r.exit(), r.output());
            }
        }
        System.out.printf("dcmdump: %s (%d warnings), pydicom: %s, on all %d de-identified files%n", Peers.hasDcmdump(),
                warnings, Peers.hasPydicom(), outputs.size());
    }

    /** An original value that happens to be one of the dummies the engine writes is no leak. */
    private static boolean isOurDummy(String v) {
        return v.equals(Engine.DUMMY_DATE) || v.equals(Engine.DUMMY_TEXT) || v.equals(Engine.DUMMY_DATE + Engine.DUMMY_TIME);
    }

    /** The output bytes, less the Pixel Data value. */
    private static byte[] withoutPixelData(byte[] part10) throws Exception {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10))) {
            Attributes fmi = in.readFileMetaInformation();
            Attributes ds = in.readDataset();
            ds.remove(Tag.PixelData);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (DicomOutputStream dos = new DicomOutputStream(out)) {
                dos.writeFileMetaInformation(fmi);
                dos.writeDataset(ds);
            }
            return out.toByteArray();
        }
    }

    /**
     * The identifying values of a data set (attributes of the table the basic profile does not keep), and
     * the values of everything it keeps; ASCII runs of at least 3 characters (name components apart).
     */
    private static void collect(Attributes ds, Set<ConfidentialityOption> chosen, Set<String> identifying, Set<String> kept) {
        ActionTable table = ActionTable.standard();
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            VR vr = ds.vrAt(i);
            if (vr == VR.SQ) {
                Sequence seq = ds.getSequence(tag);
                if (seq != null) {
                    for (Attributes item : seq) {
                        collect(item, chosen, identifying, kept);
                    }
                }
                continue;
            }
            if (!vr.isString() || vr == VR.CS || vr == VR.AS || vr == VR.IS || vr == VR.DS || vr == VR.TM) {
                continue;
            }
            String[] values;
            try {
                values = ds.getStrings(tag);
            } catch (RuntimeException e) {
                continue;
            }
            if (values == null) {
                continue;
            }
            ActionTable.Row row = Tag.isPrivate(tag) ? table.privateRow() : table.lookup(tag);
            Action action = row == null ? Action.K : row.action(chosen);
            if (action == Action.C) {
                continue; // kept in cleaned form: neither identifying nor kept as it was
            }
            for (String v : values) {
                for (String token : tokens(v.strip(), vr)) {
                    if (vr == VR.UI && UIDDictionary.nameOf(token) != null) {
                        continue;
                    }
                    (action != Action.K ? identifying : kept).add(token);
                }
            }
        }
    }

    private static List<String> tokens(String value, VR vr) {
        List<String> out = new ArrayList<>();
        String[] parts = vr == VR.PN ? value.split("[\\^=]") : new String[] {vr == VR.DT && value.length() > 8 ? value.substring(0, 8) : value};
        for (String p : parts) {
            for (String ascii : p.split("[^\\x20-\\x7E]+")) {
                String t = ascii.strip();
                if (t.length() >= (vr == VR.DA || vr == VR.DT ? 8 : vr == VR.UI ? 6 : 3)) {
                    out.add(t);
                }
            }
        }
        return out;
    }
}
