package org.mosaicpacs.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/**
 * {@code kill -9} of the archive while {@code mosaic:storage-migrate} moves every study from {@code default} to a
 * second file storage added with {@code mosaic:storage-add}: the unpacked distribution, driven from outside
 * (bin/client, DCMTK) as an admin does. After the restart the same command finishes the move; then every instance
 * is retrieved byte for byte with getscu, every object is in the target once, nothing is left in the source, the
 * journal is gone and {@code mosaic:check} is clean. Skipped when DCMTK is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationCrashIT {

    private static final int STUDIES = 12;
    private static final int INSTANCES_PER_STUDY = 25;
    private static final int TOTAL = STUDIES * INSTANCES_PER_STUDY;
    /** Pixels per instance (16 bit): 128 KiB objects, so that the move takes long enough to be caught midway. */
    private static final int SIZE = 256;
    private static final String TARGET = "second";
    private static final String MIGRATE = "mosaic:storage-migrate --from default --to " + TARGET;

    private Distribution mosaic;
    private Path targetRoot;
    /** SOP Instance UID -> the file sent. */
    private final Map<String, Path> sent = new LinkedHashMap<>();
    private final List<String> studies = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Distribution.dcmtkInstalled(), "dcmtk is not installed");
        mosaic = new Distribution("migration-crash-it");
        targetRoot = mosaic.work.resolve("second-storage");
        mosaic.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (mosaic != null) {
            mosaic.stop();
        }
    }

    @Test
    void aMigrationKilledMidwayIsFinishedAfterTheRestartWithNothingLostLeftOrDuplicated() throws Exception {
        // the studies, in default
        Path files = Files.createDirectories(mosaic.work.resolve("files"));
        List<Path> batch = new ArrayList<>();
        for (int s = 0; s < STUDIES; s++) {
            String study = uid();
            String series = uid();
            studies.add(study);
            for (int i = 1; i <= INSTANCES_PER_STUDY; i++) {
                batch.add(make(files, study, series, i));
            }
        }
        Map<String, String> statuses = mosaic.storescu(List.of(), batch);
        assertEquals(TOTAL, statuses.size(), () -> "responses: " + statuses);
        statuses.forEach((iuid, status) -> assertEquals("0x0000", status, iuid));
        assertEquals(TOTAL, mosaic.storedObjects().size(), "every instance in default");

        // a second file storage, added while the archive runs
        String added = mosaic.console("mosaic:storage-add " + TARGET + " fs " + targetRoot);
        assertTrue(added.contains("storage " + TARGET + " (fs) configured"), added);
        awaitRunning(TARGET);

        // the migration, killed with the archive once some but not all objects are in the target
        Path log = mosaic.work.resolve("migrate-killed.log");
        Process migrate = mosaic.startConsole(MIGRATE, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        int inTarget = 0;
        while (migrate.isAlive() && System.nanoTime() < deadline) {
            inTarget = objects(targetRoot).size();
            if (inTarget >= TOTAL / 5) {
                break;
            }
            Thread.sleep(20);
        }
        int seen = inTarget;
        assertTrue(migrate.isAlive(), () -> "the migration ended before the kill (" + seen
                + " objects in the target): make the studies larger; its output:\n" + read(log));
        assertTrue(inTarget >= TOTAL / 5, "objects in the target before the kill: " + inTarget);
        mosaic.kill9();
        migrate.descendants().forEach(ProcessHandle::destroyForcibly);
        migrate.destroyForcibly();
        migrate.waitFor(30, TimeUnit.SECONDS);

        int leftInSource = mosaic.storedObjects().size();
        int copied = objects(targetRoot).size();
        assertTrue(leftInSource > 0, () -> "the kill came before the end of the move; output:\n" + read(log));
        assertTrue(copied > 0 && copied < TOTAL, "objects in the target at the kill: " + copied);
        Path journal = mosaic.data.resolve("storage-migration/default--" + TARGET + ".journal");
        assertTrue(Files.isRegularFile(journal), "the interrupted run left its journal");

        // restart: the second storage comes back with its configuration; before the move is finished, nothing is
        // missing: every instance points to a complete object, at most the one being moved at the kill has an
        // object too many (its copy not yet indexed, or its source not yet deleted)
        mosaic.start();
        awaitRunning(TARGET);
        String before = mosaic.console("mosaic:check");
        Matcher m = Pattern.compile(STUDIES + " studies, " + TOTAL + " instances checked, (\\d+) stored objects listed: "
                + "0 missing, 0 on a storage not available, ([01]) orphans, 0 errors").matcher(before);
        assertTrue(m.find(), before);
        assertEquals(TOTAL + Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1)), before);
        System.out.println("MigrationCrashIT: killed with " + copied + " objects in " + TARGET + " and " + leftInSource
                + " in default; mosaic:check before the resume: " + m.group());
        String resumed = mosaic.console(MIGRATE);
        Matcher moved = Pattern.compile("moved (\\d+) instances \\((\\d+) bytes\\) of " + STUDIES + " studies from default to "
                + TARGET).matcher(resumed);
        assertTrue(moved.find(), resumed);
        assertFalse(resumed.contains("not moved"), resumed);
        int movedAfterRestart = Integer.parseInt(moved.group(1));
        assertTrue(movedAfterRestart > 0 && movedAfterRestart <= leftInSource,
                "moved after the restart: " + movedAfterRestart + ", left in default at the kill: " + leftInSource);
        assertFalse(Files.exists(journal), "nothing pending: the journal is removed");
        System.out.println("MigrationCrashIT: resumed: " + moved.group());

        // every instance retrievable, byte for byte as sent
        Map<String, Path> got = new HashMap<>();
        for (String study : studies) {
            Path out = Files.createDirectories(mosaic.work.resolve("getscu").resolve(study));
            Distribution.check(mosaic.exec(List.of("getscu", "-S", "-aec", Distribution.AET, "127.0.0.1", mosaic.port(),
                    "-od", out.toString(), "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study),
                    mosaic.work, Distribution.TOOL));
            try (Stream<Path> list = Files.list(out)) {
                for (Path f : list.filter(Files::isRegularFile).toList()) {
                    got.put(dataset(f).getString(Tag.SOPInstanceUID), f);
                }
            }
        }
        assertEquals(sent.keySet(), got.keySet(), "every instance sent is retrieved");
        for (Map.Entry<String, Path> e : sent.entrySet()) {
            assertArrayEquals(datasetBytes(e.getValue()), datasetBytes(got.get(e.getKey())), "instance " + e.getKey());
        }

        // every object in the target once, nothing left in the source (a stray key or temporary file of a write
        // cut by the kill is removed when the storage starts again)
        assertEquals(TOTAL, objects(targetRoot).size(), "one object per instance in " + TARGET);
        awaitNoStrayFiles(targetRoot, TOTAL);
        assertEquals(List.of(), mosaic.storedObjects(), "no object left in default");
        awaitNoStrayFiles(mosaic.data.resolve("storage"), 0);

        // (the table pads its cells with spaces, also with --no-format)
        String list = mosaic.console("mosaic:storage-list --no-format");
        assertTrue(Pattern.compile("(?m)^default\\s*\\tfs\\s*\\trunning\\s*\\t\\s*0\\s*\\t\\s*0\\s*\\t").matcher(list).find(), list);
        assertTrue(Pattern.compile("(?m)^" + TARGET + "\\s*\\tfs\\s*\\trunning\\s*\\t\\s*" + TOTAL + "\\s*\\t").matcher(list).find(), list);

        String check = mosaic.console("mosaic:check");
        assertTrue(check.contains(STUDIES + " studies, " + TOTAL + " instances checked, " + TOTAL + " stored objects listed: "
                + "0 missing, 0 on a storage not available, 0 orphans, 0 errors"), check);
    }

    private void awaitRunning(String storage) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String list = "";
        while (System.nanoTime() < deadline) {
            list = mosaic.console("mosaic:storage-list --no-format");
            if (Pattern.compile("(?m)^" + storage + "\\s*\\tfs\\s*\\trunning\\s*\\t").matcher(list).find()) {
                return;
            }
            Thread.sleep(500);
        }
        fail("storage " + storage + " is not running: " + list);
    }

    /** Waits until the regular files under root are exactly {@code objects} objects and their key files. */
    private static void awaitNoStrayFiles(Path root, int objects) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Path> all = files(root);
        while (all.size() != 2 * objects && System.nanoTime() < deadline) {
            Thread.sleep(500);
            all = files(root);
        }
        assertEquals(2 * objects, all.size(), "the objects and their .key files only, under " + root + ": " + all);
    }

    private static List<Path> files(Path root) throws IOException {
        return Distribution.regularFiles(root);
    }

    /** The objects of a file storage: not the {@code <hash>.key} files, not a write's temporary {@code .*.tmp}. */
    private static List<Path> objects(Path root) throws IOException {
        return files(root).stream().filter(p -> {
            String name = p.getFileName().toString();
            return !name.endsWith(".key") && !(name.startsWith(".") && name.endsWith(".tmp"));
        }).toList();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    // ---- test data -------------------------------------------------------------------------------

    private Path make(Path folder, String study, String series, int number) throws IOException {
        String iuid = uid();
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.StudyDate, VR.DA, "20250301");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientName, VR.PN, "MIGRATION^CRASH");
        ds.setString(Tag.PatientID, VR.LO, "MIG-1");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.SeriesNumber, VR.IS, "1");
        ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(number));
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, SIZE);
        ds.setInt(Tag.Columns, VR.US, SIZE);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[SIZE * SIZE * 2];
        int seed = iuid.hashCode();
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (byte) (i * 7 + seed);
            pixels[i + 1] = (byte) ((i / 2 + number) & 0x0f);
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        Path file = folder.resolve(iuid + ".dcm");
        DicomOutputStream.writeFile(file, ds, UID.ExplicitVRLittleEndian);
        sent.put(iuid, file);
        return file;
    }

    private static Attributes dataset(Path file) throws IOException {
        try (DicomInputStream in = new DicomInputStream(file)) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    /** The bytes of a Part 10 file after its File Meta Information (whose length (0002,0000) gives). */
    private static byte[] datasetBytes(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(all).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x00020000, (b.getShort(132) & 0xffff) << 16 | (b.getShort(134) & 0xffff), file + " starts with (0002,0000)");
        int end = 132 + 12 + b.getInt(140);
        return java.util.Arrays.copyOfRange(all, end, all.length);
    }

    private static String uid() {
        return "2.25." + new java.math.BigInteger(1, java.nio.ByteBuffer.allocate(16)
                .putLong(java.util.UUID.randomUUID().getMostSignificantBits())
                .putLong(java.util.UUID.randomUUID().getLeastSignificantBits()).array());
    }
}
