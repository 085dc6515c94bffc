package org.mosaicpacs.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/**
 * The archive as a user gets it: the tar.gz unpacked, started with {@code bin/start} on free ports, and
 * DCMTK's tools as the peer: echoscu, storescu, findscu (Study Root and Patient Root), getscu, movescu to a
 * storescp started here and configured as a move destination in {@code etc/org.mosaicpacs.dimse.cfg},
 * duplicates, and a {@code kill -9} of the Karaf JVM while four storescu send at once (every instance acknowledged
 * before the kill is found and retrieved byte for byte after a restart, and {@code mosaic:check} through
 * {@code bin/client} finds the index and the storage consistent). Skipped when DCMTK is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchiveIT {

    private static final Duration TOOL = Distribution.TOOL;
    private static final String AET = Distribution.AET;

    /** Kept after the run (under target/archive-it) so that karaf.log can be read when the test fails. */
    private Distribution mosaic;
    private Path work;
    private Path files;
    private Process storescp;
    private Path storescpDir;

    /** SOP Instance UID -> the file sent. */
    private final Map<String, Path> sent = new LinkedHashMap<>();
    private String studyA;
    private String studyB;

    @BeforeAll
    void startArchive() throws Exception {
        assumeTrue(Distribution.dcmtkInstalled(), "DCMTK is not installed");
        mosaic = new Distribution("archive-it");
        work = mosaic.work;
        files = Files.createDirectories(work.resolve("files"));

        // the C-MOVE destination: DCMTK's storescp, known to the archive through its configuration
        int storescpPort = Ports.freePort();
        storescpDir = Files.createDirectories(work.resolve("storescp"));
        storescp = new ProcessBuilder("storescp", "-aet", "STORESCP", "-od", storescpDir.toString(),
                Integer.toString(storescpPort)).redirectErrorStream(true)
                .redirectOutput(work.resolve("storescp.log").toFile()).start();
        // as an admin would: the feature's default configuration (copied into etc/ by Distribution) edited before
        // the start (a feature's configfile does not replace a file already in etc/)
        Ports.editCfg(mosaic.dimseCfg(), "moveDestinations", "STORESCP=127.0.0.1:" + storescpPort);
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
    void echo() throws Exception {
        Distribution.Result r = exec(List.of("echoscu", "-aec", AET, "127.0.0.1", port()), work, TOOL);
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    @Order(2)
    void storeSeveralStudiesInSeveralTransferSyntaxes() throws Exception {
        studyA = uid();
        studyB = uid();
        String seriesA1 = uid();
        String seriesA2 = uid();
        String seriesB1 = uid();
        List<Path> batch = new ArrayList<>();
        batch.add(make("DOE^JOHN", "PID-A", studyA, seriesA1, UID.CTImageStorage, "CT", 1, UID.ExplicitVRLittleEndian, 64));
        batch.add(make("DOE^JOHN", "PID-A", studyA, seriesA1, UID.CTImageStorage, "CT", 2, UID.ImplicitVRLittleEndian, 64));
        batch.add(make("DOE^JOHN", "PID-A", studyA, seriesA2, UID.MRImageStorage, "MR", 1, UID.ExplicitVRLittleEndian, 64));
        batch.add(make("DOE^JANE", "PID-B", studyB, seriesB1, UID.CTImageStorage, "CT", 1, UID.ExplicitVRBigEndian, 64));
        batch.add(make("DOE^JANE", "PID-B", studyB, seriesB1, UID.CTImageStorage, "CT", 2,
                UID.DeflatedExplicitVRLittleEndian, 64));
        Map<String, String> statuses = storescu(batch);
        assertEquals(batch.size(), statuses.size(), () -> "responses: " + statuses);
        statuses.forEach((iuid, status) -> assertEquals("0x0000", status, iuid));
    }

    @Test
    @Order(3)
    void findAtStudySeriesAndPatientLevel() throws Exception {
        List<Attributes> studies = findscu("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName=DOE*",
                "-k", "StudyInstanceUID", "-k", "PatientID", "-k", "NumberOfStudyRelatedInstances", "-k", "ModalitiesInStudy");
        Map<String, Attributes> byUid = studies.stream().collect(Collectors.toMap(a -> a.getString(Tag.StudyInstanceUID), a -> a));
        assertEquals(Set.of(studyA, studyB), byUid.keySet());
        assertEquals("PID-A", byUid.get(studyA).getString(Tag.PatientID));
        assertEquals("3", byUid.get(studyA).getString(Tag.NumberOfStudyRelatedInstances));
        assertEquals(Set.of("CT", "MR"), Set.of(byUid.get(studyA).getStrings(Tag.ModalitiesInStudy)));

        List<Attributes> series = findscu("-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + studyA,
                "-k", "SeriesInstanceUID", "-k", "Modality", "-k", "NumberOfSeriesRelatedInstances");
        assertEquals(2, series.size());
        assertEquals(Set.of("CT", "MR"), series.stream().map(a -> a.getString(Tag.Modality)).collect(Collectors.toSet()));

        List<Attributes> patients = findscu("-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientName=DOE*",
                "-k", "PatientID");
        assertEquals(Set.of("PID-A", "PID-B"), patients.stream().map(a -> a.getString(Tag.PatientID)).collect(Collectors.toSet()));
        List<Attributes> john = findscu("-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientName=DOE^JOHN",
                "-k", "PatientID");
        assertEquals(1, john.size());
    }

    @Test
    @Order(4)
    void getRetrievesAStudyAsSent() throws Exception {
        Path out = Files.createDirectories(work.resolve("getscu"));
        Distribution.Result r = exec(List.of("getscu", "-S", "-aec", AET, "127.0.0.1", port(), "-od", out.toString(),
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyA), work, TOOL);
        assertEquals(0, r.exit(), r.output());
        assertSameAsSent(out, 3);
    }

    @Test
    @Order(5)
    void moveSendsAStudyToAConfiguredDestination() throws Exception {
        Distribution.Result r = exec(List.of("movescu", "-S", "-aec", AET, "-aem", "STORESCP", "127.0.0.1", port(),
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyB), work, TOOL);
        assertEquals(0, r.exit(), r.output());
        assertSameAsSent(storescpDir, 2);
        Distribution.Result unknown = exec(List.of("movescu", "-v", "-S", "-aec", AET, "-aem", "NOWHERE", "127.0.0.1", port(),
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyB), work, TOOL);
        assertTrue(unknown.output().contains("MoveDestinationUnknown"),
                unknown.output());
    }

    @Test
    @Order(6)
    void aDuplicateFollowsTheDefaultPolicyKeepFirst() throws Exception {
        Path first = sent.values().iterator().next();
        Map<String, String> statuses = storescu(List.of(first));
        assertEquals(List.of("0xb006"), new ArrayList<>(statuses.values()), "KEEP_FIRST answers B006 (elements discarded)");
        List<Attributes> studies = findscu("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyA,
                "-k", "NumberOfStudyRelatedInstances");
        assertEquals("3", studies.get(0).getString(Tag.NumberOfStudyRelatedInstances));
    }

    @Test
    @Order(7)
    void everyAcknowledgedInstanceSurvivesAKill9DuringAFourAssociationIngest() throws Exception {
        String study = uid();
        List<String> seriesUids = new ArrayList<>();
        List<List<Path>> batches = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            String series = uid();
            seriesUids.add(series);
            List<Path> batch = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                batch.add(make("CRASH^TEST", "PID-C", study, series, UID.CTImageStorage, "CT", a * 100 + i,
                        UID.ExplicitVRLittleEndian, 512));
            }
            batches.add(batch);
        }
        // four storescu at once, four associations; the JVM is killed once a few are acknowledged
        List<Process> senders = new ArrayList<>();
        List<List<String>> outputs = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (List<Path> batch : batches) {
            List<String> command = new ArrayList<>(List.of("storescu", "-d", "-R", "-aec", AET, "127.0.0.1", port()));
            batch.forEach(p -> command.add(p.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // process gone
                }
            });
            reader.start();
            senders.add(p);
            outputs.add(lines);
            readers.add(reader);
        }
        long deadline = System.nanoTime() + TOOL.toNanos();
        // killed once 12 are acknowledged, over at least 2 of the associations
        while ((outputs.stream().mapToInt(ArchiveIT::successes).sum() < 12
                || outputs.stream().filter(o -> successes(o) > 0).count() < 2)
                && senders.stream().anyMatch(Process::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        mosaic.kill9();
        for (int i = 0; i < senders.size(); i++) {
            assertTrue(senders.get(i).waitFor(60, TimeUnit.SECONDS), "storescu ends once the archive is gone");
            readers.get(i).join(10_000);
        }
        List<String> acknowledged = new ArrayList<>();
        int associationsWithAcks = 0;
        for (List<String> lines : outputs) {
            Map<String, String> statuses;
            synchronized (lines) {
                statuses = Distribution.statuses(new ArrayList<>(lines));
            }
            List<String> ok = statuses.entrySet().stream().filter(e -> e.getValue().equals("0x0000"))
                    .map(Map.Entry::getKey).toList();
            acknowledged.addAll(ok);
            associationsWithAcks += ok.isEmpty() ? 0 : 1;
        }
        assertTrue(acknowledged.size() >= 12, () -> "acknowledged before the kill: " + acknowledged.size());
        assertTrue(associationsWithAcks >= 2, "the kill came while several associations were storing: " + associationsWithAcks);
        assertTrue(acknowledged.size() < 160, "the kill came before the end of the ingest");
        mosaic.start();

        Set<String> foundUids = new TreeSet<>();
        for (String series : seriesUids) {
            findscu("-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + study,
                    "-k", "SeriesInstanceUID=" + series, "-k", "SOPInstanceUID")
                    .forEach(a -> foundUids.add(a.getString(Tag.SOPInstanceUID)));
        }
        assertTrue(foundUids.containsAll(acknowledged), () -> "acknowledged " + acknowledged.size() + ", found "
                + foundUids.size() + "; missing: " + acknowledged.stream().filter(u -> !foundUids.contains(u)).toList());

        Path out = Files.createDirectories(work.resolve("getscu-after-crash"));
        Distribution.Result r = exec(List.of("getscu", "-S", "-aec", AET, "127.0.0.1", port(), "-od", out.toString(),
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study), work, TOOL);
        assertEquals(0, r.exit(), r.output());
        Map<String, Path> got = new HashMap<>();
        try (Stream<Path> list = Files.list(out)) {
            for (Path f : list.filter(Files::isRegularFile).toList()) {
                got.put(read(f).getString(Tag.SOPInstanceUID), f);
            }
        }
        assertEquals(foundUids, new TreeSet<>(got.keySet()), "every indexed instance is retrievable");
        for (String iuid : foundUids) {
            // the data set bytes after the File Meta Information: stored as received, sent back as stored
            assertArrayEquals(datasetBytes(sent.get(iuid)), datasetBytes(got.get(iuid)), "instance " + iuid + " byte for byte");
        }

        // the console's consistency check: every indexed instance has its object, and no object is left unindexed
        String check = mosaic.console("mosaic:check");
        Matcher m = Pattern.compile("(\\d+) studies, (\\d+) instances checked, (\\d+) stored objects listed: 0 missing, "
                + "0 on a storage not available, 0 orphans, 0 errors").matcher(check);
        assertTrue(m.find(), check);
        assertEquals(m.group(2), m.group(3), "as many stored objects as indexed instances: " + check);
        // an object's file, not the <hash>.key file beside it
        long objects = mosaic.storedObjects().size();
        assertEquals(Long.parseLong(m.group(2)), objects, "one stored object per indexed instance, none half-written: " + check);
    }

    /** The bytes of a Part 10 file after its File Meta Information (whose length (0002,0000) gives). */
    private static byte[] datasetBytes(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(all).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x00020000, (b.getShort(132) & 0xffff) << 16 | (b.getShort(134) & 0xffff), file + " starts with (0002,0000)");
        int end = 132 + 12 + b.getInt(140);
        return java.util.Arrays.copyOfRange(all, end, all.length);
    }

    // ---- DCMTK -----------------------------------------------------------------------------------

    /** storescu -d -R of files: SOP Instance UID -> status of its C-STORE-RSP as 0xhhhh. */
    private Map<String, String> storescu(List<Path> batch) throws Exception {
        return mosaic.storescu(List.of("-R"), batch);
    }

    private static final Pattern STATUS = Pattern.compile("DIMSE Status\\s*:\\s*(0x[0-9a-fA-F]{4})");

    private static int successes(List<String> lines) {
        synchronized (lines) {
            return (int) lines.stream().filter(l -> STATUS.matcher(l).find() && l.contains("0x0000")).count();
        }
    }

    /** findscu -X; the responses as data sets. */
    private List<Attributes> findscu(String... args) throws Exception {
        List<Attributes> list = new ArrayList<>();
        for (Path f : mosaic.findscu(List.of(args))) {
            list.add(read(f));
        }
        return list;
    }

    private void assertSameAsSent(Path dir, int expected) throws IOException {
        Map<String, Attributes> got = readAll(dir);
        assertEquals(expected, got.size(), () -> "received " + got.keySet());
        for (Map.Entry<String, Attributes> e : got.entrySet()) {
            Path original = sent.get(e.getKey());
            assertTrue(original != null, "sent before: " + e.getKey());
            assertEquals(read(original), e.getValue(), "data set of " + e.getKey());
        }
    }

    private static Map<String, Attributes> readAll(Path dir) throws IOException {
        Map<String, Attributes> map = new HashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.filter(Files::isRegularFile).toList()) {
                Attributes a = read(f);
                map.put(a.getString(Tag.SOPInstanceUID), a);
            }
        }
        return map;
    }

    private static Attributes read(Path file) throws IOException {
        try (DicomInputStream in = new DicomInputStream(file)) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    // ---- test data -------------------------------------------------------------------------------

    private Path make(String name, String pid, String study, String series, String cuid, String modality, int number,
                      String tsuid, int size) throws IOException {
        String iuid = uid();
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, cuid);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.StudyDate, VR.DA, "20260115");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC" + study.substring(study.length() - 6));
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.PatientName, VR.PN, name);
        ds.setString(Tag.PatientID, VR.LO, pid);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.StudyID, VR.SH, "1");
        ds.setString(Tag.SeriesNumber, VR.IS, modality.equals("CT") ? "1" : "2");
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(number));
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, size);
        ds.setInt(Tag.Columns, VR.US, size);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[size * size * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (byte) (i * 7 + number);
            pixels[i + 1] = (byte) ((i / 2) & 0x0f);
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        Path file = files.resolve(iuid + ".dcm");
        DicomOutputStream.writeFile(file, ds, tsuid);
        sent.put(iuid, file);
        return file;
    }

    private static String uid() {
        return "2.25." + new java.math.BigInteger(1, java.nio.ByteBuffer.allocate(16)
                .putLong(java.util.UUID.randomUUID().getMostSignificantBits())
                .putLong(java.util.UUID.randomUUID().getLeastSignificantBits()).array());
    }

    // ---- processes -------------------------------------------------------------------------------

    private String port() {
        return mosaic.port();
    }

    private Distribution.Result exec(List<String> command, Path dir, Duration timeout) throws Exception {
        return mosaic.exec(command, dir, timeout);
    }

    static Set<String> sorted(Set<String> s) {
        return new TreeSet<>(s);
    }
}
