package org.mosaicpacs.dicom.net.pdu;

import java.nio.charset.StandardCharsets;

/** Argument checks shared by the PDU value classes. */
final class PduChecks {

    private PduChecks() {
    }

    static void checkByte(String name, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(name + " out of range 0..255: " + value);
        }
    }

    static void checkUnsignedShort(String name, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name + " out of range 0..65535: " + value);
        }
    }

    static void checkPresentationContextId(int id) {
        if (id < 1 || id > 255 || (id & 1) == 0) {
            throw new IllegalArgumentException("presentation context ID must be odd in 1..255: " + id);
        }
    }

    static String checkUid(String name, String uid) {
        if (uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        checkAscii(name, uid);
        if (uid.length() > 64) {
            throw new IllegalArgumentException(name + " longer than 64 characters: " + uid);
        }
        return uid;
    }

    static String checkAETitle(String name, String aet) {
        if (aet == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        String trimmed = aet.strip();
        if (trimmed.isEmpty() || trimmed.length() > 16 || trimmed.indexOf('\\') >= 0) {
            throw new IllegalArgumentException(name + " must have 1..16 characters and no backslash: '" + aet + "'");
        }
        checkAscii(name, trimmed);
        return trimmed;
    }

    /** The AE titles of an A-ASSOCIATE-AC are echoed but not tested (PS3.8 9.3.3): blank is tolerated. */
    static String checkEchoedAETitle(String name, String aet) {
        if (aet == null || aet.isBlank()) {
            return "";
        }
        return checkAETitle(name, aet);
    }

    static void checkAscii(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException(name + " contains a non printable ASCII character: " + value);
            }
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
