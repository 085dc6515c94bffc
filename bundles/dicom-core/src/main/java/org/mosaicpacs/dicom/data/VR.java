package org.mosaicpacs.dicom.data;

import org.mosaicpacs.dicom.charset.SpecificCharacterSet;

/**
 * DICOM Value Representations (PS3.5 section 6.2). Each constant carries its behaviour: the two-letter
 * code, the explicit VR header length, the padding byte, the kind of value (string, binary, sequence)
 * and the codec that converts between the encoded bytes and Java values.
 */
public enum VR {
    /** Application Entity. */
    AE(8, ' ', ValueCodec.ASCII, VR.MULTI),
    /** Age String. */
    AS(8, ' ', ValueCodec.ASCII, VR.MULTI),
    /** Attribute Tag. */
    AT(8, 0, ValueCodec.TAG, 0),
    /** Code String. */
    CS(8, ' ', ValueCodec.ASCII, VR.MULTI),
    /** Date. */
    DA(8, ' ', ValueCodec.ASCII, VR.MULTI),
    /** Decimal String. */
    DS(8, ' ', ValueCodec.ASCII, VR.MULTI),
    /** Date Time. */
    DT(8, ' ', ValueCodec.ASCII, VR.MULTI),
    /** Floating Point Double. */
    FD(8, 0, ValueCodec.FLOAT64, 0),
    /** Floating Point Single. */
    FL(8, 0, ValueCodec.FLOAT32, 0),
    /** Integer String. */
    IS(8, ' ', ValueCodec.ASCII, VR.MULTI),
    /** Long String. */
    LO(8, ' ', ValueCodec.TEXT, VR.MULTI),
    /** Long Text. */
    LT(8, ' ', ValueCodec.TEXT, 0),
    /** Other Byte. */
    OB(12, 0, ValueCodec.BYTES, VR.BULK),
    /** Other Double. */
    OD(12, 0, ValueCodec.FLOAT64, VR.BULK),
    /** Other Float. */
    OF(12, 0, ValueCodec.FLOAT32, VR.BULK),
    /** Other Long. */
    OL(12, 0, ValueCodec.UINT32, VR.BULK),
    /** Other 64-bit Very Long. */
    OV(12, 0, ValueCodec.UINT64, VR.BULK),
    /** Other Word. */
    OW(12, 0, ValueCodec.UINT16, VR.BULK),
    /** Person Name. */
    PN(8, ' ', ValueCodec.TEXT, VR.MULTI),
    /** Short String. */
    SH(8, ' ', ValueCodec.TEXT, VR.MULTI),
    /** Signed Long. */
    SL(8, 0, ValueCodec.INT32, 0),
    /** Sequence of Items. */
    SQ(12, 0, ValueCodec.NONE, 0),
    /** Signed Short. */
    SS(8, 0, ValueCodec.INT16, 0),
    /** Short Text. */
    ST(8, ' ', ValueCodec.TEXT, 0),
    /** Signed 64-bit Very Long. */
    SV(12, 0, ValueCodec.INT64, 0),
    /** Time. */
    TM(8, ' ', ValueCodec.ASCII, VR.MULTI),
    /** Unlimited Characters. */
    UC(12, ' ', ValueCodec.TEXT, VR.MULTI),
    /** Unique Identifier (UID). */
    UI(8, 0, ValueCodec.ASCII, VR.MULTI),
    /** Unsigned Long. */
    UL(8, 0, ValueCodec.UINT32, 0),
    /** Unknown. */
    UN(12, 0, ValueCodec.BYTES, VR.BULK),
    /** Universal Resource Identifier or Locator. */
    UR(12, ' ', ValueCodec.ASCII, 0),
    /** Unsigned Short. */
    US(8, 0, ValueCodec.UINT16, 0),
    /** Unlimited Text. */
    UT(12, ' ', ValueCodec.TEXT, 0),
    /** Unsigned 64-bit Very Long. */
    UV(12, 0, ValueCodec.UINT64, 0);

    private static final int MULTI = 1;
    private static final int BULK = 2;
    private static final VR[] BY_CODE = new VR[0x10000];

    static {
        for (VR vr : values()) {
            BY_CODE[vr.code] = vr;
        }
    }

    private final int code;
    private final int headerLength;
    private final byte padding;
    private final ValueCodec codec;
    private final boolean multiValued;
    private final boolean bulk;

    VR(int headerLength, int padding, ValueCodec codec, int flags) {
        this.code = name().charAt(0) << 8 | name().charAt(1);
        this.headerLength = headerLength;
        this.padding = (byte) padding;
        this.codec = codec;
        this.multiValued = (flags & MULTI) != 0;
        this.bulk = (flags & BULK) != 0;
    }

    /** Returns the VR for its 16-bit code (first character in the upper byte), or null if unknown. */
    public static VR fromCode(int code) {
        return BY_CODE[code & 0xFFFF];
    }

    /** Returns the VR for a two-letter code, or null if unknown. */
    public static VR fromCode(String code) {
        return code == null || code.length() != 2 ? null : fromCode(code.charAt(0) << 8 | code.charAt(1));
    }

    /** Returns the 16-bit code: the two ASCII letters, first in the upper byte. */
    public int code() {
        return code;
    }

    /** Returns the length of an explicit VR element header: 8 or 12 bytes (with a 32-bit length). */
    public int headerLength() {
        return headerLength;
    }

    /** Returns whether the explicit VR header has two reserved bytes and a 32-bit length. */
    public boolean hasLongLength() {
        return headerLength == 12;
    }

    /** Returns the byte that pads a value to even length (space for text, NUL for UI and binary). */
    public byte paddingByte() {
        return padding;
    }

    /** Returns whether values are character strings. */
    public boolean isString() {
        return codec.isString();
    }

    /** Returns whether values are binary (numbers, tags or opaque bytes). */
    public boolean isBinary() {
        return !codec.isString() && this != SQ;
    }

    /** Returns whether this is SQ. */
    public boolean isSequence() {
        return this == SQ;
    }

    /** Returns whether a value may hold several values separated by backslash. */
    public boolean isMultiValued() {
        return multiValued;
    }

    /** Returns whether values are long opaque binary data (OB, OD, OF, OL, OV, OW, UN): bulk data candidates. */
    public boolean isBulkCandidate() {
        return bulk;
    }

    /** Returns whether text values are decoded with the Specific Character Set (SH, LO, ST, LT, UC, UT, PN). */
    public boolean usesSpecificCharacterSet() {
        return codec == ValueCodec.TEXT;
    }

    /** Returns the size of one binary value unit whose bytes swap with the byte order (1 when none swap). */
    public int swapUnit() {
        return codec.swapUnit();
    }

    /** Returns the characters after which an ISO 2022 code extension state resets, for this VR. */
    public String delimiters() {
        return this == PN ? "\\^=" : multiValued ? "\\" : "\r\n\t\f";
    }

    /** Decodes all values as strings (numbers formatted in decimal); empty array if none, null for OB/UN/SQ. */
    public String[] toStrings(byte[] value, boolean bigEndian, SpecificCharacterSet cs) {
        return codec.toStrings(this, value, bigEndian, cs);
    }

    /** Encodes strings (numbers parsed for binary VRs) into the value bytes, unpadded. */
    public byte[] toBytes(String[] values, boolean bigEndian, SpecificCharacterSet cs) {
        return codec.fromStrings(this, values, bigEndian, cs);
    }

    /** Decodes all values as integers (strings parsed; floating point truncated). */
    public long[] toLongs(byte[] value, boolean bigEndian) {
        return codec.toLongs(this, value, bigEndian);
    }

    /** Decodes all values as floating point numbers. */
    public double[] toDoubles(byte[] value, boolean bigEndian) {
        return codec.toDoubles(this, value, bigEndian);
    }

    /** Encodes integers into the value bytes (decimal strings for IS/DS). */
    public byte[] toBytes(long[] values, boolean bigEndian) {
        return codec.fromLongs(this, values, bigEndian);
    }

    /** Encodes floating point numbers into the value bytes (decimal strings for DS/IS). */
    public byte[] toBytes(double[] values, boolean bigEndian) {
        return codec.fromDoubles(this, values, bigEndian);
    }

    /** Reverses the byte order of every value unit of {@code b} in place. */
    public void swapBytes(byte[] b, int off, int len) {
        ValueCodec.swap(b, off, len, swapUnit());
    }
}
