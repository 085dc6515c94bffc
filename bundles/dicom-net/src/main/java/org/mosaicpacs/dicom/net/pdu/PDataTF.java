package org.mosaicpacs.dicom.net.pdu;

import java.util.List;

/**
 * P-DATA-TF PDU (PS3.8 section 9.3.5): one or more presentation data values.
 *
 * @param values the presentation data values, at least one
 */
public record PDataTF(List<PresentationDataValue> values) implements Pdu {

    /** Makes the list immutable and checks it is not empty. */
    public PDataTF {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a P-DATA-TF needs at least one PDV");
        }
    }

    /**
     * @param values the values
     * @return a P-DATA-TF with the values
     */
    public static PDataTF of(PresentationDataValue... values) {
        return new PDataTF(List.of(values));
    }

    /** @return the length of the variable field, i.e. the PDU length without its 6-byte header */
    public long length() {
        long n = 0;
        for (PresentationDataValue v : values) {
            n += PresentationDataValue.OVERHEAD + v.data().length;
        }
        return n;
    }

    @Override
    public int type() {
        return P_DATA_TF;
    }
}
