package org.mosaicpacs.itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.StorageUsage;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A department adds an S3 store and makes it the write target while modalities send: {@code feature:install
 * mosaic-storage-s3}, {@code mosaic:storage-add} against S3Proxy (started by this test on loopback),
 * {@code mosaic:storage-use} while four DCMTK storescu associations send; no C-STORE fails, everything is found
 * and retrieved (getscu, and through the index and the backends), {@code storage-remove} is refused while the
 * bucket holds objects; idle again (writing to {@code default}), {@code feature:uninstall} and {@code feature:install
 * mosaic-storage-s3}: the backend comes back and everything in the bucket is retrieved again; then
 * {@code mosaic:storage-migrate} brings them back to {@code default}. Skipped without DCMTK.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StorageSwapIT extends MosaicTestSupport {

    private static final String STUDY = "1.2.826.0.1.3680043.2.1125.77.1";
    private static final int SENDERS = 4;
    private static final int FIRST_ROUND = 20;
    private static final int SECOND_ROUND = 5;

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(distribution(), editConfigurationFilePut("etc/system.properties",
                "mosaic.itest.s3.endpoint", S3ProxyOnLoopback.endpoint().toString()));
    }

    @Test
    public void swapTheWriteTargetToS3WhileFourAssociationsSendThenMigrateBack() throws Exception {
        Assume.assumeTrue("DCMTK is not installed", Files.isExecutable(Path.of("/usr/bin/storescu"))
                && Files.isExecutable(Path.of("/usr/bin/getscu")));
        awaitArchiveUp("the archive to be up");
        ArchiveIndex index = service(ArchiveIndex.class, null);

        executeCommand("feature:install mosaic-storage-s3");
        String added = executeCommand("mosaic:storage-add s3-swap s3 --endpoint "
                + System.getProperty("mosaic.itest.s3.endpoint") + " --bucket " + S3ProxyOnLoopback.BUCKET
                + " --access-key " + S3ProxyOnLoopback.ACCESS_KEY + " --secret-key " + S3ProxyOnLoopback.SECRET_KEY
                + " --key-prefix swap/");
        assertTrue(added, added.contains("storage s3-swap (s3) configured"));
        String config = executeCommand("config:list '(service.factoryPid=org.mosaicpacs.storage.s3)'");
        assertTrue(config, config.contains("storage.id = s3-swap"));
        StorageBackend s3 = service(StorageBackend.class, "(storage.id=s3-swap)");
        StorageBackend fs = service(StorageBackend.class, "(storage.id=default)");

        Path work = Files.createTempDirectory("storage-swap-it");
        List<List<Path>> first = images(work.resolve("first"), FIRST_ROUND, 0);
        List<List<Path>> second = images(work.resolve("second"), SECOND_ROUND, FIRST_ROUND);
        List<Process> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            senders.add(storescu(work, "first-" + s, first.get(s)));
        }
        // once the first instances are in, the admin swaps the write target while the senders go on
        await("the first instances to be stored", () -> usage(index, "default") >= SENDERS);
        String use = executeCommand("mosaic:storage-use s3-swap");
        assertTrue(use, use.contains("write target: s3-swap (was default)"));
        await("the archive to store into s3-swap", () -> httpGet("/health").body().contains("storing into s3-swap"));
        for (int s = 0; s < SENDERS; s++) {
            senders.add(storescu(work, "second-" + s, second.get(s)));
        }
        for (Process p : senders) {
            assertTrue("storescu ends", p.waitFor(5, TimeUnit.MINUTES));
            assertEquals("storescu exit status (see " + work + ")", 0, p.exitValue());
        }

        int total = SENDERS * (FIRST_ROUND + SECOND_ROUND);
        List<InstanceLocation> stored = index.locate(STUDY, null, null);
        assertEquals("every instance sent is indexed: no C-STORE failed", total, stored.size());
        long inS3 = usage(index, "s3-swap");
        assertTrue("the instances sent after the swap are in S3: " + index.storageUsage(), inS3 >= SENDERS * SECOND_ROUND);
        assertTrue("the first ones stayed in the file storage: " + index.storageUsage(), usage(index, "default") >= SENDERS);
        assertReadableWhereTheIndexSays(index, Map.of("default", fs, "s3-swap", s3), work);
        assertEquals("getscu retrieves them all", total, getscu(work.resolve("get-1")));

        String list = executeCommand("mosaic:storage-list --no-format");
        assertTrue(list, list.contains("s3-swap") && list.contains("running"));
        String refused = executeCommand("mosaic:storage-remove s3-swap");
        assertTrue(refused, refused.contains("holds " + inS3 + " indexed objects"));

        executeCommand("mosaic:storage-use default");
        await("the archive to store into default", () -> httpGet("/health").body().contains("storing into default"));

        // idle (nothing writes to S3 now): the S3 feature uninstalled and installed again; the backend comes back
        // with its configuration and every instance in the bucket is retrievable again
        executeCommand("feature:uninstall mosaic-storage-s3");
        await("the S3 backend to stop", () -> !hasService(StorageBackend.class, "(storage.id=s3-swap)"));
        assertTrue("the file storage is untouched", hasService(StorageBackend.class, "(storage.id=default)"));
        executeCommand("feature:install mosaic-storage-s3");
        s3 = service(StorageBackend.class, "(storage.id=s3-swap)");
        assertEquals("the index still records them in S3", inS3, usage(index, "s3-swap"));
        assertReadableWhereTheIndexSays(index, Map.of("default", fs, "s3-swap", s3), work);
        assertEquals("getscu retrieves them all after the S3 feature came back", total, getscu(work.resolve("get-reinstalled")));

        String migrated = executeCommand("mosaic:storage-migrate --from s3-swap --to default");
        assertTrue(migrated, migrated.contains("moved " + inS3 + " instances"));
        assertEquals(Map.of("default", total), Map.of("default", (int) usage(index, "default")));
        assertEquals(0, usage(index, "s3-swap"));
        assertEquals("the bucket is empty after the migration", 0, s3.list(o -> true));
        assertReadableWhereTheIndexSays(index, Map.of("default", fs), work);
        assertEquals("getscu retrieves them all after the migration", total, getscu(work.resolve("get-2")));

        String removed = executeCommand("mosaic:storage-remove s3-swap");
        assertTrue(removed, removed.contains("storage s3-swap removed"));
        await("the S3 backend to stop", () -> !hasService(StorageBackend.class, "(storage.id=s3-swap)"));
        assertFalse(executeCommand("config:list '(service.factoryPid=org.mosaicpacs.storage.s3)'").contains("s3-swap"));
        assertEquals(200, httpGet("/health").status());
    }

    private static long usage(ArchiveIndex index, String storageId) {
        try {
            StorageUsage u = index.storageUsage().get(storageId);
            return u == null ? 0 : u.objects();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Each indexed instance is read from the backend the index names, and is the instance sent. */
    private static void assertReadableWhereTheIndexSays(ArchiveIndex index, Map<String, StorageBackend> backends,
                                                        Path work) throws Exception {
        for (InstanceLocation l : index.locate(STUDY, null, null)) {
            StorageBackend b = backends.get(l.location().storageId());
            assertTrue("backend " + l.location().storageId(), b != null);
            Attributes ds;
            try (InputStream in = b.read(l.location().key()); DicomInputStream dis = new DicomInputStream(in)) {
                dis.readFileMetaInformation();
                ds = dis.readDataset();
            }
            assertEquals(l.sopInstanceUID(), ds.getString(Tag.SOPInstanceUID));
            assertArrayEquals(l.sopInstanceUID(), pixels(l.sopInstanceUID()), ds.getBytes(Tag.PixelData));
        }
    }

    private static byte[] pixels(String sop) {
        byte[] b = new byte[64 * 1024];
        int seed = sop.hashCode();
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed + i * 13);
        }
        return b;
    }

    /** {@code count} images per sender, numbered from {@code from}. */
    private static List<List<Path>> images(Path dir, int count, int from) throws Exception {
        List<List<Path>> out = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            List<Path> files = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                String sop = STUDY + "." + (s + 1) + "." + (i + 1);
                Attributes ds = new Attributes();
                ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
                ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
                ds.setString(Tag.Modality, VR.CS, "CT");
                ds.setString(Tag.PatientID, VR.LO, "SWAP-1");
                ds.setString(Tag.PatientName, VR.PN, "Swap^Storage");
                ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
                ds.setString(Tag.SeriesInstanceUID, VR.UI, STUDY + "." + (s + 1));
                ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i + 1));
                ds.setInt(Tag.Rows, VR.US, 128);
                ds.setInt(Tag.Columns, VR.US, 256);
                ds.setInt(Tag.BitsAllocated, VR.US, 16);
                ds.setInt(Tag.BitsStored, VR.US, 16);
                ds.setInt(Tag.HighBit, VR.US, 15);
                ds.setInt(Tag.PixelRepresentation, VR.US, 0);
                ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
                ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
                ds.setBytes(Tag.PixelData, VR.OW, pixels(sop));
                Path file = dir.resolve(s + "/" + i + ".dcm");
                Files.createDirectories(file.getParent());
                DicomOutputStream.writeFile(file, ds, UID.ExplicitVRLittleEndian);
                files.add(file);
            }
            out.add(files);
        }
        return out;
    }

    /** One association sending the files, as modality {@code SENDER}. */
    private static Process storescu(Path work, String name, List<Path> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/storescu", "-aet",
                ("SWAP" + name.replace("-", "")).toUpperCase(), "-aec", "MOSAIC", "127.0.0.1",
                System.getProperty("mosaic.dicom.port")));
        files.forEach(f -> command.add(f.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("storescu-" + name + ".log").toFile()).start();
    }

    /** C-GET of the study into {@code dir}; the number of files received. */
    private static long getscu(Path dir) throws Exception {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("/usr/bin/getscu", "-S", "-aec", "MOSAIC", "127.0.0.1",
                System.getProperty("mosaic.dicom.port"), "-od", dir.toString(), "-k", "QueryRetrieveLevel=STUDY",
                "-k", "StudyInstanceUID=" + STUDY).redirectErrorStream(true)
                .redirectOutput(new File(dir + ".log")).start();
        assertTrue("getscu ends", p.waitFor(5, TimeUnit.MINUTES));
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
