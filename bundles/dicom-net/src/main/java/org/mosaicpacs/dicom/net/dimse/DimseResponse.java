package org.mosaicpacs.dicom.net.dimse;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;

/**
 * A received DIMSE response: the command set and the data set (identifier), if any.
 *
 * @param command the response command set
 * @param dataset the data set, or {@code null}
 */
public record DimseResponse(Attributes command, Attributes dataset) {

    /** @return the status (0000,0900) */
    public int status() {
        return Commands.status(command);
    }

    /** @return the error comment (0000,0902), or {@code null} */
    public String errorComment() {
        return command.getString(Tag.ErrorComment);
    }

    /** @return Number of Remaining/Completed/Failed/Warning Sub-operations as an array of 4, -1 if absent */
    public int[] subOperations() {
        return new int[] {
            command.getInt(Tag.NumberOfRemainingSuboperations, -1),
            command.getInt(Tag.NumberOfCompletedSuboperations, -1),
            command.getInt(Tag.NumberOfFailedSuboperations, -1),
            command.getInt(Tag.NumberOfWarningSuboperations, -1)
        };
    }

    @Override
    public String toString() {
        return Commands.toString(command);
    }
}
