package org.mosaicpacs.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The forward plugin in the distribution, as an admin sets it up: two rules (factory configurations in {@code etc/}),
 * {@code feature:install mosaic-plugin-forward}, two remote AEs ({@code mosaic:ae-add}), one marked
 * {@code --deidentify-retrieve basic}, each a DCMTK storescp. What storescu sends to the archive reaches both: the
 * plain one as stored (same SOP Instance UIDs, dcmdump reads it), the marked one de-identified (no Patient's Name or
 * Patient ID of the original in its bytes). Then the plain storescp stops, more is stored, the plugin bundle restarts,
 * storescp comes back: everything queued meanwhile arrives. Skipped without DCMTK.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ForwardIT extends MosaicTestSupport {

    private static final String STUDY = "1.2.826.0.1.3680043.10.1077.90";
    private static final String NAME = "Forwardson^Henrietta";
    private static final String PATIENT_ID = "FWD-IT-31337";

    private final List<Process> storescps = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return new Option[] {
                composite(distribution()),
                // quick retries, so that a peer that is back gets its instances within seconds
                editConfigurationFilePut("etc/org.mosaicpacs.plugin.forward.cfg", "initialRetryDelaySeconds", "1"),
                editConfigurationFilePut("etc/org.mosaicpacs.plugin.forward.cfg", "maxRetryDelaySeconds", "2"),
                editConfigurationFilePut("etc/org.mosaicpacs.plugin.forward.rule-plain.cfg", "destination", "FWDSCP"),
                editConfigurationFilePut("etc/org.mosaicpacs.plugin.forward.rule-plain.cfg", "callingAETitles", "FWDIT"),
                editConfigurationFilePut("etc/org.mosaicpacs.plugin.forward.rule-research.cfg", "name", "research-ct"),
                editConfigurationFilePut("etc/org.mosaicpacs.plugin.forward.rule-research.cfg", "destination", "FWDRESEARCH"),
                editConfigurationFilePut("etc/org.mosaicpacs.plugin.forward.rule-research.cfg", "modalities", "CT,MR"),
        };
    }

    @After
    public void stopStorescps() throws InterruptedException {
        for (Process p : storescps) {
            stop(p);
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    @Test
    public void matchingInstancesReachStorescpAlsoAfterItWasDownAndDeidentifiedForAMarkedAE() throws Exception {
        Assume.assumeTrue("DCMTK is not installed", Files.isExecutable(Path.of("/usr/bin/storescp"))
                && Files.isExecutable(Path.of("/usr/bin/storescu")) && Files.isExecutable(Path.of("/usr/bin/dcmdump")));
        awaitArchiveUp("the archive to be up");
        Path work = Files.createTempDirectory("forward-it");
        int plainPort = Ports.freePort();
        int researchPort = Ports.freePort();
        Path plain = Files.createDirectories(work.resolve("plain"));
        Path research = Files.createDirectories(work.resolve("research"));
        Process plainScp = storescp("FWDSCP", plainPort, plain, work.resolve("plain.log"));
        storescp("FWDRESEARCH", researchPort, research, work.resolve("research.log"));

        executeCommand("feature:install mosaic-deidentify");
        service(Deidentifier.class, "(deidentifier.type=annex-e)");
        await("the profile basic", () -> executeCommand("mosaic:deidentify-profiles").contains("basic"));
        assertTrue(executeCommand("mosaic:ae-add FWDSCP 127.0.0.1 " + plainPort).contains("Added remote AE FWDSCP"));
        assertTrue(executeCommand("mosaic:ae-add --deidentify-retrieve basic FWDRESEARCH 127.0.0.1 " + researchPort)
                .contains("Added remote AE FWDRESEARCH"));

        executeCommand("feature:install mosaic-plugin-forward");
        await("the forward plugin and its two rules", () -> {
            HttpAnswer status = httpGet("/plugins/forward/status");
            return status.status() == 200 && status.body().contains("\"FWDSCP\"") && status.body().contains("\"FWDRESEARCH\"");
        });
        String list = executeCommand("mosaic:forward-list");
        assertTrue(list, list.contains("FWDSCP") && list.contains("research-ct"));

        // three CT instances from FWDIT: both rules match
        List<Path> first = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            first.add(instance(work.resolve("in"), STUDY + ".1." + i));
        }
        storescu("FWDIT", first);
        await("3 instances at FWDSCP", () -> sopInstanceUIDs(plain).size() == 3);
        assertEquals(Set.of(STUDY + ".1.1", STUDY + ".1.2", STUDY + ".1.3"), sopInstanceUIDs(plain));
        for (Path f : files(plain)) {
            String dump = dcmdump(f);
            assertTrue(dump, dump.contains(NAME) && dump.contains(PATIENT_ID) && dump.contains("(7fe0,0010)"));
        }
        await("3 de-identified instances at FWDRESEARCH", () -> sopInstanceUIDs(research).size() == 3);
        assertDeidentified(research);

        // another calling AE: only the research rule (no calling AE criterion) matches
        storescu("OTHERSCU", List.of(instance(work.resolve("other"), STUDY + ".2.1")));
        await("4 de-identified instances at FWDRESEARCH", () -> sopInstanceUIDs(research).size() == 4);

        // FWDSCP goes down; what is stored meanwhile waits, also over a restart of the plugin bundle
        stop(plainScp);
        storescps.remove(plainScp);
        List<Path> second = new ArrayList<>();
        for (int i = 4; i <= 5; i++) {
            second.add(instance(work.resolve("in2"), STUDY + ".1." + i));
        }
        storescu("FWDIT", second);
        String[] last = {""};
        try {
            await("2 instances waiting for FWDSCP after failed attempts", () -> {
                last[0] = executeCommand("mosaic:forward-list --no-format");
                return row(last[0], "FWDSCP").startsWith("FWDSCP|FWDSCP|2|0|") && row(last[0], "FWDSCP").contains("association failed");
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; mosaic:forward-list printed:\n" + last[0]
                    + "\n/plugins/forward/status: " + httpGet("/plugins/forward/status").body(), e);
        }
        executeCommand("bundle:restart mosaic-plugin-forward");
        await("the plugin back with FWDSCP's 2 pending", () -> {
            HttpAnswer status = httpGet("/plugins/forward/status");
            return status.status() == 200 && status.body().contains("{\"destination\":\"FWDSCP\",\"rules\":[\"FWDSCP\"],\"pending\":2,");
        });
        assertEquals(Set.of(STUDY + ".1.1", STUDY + ".1.2", STUDY + ".1.3"), sopInstanceUIDs(plain));

        Path plainAgain = Files.createDirectories(work.resolve("plain-again"));
        storescp("FWDSCP", plainPort, plainAgain, work.resolve("plain-again.log"));
        await("the 2 instances queued while FWDSCP was down", () -> sopInstanceUIDs(plainAgain).size() == 2);
        assertEquals(Set.of(STUDY + ".1.4", STUDY + ".1.5"), sopInstanceUIDs(plainAgain));
        await("FWDRESEARCH to have all 6", () -> sopInstanceUIDs(research).size() == 6);
        assertDeidentified(research);
        await("nothing pending", () -> httpGet("/plugins/forward/status").body().contains(
                "{\"destination\":\"FWDSCP\",\"rules\":[\"FWDSCP\"],\"pending\":0,\"failed\":0,\"sent\":2,"));
        String plugins = executeCommand("mosaic:plugin-list --no-format");
        assertTrue(plugins, row(plugins, "forward").contains("pending=0, failed=0, sent="));
    }

    /** The cells of a line of a table printed with --no-format (tab separated, padded), trimmed, joined with |. */
    private static String row(String table, String first) {
        return table.lines().map(l -> String.join("|", java.util.Arrays.stream(l.split("\t")).map(String::strip).toList()))
                .filter(l -> l.startsWith(first + "|")).findFirst().orElse("");
    }

    private Process storescp(String aet, int port, Path folder, Path log) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/storescp", "-aet", aet, "-od", folder.toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        storescps.add(p);
        await("storescp " + aet + " to listen", () -> listens(port));
        return p;
    }

    private static void storescu(String callingAETitle, List<Path> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/storescu", "-aet", callingAETitle, "-aec", "MOSAIC",
                "127.0.0.1", System.getProperty("mosaic.dicom.port")));
        files.forEach(f -> command.add(f.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("storescu: " + output, 0, p.waitFor());
    }

    private static String dcmdump(Path f) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/dcmdump", "-q", f.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("dcmdump " + f + ": " + output, 0, p.waitFor());
        return output;
    }

    /** No Patient's Name or Patient ID of the originals in the bytes, dcmdump reads it, new SOP Instance UIDs. */
    private static void assertDeidentified(Path folder) throws Exception {
        for (Path f : files(folder)) {
            String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertFalse(f + " holds the Patient's Name", bytes.contains("Forwardson") || bytes.contains("Henrietta"));
            assertFalse(f + " holds the Patient ID", bytes.contains(PATIENT_ID));
            assertFalse(f + " holds the Study Instance UID", bytes.contains(STUDY));
            String dump = dcmdump(f);
            assertTrue(dump, dump.contains("(0012,0062) CS [YES]"));
        }
        for (String uid : sopInstanceUIDs(folder)) {
            assertNotEquals(STUDY, uid);
            assertFalse(uid, uid.startsWith(STUDY));
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The SOP Instance UIDs of the complete files storescp wrote into a folder. */
    private static Set<String> sopInstanceUIDs(Path folder) {
        Set<String> uids = new TreeSet<>();
        try {
            for (Path f : files(folder)) {
                try (DicomInputStream in = new DicomInputStream(f)) {
                    in.readFileMetaInformation();
                    uids.add(in.readDataset().getString(Tag.SOPInstanceUID));
                } catch (IOException | RuntimeException e) {
                    // still being written
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return uids;
    }

    private static boolean listens(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A small CT image (8 x 8, 16 bit) of the test patient. */
    private static Path instance(Path folder, String sop) throws IOException {
        Files.createDirectories(folder);
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, sop.substring(0, sop.lastIndexOf('.')));
        ds.setString(Tag.PatientName, VR.PN, NAME);
        ds.setString(Tag.PatientID, VR.LO, PATIENT_ID);
        ds.setString(Tag.StudyDate, VR.DA, "20250607");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.InstanceNumber, VR.IS, sop.substring(sop.lastIndexOf('.') + 1));
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 8);
        ds.setInt(Tag.Columns, VR.US, 8);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[8 * 8 * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (byte) i;
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels);
        Path file = folder.resolve(sop + ".dcm");
        try (OutputStream os = Files.newOutputStream(file); DicomOutputStream out = new DicomOutputStream(os)) {
            out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(UID.CTImageStorage, sop,
                    UID.ExplicitVRLittleEndian));
            out.writeDataset(ds);
        }
        return file;
    }
}
