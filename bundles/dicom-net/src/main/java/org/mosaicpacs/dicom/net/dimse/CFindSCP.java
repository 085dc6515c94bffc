package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomReadLimits;

/**
 * The base of a C-FIND SCP: reads the identifier, asks {@link #query} for the matches and sends each
 * as a pending (FF00) response, then Success (or the failure of {@link Matches#finalFailure()}); a
 * C-CANCEL-RQ stops it with Cancel (FE00). An iterator that is also {@link AutoCloseable} is closed at
 * the end. When the matches are {@link Matches#atHand() at hand}, their pending responses leave buffered (in as
 * few socket writes as the association's send buffer allows, the final response sending the rest): one write
 * for many, not one each; otherwise each leaves at once, so that the peer sees (and may cancel) a slow search
 * as it goes.
 */
public abstract class CFindSCP implements DicomService {

    private final String[] sopClasses;

    /** @param sopClasses the information models served (e.g. Study Root FIND) */
    protected CFindSCP(String... sopClasses) {
        this.sopClasses = sopClasses.clone();
    }

    @Override
    public String[] sopClasses() {
        return sopClasses.clone();
    }

    @Override
    public void onRequest(DimseAssociation as, int pcid, Dimse dimse, Attributes command, InputStream data)
            throws IOException {
        if (dimse != Dimse.C_FIND_RQ) {
            throw new DicomServiceException(Status.UnrecognizedOperation, dimse + " is not C-FIND");
        }
        Attributes keys = readIdentifier(as, pcid, data);
        int msgId = Commands.messageId(command);
        Iterator<Attributes> matches = query(as, pcid, command, keys);
        boolean flushEach = !(matches instanceof Matches m && m.atHand());
        try {
            while (matches.hasNext()) {
                if (as.isCancelRequested(msgId)) {
                    as.writeResponse(pcid, Commands.mkRSP(command, Status.Cancel), null);
                    return;
                }
                Attributes match = matches.next();
                as.writeResponse(pcid, Commands.mkRSP(command, Status.Pending), DataWriter.of(match), flushEach);
            }
            if (as.isCancelRequested(msgId)) {
                as.writeResponse(pcid, Commands.mkRSP(command, Status.Cancel), null);
                return;
            }
            if (matches instanceof Matches m && m.finalFailure() != null) {
                // the final response carries the failure status and its Error Comment
                throw m.finalFailure();
            }
            as.writeResponse(pcid, Commands.mkRSP(command, Status.Success), null);
        } finally {
            if (matches instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
    }

    /**
     * Matches that may end with a failure instead of Success, e.g. A700 when a result limit cut them:
     * every match is sent as pending first, then the final response has the failure's status and Error
     * Comment.
     */
    public interface Matches extends Iterator<Attributes> {
        /** @return the failure to end with once every match is sent, or {@code null} for Success */
        DicomServiceException finalFailure();

        /**
         * @return whether every match is at hand (e.g. read into a list before the first response), so that
         *     {@link #next()} never waits: then the pending responses leave buffered, in a few socket writes for
         *     all of them. False by default: each leaves at once.
         */
        default boolean atHand() {
            return false;
        }
    }

    /**
     * @param as the association
     * @param pcid the presentation context of the request
     * @return whether relational queries were negotiated for its information model (SOP Class Extended
     *     Negotiation byte 1, PS3.4 C.5.1.1)
     */
    public static boolean isRelational(DimseAssociation as, int pcid) {
        byte[] options = as.extendedNegotiation(as.abstractSyntax(pcid));
        return options.length > 0 && options[0] == 1;
    }

    /**
     * @return whether combined date-time matching was negotiated (byte 2)
     */
    public static boolean isCombinedDateTime(DimseAssociation as, int pcid) {
        byte[] options = as.extendedNegotiation(as.abstractSyntax(pcid));
        return options.length > 1 && options[1] == 1;
    }

    /**
     * Reads a request identifier.
     *
     * @throws DicomServiceException A900 if missing or malformed
     */
    static Attributes readIdentifier(DimseAssociation as, int pcid, InputStream data) throws DicomServiceException {
        if (data == null) {
            throw new DicomServiceException(Status.IdentifierDoesNotMatchSOPClass, "no identifier");
        }
        try {
            DicomInputStream in = new DicomInputStream(data, as.transferSyntax(pcid));
            in.setLimits(DicomReadLimits.DEFAULT);
            return in.readDataset();
        } catch (IOException e) {
            throw new DicomServiceException(Status.IdentifierDoesNotMatchSOPClass, e);
        }
    }

    /**
     * @param as the association
     * @param pcid the presentation context
     * @param command the C-FIND-RQ
     * @param keys the identifier
     * @return the matches, each the identifier of one pending response
     * @throws DicomServiceException to answer with a failure (e.g. A900, C000)
     */
    protected abstract Iterator<Attributes> query(DimseAssociation as, int pcid, Attributes command, Attributes keys)
            throws DicomServiceException;
}
