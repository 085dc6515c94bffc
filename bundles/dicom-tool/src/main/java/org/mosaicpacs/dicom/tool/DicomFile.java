package org.mosaicpacs.dicom.tool;

import java.nio.file.Files;
import java.nio.file.Path;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.io.DicomInputStream;

/** A file read whole: file meta information (or null), data set and transfer syntax. */
final class DicomFile {

    final Path path;
    final Attributes fileMetaInformation;
    final Attributes dataset;
    final String transferSyntax;

    private DicomFile(Path path, Attributes fmi, Attributes dataset, String transferSyntax) {
        this.path = path;
        this.fileMetaInformation = fmi;
        this.dataset = dataset;
        this.transferSyntax = transferSyntax;
    }

    /**
     * Reads a file.
     *
     * @param bulkDataThreshold values longer than this stay in the file as BulkData (-1: read all)
     * @throws ToolException with a one-line description of what is wrong
     */
    static DicomFile read(Path path, long bulkDataThreshold) throws ToolException {
        if (Files.isDirectory(path)) {
            throw new ToolException(path + ": is a directory", null);
        }
        try (DicomInputStream in = new DicomInputStream(path)) {
            if (bulkDataThreshold >= 0) {
                in.setBulkDataThreshold(bulkDataThreshold);
            }
            Attributes fmi = in.readFileMetaInformation();
            Attributes ds = in.readDataset();
            return new DicomFile(path, fmi, ds, in.getTransferSyntax());
        } catch (Exception | StackOverflowError e) {
            throw ToolException.of(path, e);
        }
    }
}
