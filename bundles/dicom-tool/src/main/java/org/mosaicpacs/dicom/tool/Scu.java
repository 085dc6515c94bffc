package org.mosaicpacs.dicom.tool;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLException;

import org.mosaicpacs.dicom.net.AssociationAbortedException;
import org.mosaicpacs.dicom.net.AssociationRejectedException;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.DicomServiceRegistry;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;

/** Opening an association for a command, and one-line messages for network failures. */
final class Scu {

    private Scu() {
    }

    /** A builder for the A-ASSOCIATE-RQ to {@code -c} from {@code -b}, with {@code --max-pdu}. */
    static AssociateRQBuilder request(NetOptions net) throws UsageException {
        return new AssociateRQBuilder(net.called().aet(), net.callingAET()).maxPduLength(net.maxPdu());
    }

    /**
     * Requests the association.
     *
     * @param registry services for the requests of the peer (C-GET's C-STOREs), or null
     */
    static DimseAssociation connect(NetOptions net, AssociateRQBuilder rq, DicomServiceRegistry registry)
            throws Exception {
        NetOptions.Address peer = net.called();
        try {
            return DimseAssociation.connect(net.local(), net.remote(peer), rq.build(), registry, net.executor(),
                    net.scheduler());
        } catch (IOException e) {
            throw failure(peer, e);
        }
    }

    /** A network failure in one line: {@code AET@host:port: what}. */
    static ToolException failure(Object peer, Throwable e) {
        String what;
        if (e instanceof AssociationRejectedException r) {
            what = "association rejected: " + r.rejection().reasonText() + " (" + r.getMessage() + ")";
        } else if (e instanceof ConnectException) {
            what = "cannot connect: " + (e.getMessage() == null ? "connection refused" : e.getMessage());
        } else if (e instanceof UnknownHostException) {
            what = "unknown host " + e.getMessage();
        } else if (e instanceof SocketTimeoutException) {
            what = "timed out" + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } else if (e instanceof SSLException) {
            what = "TLS: " + e.getMessage();
        } else if (e instanceof AssociationAbortedException) {
            what = "association aborted" + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } else {
            what = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        return new ToolException(peer + ": " + ToolException.oneLine(what), e);
    }
}
