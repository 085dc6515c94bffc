package org.mosaicpacs.dicom.net.pdu;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Encodes PDUs to their PS3.8 binary form (big endian lengths, space padded AE titles).
 * Stateless and thread safe.
 */
public final class PduEncoder {

    private PduEncoder() {
    }

    /**
     * Writes one PDU.
     *
     * @param pdu the PDU
     * @param out the stream; not flushed
     * @throws IOException if writing fails
     */
    public static void write(Pdu pdu, OutputStream out) throws IOException {
        out.write(encode(pdu));
    }

    /**
     * @param pdu the PDU
     * @return the complete PDU including its 6-byte header
     * @throws IllegalArgumentException if an item is too long for its length field
     */
    public static byte[] encode(Pdu pdu) {
        Buf b = new Buf(pdu instanceof PDataTF p ? (int) Math.min(Integer.MAX_VALUE - 16, p.length() + 6) : 256);
        b.put(pdu.type());
        b.put(0);
        int lengthPos = b.mark4();
        if (pdu instanceof AAssociateRQ rq) {
            writeAssociateHeader(b, rq.protocolVersion(), rq.calledAETitle(), rq.callingAETitle());
            writeUidItem(b, 0x10, rq.applicationContext());
            for (PresentationContextRQ pc : rq.presentationContexts()) {
                int item = b.beginItem(0x20);
                b.put(pc.id());
                b.put(0);
                b.put(0);
                b.put(0);
                writeUidItem(b, 0x30, pc.abstractSyntax());
                for (String ts : pc.transferSyntaxes()) {
                    writeUidItem(b, 0x40, ts);
                }
                b.endItem(item);
            }
            writeUserInformation(b, rq.userInformation());
        } else if (pdu instanceof AAssociateAC ac) {
            writeAssociateHeader(b, ac.protocolVersion(), ac.calledAETitle(), ac.callingAETitle());
            writeUidItem(b, 0x10, ac.applicationContext());
            for (PresentationContextAC pc : ac.presentationContexts()) {
                int item = b.beginItem(0x21);
                b.put(pc.id());
                b.put(0);
                b.put(pc.result());
                b.put(0);
                writeUidItem(b, 0x40, pc.transferSyntax());
                b.endItem(item);
            }
            writeUserInformation(b, ac.userInformation());
        } else if (pdu instanceof AAssociateRJ rj) {
            b.put(0);
            b.put(rj.result());
            b.put(rj.source());
            b.put(rj.reason());
        } else if (pdu instanceof PDataTF p) {
            for (PresentationDataValue v : p.values()) {
                b.put4(2L + v.data().length);
                b.put(v.presentationContextId());
                b.put(v.messageControlHeader());
                b.put(v.data());
            }
        } else if (pdu instanceof AAbort a) {
            b.put(0);
            b.put(0);
            b.put(a.source());
            b.put(a.reason());
        } else {
            b.put(new byte[4]); // A-RELEASE-RQ and -RP: four reserved bytes
        }
        b.patch4(lengthPos, b.pos - 6L);
        return b.toArray();
    }

    private static void writeAssociateHeader(Buf b, int version, String called, String calling) {
        b.put2(version);
        b.put2(0);
        b.put(aeTitle(called));
        b.put(aeTitle(calling));
        b.put(new byte[32]);
    }

    private static byte[] aeTitle(String aet) {
        byte[] bytes = new byte[16];
        Arrays.fill(bytes, (byte) ' ');
        byte[] s = PduChecks.ascii(aet);
        System.arraycopy(s, 0, bytes, 0, s.length);
        return bytes;
    }

    private static void writeUidItem(Buf b, int type, String uid) {
        int item = b.beginItem(type);
        b.put(PduChecks.ascii(uid));
        b.endItem(item);
    }

    private static void writeUserInformation(Buf b, UserInformation ui) {
        int item = b.beginItem(0x50);
        int sub = b.beginItem(0x51);
        b.put4(ui.maxLength());
        b.endItem(sub);
        if (ui.implementationClassUid() != null && !ui.implementationClassUid().isEmpty()) {
            writeUidItem(b, 0x52, ui.implementationClassUid());
        }
        AsyncOperationsWindow aow = ui.asyncOperationsWindow();
        if (aow != null) {
            sub = b.beginItem(0x53);
            b.put2(aow.maxOperationsInvoked());
            b.put2(aow.maxOperationsPerformed());
            b.endItem(sub);
        }
        for (RoleSelection rs : ui.roleSelections()) {
            sub = b.beginItem(0x54);
            b.putString2(rs.sopClassUid());
            b.put(rs.scuRole() ? 1 : 0);
            b.put(rs.scpRole() ? 1 : 0);
            b.endItem(sub);
        }
        if (ui.implementationVersionName() != null) {
            writeUidItem(b, 0x55, ui.implementationVersionName());
        }
        for (ExtendedNegotiation en : ui.extendedNegotiations()) {
            sub = b.beginItem(0x56);
            b.putString2(en.sopClassUid());
            b.put(en.serviceClassApplicationInformation());
            b.endItem(sub);
        }
        for (CommonExtendedNegotiation cen : ui.commonExtendedNegotiations()) {
            sub = b.beginItem(0x57);
            b.putString2(cen.sopClassUid());
            b.putString2(cen.serviceClassUid());
            int related = b.mark2();
            for (String uid : cen.relatedGeneralSopClassUids()) {
                b.putString2(uid);
            }
            b.patch2(related, b.pos - related - 2);
            b.endItem(sub);
        }
        UserIdentityRQ uirq = ui.userIdentityRQ();
        if (uirq != null) {
            sub = b.beginItem(0x58);
            b.put(uirq.identityType());
            b.put(uirq.positiveResponseRequested() ? 1 : 0);
            byte[] primary = uirq.primaryField();
            byte[] secondary = uirq.secondaryField();
            b.put2(primary.length);
            b.put(primary);
            b.put2(secondary.length);
            b.put(secondary);
            b.endItem(sub);
        }
        UserIdentityAC uiac = ui.userIdentityAC();
        if (uiac != null) {
            sub = b.beginItem(0x59);
            byte[] response = uiac.serverResponse();
            b.put2(response.length);
            b.put(response);
            b.endItem(sub);
        }
        b.endItem(item);
    }

    /** A growable big-endian byte buffer with length back-patching. */
    private static final class Buf {
        private byte[] bytes;
        private int pos;

        Buf(int capacity) {
            bytes = new byte[Math.max(capacity, 16)];
        }

        private void ensure(int n) {
            if (pos + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, pos + n));
            }
        }

        void put(int v) {
            ensure(1);
            bytes[pos++] = (byte) v;
        }

        void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, pos, b.length);
            pos += b.length;
        }

        void put2(int v) {
            put(v >> 8);
            put(v);
        }

        void put4(long v) {
            put((int) (v >> 24));
            put((int) (v >> 16));
            put((int) (v >> 8));
            put((int) v);
        }

        void putString2(String s) {
            byte[] b = PduChecks.ascii(s);
            put2(b.length);
            put(b);
        }

        int mark2() {
            int at = pos;
            put2(0);
            return at;
        }

        int mark4() {
            int at = pos;
            put4(0);
            return at;
        }

        void patch2(int at, int value) {
            if (value > 0xFFFF) {
                throw new IllegalArgumentException("item too long for a 16-bit length: " + value);
            }
            bytes[at] = (byte) (value >> 8);
            bytes[at + 1] = (byte) value;
        }

        void patch4(int at, long value) {
            bytes[at] = (byte) (value >> 24);
            bytes[at + 1] = (byte) (value >> 16);
            bytes[at + 2] = (byte) (value >> 8);
            bytes[at + 3] = (byte) value;
        }

        int beginItem(int type) {
            put(type);
            put(0);
            return mark2();
        }

        void endItem(int lengthPos) {
            patch2(lengthPos, pos - lengthPos - 2);
        }

        byte[] toArray() {
            return pos == bytes.length ? bytes : Arrays.copyOf(bytes, pos);
        }
    }
}
