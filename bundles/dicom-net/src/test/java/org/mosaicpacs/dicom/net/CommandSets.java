package org.mosaicpacs.dicom.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TEST-ONLY hand-made command sets in Implicit VR Little Endian, just enough for C-ECHO. The real
 * DIMSE layer (a later module) replaces this.
 */
final class CommandSets {

    static final String VERIFICATION = "1.2.840.10008.1.1";
    static final int C_ECHO_RQ = 0x0030;
    static final int C_ECHO_RSP = 0x8030;
    static final int NO_DATA_SET = 0x0101;

    private CommandSets() {
    }

    static byte[] echoRequest(int messageId) {
        Map<Integer, byte[]> e = new LinkedHashMap<>();
        e.put(0x0002, uid(VERIFICATION));
        e.put(0x0100, us(C_ECHO_RQ));
        e.put(0x0110, us(messageId));
        e.put(0x0800, us(NO_DATA_SET));
        return encode(e);
    }

    static byte[] echoResponse(int messageIdBeingRespondedTo) {
        Map<Integer, byte[]> e = new LinkedHashMap<>();
        e.put(0x0002, uid(VERIFICATION));
        e.put(0x0100, us(C_ECHO_RSP));
        e.put(0x0120, us(messageIdBeingRespondedTo));
        e.put(0x0800, us(NO_DATA_SET));
        e.put(0x0900, us(0));
        return encode(e);
    }

    static final int C_STORE_RQ = 0x0001;
    static final int C_STORE_RSP = 0x8001;

    static byte[] storeResponse(Map<Integer, byte[]> rq) {
        Map<Integer, byte[]> e = new LinkedHashMap<>();
        e.put(0x0002, rq.get(0x0002));
        e.put(0x0100, us(C_STORE_RSP));
        e.put(0x0120, rq.get(0x0110));
        e.put(0x0800, us(NO_DATA_SET));
        e.put(0x0900, us(0));
        e.put(0x1000, rq.get(0x1000));
        return encode(e);
    }

    /** A made-up command (field 0x0FFF) announcing a data set, for streaming tests. */
    static byte[] testCommandWithData(int messageId) {
        Map<Integer, byte[]> e = new LinkedHashMap<>();
        e.put(0x0100, us(0x0FFF));
        e.put(0x0110, us(messageId));
        e.put(0x0800, us(0x0000));
        return encode(e);
    }

    /** @return element number of group 0000 to value bytes */
    static Map<Integer, byte[]> parse(byte[] command) {
        ByteBuffer bb = ByteBuffer.wrap(command).order(ByteOrder.LITTLE_ENDIAN);
        Map<Integer, byte[]> e = new LinkedHashMap<>();
        while (bb.remaining() >= 8) {
            int group = bb.getShort() & 0xFFFF;
            int element = bb.getShort() & 0xFFFF;
            int length = bb.getInt();
            byte[] value = new byte[length];
            bb.get(value);
            if (group == 0) {
                e.put(element, value);
            }
        }
        return e;
    }

    static int us(Map<Integer, byte[]> command, int element) {
        byte[] v = command.get(element);
        return v == null ? -1 : (v[0] & 0xFF) | ((v[1] & 0xFF) << 8);
    }

    static String string(Map<Integer, byte[]> command, int element) {
        byte[] v = command.get(element);
        return v == null ? null : new String(v, StandardCharsets.US_ASCII).replace("\0", "").strip();
    }

    private static byte[] uid(String uid) {
        byte[] b = uid.getBytes(StandardCharsets.US_ASCII);
        return (b.length & 1) == 0 ? b : java.util.Arrays.copyOf(b, b.length + 1);
    }

    private static byte[] us(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    private static byte[] encode(Map<Integer, byte[]> elements) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        elements.forEach((element, value) -> writeElement(body, element, value));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        writeElement(all, 0x0000, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.size()).array());
        all.writeBytes(body.toByteArray());
        return all.toByteArray();
    }

    private static void writeElement(ByteArrayOutputStream out, int element, byte[] value) {
        ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        header.putShort((short) 0).putShort((short) element).putInt(value.length);
        out.writeBytes(header.array());
        out.writeBytes(value);
    }
}
