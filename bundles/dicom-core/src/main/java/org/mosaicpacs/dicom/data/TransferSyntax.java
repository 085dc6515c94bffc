package org.mosaicpacs.dicom.data;

import java.util.Objects;

/**
 * The encoding properties of a transfer syntax UID: VR explicit or implicit, byte order, deflate
 * compression and pixel data encapsulation. Unknown UIDs are taken as Explicit VR Little Endian with
 * encapsulated pixel data (the rule of every compressed transfer syntax).
 */
public final class TransferSyntax {

    /** Implicit VR Little Endian: the default transfer syntax. */
    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN = new TransferSyntax(UID.ImplicitVRLittleEndian);
    /** Explicit VR Little Endian. */
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN = new TransferSyntax(UID.ExplicitVRLittleEndian);
    /** Explicit VR Big Endian (retired). */
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN = new TransferSyntax(UID.ExplicitVRBigEndian);
    /** Deflated Explicit VR Little Endian. */
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax(UID.DeflatedExplicitVRLittleEndian);

    private final String uid;
    private final boolean explicitVR;
    private final boolean bigEndian;
    private final boolean deflated;
    private final boolean encapsulated;

    private TransferSyntax(String uid) {
        this.uid = uid;
        this.explicitVR = !uid.equals(UID.ImplicitVRLittleEndian) && !uid.equals("1.2.840.10008.1.20");
        this.bigEndian = uid.equals(UID.ExplicitVRBigEndian);
        this.deflated = uid.equals(UID.DeflatedExplicitVRLittleEndian) || uid.equals(UID.JPIPReferencedDeflate)
                || uid.equals(UID.JPIPHTJ2KReferencedDeflate);
        this.encapsulated = explicitVR && !bigEndian && !deflated && !uid.equals(UID.ExplicitVRLittleEndian)
                && !uid.equals(UID.JPIPReferenced) && !uid.equals(UID.JPIPHTJ2KReferenced);
    }

    /**
     * Returns the properties of a transfer syntax UID.
     *
     * @param uid the UID, trailing spaces and NULs ignored
     * @throws NullPointerException if uid is null
     */
    public static TransferSyntax of(String uid) {
        String u = Objects.requireNonNull(uid, "uid").trim().replace("\0", "");
        switch (u) {
            case UID.ImplicitVRLittleEndian:
                return IMPLICIT_VR_LITTLE_ENDIAN;
            case UID.ExplicitVRLittleEndian:
                return EXPLICIT_VR_LITTLE_ENDIAN;
            case UID.ExplicitVRBigEndian:
                return EXPLICIT_VR_BIG_ENDIAN;
            case UID.DeflatedExplicitVRLittleEndian:
                return DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN;
            default:
                return new TransferSyntax(u);
        }
    }

    /** Returns the UID. */
    public String uid() {
        return uid;
    }

    /** Returns whether data elements carry their VR. */
    public boolean isExplicitVR() {
        return explicitVR;
    }

    /** Returns whether binary values are big endian. */
    public boolean isBigEndian() {
        return bigEndian;
    }

    /** Returns whether the data set is deflate compressed (RFC 1951, no zlib header). */
    public boolean isDeflated() {
        return deflated;
    }

    /** Returns whether pixel data is encapsulated (fragments). */
    public boolean isEncapsulated() {
        return encapsulated;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransferSyntax && ((TransferSyntax) o).uid.equals(uid);
    }

    @Override
    public int hashCode() {
        return uid.hashCode();
    }

    @Override
    public String toString() {
        String name = UIDDictionary.nameOf(uid);
        return name == null ? uid : uid + " (" + name + ")";
    }
}
