package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.io.DicomParseException;

/**
 * The base of a C-STORE SCP. The data set is streamed, as it arrives, into a temporary {@code .part}
 * file in a spool directory, written as a Part 10 file: file meta information made from the
 * command's Affected SOP Class/Instance UID, the accepted transfer syntax and the calling AE title
 * (Source Application Entity Title), then the received bytes copied verbatim. The data set is never
 * held in memory. {@link #store} then gets the file; it returns a status or throws
 * {@link DicomServiceException}. The {@code .part} file is deleted afterwards unless {@code store}
 * moved it away.
 */
public abstract class CStoreSCP implements DicomService {

    private final Path spoolDirectory;
    private final String[] sopClasses;

    /**
     * @param spoolDirectory where {@code .part} files are written (created if missing)
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
        String cuid = command.getString(Tag.AffectedSOPClassUID);
        String iuid = command.getString(Tag.AffectedSOPInstanceUID);
        if (cuid == null || iuid == null) {
            throw new DicomServiceException(Status.CannotUnderstand, "C-STORE-RQ without Affected SOP Class/Instance UID");
        }
        String tsuid = as.transferSyntax(pcid);
        Files.createDirectories(spoolDirectory);
        Path part = Files.createTempFile(spoolDirectory, "store-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(part)) {
                Attributes fmi = DicomOutputStream.createFileMetaInformation(cuid, iuid, tsuid);
                fmi.setString(Tag.SourceApplicationEntityTitle, VR.AE, as.remoteAETitle());
                DicomOutputStream.writeFileMetaInformation(out, fmi);
                data.transferTo(out);
            }
            int status;
            try {
                status = store(as, pcid, command, part, tsuid);
            } catch (DicomServiceException e) {
                throw e;
            } catch (DicomParseException e) {
                throw new DicomServiceException(Status.CannotUnderstand, e);
            } catch (IOException e) {
                throw new DicomServiceException(Status.OutOfResources, e);
            }
            as.writeResponse(pcid, Commands.mkRSP(command, status), null);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /**
     * Stores one received instance.
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
    protected abstract int store(DimseAssociation as, int pcid, Attributes command, Path partFile,
            String transferSyntax) throws IOException;
}
