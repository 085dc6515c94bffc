package org.mosaicpacs.dicom.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.mosaicpacs.dicom.data.VR;

/**
 * Byte-level mutations of DICOM encodings, driven by a {@link Random}. Each applied mutation is
 * described in {@link #log} so that a failure can be reproduced and understood.
 */
final class Mutator {

    /** Delimitation and item headers to insert (little endian; swapped for big endian seeds). */
    private static final byte[][] DELIMITERS_LE = {
        {(byte) 0xFE, (byte) 0xFF, 0x0D, (byte) 0xE0, 0, 0, 0, 0},
        {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0},
        {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, -1, -1, -1, -1},
        {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 0, 0, 0, 0},
        {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 3, 0, 0, 0},
        // (0040,A730) ContentSequence SQ of undefined length, explicit VR
        {0x40, 0x00, 0x30, (byte) 0xA7, 'S', 'Q', 0, 0, -1, -1, -1, -1},
        // (7FE0,0010) OB undefined length: encapsulated pixel data start
        {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, -1, -1, -1, -1},
    };

    private final Random rnd;
    private final boolean bigEndian;
    private final byte[][] donors;
    final List<String> log = new ArrayList<>();

    Mutator(Random rnd, boolean bigEndian, byte[][] donors) {
        this.rnd = rnd;
        this.bigEndian = bigEndian;
        this.donors = donors;
    }

    /** Applies 1 to 4 random mutations to a copy of b, never touching the first {@code from} bytes. */
    byte[] mutate(byte[] b, int from) {
        int n = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(4) : 0);
        for (int k = 0; k < n; k++) {
            b = mutateOnce(b, from);
        }
        return b;
    }

    private byte[] mutateOnce(byte[] b, int from) {
        if (b.length <= from + 1) {
            return append(b);
        }
        switch (rnd.nextInt(12)) {
            case 11:
                return transferSyntax(b);
            case 0:
                return bitFlip(b, from);
            case 1:
                return setByte(b, from);
            case 2:
            case 3:
            case 4:
                return lengthField(b, from);
            case 5:
                return truncate(b, from);
            case 6:
                return duplicate(b, from);
            case 7:
                return splice(b, from);
            case 8:
                return insertDelimiter(b, from);
            case 9:
                return delete(b, from);
            default:
                return tagField(b, from);
        }
    }

    private int pos(byte[] b, int from) {
        return from + rnd.nextInt(b.length - from);
    }

    private byte[] bitFlip(byte[] b, int from) {
        b = b.clone();
        int flips = 1 + rnd.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int p = pos(b, from);
            int bit = rnd.nextInt(8);
            b[p] ^= (byte) (1 << bit);
            log.add("flip bit " + bit + " at " + p);
        }
        return b;
    }

    private byte[] setByte(byte[] b, int from) {
        b = b.clone();
        int p = pos(b, from);
        int run = 1 + (rnd.nextBoolean() ? 0 : rnd.nextInt(8));
        byte v = rnd.nextBoolean() ? 0 : (byte) 0xFF;
        for (int i = p; i < Math.min(b.length, p + run); i++) {
            b[i] = v;
        }
        log.add("set " + run + " byte(s) at " + p + " to " + (v & 0xFF));
        return b;
    }

    /**
     * Replaces a length field with a boundary value. Length fields are found by looking for a VR code
     * (explicit VR: 16-bit length after it, or 32-bit after 2 reserved bytes) or an item/delimitation tag
     * (32-bit length after it); failing that, any 4 bytes are taken as a length (implicit VR).
     */
    private byte[] lengthField(byte[] b, int from) {
        b = b.clone();
        List<int[]> fields = lengthFields(b, from);
        int off;
        int width;
        if (!fields.isEmpty() && rnd.nextInt(8) != 0) {
            int[] f = fields.get(rnd.nextInt(fields.size()));
            off = f[0];
            width = f[1];
        } else {
            off = from + rnd.nextInt(Math.max(1, b.length - from - 4));
            width = 4;
            if (off + 4 > b.length) {
                return b;
            }
        }
        long rest = b.length - (off + width);
        long[] candidates = {0, 1, 3, 0xFF, 0xFFFF, 0xFFFE, 0x10001, 0xFFFFFFFFL, 0x7FFFFFFFL, 0xFFFFFFFEL, 0x80000000L,
            rest, rest + 1, rest + 2, rest - 1, 2 * rest + 1, (rnd.nextInt(1 << 20) | 1), 0x02000000L};
        long v = candidates[rnd.nextInt(candidates.length)];
        if (width == 2) {
            v &= 0xFFFF;
        }
        put(b, off, width, v);
        log.add("length field (" + width + " bytes) at " + off + " = 0x" + Long.toHexString(v));
        return b;
    }

    private List<int[]> lengthFields(byte[] b, int from) {
        List<int[]> fields = new ArrayList<>();
        for (int i = Math.max(from, 4); i + 4 <= b.length; i++) {
            int hi = b[i] & 0xFF;
            int lo = b[i + 1] & 0xFF;
            if (hi >= 'A' && hi <= 'Z' && lo >= 'A' && lo <= 'Z') {
                VR vr = VR.fromCode(hi << 8 | lo);
                if (vr != null) {
                    if (vr.hasLongLength()) {
                        if (i + 6 <= b.length && b[i + 2] == 0 && b[i + 3] == 0) {
                            fields.add(new int[] {i + 4, 4});
                        }
                    } else {
                        fields.add(new int[] {i + 2, 2});
                    }
                }
            }
            boolean itemTag = bigEndian
                    ? (b[i - 4] & 0xFF) == 0xFF && (b[i - 3] & 0xFF) == 0xFE && (b[i - 2] & 0xFF) == 0xE0
                    : (b[i - 4] & 0xFF) == 0xFE && (b[i - 3] & 0xFF) == 0xFF && (b[i - 1] & 0xFF) == 0xE0;
            if (itemTag && i + 4 <= b.length) {
                fields.add(new int[] {i, 4});
            }
        }
        return fields;
    }

    private void put(byte[] b, int off, int width, long v) {
        for (int k = 0; k < width; k++) {
            int shift = bigEndian ? 8 * (width - 1 - k) : 8 * k;
            b[off + k] = (byte) (v >>> shift);
        }
    }

    private byte[] truncate(byte[] b, int from) {
        int cut = rnd.nextInt(4) == 0 ? b.length - 1 - rnd.nextInt(Math.min(16, b.length - from)) : pos(b, from);
        log.add("truncate to " + cut);
        return Arrays.copyOf(b, Math.max(cut, 0));
    }

    private byte[] duplicate(byte[] b, int from) {
        int a = pos(b, from);
        int len = 1 + rnd.nextInt(Math.min(512, b.length - a));
        int at = pos(b, from);
        log.add("duplicate [" + a + "," + (a + len) + ") at " + at);
        return insert(b, at, Arrays.copyOfRange(b, a, a + len));
    }

    private byte[] splice(byte[] b, int from) {
        byte[] donor = donors[rnd.nextInt(donors.length)];
        if (donor.length < 2) {
            return b;
        }
        int a = rnd.nextInt(donor.length - 1);
        int len = 1 + rnd.nextInt(Math.min(1024, donor.length - a));
        int at = pos(b, from);
        boolean replace = rnd.nextBoolean();
        log.add("splice " + len + " bytes of a donor (from " + a + ") " + (replace ? "over" : "into") + " " + at);
        byte[] piece = Arrays.copyOfRange(donor, a, a + len);
        if (!replace) {
            return insert(b, at, piece);
        }
        b = b.clone();
        System.arraycopy(piece, 0, b, at, Math.min(piece.length, b.length - at));
        return b;
    }

    private byte[] insertDelimiter(byte[] b, int from) {
        byte[] d = DELIMITERS_LE[rnd.nextInt(DELIMITERS_LE.length)].clone();
        if (bigEndian) {
            swap16(d, 0);
            swap16(d, 2);
            if (d.length == 8) {
                swap32(d, 4);
            } else {
                swap32(d, 8);
            }
        }
        // prefer positions where an element header starts: before a tag found next to a VR code
        int at = pos(b, from);
        List<int[]> fields = rnd.nextBoolean() ? lengthFields(b, from) : List.of();
        if (!fields.isEmpty()) {
            int[] f = fields.get(rnd.nextInt(fields.size()));
            int headerStart = f[1] == 2 ? f[0] - 6 : f[0] - 8;
            if (headerStart >= from) {
                at = headerStart;
            }
        }
        log.add("insert " + hex(d) + " at " + at);
        return insert(b, at, d);
    }

    private byte[] delete(byte[] b, int from) {
        int a = pos(b, from);
        int len = 1 + rnd.nextInt(Math.min(64, b.length - a));
        log.add("delete [" + a + "," + (a + len) + ")");
        byte[] c = new byte[b.length - len];
        System.arraycopy(b, 0, c, 0, a);
        System.arraycopy(b, a + len, c, a, b.length - a - len);
        return c;
    }

    /** Replaces a tag before a VR code with an interesting one (item, delimiters, pixel data, group 0002). */
    private byte[] tagField(byte[] b, int from) {
        List<int[]> fields = lengthFields(b, from);
        if (fields.isEmpty()) {
            return bitFlip(b, from);
        }
        int[] f = fields.get(rnd.nextInt(fields.size()));
        int at = f[1] == 2 ? f[0] - 6 : f[0] - 8;
        if (at < from) {
            return b;
        }
        int[] tags = {0xFFFEE000, 0xFFFEE00D, 0xFFFEE0DD, 0x7FE00010, 0x00020010, 0x00080005, 0x00280103, 0x00091010,
            0x00090010, 0x0040A730, 0xFFFCFFFC, 0x00000000, 0xFFFFFFFF};
        int tag = tags[rnd.nextInt(tags.length)];
        b = b.clone();
        put(b, at, 2, tag >>> 16);
        put(b, at + 2, 2, tag & 0xFFFF);
        log.add("tag at " + at + " = " + String.format("%08X", tag));
        return b;
    }

    /** Same-length transfer syntax UIDs: swapping one for another in the file meta keeps the group length. */
    private static final String[][] SAME_LENGTH_TS = {
        {"1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2\0\0", "1.2.840.10008.1.2.5"},
        {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80"},
    };

    /** Declares another transfer syntax in the file meta information than the data set is encoded in. */
    private byte[] transferSyntax(byte[] b) {
        for (String[] group : SAME_LENGTH_TS) {
            for (String uid : group) {
                byte[] u = uid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                int at = indexOf(b, u, Math.min(b.length, 1024));
                if (at >= 0) {
                    String other = group[rnd.nextInt(group.length)];
                    byte[] o = other.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    b = b.clone();
                    System.arraycopy(o, 0, b, at, o.length);
                    log.add("transfer syntax " + uid + " -> " + other + " at " + at);
                    return b;
                }
            }
        }
        return bitFlip(b, 0);
    }

    private static int indexOf(byte[] b, byte[] u, int limit) {
        outer:
        for (int i = 0; i + u.length <= limit; i++) {
            for (int k = 0; k < u.length; k++) {
                if (b[i + k] != u[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private byte[] append(byte[] b) {
        byte[] d = DELIMITERS_LE[rnd.nextInt(DELIMITERS_LE.length)];
        log.add("append " + hex(d));
        return insert(b, b.length, d);
    }

    private static byte[] insert(byte[] b, int at, byte[] piece) {
        byte[] c = new byte[b.length + piece.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(piece, 0, c, at, piece.length);
        System.arraycopy(b, at, c, at + piece.length, b.length - at);
        return c;
    }

    private static void swap16(byte[] b, int off) {
        byte t = b[off];
        b[off] = b[off + 1];
        b[off + 1] = t;
    }

    private static void swap32(byte[] b, int off) {
        byte t = b[off];
        b[off] = b[off + 3];
        b[off + 3] = t;
        t = b[off + 1];
        b[off + 1] = b[off + 2];
        b[off + 2] = t;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02X", x & 0xFF));
        }
        return sb.toString();
    }
}
