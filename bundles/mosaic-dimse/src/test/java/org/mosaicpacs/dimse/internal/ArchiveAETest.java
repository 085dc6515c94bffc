package org.mosaicpacs.dimse.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DataWriter;
import org.mosaicpacs.dicom.net.dimse.DicomServiceException;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.Status;

/** The AE on loopback without the archive behind it: it listens, echoes, and fails stores and queries cleanly. */
class ArchiveAETest {

    @TempDir
    Path temp;

    @Test
    void listensEchoesAndAnswersFailuresWhileTheArchiveIsAbsent() throws Exception {
        ArchiveAE.Settings settings = new ArchiveAE.Settings("MOSAIC", "127.0.0.1", 0, 4, Set.of(), Map.of(),
                List.of("*"), false, 100, 10_000, 60_000, temp.resolve("spool"));
        ExecutorService executor = Executors.newCachedThreadPool();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (ArchiveAE ae = new ArchiveAE(settings, () -> null, () -> null, id -> null)) {
            Connection local = new Connection().setResponseTimeout(10_000);
            Connection remote = new Connection("127.0.0.1", ae.port());
            try (DimseAssociation as = DimseAssociation.connect(local, remote, new AssociateRQBuilder("MOSAIC", "TEST")
                    .addVerification()
                    .addContext(UID.CTImageStorage, UID.ExplicitVRLittleEndian)
                    .addContext(UID.StudyRootQueryRetrieveInformationModelFind, UID.ExplicitVRLittleEndian)
                    .build(), null, executor, scheduler)) {
                assertEquals(Status.Success, as.cecho().status());
                Attributes ds = new Attributes();
                ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
                ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4");
                int status = as.cstore(UID.CTImageStorage, "1.2.3.4", Commands.MEDIUM, DataWriter.of(ds), null)
                        .await().status();
                assertEquals(Status.ProcessingFailure, status, "no IngestService: 0110");
                Attributes keys = new Attributes();
                keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
                keys.setNull(Tag.StudyInstanceUID, VR.UI);
                DicomServiceException e = assertThrows(DicomServiceException.class,
                        () -> as.cfind(UID.StudyRootQueryRetrieveInformationModelFind, keys));
                assertEquals(Status.UnableToProcess, e.status());
            }
        } finally {
            executor.shutdownNow();
            scheduler.shutdownNow();
        }
    }

    @Test
    void parsesListsAndDestinations() {
        assertEquals(List.of("A", "B", "C"), ArchiveAE.list(new String[] {"A, B", "", "C"}));
        Map<String, Connection> d = ArchiveAE.destinations(new String[] {"STORESCP=127.0.0.1:4242,WS=host.example:104"});
        assertEquals(4242, d.get("STORESCP").getPort());
        assertEquals("host.example", d.get("WS").getHostname());
        assertThrows(IllegalArgumentException.class, () -> ArchiveAE.destinations(new String[] {"nohostport"}));
    }

    @Test
    void everyOutcomeHasItsStatus() {
        assertEquals(Status.Success, ArchiveAE.status(IngestResult.Outcome.STORED));
        assertEquals(Status.ElementsDiscarded, ArchiveAE.status(IngestResult.Outcome.KEPT_FIRST));
        assertEquals(Status.DuplicateSOPInstance, ArchiveAE.status(IngestResult.Outcome.REJECTED_DUPLICATE));
        assertEquals(Status.OutOfResources, ArchiveAE.status(IngestResult.Outcome.STORAGE_UNAVAILABLE));
        assertEquals(Status.NotAuthorized, ArchiveAE.status(IngestResult.rejectedByPlugin(0x0124, "not yours")),
                "a plugin's rejection answers with the plugin's status");
        assertEquals(0xC001, ArchiveAE.status(IngestResult.rejectedByPlugin(0xC001, "")));
        assertTrue(ArchiveAE.storageSOPClasses().contains(UID.CTImageStorage));
        assertTrue(ArchiveAE.storageSOPClasses().size() > 100);
    }
}
