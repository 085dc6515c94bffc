package org.mosaicpacs.dicom.net.dimse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.io.DicomParseException;

/**
 * The base of a C-STORE SCP. The received instance is offered as a Part 10 stream: file meta
 * information made from the command's Affected SOP Class/Instance UID, the accepted transfer syntax and
 * the calling AE title (Source Application Entity Title), then the data set bytes verbatim as they
 * arrive. The data set is never held in memory.
 *
 * <p>Two ways to take it, override one:
 * <ul>
 * <li>{@link #store(DimseAssociation, int, Attributes, InputStream, String)} gets the stream while the
 *     data set arrives (the bytes can be written where they belong at once);</li>
 * <li>{@link #store(DimseAssociation, int, Attributes, Path, String)} gets it as a complete temporary
 *     {@code .part} file in the spool directory (the default of the stream variant writes it), deleted
 *     afterwards unless {@code store} moved it away.</li>
 * </ul>
 * Either returns a status or throws {@link DicomServiceException}. Whatever it did, the rest of the data
 * set is read and discarded before the response is sent (a service may answer a failure after reading
 * only the header), so the association stays usable for the next request.
 */
public abstract class CStoreSCP implements DicomService {

    private final Path spoolDirectory;
    private final String[] sopClasses;

    /**
     * @param spoolDirectory where {@code .part} files are written (created if missing); may be null when
     *     the stream variant of {@code store} is overridden and never spools
     * @param sopClasses the storage SOP classes served; none means {@code "*"} (any)
     */
    protected CStoreSCP(Path spoolDirectory, String... sopClasses) {
        this.spoolDirectory = spoolDirectory;
        this.sopClasses = sopClasses.length == 0 ? new String[] {DicomServiceRegistry.ANY} : sopClasses.clone();
    }

    @Override
    public String[] sopClasses() {
        return sopClasses.clone();
    }

    @Override
    public void onRequest(DimseAssociation as, int pcid, Dimse dimse, Attributes command, InputStream data)
            throws IOException {
        if (dimse != Dimse.C_STORE_RQ) {
            throw new DicomServiceException(Status.UnrecognizedOperation, dimse + " is not C-STORE");
        }
        if (data == null) {
            throw new DicomServiceException(Status.CannotUnderstand, "C-STORE-RQ without a data set");
        }
        int status;
        try {
            String cuid = command.getString(Tag.AffectedSOPClassUID);
            String iuid = command.getString(Tag.AffectedSOPInstanceUID);
            if (cuid == null || iuid == null) {
                throw new DicomServiceException(Status.CannotUnderstand,
                        "C-STORE-RQ without Affected SOP Class/Instance UID");
            }
            String tsuid = as.transferSyntax(pcid);
            Attributes fmi = DicomOutputStream.createFileMetaInformation(cuid, iuid, tsuid);
            fmi.setString(Tag.SourceApplicationEntityTitle, VR.AE, as.remoteAETitle());
            ByteArrayOutputStream meta = new ByteArrayOutputStream(256);
            DicomOutputStream.writeFileMetaInformation(meta, fmi);
            InputStream part10 = new SequenceInputStream(new ByteArrayInputStream(meta.toByteArray()),
                    new Unclosable(data));
            try {
                status = store(as, pcid, command, part10, tsuid);
            } catch (DicomServiceException e) {
                throw e;
            } catch (DicomParseException e) {
                throw new DicomServiceException(Status.CannotUnderstand, e);
            } catch (IOException e) {
                if (!as.isOpen()) {
                    throw e;
                }
                throw new DicomServiceException(Status.OutOfResources, e);
            }
        } finally {
            // Read what the service left, so that the response follows the whole request and the peer
            // can go on with the next one. Fails only when the association is gone.
            data.transferTo(OutputStream.nullOutputStream());
        }
        as.writeResponse(pcid, Commands.mkRSP(command, status), null);
    }

    /**
     * Stores one received instance while it arrives. The default spools it into a {@code .part} file in
     * the spool directory and calls {@link #store(DimseAssociation, int, Attributes, Path, String)}.
     *
     * @param as the association
     * @param pcid the presentation context
     * @param command the C-STORE-RQ
     * @param part10 the instance as a Part 10 stream (preamble, file meta information, data set); it may be
     *     left unread, the rest is discarded; do not close it
     * @param transferSyntax the transfer syntax of the data set
     * @return the status of the response: {@link Status#Success} or a warning
     * @throws DicomServiceException to answer with a failure status; a {@link DicomParseException}
     *     gives C000 (cannot understand), another {@link IOException} A700 (out of resources), a runtime
     *     exception 0110 (processing failure)
     * @throws IOException see above
     * @since 0.2.0
     */
    protected int store(DimseAssociation as, int pcid, Attributes command, InputStream part10, String transferSyntax)
            throws IOException {
        if (spoolDirectory == null) {
            throw new IllegalStateException("no spool directory: override store(..., InputStream, ...)");
        }
        Files.createDirectories(spoolDirectory);
        Path part = Files.createTempFile(spoolDirectory, "store-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(part)) {
                part10.transferTo(out);
            }
            return store(as, pcid, command, part, transferSyntax);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /**
     * Stores one received instance from a complete spool file (see the class comment). The default
     * refuses (0110): override it, or the stream variant.
     *
     * @param as the association
     * @param pcid the presentation context
     * @param command the C-STORE-RQ
     * @param partFile the received instance as a Part 10 file; move it away to keep it
     * @param transferSyntax the transfer syntax of the data set in the file
     * @return the status of the response: {@link Status#Success} or a warning
     * @throws DicomServiceException to answer with a failure status; a {@link DicomParseException}
     *     gives C000 (cannot understand), another {@link IOException} A700 (out of resources), a runtime
     *     exception 0110 (processing failure)
     * @throws IOException see above
     */
    protected int store(DimseAssociation as, int pcid, Attributes command, Path partFile, String transferSyntax)
            throws IOException {
        throw new DicomServiceException(Status.ProcessingFailure, "C-STORE SCP without storage");
    }

    /** The data set stream, which the service may not close (the SCP drains it afterwards). */
    private static final class Unclosable extends java.io.FilterInputStream {
        Unclosable(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // drained and closed by onRequest and the registry
        }
    }
}
