package org.mosaicpacs.dimse.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.net.ApplicationEntity;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Device;
import org.mosaicpacs.dicom.net.TransferCapability;
import org.mosaicpacs.dicom.net.TransferCapability.Role;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DataWriter;
import org.mosaicpacs.dicom.net.dimse.DicomServer;
import org.mosaicpacs.dicom.net.dimse.DicomService;
import org.mosaicpacs.dicom.net.dimse.DicomServiceRegistry;
import org.mosaicpacs.dicom.net.dimse.Dimse;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.DimseResponse;
import org.mosaicpacs.dicom.net.dimse.Status;

/**
 * Storage Commitment Push Model with the archive as SCP over the real ingest, Derby index and file storage,
 * and our dicom-net SCU as the modality (DCMTK has no storage commitment SCU, pynetdicom is not installed):
 * the report on the request's association, and on a new association to the requesting AE with SCP/SCU role
 * selection; failures with their Failure Reasons; malformed requests with their statuses.
 */
@Timeout(60)
class StorageCommitmentTest {

    static final String STUDY = "1.2.826.0.1.3680043.2.1125.7.1";
    static final String SERIES = STUDY + ".1";

    @TempDir
    Path temp;
    RealArchive archive;
    ExecutorService executor;
    ScheduledExecutorService scheduler;
    final Map<String, InstanceLocation> stored = new HashMap<>();

    /** The modality's side of the SOP class: takes N-EVENT-REPORTs, answers Success. */
    static final class Reports implements DicomService {
        record Report(DimseAssociation as, int eventType, Attributes info) {
        }

        final BlockingQueue<Report> received = new LinkedBlockingQueue<>();

        @Override
        public String[] sopClasses() {
            return new String[] {UID.StorageCommitmentPushModel};
        }

        @Override
        public void onRequest(DimseAssociation as, int pcid, Dimse dimse, Attributes command, InputStream data)
                throws IOException {
            assertEquals(Dimse.N_EVENT_REPORT_RQ, dimse);
            assertEquals(UID.StorageCommitmentPushModelInstance, command.getString(Tag.AffectedSOPInstanceUID));
            Attributes info = new DicomInputStream(data, as.transferSyntax(pcid)).readDataset();
            received.add(new Report(as, command.getInt(Tag.EventTypeID, -1), info));
            as.writeResponse(pcid, Commands.mkRSP(command, Status.Success), null);
        }

        Report take() throws InterruptedException {
            Report r = received.poll(30, TimeUnit.SECONDS);
            assertNotNull(r, "no N-EVENT-REPORT came");
            return r;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        archive = new RealArchive(temp);
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        for (String iuid : List.of(SERIES + ".1", SERIES + ".2", SERIES + ".3")) {
            Path f = RealArchive.write(temp.resolve("in"), RealArchive.image(STUDY, SERIES, iuid));
            IngestResult r = archive.ingest.ingest(f, new Origin("MODALITY", "MOSAIC", "127.0.0.1"));
            assertTrue(r.outcome().isAcknowledged(), r.message());
            stored.put(iuid, r.instance().orElseThrow());
        }
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    static Attributes request(String transactionUID, String... classAndInstance) {
        Attributes ds = new Attributes();
        if (transactionUID != null) {
            ds.setString(Tag.TransactionUID, VR.UI, transactionUID);
        }
        Sequence seq = ds.newSequence(Tag.ReferencedSOPSequence, classAndInstance.length / 2);
        for (int i = 0; i < classAndInstance.length; i += 2) {
            seq.addNewItem().setString(Tag.ReferencedSOPClassUID, VR.UI, classAndInstance[i])
                    .setString(Tag.ReferencedSOPInstanceUID, VR.UI, classAndInstance[i + 1]);
        }
        return ds;
    }

    static DimseResponse naction(DimseAssociation as, int actionType, String instance, Attributes info)
            throws IOException {
        int pcid = as.presentationContext(UID.StorageCommitmentPushModel, null);
        Attributes cmd = Commands.nRQ(Dimse.N_ACTION_RQ, 0, UID.StorageCommitmentPushModel, instance, info != null);
        cmd.setInt(Tag.ActionTypeID, VR.US, actionType);
        return as.invoke(pcid, cmd, info == null ? null : DataWriter.of(info), null).await();
    }

    DimseAssociation connect(ArchiveAE ae, DicomServiceRegistry registry) throws IOException {
        return DimseAssociation.connect(new Connection().setResponseTimeout(20_000), new Connection("127.0.0.1", ae.port()),
                new AssociateRQBuilder("MOSAIC", "MODALITY").addVerification()
                        .addContext(UID.StorageCommitmentPushModel, UID.ExplicitVRLittleEndian).build(),
                registry, executor, scheduler);
    }

    static Map<String, Integer> failures(Attributes info) {
        Map<String, Integer> map = new HashMap<>();
        Sequence failed = info.getSequence(Tag.FailedSOPSequence);
        if (failed != null) {
            for (Attributes item : failed) {
                map.put(item.getString(Tag.ReferencedSOPInstanceUID), item.getInt(Tag.FailureReason, -1));
            }
        }
        return map;
    }

    static List<String> committed(Attributes info) {
        Sequence refs = info.getSequence(Tag.ReferencedSOPSequence);
        return refs == null ? List.of() : refs.stream().map(i -> i.getString(Tag.ReferencedSOPInstanceUID)).toList();
    }

    @Test
    void reportOnTheSameAssociation() throws Exception {
        // the third instance loses its stored object: indexed, but not committed
        InstanceLocation gone = stored.get(SERIES + ".3");
        assertTrue(archive.storage.delete(gone.location().key()));
        Reports reports = new Reports();
        try (ArchiveAE ae = archive.start(NetworkSettings.DEFAULT);
             DimseAssociation as = connect(ae, new DicomServiceRegistry().add(reports))) {
            DimseResponse rsp = naction(as, 1, UID.StorageCommitmentPushModelInstance, request("2.25.1001",
                    UID.CTImageStorage, SERIES + ".1", UID.CTImageStorage, SERIES + ".2"));
            assertEquals(Status.Success, rsp.status());
            Reports.Report r = reports.take();
            assertSame(as, r.as(), "the report comes on the request's association");
            assertEquals(1, r.eventType(), "all committed");
            assertEquals("2.25.1001", r.info().getString(Tag.TransactionUID));
            assertEquals(List.of(SERIES + ".1", SERIES + ".2"), committed(r.info()));
            assertNull(r.info().getSequence(Tag.FailedSOPSequence));

            rsp = naction(as, 1, UID.StorageCommitmentPushModelInstance, request("2.25.1002",
                    UID.CTImageStorage, SERIES + ".1",
                    UID.MRImageStorage, SERIES + ".2",
                    UID.CTImageStorage, SERIES + ".3",
                    UID.CTImageStorage, "1.2.3.4.5.6.7.404"));
            assertEquals(Status.Success, rsp.status());
            r = reports.take();
            assertEquals(2, r.eventType(), "failures exist");
            assertEquals("2.25.1002", r.info().getString(Tag.TransactionUID));
            assertEquals(List.of(SERIES + ".1"), committed(r.info()));
            assertEquals(Map.of(SERIES + ".2", 0x0119, SERIES + ".3", 0x0112, "1.2.3.4.5.6.7.404", 0x0112),
                    failures(r.info()), "class/instance conflict, object gone, never stored");
            assertEquals(Status.Success, as.cecho().status());
        }
    }

    @Test
    void reportOnANewAssociationWithRoleSelection() throws Exception {
        Reports reports = new Reports();
        // the modality listens with the Storage Commitment SCU role only: the archive must propose role selection
        Connection listen = new Connection("127.0.0.1", 0);
        Device device = new Device("modality").addConnection(listen).addApplicationEntity(new ApplicationEntity("MODALITY")
                .addTransferCapability(TransferCapability.of(UID.StorageCommitmentPushModel, Role.SCU)));
        try (DicomServer modality = new DicomServer(device, listen, new DicomServiceRegistry().add(reports), executor,
                scheduler)) {
            modality.start();
            archive.remoteAEs.add(new RemoteApplicationEntity("MODALITY", "127.0.0.1", modality.getLocalPort()));
            NetworkSettings always = new NetworkSettings(-1, null, List.of("TLSv1.3"), true, false, true);
            try (ArchiveAE ae = archive.start(always)) {
                DimseAssociation as = connect(ae, null);
                try {
                    assertEquals(Status.Success, naction(as, 1, UID.StorageCommitmentPushModelInstance,
                            request("2.25.2001", UID.CTImageStorage, SERIES + ".2")).status());
                    Reports.Report r = reports.take();
                    assertNotSame(as, r.as());
                    assertEquals("MOSAIC", r.as().remoteAETitle(), "the archive calls the modality");
                    assertEquals(1, r.eventType());
                    assertEquals(List.of(SERIES + ".2"), committed(r.info()));
                } finally {
                    as.release();
                }
            }
        }
    }

    @Test
    void malformedRequestsGetTheirStatusAndTheAEGoesOn() throws Exception {
        try (ArchiveAE ae = archive.start(NetworkSettings.DEFAULT);
             DimseAssociation as = connect(ae, new DicomServiceRegistry().add(new Reports()))) {
            assertEquals(Status.MissingAttribute, naction(as, 1, UID.StorageCommitmentPushModelInstance,
                    request(null, UID.CTImageStorage, SERIES + ".1")).status(), "no Transaction UID");
            assertEquals(Status.MissingAttribute, naction(as, 1, UID.StorageCommitmentPushModelInstance,
                    request("2.25.3")).status(), "empty Referenced SOP Sequence");
            assertEquals(Status.MissingAttribute, naction(as, 1, UID.StorageCommitmentPushModelInstance, null)
                    .status(), "no data set");
            assertEquals(0x0123, naction(as, 7, UID.StorageCommitmentPushModelInstance,
                    request("2.25.4", UID.CTImageStorage, SERIES + ".1")).status(), "no such action type");
            assertEquals(Status.NoSuchObjectInstance, naction(as, 1, "1.2.3.4",
                    request("2.25.5", UID.CTImageStorage, SERIES + ".1")).status(), "not the well-known instance");
            assertEquals(Status.Success, as.cecho().status());
        }
        // without the index the archive cannot tell: a failure status, not a false commitment
        try (ArchiveAE ae = new ArchiveAE(archive.settings(Map.of()), NetworkSettings.DEFAULT, () -> archive.ingest,
                () -> null, archive.backends::get, () -> archive.remoteAEs);
             DimseAssociation as = connect(ae, null)) {
            assertEquals(Status.ProcessingFailure, naction(as, 1, UID.StorageCommitmentPushModelInstance,
                    request("2.25.6", UID.CTImageStorage, SERIES + ".1")).status());
        }
    }
}
