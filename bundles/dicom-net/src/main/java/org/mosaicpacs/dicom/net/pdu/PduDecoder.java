package org.mosaicpacs.dicom.net.pdu;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes PDUs from their PS3.8 binary form with strict limits. A PDU longer than the configured
 * limits is refused before its body is read; a malformed body raises a {@link PduException} with
 * the A-ABORT reason to answer with. Instances are immutable and thread safe.
 *
 * <p>Lenient where PS3.8 asks receivers to be lenient: reserved fields are not tested, trailing
 * spaces and NULs of UIDs are stripped and unknown User Information sub-items are skipped.
 */
public final class PduDecoder {

    /** Default limit of the variable field of a P-DATA-TF PDU: 16 MiB. */
    public static final long DEFAULT_MAX_PDATA_LENGTH = 16L * 1024 * 1024;
    /** Default limit of an A-ASSOCIATE-RQ/AC variable field: 64 KiB. */
    public static final int DEFAULT_MAX_ASSOCIATE_LENGTH = 64 * 1024;

    /** PDUs up to this length are read into an array allocated at once; longer ones as their bytes arrive. */
    private static final int DIRECT_READ_LENGTH = 1 << 20;

    private final long maxPDataLength;
    private final int maxAssociateLength;

    /** A decoder with the default limits. */
    public PduDecoder() {
        this(DEFAULT_MAX_PDATA_LENGTH, DEFAULT_MAX_ASSOCIATE_LENGTH);
    }

    /**
     * @param maxPDataLength the largest accepted P-DATA-TF length (without the 6-byte header)
     * @param maxAssociateLength the largest accepted A-ASSOCIATE-RQ/AC length (without the header)
     */
    public PduDecoder(long maxPDataLength, int maxAssociateLength) {
        if (maxPDataLength < 8 || maxPDataLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("max P-DATA length out of range: " + maxPDataLength);
        }
        if (maxAssociateLength < 68) {
            throw new IllegalArgumentException("max A-ASSOCIATE length too small: " + maxAssociateLength);
        }
        this.maxPDataLength = maxPDataLength;
        this.maxAssociateLength = maxAssociateLength;
    }

    /** @return the largest accepted P-DATA-TF length, without the 6-byte header */
    public long maxPDataLength() {
        return maxPDataLength;
    }

    /**
     * Reads one PDU.
     *
     * @param in the stream
     * @return the PDU, or {@code null} if the stream ended cleanly before the first byte
     * @throws PduException if the PDU is unrecognized, too long or malformed
     * @throws EOFException if the stream ends inside a PDU
     * @throws IOException if reading fails
     */
    public Pdu read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        byte[] header = in.readNBytes(5);
        if (header.length < 5) {
            throw new EOFException("stream ended inside a PDU header");
        }
        long length = ((header[1] & 0xFFL) << 24) | ((header[2] & 0xFF) << 16) | ((header[3] & 0xFF) << 8)
                | (header[4] & 0xFF);
        checkLength(type, length);
        byte[] body;
        int n;
        if (length <= DIRECT_READ_LENGTH) {
            // straight into an array of the PDU's length (one copy; readNBytes(int) gathers chunks, then copies them)
            body = new byte[(int) length];
            n = in.readNBytes(body, 0, body.length);
        } else {
            // a longer announced length is only believed as its bytes arrive
            body = in.readNBytes((int) length);
            n = body.length;
        }
        if (n < length) {
            throw new EOFException("stream ended inside a PDU: " + n + " of " + length + " bytes");
        }
        return decodeBody(type, ByteBuffer.wrap(body));
    }

    /**
     * Decodes one complete PDU.
     *
     * @param pdu the PDU bytes, header included, nothing after it
     * @return the PDU
     * @throws PduException if the bytes are not exactly one valid PDU
     */
    public Pdu decode(byte[] pdu) throws PduException {
        if (pdu.length < Pdu.HEADER_LENGTH) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "PDU shorter than its header");
        }
        ByteBuffer bb = ByteBuffer.wrap(pdu);
        int type = bb.get() & 0xFF;
        bb.get();
        long length = bb.getInt() & 0xFFFFFFFFL;
        checkLength(type, length);
        if (length != bb.remaining()) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "PDU length " + length + " does not match " + bb.remaining() + " bytes");
        }
        return decodeBody(type, bb.slice());
    }

    private void checkLength(int type, long length) throws PduException {
        long max = switch (type) {
            case Pdu.A_ASSOCIATE_RQ, Pdu.A_ASSOCIATE_AC -> maxAssociateLength;
            case Pdu.P_DATA_TF -> maxPDataLength;
            case Pdu.A_ASSOCIATE_RJ, Pdu.A_RELEASE_RQ, Pdu.A_RELEASE_RP, Pdu.A_ABORT -> 4;
            default -> throw new PduException(AAbort.UNRECOGNIZED_PDU,
                    String.format("unrecognized PDU type 0x%02X", type));
        };
        long min = switch (type) {
            case Pdu.A_ASSOCIATE_RQ, Pdu.A_ASSOCIATE_AC -> 68;
            case Pdu.P_DATA_TF -> 6;
            default -> 4;
        };
        if (length > max || length < min) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    String.format("PDU type 0x%02X with length %d outside %d..%d", type, length, min, max));
        }
    }

    private static Pdu decodeBody(int type, ByteBuffer bb) throws PduException {
        try {
            return switch (type) {
                case Pdu.A_ASSOCIATE_RQ, Pdu.A_ASSOCIATE_AC -> decodeAssociate(type == Pdu.A_ASSOCIATE_RQ, bb);
                case Pdu.A_ASSOCIATE_RJ -> {
                    bb.get();
                    int result = bb.get() & 0xFF;
                    int source = bb.get() & 0xFF;
                    int reason = bb.get() & 0xFF;
                    yield new AAssociateRJ(result, source, reason);
                }
                case Pdu.P_DATA_TF -> decodePData(bb);
                case Pdu.A_RELEASE_RQ -> AReleaseRQ.INSTANCE;
                case Pdu.A_RELEASE_RP -> AReleaseRP.INSTANCE;
                case Pdu.A_ABORT -> {
                    bb.getShort();
                    int source = bb.get() & 0xFF;
                    int reason = bb.get() & 0xFF;
                    yield new AAbort(source, reason);
                }
                default -> throw new PduException(AAbort.UNRECOGNIZED_PDU,
                        String.format("unrecognized PDU type 0x%02X", type));
            };
        } catch (BufferUnderflowException e) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "item runs past the end of its PDU");
        } catch (IllegalArgumentException e) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, e.getMessage());
        }
    }

    private static PDataTF decodePData(ByteBuffer bb) throws PduException {
        List<PresentationDataValue> values = new ArrayList<>();
        while (bb.hasRemaining()) {
            if (bb.remaining() < PresentationDataValue.OVERHEAD) {
                throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "truncated PDV item");
            }
            long itemLength = bb.getInt() & 0xFFFFFFFFL;
            if (itemLength < 2 || itemLength > bb.remaining()) {
                throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "PDV item length " + itemLength
                        + " outside 2.." + bb.remaining());
            }
            int pcid = bb.get() & 0xFF;
            int mch = bb.get() & 0xFF;
            if ((pcid & 1) == 0) {
                throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "even presentation context ID " + pcid);
            }
            if ((mch & 0xFC) != 0) {
                throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                        String.format("message control header 0x%02X has reserved bits set", mch));
            }
            byte[] data = new byte[(int) itemLength - 2];
            bb.get(data);
            values.add(new PresentationDataValue(pcid, (mch & 1) != 0, (mch & 2) != 0, data));
        }
        return new PDataTF(values);
    }

    private static Pdu decodeAssociate(boolean rq, ByteBuffer bb) throws PduException {
        int version = bb.getShort() & 0xFFFF;
        bb.getShort();
        String called = aeTitle(bb, rq);
        String calling = aeTitle(bb, rq);
        bb.position(bb.position() + 32);
        String applicationContext = null;
        List<PresentationContextRQ> rqContexts = new ArrayList<>();
        List<PresentationContextAC> acContexts = new ArrayList<>();
        UserInformation userInformation = null;
        while (bb.hasRemaining()) {
            int itemType = bb.get() & 0xFF;
            ByteBuffer item = item(bb);
            switch (itemType) {
                case 0x10 -> {
                    if (applicationContext != null) {
                        throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, "second application context item");
                    }
                    applicationContext = uid(item, item.remaining());
                }
                case 0x20, 0x21 -> {
                    if ((itemType == 0x20) != rq) {
                        throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, String.format(
                                "presentation context item 0x%02X in A-ASSOCIATE-%s", itemType, rq ? "RQ" : "AC"));
                    }
                    if (rq) {
                        rqContexts.add(presentationContextRQ(item));
                    } else {
                        acContexts.add(presentationContextAC(item));
                    }
                }
                case 0x50 -> {
                    if (userInformation != null) {
                        throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, "second user information item");
                    }
                    userInformation = userInformation(item, rq);
                }
                default -> throw new PduException(AAbort.UNRECOGNIZED_PDU_PARAMETER,
                        String.format("unrecognized item type 0x%02X", itemType));
            }
        }
        if (applicationContext == null) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "missing application context item");
        }
        if (userInformation == null) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "missing user information item");
        }
        return rq
                ? new AAssociateRQ(version, called, calling, applicationContext, rqContexts, userInformation)
                : new AAssociateAC(version, called, calling, applicationContext, acContexts, userInformation);
    }

    /** Reads the reserved byte and 16-bit length of an item and returns its value as a slice. */
    private static ByteBuffer item(ByteBuffer bb) throws PduException {
        bb.get();
        int length = bb.getShort() & 0xFFFF;
        if (length > bb.remaining()) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "item length " + length + " exceeds the " + bb.remaining() + " bytes left");
        }
        ByteBuffer value = bb.slice();
        value.limit(length);
        bb.position(bb.position() + length);
        return value;
    }

    private static PresentationContextRQ presentationContextRQ(ByteBuffer item) throws PduException {
        int id = item.get() & 0xFF;
        item.get();
        item.get();
        item.get();
        String abstractSyntax = null;
        List<String> transferSyntaxes = new ArrayList<>();
        while (item.hasRemaining()) {
            int type = item.get() & 0xFF;
            ByteBuffer sub = item(item);
            if (type == 0x30) {
                if (abstractSyntax != null) {
                    throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, "second abstract syntax in context " + id);
                }
                abstractSyntax = uid(sub, sub.remaining());
            } else if (type == 0x40) {
                transferSyntaxes.add(uid(sub, sub.remaining()));
            } else {
                throw new PduException(AAbort.UNRECOGNIZED_PDU_PARAMETER,
                        String.format("unrecognized sub-item 0x%02X in presentation context %d", type, id));
            }
        }
        if (abstractSyntax == null || transferSyntaxes.isEmpty()) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "presentation context " + id + " needs an abstract syntax and a transfer syntax");
        }
        return new PresentationContextRQ(id, abstractSyntax, transferSyntaxes);
    }

    private static PresentationContextAC presentationContextAC(ByteBuffer item) throws PduException {
        int id = item.get() & 0xFF;
        item.get();
        int result = item.get() & 0xFF;
        item.get();
        String transferSyntax = "";
        while (item.hasRemaining()) {
            int type = item.get() & 0xFF;
            ByteBuffer sub = item(item);
            if (type != 0x40) {
                throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER,
                        String.format("sub-item 0x%02X in accepted presentation context %d", type, id));
            }
            transferSyntax = uid(sub, sub.remaining());
        }
        if (result == PresentationContextAC.ACCEPTANCE && transferSyntax.isEmpty()) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "accepted presentation context " + id + " without transfer syntax");
        }
        return new PresentationContextAC(id, result, transferSyntax);
    }

    private static UserInformation userInformation(ByteBuffer item, boolean rq) throws PduException {
        UserInformation.Builder b = UserInformation.builder();
        boolean maxLength = false;
        while (item.hasRemaining()) {
            int type = item.get() & 0xFF;
            ByteBuffer sub = item(item);
            switch (type) {
                case 0x51 -> {
                    expectLength(sub, 4, "maximum length");
                    b.maxLength(sub.getInt() & 0xFFFFFFFFL);
                    maxLength = true;
                }
                case 0x52 -> b.implementationClassUid(uid(sub, sub.remaining()));
                case 0x53 -> {
                    expectLength(sub, 4, "asynchronous operations window");
                    b.asyncOperationsWindow(new AsyncOperationsWindow(sub.getShort() & 0xFFFF,
                            sub.getShort() & 0xFFFF));
                }
                case 0x54 -> {
                    String uid = uid(sub, sub.getShort() & 0xFFFF);
                    int scu = sub.get() & 0xFF;
                    int scp = sub.get() & 0xFF;
                    if (scu > 1 || scp > 1 || sub.hasRemaining()) {
                        throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "invalid role selection for " + uid);
                    }
                    b.addRoleSelection(new RoleSelection(uid, scu == 1, scp == 1));
                }
                case 0x55 -> b.implementationVersionName(string(sub, sub.remaining()).strip());
                case 0x56 -> {
                    String uid = uid(sub, sub.getShort() & 0xFFFF);
                    byte[] info = new byte[sub.remaining()];
                    sub.get(info);
                    b.addExtendedNegotiation(new ExtendedNegotiation(uid, info));
                }
                case 0x57 -> {
                    String sopClass = uid(sub, sub.getShort() & 0xFFFF);
                    String serviceClass = uid(sub, sub.getShort() & 0xFFFF);
                    int relatedLength = sub.getShort() & 0xFFFF;
                    if (relatedLength != sub.remaining()) {
                        throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                                "related general SOP class length mismatch for " + sopClass);
                    }
                    List<String> related = new ArrayList<>();
                    while (sub.hasRemaining()) {
                        related.add(uid(sub, sub.getShort() & 0xFFFF));
                    }
                    b.addCommonExtendedNegotiation(new CommonExtendedNegotiation(sopClass, serviceClass, related));
                }
                case 0x58 -> {
                    if (!rq) {
                        throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, "user identity RQ in A-ASSOCIATE-AC");
                    }
                    int identityType = sub.get() & 0xFF;
                    boolean positive = sub.get() == 1;
                    byte[] primary = bytes(sub, sub.getShort() & 0xFFFF);
                    byte[] secondary = bytes(sub, sub.getShort() & 0xFFFF);
                    b.userIdentityRQ(new UserIdentityRQ(identityType, positive, primary, secondary));
                }
                case 0x59 -> {
                    if (rq) {
                        throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, "user identity AC in A-ASSOCIATE-RQ");
                    }
                    b.userIdentityAC(new UserIdentityAC(bytes(sub, sub.getShort() & 0xFFFF)));
                }
                default -> {
                    // PS3.7 D.3.3: unknown user information sub-items are ignored.
                }
            }
        }
        if (!maxLength) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "missing maximum length sub-item");
        }
        return b.build();
    }

    private static void expectLength(ByteBuffer sub, int length, String what) throws PduException {
        if (sub.remaining() != length) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    what + " sub-item length " + sub.remaining() + " instead of " + length);
        }
    }

    private static byte[] bytes(ByteBuffer bb, int length) throws PduException {
        if (length > bb.remaining()) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE,
                    "field length " + length + " exceeds the " + bb.remaining() + " bytes left");
        }
        byte[] b = new byte[length];
        bb.get(b);
        return b;
    }

    private static String string(ByteBuffer bb, int length) throws PduException {
        return new String(bytes(bb, length), StandardCharsets.US_ASCII);
    }

    private static String uid(ByteBuffer bb, int length) throws PduException {
        String s = string(bb, length);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == 0 || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String aeTitle(ByteBuffer bb, boolean required) throws PduException {
        String s = string(bb, 16).strip();
        if (s.isEmpty() && required) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "empty AE title");
        }
        return s;
    }
}
