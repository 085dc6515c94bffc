package org.mosaicpacs.dicom.net.pdu;

import java.util.Arrays;

/**
 * Presentation Data Value item of a P-DATA-TF PDU (PS3.8 section 9.3.5.1 and Annex E.2): one fragment
 * of a command set or data set.
 *
 * @param presentationContextId the presentation context ID
 * @param command {@code true} for a command fragment, {@code false} for a data set fragment
 * @param last whether this is the last fragment of the command or data set
 * @param data the fragment bytes
 */
public record PresentationDataValue(int presentationContextId, boolean command, boolean last, byte[] data) {

    /** The bytes a PDV adds around its data: item length (4), context ID (1), control header (1). */
    public static final int OVERHEAD = 6;

    /** Validates the context ID. The data array is kept, not copied: PDVs are transient carriers. */
    public PresentationDataValue {
        PduChecks.checkPresentationContextId(presentationContextId);
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
    }

    /** @return the message control header byte (bit 0 command, bit 1 last) */
    public int messageControlHeader() {
        return (command ? 1 : 0) | (last ? 2 : 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PresentationDataValue other && presentationContextId == other.presentationContextId
                && command == other.command && last == other.last && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return (presentationContextId * 4 + messageControlHeader()) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PDV[pc=" + presentationContextId + (command ? ", command" : ", data") + (last ? ", last" : "")
                + ", " + data.length + " bytes]";
    }
}
