package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.net.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of a C-MOVE and C-GET SCP. {@link #locate} turns the identifier into the instances to
 * send, each read from its {@link Source} only while it is sent (nothing is copied or held for the whole
 * request). An instance goes in its stored transfer syntax when the peer accepted it, else converted
 * to an accepted native syntax (Explicit VR LE first, then Implicit VR LE); a compressed instance the
 * peer accepted only uncompressed is decompressed by the {@link #decompression()} a subclass provides, when it
 * can decode that syntax, else it is a failed sub-operation, logged as a warning with the reason. C-MOVE: the
 * Move Destination AE title is resolved by the lookup callback into a {@link Connection} (unknown:
 * A801), a C-STORE SCU association is opened to it with our AE title as calling AE, and the instances are sent with Move Originator AE title and Message ID. C-GET: the
 * instances are sent as C-STORE requests on the same association, on the contexts the requestor
 * proposed with the SCP role. After each sub-operation a pending response carries the counts of
 * remaining, completed, failed and warning sub-operations (C-GET: sent with the next C-STORE-RQ, in one socket
 * write; C-MOVE: at once); a C-CANCEL-RQ stops before the next one
 * (final status FE00). The final status is Success, B000 (some failed or warned), A702 (all failed)
 * and the Failed SOP Instance UID List goes into the final identifier.
 */
public abstract class RetrieveSCP implements DicomService {

    private static final Logger LOG = LoggerFactory.getLogger(RetrieveSCP.class);

    /**
     * An instance to send, read from its source only while its C-STORE sub-operation is sent.
     *
     * @param sopClassUid SOP Class UID
     * @param sopInstanceUid SOP Instance UID
     * @param transferSyntaxUid the transfer syntax it is stored in, or {@code null} to read it from the file
     *     meta information when needed (C-MOVE proposes its presentation contexts from it)
     * @param source opens the stored Part 10 object (preamble optional, file meta information required);
     *     opened when the instance is sent, closed right after
     */
    public record Instance(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, Source source) {

        /** An instance stored in a Part 10 file. */
        public Instance(String sopClassUid, String sopInstanceUid, Path file) {
            this(sopClassUid, sopInstanceUid, null, () -> Files.newInputStream(file));
        }
    }

    /** Opens a stored object; each call gives a new stream, which the caller closes. */
    @FunctionalInterface
    public interface Source {
        /**
         * @return the object from its first byte
         * @throws IOException if it cannot be read
         */
        InputStream open() throws IOException;
    }

    private final String[] sopClasses;
    private final Function<String, Connection> destinations;

    /**
     * @param destinations resolves a Move Destination AE title to its connection, or to {@code null}
     *     when unknown; {@code null} for a C-GET-only SCP
     * @param sopClasses the MOVE and/or GET information models served
     */
    protected RetrieveSCP(Function<String, Connection> destinations, String... sopClasses) {
        this.destinations = destinations;
        this.sopClasses = sopClasses.clone();
    }

    @Override
    public String[] sopClasses() {
        return sopClasses.clone();
    }

    /**
     * @return the instances matching the identifier
     * @throws DicomServiceException to answer with a failure (A900, C000, A701...)
     */
    protected abstract List<Instance> locate(DimseAssociation as, int pcid, Attributes command, Attributes keys)
            throws DicomServiceException;

    /**
     * The codec for sending compressed instances to peers that accepted only uncompressed syntaxes; none by
     * default (such sub-operations fail).
     *
     * @return the decompression, or {@code null}
     */
    protected PixelDataDecompression decompression() {
        return null;
    }

    /**
     * Opens the C-STORE association of a C-MOVE; override to customise the contexts or the connection.
     *
     * @param as the C-MOVE association
     * @param destinationAET the move destination
     * @param remote its connection
     * @param instances the instances to send
     * @return the association
     * @throws IOException if it cannot be opened
     */
    protected DimseAssociation connect(DimseAssociation as, String destinationAET, Connection remote,
            List<Instance> instances) throws IOException {
        AssociateRQBuilder rq = new AssociateRQBuilder(destinationAET, as.localAETitle())
                .addStorageContextsFor(instances, decompression());
        return DimseAssociation.connect(as.connection(), remote, rq.build(), null, as.executor(), as.scheduler());
    }

    @Override
    public void onRequest(DimseAssociation as, int pcid, Dimse dimse, Attributes command, InputStream data)
            throws IOException {
        if (dimse != Dimse.C_MOVE_RQ && dimse != Dimse.C_GET_RQ) {
            throw new DicomServiceException(Status.UnrecognizedOperation, dimse + " is not C-MOVE or C-GET");
        }
        Attributes keys = CFindSCP.readIdentifier(as, pcid, data);
        boolean move = dimse == Dimse.C_MOVE_RQ;
        Connection remote = null;
        String dest = command.getString(Tag.MoveDestination);
        if (move) {
            remote = dest == null || destinations == null ? null : destinations.apply(dest);
            if (remote == null) {
                throw new DicomServiceException(Status.MoveDestinationUnknown, "unknown move destination " + dest);
            }
        }
        List<Instance> instances = locate(as, pcid, command, keys);
        int msgId = Commands.messageId(command);
        DimseAssociation storeAs = as;
        if (move && !instances.isEmpty()) {
            try {
                storeAs = connect(as, dest, remote, instances);
            } catch (IOException e) {
                throw new DicomServiceException(Status.UnableToPerformSubOperations,
                        "cannot connect to " + dest + ": " + e.getMessage());
            }
        }
        int completed = 0;
        int failed = 0;
        int warning = 0;
        List<String> failedUids = new ArrayList<>();
        boolean cancelled = false;
        try {
            for (int i = 0; i < instances.size(); i++) {
                if (as.isCancelRequested(msgId)) {
                    cancelled = true;
                    break;
                }
                Instance inst = instances.get(i);
                int status;
                try {
                    status = RetrieveSender.send(storeAs, inst, Commands.priority(command),
                            move ? as.remoteAETitle() : null, move ? msgId : 0, decompression()).await().status();
                } catch (NoPresentationContextException e) {
                    LOG.warn("{}: sub-operation C-STORE of {} failed: {}", as, inst.sopInstanceUid(), e.getMessage());
                    status = Status.UnableToPerformSubOperations;
                } catch (IOException e) {
                    LOG.warn("{}: sub-operation C-STORE of {} failed: {}", as, inst.sopInstanceUid(), e.toString());
                    status = Status.ProcessingFailure;
                    if (!storeAs.isOpen()) {
                        // the destination is gone; the remaining ones fail without trying
                        status = -1;
                    }
                }
                if (Status.isSuccess(status)) {
                    completed++;
                } else if (Status.isWarning(status)) {
                    warning++;
                } else {
                    failed++;
                    failedUids.add(inst.sopInstanceUid());
                }
                int remaining = instances.size() - i - 1;
                if (status == -1) {
                    for (int j = i + 1; j < instances.size(); j++) {
                        failed++;
                        failedUids.add(instances.get(j).sopInstanceUid());
                    }
                    break;
                }
                if (remaining > 0 && as.isOpen()) {
                    // C-GET: the pending response leaves with the next C-STORE-RQ on this association, in one
                    // write the peer reads once; C-MOVE sends its C-STOREs elsewhere, so its pending responses go now
                    as.writeResponse(pcid, counts(Commands.mkRSP(command, Status.Pending), remaining, completed,
                            failed, warning), null, storeAs != as);
                }
            }
        } finally {
            if (storeAs != as) {
                storeAs.close();
            }
        }
        int remaining = instances.size() - completed - failed - warning;
        int status = cancelled ? Status.Cancel
                : failed > 0 && completed == 0 && warning == 0 ? Status.UnableToPerformSubOperations
                : failed > 0 || warning > 0 ? Status.OneOrMoreFailures : Status.Success;
        Attributes rsp = counts(Commands.mkRSP(command, status), cancelled ? remaining : -1, completed, failed,
                warning);
        DataWriter identifier = null;
        if (!failedUids.isEmpty()) {
            Attributes ds = new Attributes();
            ds.setString(Tag.FailedSOPInstanceUIDList, VR.UI, failedUids.toArray(String[]::new));
            identifier = DataWriter.of(ds);
        }
        as.writeResponse(pcid, rsp, identifier);
    }

    private static Attributes counts(Attributes rsp, int remaining, int completed, int failed, int warning) {
        if (remaining >= 0) {
            rsp.setInt(Tag.NumberOfRemainingSuboperations, VR.US, remaining);
        }
        rsp.setInt(Tag.NumberOfCompletedSuboperations, VR.US, completed);
        rsp.setInt(Tag.NumberOfFailedSuboperations, VR.US, failed);
        rsp.setInt(Tag.NumberOfWarningSuboperations, VR.US, warning);
        return rsp;
    }
}
