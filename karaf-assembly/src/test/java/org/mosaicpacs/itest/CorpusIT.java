package org.mosaicpacs.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.io.DicomInputStream;

/**
 * The whole test corpus ({@code MOSAIC_CORPUS}, its {@code manifest.tsv}) against the started distribution, with
 * dcmtk as the peer and pydicom as the judge: every valid file stored by storescu in its own transfer syntax, found
 * at every level, retrieved by C-GET (getscu) and by C-MOVE into storescp, compared element for element with the
 * original; then every file of {@code malformed/} sent on its own, each answered with a failure status and leaving
 * nothing behind, the archive still serving. Skipped when MOSAIC_CORPUS, dcmtk or pydicom is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CorpusIT {

    private static final String PYTHON = "/usr/bin/python3";

    /** getscu (dcmtk 3.6.7) accepts one compressed transfer syntax per run, chosen by one of these options. */
    private static final Map<String, String> GETSCU_PREFER = Map.of(
            "1.2.840.10008.1.2.4.50", "+xy", "1.2.840.10008.1.2.4.51", "+xx", "1.2.840.10008.1.2.4.70", "+xs",
            "1.2.840.10008.1.2.4.80", "+xt", "1.2.840.10008.1.2.4.81", "+xu", "1.2.840.10008.1.2.4.90", "+xv",
            "1.2.840.10008.1.2.4.91", "+xw", "1.2.840.10008.1.2.5", "+xr");
    /**
     * JPEG Lossless, Non-Hierarchical, Process 14: neither getscu nor storescp (+xa) of dcmtk 3.6.7 accept it (storescu
     * to storescp +xa: "No Acceptable Presentation Contexts"); the archive decompresses such instances for them (to
     * Explicit VR Little Endian), so they arrive uncompressed: their pixels (and image attributes) are compared by
     * pydicom with those of the native corpus file they were made from.
     */
    private static final Set<String> DECOMPRESSED_FOR_DCMTK = Set.of("1.2.840.10008.1.2.4.57");
    /** Transfer syntaxes the archive converts from, to one getscu accepts (Explicit VR Little Endian). */
    private static final Set<String> UNCOMPRESSED = Set.of("1.2.840.10008.1.2", "1.2.840.10008.1.2.1",
            "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99");

    private Path corpus;
    private Distribution mosaic;
    private Process storescp;
    private Path storescpDir;

    /** The valid corpus files, in manifest order. */
    private final List<Row> valid = new ArrayList<>();
    private final List<Row> malformed = new ArrayList<>();
    /** SOP Instance UID -> the file the archive keeps (the first sent: the default duplicate policy is KEEP_FIRST). */
    private final Map<String, Row> kept = new LinkedHashMap<>();

    /**
     * @param source the native corpus file a variant was re-encoded from ("from PATH" in the description), or null
     */
    record Row(Path file, String category, String sopClass, String tsuid, String patientId, String study,
               String series, String sop, Path source) {
    }

    @BeforeAll
    void start() throws Exception {
        String env = System.getenv("MOSAIC_CORPUS");
        assumeTrue(env != null && !env.isBlank(), "MOSAIC_CORPUS is not set");
        corpus = Path.of(env);
        assumeTrue(Files.isRegularFile(corpus.resolve("manifest.tsv")), corpus + "/manifest.tsv is missing");
        assumeTrue(Distribution.dcmtkInstalled(), "dcmtk is not installed");
        assumeTrue(Distribution.exec(List.of(PYTHON, "-c", "import pydicom"), Path.of("."), Duration.ofSeconds(60), Map.of())
                .exit() == 0, "pydicom is not installed for " + PYTHON);
        List<String> lines = Files.readAllLines(corpus.resolve("manifest.tsv"), StandardCharsets.UTF_8);
        // columns by their names in the header line
        List<String> header = List.of(lines.get(0).split("\t", -1));
        int[] at = Stream.of("path", "category", "sop_class", "transfer_syntax", "patient_id", "study_uid", "series_uid",
                "sop_uid", "description").mapToInt(header::indexOf).toArray();
        assertTrue(Arrays.stream(at).allMatch(i -> i >= 0), "manifest.tsv columns: " + header);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            java.util.regex.Matcher from = java.util.regex.Pattern.compile("from (\\S+\\.dcm)").matcher(f[at[8]]);
            Row row = new Row(corpus.resolve(f[at[0]]), f[at[1]], f[at[2]], f[at[3]], f[at[4]], f[at[5]], f[at[6]], f[at[7]],
                    from.find() ? corpus.resolve(from.group(1)) : null);
            if (row.category().equals("malformed")) {
                malformed.add(row);
            } else {
                valid.add(row);
                kept.putIfAbsent(row.sop(), row);
            }
        }

        mosaic = new Distribution("corpus-it");
        storescpDir = Files.createDirectories(mosaic.work.resolve("storescp"));
        int storescpPort = Ports.freePort();
        // +xa: storescp accepts every transfer syntax it knows, so the archive sends what it stored
        storescp = new ProcessBuilder("storescp", "+xa", "-aet", "CORPUSSCP", "-od", storescpDir.toString(),
                Integer.toString(storescpPort)).redirectErrorStream(true)
                .redirectOutput(mosaic.work.resolve("storescp.log").toFile()).start();
        Ports.editCfg(mosaic.dimseCfg(), "moveDestinations", "CORPUSSCP=127.0.0.1:" + storescpPort);
        mosaic.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (storescp != null) {
            storescp.destroy();
            if (!storescp.waitFor(10, TimeUnit.SECONDS)) {
                storescp.destroyForcibly();
            }
        }
        if (mosaic != null) {
            mosaic.stop();
        }
    }

    @Test
    @Order(1)
    void everyValidFileIsStoredInItsOwnTransferSyntax() throws Exception {
        // one presentation context per (SOP class, transfer syntax) of the corpus, so that storescu sends each file
        // as it is (with its default proposal it would decompress, or fail to)
        Path cfg = storescuConfig(valid, mosaic.work.resolve("corpus-storescu.cfg"));
        List<String[]> responses = storeAll(List.of("-xf", cfg.toString(), "Corpus"), valid.stream().map(Row::file).toList());
        assertEquals(valid.size(), responses.size(), "one C-STORE-RSP per file");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < valid.size(); i++) {
            Row row = valid.get(i);
            String[] rsp = responses.get(i);
            assertEquals(row.sop(), rsp[0], "response " + i + " is for " + row.file());
            String expected = seen.add(row.sop()) ? "0x0000" : "0xb006";
            assertEquals(expected, rsp[1], row.file() + (expected.equals("0xb006") ? " (a second copy of a SOP Instance UID)" : ""));
        }
    }

    @Test
    @Order(2)
    void everyPatientStudySeriesAndInstanceIsFound() throws Exception {
        Set<String> patients = kept.values().stream().map(Row::patientId).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(patients, values(find("-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID"), Tag.PatientID),
                "Patient Root, PATIENT level, universal");

        Map<String, Integer> perStudy = new TreeMap<>();
        Map<String, Integer> perSeries = new TreeMap<>();
        Map<String, Set<String>> seriesOfStudy = new TreeMap<>();
        Map<String, Set<String>> instancesOfSeries = new TreeMap<>();
        for (Row r : kept.values()) {
            perStudy.merge(r.study(), 1, Integer::sum);
            perSeries.merge(r.series(), 1, Integer::sum);
            seriesOfStudy.computeIfAbsent(r.study(), s -> new TreeSet<>()).add(r.series());
            instancesOfSeries.computeIfAbsent(r.study() + "/" + r.series(), s -> new TreeSet<>()).add(r.sop());
        }
        List<Attributes> studies = find("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID",
                "-k", "NumberOfStudyRelatedInstances", "-k", "NumberOfStudyRelatedSeries");
        Map<String, Integer> foundPerStudy = new TreeMap<>();
        for (Attributes a : studies) {
            foundPerStudy.put(a.getString(Tag.StudyInstanceUID), Integer.parseInt(a.getString(Tag.NumberOfStudyRelatedInstances).trim()));
            assertEquals(seriesOfStudy.get(a.getString(Tag.StudyInstanceUID)).size(),
                    Integer.parseInt(a.getString(Tag.NumberOfStudyRelatedSeries).trim()), "series of " + a.getString(Tag.StudyInstanceUID));
        }
        assertEquals(perStudy, foundPerStudy, "Study Root, STUDY level, universal: studies and their instance counts");

        // SERIES level, study by study (a single value above the level, as PS3.4 C.4.1.2.1 asks)
        Map<String, Integer> foundPerSeries = new TreeMap<>();
        for (String study : perStudy.keySet()) {
            for (Attributes a : find("-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + study,
                    "-k", "SeriesInstanceUID", "-k", "NumberOfSeriesRelatedInstances")) {
                foundPerSeries.put(a.getString(Tag.SeriesInstanceUID), Integer.parseInt(a.getString(Tag.NumberOfSeriesRelatedInstances).trim()));
            }
        }
        assertEquals(perSeries, foundPerSeries, "SERIES level: series and their instance counts");
        // a list of UIDs at STUDY level
        List<String> three = new ArrayList<>(perStudy.keySet()).subList(0, 3);
        assertEquals(new TreeSet<>(three), values(find("-S", "-k", "QueryRetrieveLevel=STUDY",
                "-k", "StudyInstanceUID=" + String.join("\\", three)), Tag.StudyInstanceUID), "list of UIDs");

        // IMAGE level, series by series (single values above the level), SOP Class returned
        for (Map.Entry<String, Set<String>> e : instancesOfSeries.entrySet()) {
            String[] key = e.getKey().split("/");
            List<Attributes> images = find("-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + key[0],
                    "-k", "SeriesInstanceUID=" + key[1], "-k", "SOPInstanceUID", "-k", "SOPClassUID");
            assertEquals(e.getValue(), values(images, Tag.SOPInstanceUID), "IMAGE level of series " + key[1]);
            for (Attributes a : images) {
                assertEquals(kept.get(a.getString(Tag.SOPInstanceUID)).sopClass(), a.getString(Tag.SOPClassUID));
            }
        }

        // other matching kinds, the expectation computed from the originals (read with dicom-core, meta skipped)
        Map<String, Attributes> originals = new HashMap<>();
        for (Row r : kept.values()) {
            if (!r.tsuid().startsWith("none")) {
                originals.put(r.sop(), readDataset(r.file()));
            }
        }
        // single value and wildcards on Patient ID
        String somePatient = patients.stream().filter(p -> p.length() > 3).findFirst().orElseThrow();
        assertEquals(Set.of(somePatient), values(find("-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=" + somePatient), Tag.PatientID));
        String prefix = somePatient.substring(0, 2);
        assertEquals(patients.stream().filter(p -> p.startsWith(prefix)).collect(Collectors.toSet()),
                values(find("-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=" + prefix + "*"), Tag.PatientID), "wildcard *");
        String oneOff = somePatient.substring(0, somePatient.length() - 1) + "?";
        assertEquals(patients.stream().filter(p -> p.length() == somePatient.length()
                && p.startsWith(somePatient.substring(0, somePatient.length() - 1))).collect(Collectors.toSet()),
                values(find("-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=" + oneOff), Tag.PatientID), "wildcard ?");
        // a date range on StudyDate
        Map<String, String> studyDate = new TreeMap<>();
        originals.values().forEach(a -> {
            String d = a.getString(Tag.StudyDate);
            if (d != null && d.trim().length() == 8) {
                studyDate.put(a.getString(Tag.StudyInstanceUID), d.trim());
            }
        });
        assumeTrue(!studyDate.isEmpty(), "no study of the corpus has a StudyDate");
        String from = new TreeSet<>(studyDate.values()).first();
        String to = new ArrayList<>(new TreeSet<>(studyDate.values())).get(new TreeSet<>(studyDate.values()).size() / 2);
        Set<String> inRange = studyDate.entrySet().stream().filter(e -> e.getValue().compareTo(from) >= 0
                && e.getValue().compareTo(to) <= 0).map(Map.Entry::getKey).collect(Collectors.toSet());
        Set<String> foundInRange = values(find("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyDate=" + from + "-" + to,
                "-k", "StudyInstanceUID"), Tag.StudyInstanceUID);
        assertTrue(foundInRange.containsAll(inRange), "StudyDate " + from + "-" + to + ": " + inRange + " in " + foundInRange);
        for (String uid : foundInRange) {
            String d = studyDate.get(uid);
            assertTrue(d == null || (d.compareTo(from) >= 0 && d.compareTo(to) <= 0), uid + " dated " + d + " is outside the range");
        }
    }

    @Test
    @Order(3)
    void everyStudyRetrievedByCGetIsElementForElementTheOriginal() throws Exception {
        Path out = Files.createDirectories(mosaic.work.resolve("getscu"));
        Map<String, Set<String>> tsOfStudy = new TreeMap<>();
        kept.values().forEach(r -> tsOfStudy.computeIfAbsent(r.study(), s -> new TreeSet<>()).add(r.tsuid()));
        for (Map.Entry<String, Set<String>> e : tsOfStudy.entrySet()) {
            Set<String> options = new LinkedHashSet<>();
            for (String ts : e.getValue()) {
                if (UNCOMPRESSED.contains(ts) || ts.startsWith("none")) {
                    options.add("+x=");
                } else if (GETSCU_PREFER.containsKey(ts)) {
                    options.add(GETSCU_PREFER.get(ts));
                } else {
                    assertTrue(DECOMPRESSED_FOR_DCMTK.contains(ts), ts + ": which getscu option accepts it?");
                    // getscu proposes uncompressed syntaxes: the archive decompresses
                    options.add("+x=");
                }
            }
            for (String option : options) {
                // the exit status is not asserted: with some instances in a transfer syntax this getscu run did not
                // accept, the final status is B000 and dcmtk then fails the release; what arrived is checked below
                mosaic.exec(List.of("getscu", "-S", option, "-aec", Distribution.AET, "127.0.0.1", mosaic.port(),
                        "-od", out.toString(), "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + e.getKey()),
                        mosaic.work, Distribution.TOOL);
            }
        }
        // "+x=" runs come first (the syntaxes are in order): a compressed instance that one decompressed is
        // received again, as stored, by the run of its own syntax
        Set<String> expected = kept.values().stream().map(Row::sop).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, compareWithOriginals(out), "C-GET: every instance, those in "
                + DECOMPRESSED_FOR_DCMTK + " decompressed");
    }

    @Test
    @Order(4)
    void everyStudyMovedToStorescpIsElementForElementTheOriginal() throws Exception {
        Set<String> studies = kept.values().stream().map(Row::study).collect(Collectors.toCollection(TreeSet::new));
        for (String study : studies) {
            Distribution.Result r = mosaic.exec(List.of("movescu", "-S", "-aec", Distribution.AET, "-aem", "CORPUSSCP",
                    "127.0.0.1", mosaic.port(), "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study),
                    mosaic.work, Distribution.TOOL);
            assertEquals(0, r.exit(), r.output());
        }
        assertEquals(kept.values().stream().map(Row::sop).collect(Collectors.toCollection(TreeSet::new)),
                compareWithOriginals(storescpDir), "C-MOVE: every instance, those in " + DECOMPRESSED_FOR_DCMTK
                + " decompressed");
    }

    /**
     * What the archive answers to each file of malformed/ that storescu sends (a file not named here: a failure of
     * either class). Files storescu refuses to send (it parses them first) are not counted; the test prints them. The expected class: C (0xCxxx, cannot understand)
     * for a data set that cannot be parsed, A9 (0xA9xx, data set does not match SOP class) for one that parses but
     * has an unusable identity, OK for the reference file and for files whose defect storescu removes before sending
     * (it sends the data set, not the file: meta header defects and a missing meta header never reach the archive).
     */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();
    static {
        EXPECTED.put("deflate-bomb-1GiB.dcm", "C");
        EXPECTED.put("group2-in-dataset.dcm", "C");
        EXPECTED.put("uid-backslash.dcm", "A9");
        EXPECTED.put("uid-invalid-syntax.dcm", "A9");
        EXPECTED.put("uid-path-traversal.dcm", "A9");
        EXPECTED.put("sop-uid-missing.dcm", "A9");
        EXPECTED.put("reference-valid.dcm", "OK");
        EXPECTED.put("preamble-no-meta.dcm", "OK");
        EXPECTED.put("meta-dataset-uid-mismatch.dcm", "OK");
        EXPECTED.put("meta-group-length-wrong.dcm", "OK");
        EXPECTED.put("unknown-transfer-syntax.dcm", "OK");
        // a legal LO value; what matters is that no path is made of it (checked below: nothing outside the storage)
        EXPECTED.put("patientid-slash.dcm", "OK");
    }

    /**
     * Malformed content that parses: refused by the archive's content validation (mosaic-archive
     * {@code validateContent}): values against PS3.5 (A9xx), Pixel Data against the image and its transfer syntax
     * (Cxxx). storescu re-encodes what it sends, so some defects never reach the archive: a duplicate or an
     * out-of-order tag (dcmtk keeps one element, in order), an odd-length string (dcmtk pads it), a sequence whose
     * length is too small, binary values of odd length: for those ("ANY") the test prints what the archive answered
     * and checks only that a failure left nothing and a success was stored and indexed.
     */
    private static final Map<String, String> CONTENT = new LinkedHashMap<>();
    static {
        CONTENT.put("duplicate-tag.dcm", "ANY");
        CONTENT.put("tags-out-of-order.dcm", "ANY");
        CONTENT.put("odd-length-string-unpadded.dcm", "ANY");
        CONTENT.put("sequence-length-smaller-than-items.dcm", "ANY");
        CONTENT.put("invalid-dates-times.dcm", "A9");
        CONTENT.put("odd-length-fd.dcm", "ANY");
        CONTENT.put("odd-length-us.dcm", "ANY");
        CONTENT.put("patientid-control-chars.dcm", "A9");
        CONTENT.put("unknown-charset.dcm", "A9");
        CONTENT.put("pixel-data-frames-mismatch.dcm", "C");
        CONTENT.put("pixel-data-too-long.dcm", "C");
        CONTENT.put("pixel-data-too-short.dcm", "C");
        CONTENT.put("pixel-zero-rows.dcm", "C");
        CONTENT.put("encapsulated-garbage-jpeg.dcm", "C");
    }

    @Test
    @Order(5)
    void malformedFilesAreAnsweredWithAFailureAndLeaveNothingBehind() throws Exception {
        // every file but those of CONTENT (see the test below); a file not named in EXPECTED (a newer corpus)
        // must get a failure status of either class, as issue 5 asks
        Set<String> names = new TreeSet<>(malformed.stream().map(r -> r.file().getFileName().toString()).toList());
        names.removeAll(CONTENT.keySet());
        Map<String, String> outcomes = sendMalformed(names, true);
        Map<String, String> notSent = new TreeMap<>(outcomes);
        notSent.values().removeIf(o -> !o.equals("not sent"));
        outcomes.keySet().removeAll(notSent.keySet());
        System.out.println("CorpusIT: malformed files storescu refuses to send (not counted): " + notSent.keySet());
        System.out.println("CorpusIT: malformed files sent: " + outcomes);
        assertTrue(outcomes.values().stream().anyMatch(o -> !o.equals("0x0000")), "some malformed file reached the archive");

        // still serving: an echo and a good store
        Distribution.check(mosaic.echoscu());
        Row good = malformed.stream().filter(r -> r.file().getFileName().toString().equals("reference-valid.dcm")).findFirst().orElseThrow();
        List<String[]> again = storeAll(List.of(), List.of(good.file()));
        assertEquals("0xb006", again.get(0)[1], "the reference file a second time: kept first (it was stored above)");
        Distribution.check(mosaic.echoscu());
    }

    @Test
    @Order(6)
    void malformedContentIsRefused() throws Exception {
        sendMalformed(CONTENT.keySet(), true);
    }

    // ---- the malformed files, one storescu each ------------------------------------------------------

    /** Sends each file on its own; with strict, asserts its expected status class and what is left behind. */
    private Map<String, String> sendMalformed(Set<String> names, boolean strict) throws Exception {
        Map<String, String> outcomes = new TreeMap<>();
        Map<String, String> expectations = new HashMap<>(EXPECTED);
        expectations.putAll(CONTENT);
        for (String name : new TreeSet<>(names)) {
            Row row = malformed.stream().filter(r -> r.file().getFileName().toString().equals(name)).findFirst().orElseThrow();
            List<Path> objectsBefore = mosaic.storedObjects();
            Set<String> indexBefore = indexSnapshot();
            List<String> options = new ArrayList<>();
            if (row.tsuid().startsWith("1.2.840.10008.1.2.4") || row.tsuid().equals("1.2.840.10008.1.2.5")
                    || row.tsuid().equals("1.2.840.10008.1.2.1.99") || row.tsuid().equals("1.2.840.10008.1.2.2")) {
                options = List.of("-xf", storescuConfig(List.of(row), mosaic.work.resolve("malformed-storescu.cfg")).toString(), "Corpus");
            }
            List<String[]> responses = storeAll(options, List.of(row.file()));
            if (responses.isEmpty()) {
                outcomes.put(name, "not sent");
                assertEquals(objectsBefore, mosaic.storedObjects(), name + ": not sent, nothing stored");
                continue;
            }
            String status = responses.get(0)[1];
            outcomes.put(name, status);
            int code = Integer.parseInt(status.substring(2), 16);
            boolean failure = (code & 0xf000) == 0xa000 || (code & 0xf000) == 0xc000 || code == 0x0122 || code == 0x0124;
            List<Path> objectsAfter = mosaic.storedObjects();
            Set<String> indexAfter = indexSnapshot();
            assertJournalEmpty(name);
            if (failure) {
                assertEquals(objectsBefore, objectsAfter, name + " (" + status + "): no object stored");
                assertEquals(indexBefore, indexAfter, name + " (" + status + "): no row indexed");
            } else {
                assertEquals(objectsBefore.size() + 1, objectsAfter.size(), name + " (" + status + "): acknowledged, so stored");
                assertTrue(!indexAfter.equals(indexBefore),
                        name + " (" + status + "): acknowledged, so indexed");
            }
            if (!strict) {
                continue;
            }
            String expected = expectations.getOrDefault(name, "FAIL");
            switch (expected) {
                case "FAIL" -> assertTrue(failure, name + ": a failure status, was " + status);
                case "C" -> assertEquals(0xc000, code & 0xf000, name + ": cannot understand (Cxxx), was " + status);
                case "A9" -> assertEquals(0xa900, code & 0xff00, name + ": data set does not match SOP class (A9xx), was " + status);
                case "OK" -> assertEquals(0x0000, code, name + ": stored, was " + status);
                case "ANY" -> System.out.println("CorpusIT: " + name + " (what storescu makes of it): " + status);
                default -> fail(expected);
            }
        }
        // nothing ever leaves the storage root: no file under MOSAIC_DATA but the index, storage, journal and spool
        try (Stream<Path> top = Files.list(mosaic.data)) {
            Set<String> names2 = top.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertTrue(Set.of("index", "storage", "ingest", "spool", "plugins", "dicomweb", "storage-migration").containsAll(names2),
                    "MOSAIC_DATA holds " + names2);
        }
        assertTrue(!Files.exists(Path.of("/tmp/pwned")) && !Files.exists(mosaic.data.resolve("../../etc")),
                "no file was written outside the storage root");
        return outcomes;
    }

    private void assertJournalEmpty(String name) throws IOException {
        Path journal = mosaic.data.resolve("ingest");
        if (Files.exists(journal)) {
            List<Path> logs;
            try (Stream<Path> left = Files.walk(journal)) {
                List<Path> files = left.filter(Files::isRegularFile).toList();
                logs = files.stream().filter(f -> f.getFileName().toString().matches("intents-[0-9a-f]+(-[0-9]+)?\\.log")).toList();
                List<Path> others = files.stream().filter(f -> !logs.contains(f)).toList();
                assertTrue(others.isEmpty(), name + ": ingest journal entries left: " + others);
            }
            // the logs of intents: each one begun (B <id> ...) was ended (E <id>)
            Set<String> open = new TreeSet<>();
            for (Path log : logs) {
                String text = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8);
                // a line counts with its line break (as the archive reads it)
                for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                    String[] f = line.split("\t");
                    if (f[0].equals("B")) {
                        open.add(f[1]);
                    } else if (f[0].equals("E")) {
                        open.remove(f[1]);
                    }
                }
            }
            assertTrue(open.isEmpty(), name + ": ingest intents left open: " + open);
        }
    }

    /** Every patient, and every study with its instance count: a new row anywhere changes it. */
    private Set<String> indexSnapshot() throws Exception {
        Set<String> rows = new TreeSet<>();
        for (Attributes a : find("-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID", "-k", "NumberOfPatientRelatedInstances")) {
            rows.add("patient " + a.getString(Tag.PatientID) + " " + a.getString(Tag.NumberOfPatientRelatedInstances));
        }
        for (Attributes a : find("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID", "-k", "NumberOfStudyRelatedInstances")) {
            rows.add("study " + a.getString(Tag.StudyInstanceUID) + " " + a.getString(Tag.NumberOfStudyRelatedInstances));
        }
        return rows;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** storescu -d: (Affected SOP Instance UID, status) of each C-STORE-RSP, in order. */
    private List<String[]> storeAll(List<String> options, List<Path> files) throws Exception {
        // a maximum PDU of 128 KiB, as modalities often propose
        List<String> command = new ArrayList<>(List.of("storescu", "-d", "-pdu", "131072", "-aec", Distribution.AET));
        command.addAll(options);
        command.addAll(List.of("127.0.0.1", mosaic.port()));
        files.forEach(p -> command.add(p.toString()));
        Distribution.Result r = mosaic.exec(command, mosaic.work, Distribution.TOOL);
        List<String[]> out = new ArrayList<>();
        String uid = null;
        boolean inResponse = false;
        for (String line : r.output().lines().toList()) {
            if (line.contains("C-STORE RSP")) {
                inResponse = true;
            } else if (line.contains("C-STORE RQ")) {
                inResponse = false;
            }
            int i = line.indexOf("Affected SOP Instance UID");
            if (inResponse && i >= 0) {
                uid = line.substring(line.indexOf(':', i) + 1).trim();
            }
            i = line.indexOf("DIMSE Status");
            if (inResponse && uid != null && i >= 0) {
                String s = line.substring(line.indexOf(':', i) + 1).trim();
                out.add(new String[] {uid, s.substring(0, 6).toLowerCase()});
                uid = null;
                inResponse = false;
            }
        }
        return out;
    }

    /**
     * A dcmtk association configuration with one presentation context per (SOP class, transfer syntax) of the rows
     * (files without a meta header are left to storescu's default contexts), profile "Corpus".
     */
    private static Path storescuConfig(List<Row> rows, Path cfg) throws IOException {
        List<String> ts = rows.stream().map(Row::tsuid).filter(t -> t.startsWith("1.")).distinct().sorted().toList();
        Set<String> pairs = rows.stream().filter(r -> r.tsuid().startsWith("1."))
                .map(r -> r.sopClass() + "\\TS" + ts.indexOf(r.tsuid())).collect(Collectors.toCollection(TreeSet::new));
        // files without meta: Explicit and Implicit VR Little Endian for their SOP classes
        rows.stream().filter(r -> r.tsuid().startsWith("none")).map(Row::sopClass).distinct()
                .forEach(c -> pairs.add(c + "\\Uncompressed"));
        StringBuilder b = new StringBuilder("[[TransferSyntaxes]]\n");
        for (int i = 0; i < ts.size(); i++) {
            b.append("[TS").append(i).append("]\nTransferSyntax1 = ").append(ts.get(i)).append('\n');
        }
        b.append("[Uncompressed]\nTransferSyntax1 = 1.2.840.10008.1.2.1\nTransferSyntax2 = 1.2.840.10008.1.2\n");
        b.append("[[PresentationContexts]]\n[Corpus]\n");
        int n = 1;
        for (String p : pairs) {
            b.append("PresentationContext").append(n++).append(" = ").append(p).append('\n');
        }
        b.append("[[Profiles]]\n[Corpus]\nPresentationContexts = Corpus\n");
        Files.writeString(cfg, b.toString());
        return cfg;
    }

    private List<Attributes> find(String... args) throws Exception {
        List<Attributes> list = new ArrayList<>();
        for (Path f : mosaic.findscu(List.of(args))) {
            list.add(readDataset(f));
        }
        return list;
    }

    private static Set<String> values(List<Attributes> list, int tag) {
        return list.stream().map(a -> a.getString(tag)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Attributes readDataset(Path file) throws IOException {
        try (DicomInputStream in = new DicomInputStream(file)) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    /**
     * pydicom compares each received file with the original kept for its SOP Instance UID (what it ignores:
     * compare-datasets.py); returns the SOP Instance UIDs received.
     */
    private Set<String> compareWithOriginals(Path dir) throws Exception {
        StringBuilder pairs = new StringBuilder();
        Set<String> received = new TreeSet<>();
        // the same pydicom comparison as mosaic-dimse's decompression tests: one script for both
        Path pixels = Path.of("../bundles/mosaic-dimse/src/test/resources/compare_pixels.py").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String uid = readDataset(f).getString(Tag.SOPInstanceUID);
                Row original = kept.get(uid);
                assertTrue(original != null, f + ": " + uid + " was never sent");
                assertTrue(received.add(uid), uid + " received twice");
                if (DECOMPRESSED_FOR_DCMTK.contains(original.tsuid())) {
                    // decompressed: the pixels of the native file it was made from, lossless
                    assertTrue(original.source() != null, original.file() + ": no native source in the manifest");
                    Distribution.Result r = Distribution.exec(List.of(PYTHON, pixels.toString(),
                            original.source().toString(), f.toString(), "0"), mosaic.work, Distribution.TOOL, Map.of());
                    assertEquals(0, r.exit(), f + " decompressed from " + original.file() + ":\n" + r.output());
                    continue;
                }
                pairs.append(original.file()).append('\t').append(f).append('\n');
            }
        }
        Path list = Files.writeString(dir.resolveSibling(dir.getFileName() + "-pairs.tsv"), pairs);
        Path script = Path.of("src/test/resources/compare-datasets.py").toAbsolutePath();
        Distribution.Result r = Distribution.exec(List.of("sh", "-c", "\"$0\" \"$1\" < \"$2\"", PYTHON, script.toString(),
                list.toString()), mosaic.work, Distribution.TOOL, Map.of());
        assertEquals(0, r.exit(), r.output());
        return received;
    }
}
