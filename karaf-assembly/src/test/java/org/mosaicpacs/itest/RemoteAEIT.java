package org.mosaicpacs.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Remote AEs in the booted distribution, as an admin uses them from the console: {@code mosaic:ae-add} writes a
 * factory configuration ({@code config:list} shows it), {@code mosaic:echo} and {@code mosaic:store} reach
 * DCMTK's storescp through it, {@code mosaic:ae-remove} takes it away again. Skipped without storescp.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RemoteAEIT extends MosaicTestSupport {

    private Process storescp;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @After
    public void stopStorescp() throws InterruptedException {
        if (storescp != null) {
            storescp.destroy();
            if (!storescp.waitFor(10, TimeUnit.SECONDS)) {
                storescp.destroyForcibly();
            }
        }
    }

    @Test
    public void aeAddEchoStoreAndRemoveAgainstStorescp() throws Exception {
        Assume.assumeTrue("storescp is not installed", Files.isExecutable(Path.of("/usr/bin/storescp")));
        awaitArchiveUp("the archive to be up");
        Path work = Files.createTempDirectory("remote-ae-it");
        Path received = Files.createDirectories(work.resolve("storescp"));
        int port = Ports.freePort();
        storescp = new ProcessBuilder("/usr/bin/storescp", "-aet", "STORESCP", "-od", received.toString(),
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(work.resolve("storescp.log").toFile())
                .start();
        await("storescp to listen", () -> listens(port));

        String added = executeCommand("mosaic:ae-add --description 'test peer' STORESCP 127.0.0.1 " + port);
        assertTrue(added, added.contains("Added remote AE STORESCP@127.0.0.1:" + port));
        String config = executeCommand("config:list '(service.factoryPid=org.mosaicpacs.dimse.ae)'");
        assertTrue(config, config.contains("aeTitle = STORESCP"));
        assertTrue(config, config.contains("port = " + port));
        String list = executeCommand("mosaic:ae-list");
        assertTrue(list, list.contains("STORESCP") && list.contains("test peer"));

        String echo = executeCommand("mosaic:echo STORESCP");
        assertTrue(echo, echo.contains("C-ECHO STORESCP@127.0.0.1:" + port + ": status 0000 (success)"));

        Path file = work.resolve("in/ct.dcm");
        Files.createDirectories(file.getParent());
        DicomOutputStream.writeFile(file, image("1.2.826.0.1.3680043.2.1125.13.1.1.1"), UID.ExplicitVRLittleEndian);
        Files.writeString(work.resolve("in/notes.txt"), "not DICOM");
        String store = executeCommand("mosaic:store " + work.resolve("in") + " STORESCP");
        assertTrue(store, store.contains("2 file(s): 1 stored, 0 with a warning, 0 refused, 1 not sent"));
        try (Stream<Path> s = Files.list(received)) {
            List<Path> files = s.toList();
            assertEquals(files.toString(), 1, files.size());
        }

        String removed = executeCommand("mosaic:ae-remove STORESCP");
        assertTrue(removed, removed.contains("Removed remote AE STORESCP"));
        String gone = executeCommand("mosaic:echo STORESCP");
        assertTrue(gone, gone.contains("no remote AE STORESCP is configured"));
        assertTrue(executeCommand("mosaic:ae-list").contains("No remote AEs"));
    }

    private static boolean listens(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Attributes image(String iuid) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientID, VR.LO, "RAE-1");
        ds.setString(Tag.PatientName, VR.PN, "Remote^AE");
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1125.13.1");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1125.13.1.1");
        return ds;
    }
}
