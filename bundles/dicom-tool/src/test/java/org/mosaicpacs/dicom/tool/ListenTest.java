package org.mosaicpacs.dicom.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DataWriter;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.Status;

/** listen with our own SCU (dicom-net): a hostile SOP Instance UID never names a file outside DIR. */
class ListenTest {

    @TempDir
    Path tmp;

    @Test
    void hostileInstanceUidsStayInTheDirectory() throws Exception {
        Path dir = tmp.resolve("inbox");
        ExecutorService executor = Executors.newCachedThreadPool();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (NetFixtures.Listener listener = NetFixtures.listen("listen", "-b", "LISTENER@127.0.0.1:0",
                "--directory", dir.toString())) {
            AssociateRQBuilder rq = new AssociateRQBuilder("LISTENER", "EVIL")
                    .addContext(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
            try (DimseAssociation as = DimseAssociation.connect(new Connection().setResponseTimeout(10_000),
                    new Connection("127.0.0.1", listener.port()), rq.build(), null, executor, scheduler)) {
                for (String iuid : List.of("../../escaped", "/tmp/absolute", "..", "2.25.5")) {
                    Attributes ds = new Attributes();
                    ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
                    ds.setString(Tag.SOPInstanceUID, VR.UI, iuid);
                    int status = as.cstore(UID.SecondaryCaptureImageStorage, iuid, Commands.MEDIUM,
                            DataWriter.of(ds), null).await().status();
                    assertEquals(Status.Success, status, iuid);
                }
                as.release();
            }
            listener.awaitLines("Received ", 4);
        } finally {
            executor.shutdownNow();
            scheduler.shutdownNow();
        }
        assertFalse(Files.exists(tmp.resolve("escaped")));
        assertFalse(Files.exists(Path.of("/tmp/absolute")));
        assertFalse(Files.exists(Path.of("/tmp/absolute.dcm")));
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("2.25.5.dcm", "_...dcm", "_.._.._escaped.dcm", "_tmp_absolute.dcm"), names);
        }
        try (Stream<Path> s = Files.walk(tmp)) {
            assertTrue(s.filter(Files::isRegularFile).allMatch(p -> p.startsWith(dir)));
        }
    }
}
