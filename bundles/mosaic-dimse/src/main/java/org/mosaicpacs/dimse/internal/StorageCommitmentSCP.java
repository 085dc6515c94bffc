package org.mosaicpacs.dimse.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomReadLimits;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DataWriter;
import org.mosaicpacs.dicom.net.dimse.Dimse;
import org.mosaicpacs.dicom.net.dimse.DicomService;
import org.mosaicpacs.dicom.net.dimse.DicomServiceException;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Storage Commitment Push Model SOP Class as SCP (PS3.4 Annex J).
 *
 * <p>An N-ACTION-RQ (Action Type ID 1, Requested SOP Instance UID the well-known
 * {@value UID#StorageCommitmentPushModelInstance}) names a Transaction UID and a Referenced SOP Sequence. Each
 * referenced instance is committed when the index has it with that SOP class and its stored object exists in
 * its backend. The N-ACTION-RSP says only that the request was understood; the result follows as an
 * N-EVENT-REPORT-RQ: Event Type ID 1 when every instance is committed, 2 otherwise, with the Failed SOP
 * Sequence (Failure Reason 0112 no such object instance, 0119 class/instance conflict, 0110 processing
 * failure when the index or the backend cannot tell).
 *
 * <p>The report goes on the request's association while it is open; when it is closed (or always, if
 * configured) on a new association to the requesting AE, looked up among the remote AEs: there the archive is
 * association requestor but remains the SCP of the SOP class, so it proposes the context with SCP/SCU Role
 * Selection, SCU role no, SCP role yes (PS3.4 J.3.3, PS3.7 D.3.3.4). A report that cannot be delivered is logged;
 * the requestor asks again (a new N-ACTION) after its own timeout.
 */
final class StorageCommitmentSCP implements DicomService {

    private static final Logger LOG = LoggerFactory.getLogger(StorageCommitmentSCP.class);

    /** Action Type ID of "Request Storage Commitment". */
    static final int REQUEST_STORAGE_COMMITMENT = 1;
    /** Event Type ID: storage commitment request successful. */
    static final int EVENT_SUCCESSFUL = 1;
    /** Event Type ID: storage commitment request complete, failures exist. */
    static final int EVENT_FAILURES_EXIST = 2;
    /** Failure Reason: referenced SOP class and instance do not match what is stored (PS3.4 J.3.2.1.1). */
    static final int CLASS_INSTANCE_CONFLICT = 0x0119;
    /** Status of an N-ACTION with an unknown Action Type ID. */
    static final int NO_SUCH_ACTION_TYPE = 0x0123;

    private final Supplier<ArchiveIndex> index;
    private final Function<String, StorageBackend> backends;
    private final Function<String, Connection> peers;
    private final boolean alwaysNewAssociation;

    /**
     * @param index                the index (or {@code null} while absent)
     * @param backends             the storage backends by id
     * @param peers                the connection of a remote AE by AE title, or {@code null}
     * @param alwaysNewAssociation whether reports always go on a new association
     */
    StorageCommitmentSCP(Supplier<ArchiveIndex> index, Function<String, StorageBackend> backends,
                         Function<String, Connection> peers, boolean alwaysNewAssociation) {
        this.index = index;
        this.backends = backends;
        this.peers = peers;
        this.alwaysNewAssociation = alwaysNewAssociation;
    }

    @Override
    public String[] sopClasses() {
        return new String[] {UID.StorageCommitmentPushModel};
    }

    @Override
    public void onRequest(DimseAssociation as, int pcid, Dimse dimse, Attributes command, InputStream data)
            throws IOException {
        if (dimse != Dimse.N_ACTION_RQ) {
            throw new DicomServiceException(Status.UnrecognizedOperation, dimse + " is not N-ACTION");
        }
        if (!UID.StorageCommitmentPushModelInstance.equals(command.getString(Tag.RequestedSOPInstanceUID))) {
            throw new DicomServiceException(Status.NoSuchObjectInstance,
                    "the Requested SOP Instance is not " + UID.StorageCommitmentPushModelInstance);
        }
        int actionType = command.getInt(Tag.ActionTypeID, -1);
        if (actionType != REQUEST_STORAGE_COMMITMENT) {
            throw new DicomServiceException(NO_SUCH_ACTION_TYPE, "no such Action Type ID " + actionType);
        }
        Attributes request = read(as, pcid, data);
        String transactionUID = request.getString(Tag.TransactionUID);
        if (transactionUID == null || transactionUID.isBlank()) {
            throw new DicomServiceException(Status.MissingAttribute, "no Transaction UID");
        }
        Sequence refs = request.getSequence(Tag.ReferencedSOPSequence);
        if (refs == null || refs.isEmpty()) {
            throw new DicomServiceException(Status.MissingAttribute, "no Referenced SOP Sequence");
        }
        for (Attributes ref : refs) {
            if (ref.getString(Tag.ReferencedSOPClassUID) == null || ref.getString(Tag.ReferencedSOPInstanceUID) == null) {
                throw new DicomServiceException(Status.MissingAttribute,
                        "a Referenced SOP Sequence item without Referenced SOP Class or Instance UID");
            }
        }
        ArchiveIndex idx = index.get();
        if (idx == null) {
            throw new DicomServiceException(Status.ProcessingFailure, "the index is not available");
        }
        Attributes report = commit(idx, transactionUID, refs);
        Attributes rsp = Commands.mkRSP(command, Status.Success);
        rsp.setInt(Tag.ActionTypeID, VR.US, REQUEST_STORAGE_COMMITMENT);
        as.writeResponse(pcid, rsp, null);
        int eventType = report.contains(Tag.FailedSOPSequence) ? EVENT_FAILURES_EXIST : EVENT_SUCCESSFUL;
        LOG.info("{}: storage commitment {} of {} instance(s): event type {}", as, transactionUID, refs.size(),
                eventType);
        report(as, pcid, eventType, report, transactionUID);
    }

    private static Attributes read(DimseAssociation as, int pcid, InputStream data) throws DicomServiceException {
        if (data == null) {
            throw new DicomServiceException(Status.MissingAttribute, "no Action Information (data set)");
        }
        try {
            DicomInputStream in = new DicomInputStream(data, as.transferSyntax(pcid));
            in.setLimits(DicomReadLimits.DEFAULT);
            return in.readDataset();
        } catch (IOException e) {
            throw new DicomServiceException(Status.MistypedArgument, e);
        }
    }

    /** The Event Information: Transaction UID, Referenced SOP Sequence (committed), Failed SOP Sequence. */
    Attributes commit(ArchiveIndex idx, String transactionUID, List<Attributes> refs) {
        List<Attributes> committed = new ArrayList<>();
        List<Attributes> failed = new ArrayList<>();
        for (Attributes ref : refs) {
            String cuid = ref.getString(Tag.ReferencedSOPClassUID);
            String iuid = ref.getString(Tag.ReferencedSOPInstanceUID);
            int reason = check(idx, cuid, iuid);
            Attributes item = new Attributes();
            item.setString(Tag.ReferencedSOPClassUID, VR.UI, cuid);
            item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, iuid);
            if (reason == 0) {
                committed.add(item);
            } else {
                item.setInt(Tag.FailureReason, VR.US, reason);
                failed.add(item);
            }
        }
        Attributes report = new Attributes();
        report.setString(Tag.TransactionUID, VR.UI, transactionUID);
        if (!committed.isEmpty()) {
            Sequence s = report.newSequence(Tag.ReferencedSOPSequence, committed.size());
            committed.forEach(s::add);
        }
        if (!failed.isEmpty()) {
            Sequence s = report.newSequence(Tag.FailedSOPSequence, failed.size());
            failed.forEach(s::add);
        }
        return report;
    }

    /** 0 when the instance is committed, else its Failure Reason. */
    private int check(ArchiveIndex idx, String cuid, String iuid) {
        try {
            Attributes keys = new Attributes();
            keys.setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE");
            keys.setNull(Tag.StudyInstanceUID, VR.UI);
            keys.setNull(Tag.SeriesInstanceUID, VR.UI);
            keys.setString(Tag.SOPInstanceUID, VR.UI, iuid);
            List<Attributes> found = new ArrayList<>();
            idx.query(QueryRequest.of(QueryLevel.IMAGE, keys).withRelational(), m -> {
                found.add(m);
                return false;
            });
            if (found.isEmpty()) {
                return Status.NoSuchObjectInstance;
            }
            Attributes m = found.get(0);
            String study = m.getString(Tag.StudyInstanceUID);
            String series = m.getString(Tag.SeriesInstanceUID);
            if (study == null) {
                return Status.NoSuchObjectInstance;
            }
            for (InstanceLocation loc : idx.locate(study, series, iuid)) {
                if (!loc.sopInstanceUID().equals(iuid)) {
                    continue;
                }
                if (!loc.sopClassUID().equals(cuid)) {
                    return CLASS_INSTANCE_CONFLICT;
                }
                StorageBackend backend = backends.apply(loc.location().storageId());
                if (backend == null) {
                    LOG.warn("cannot commit {}: storage {} is not present", iuid, loc.location().storageId());
                    return Status.ProcessingFailure;
                }
                return backend.exists(loc.location().key()) ? 0 : Status.NoSuchObjectInstance;
            }
            return Status.NoSuchObjectInstance;
        } catch (IndexException | StorageException | RuntimeException e) {
            LOG.warn("cannot commit {}: {}", iuid, e.toString());
            return Status.ProcessingFailure;
        }
    }

    private void report(DimseAssociation as, int pcid, int eventType, Attributes info, String transactionUID) {
        if (!alwaysNewAssociation && as.isOpen()) {
            try {
                int status = send(as, pcid, eventType, info);
                LOG.info("{}: storage commitment report {} sent, status {}", as, transactionUID, Status.toString(status));
                return;
            } catch (IOException e) {
                LOG.info("{}: storage commitment report {} not sent on this association ({}); trying a new one", as,
                        transactionUID, e.toString());
            }
        }
        String aet = as.remoteAETitle();
        Connection remote = peers.apply(aet);
        if (remote == null) {
            LOG.warn("storage commitment report {} not sent: {} is not a configured remote AE", transactionUID, aet);
            return;
        }
        AssociateRQBuilder rq = new AssociateRQBuilder(aet, as.localAETitle())
                .addContext(UID.StorageCommitmentPushModel, UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian)
                .addRoleSelection(UID.StorageCommitmentPushModel, false, true);
        try (DimseAssociation report = DimseAssociation.connect(as.connection(), remote, rq.build(), null,
                as.executor(), as.scheduler())) {
            int rpcid = report.presentationContext(UID.StorageCommitmentPushModel, null);
            if (rpcid < 0) {
                throw new IOException(aet + " did not accept Storage Commitment with the archive as SCP");
            }
            int status = send(report, rpcid, eventType, info);
            LOG.info("{}: storage commitment report {} sent, status {}", report, transactionUID, Status.toString(status));
        } catch (IOException e) {
            LOG.warn("storage commitment report {} to {} ({}) not sent: {}", transactionUID, aet, remote, e.toString());
        }
    }

    private static int send(DimseAssociation as, int pcid, int eventType, Attributes info) throws IOException {
        Attributes rq = Commands.nRQ(Dimse.N_EVENT_REPORT_RQ, 0, UID.StorageCommitmentPushModel,
                UID.StorageCommitmentPushModelInstance, true);
        rq.setInt(Tag.EventTypeID, VR.US, eventType);
        return as.invoke(pcid, rq, DataWriter.of(info), null).await().status();
    }
}
