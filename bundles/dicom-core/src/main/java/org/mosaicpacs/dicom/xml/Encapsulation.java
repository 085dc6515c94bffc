package org.mosaicpacs.dicom.xml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.VR;

/** The encoded value field of encapsulated pixel data (its items, little endian, without the
 * sequence delimiter as pydicom writes it; read with or without), both ways. */
final class Encapsulation {

    private Encapsulation() {
    }

    static byte[] encode(Fragments f) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        for (int i = 0; i < f.size(); i++) {
            Object frag = f.get(i);
            byte[] b = frag instanceof byte[] ? (byte[]) frag : ((BulkData) frag).toBytes();
            header(bos, 0xFFFEE000, b.length);
            bos.write(b);
        }
        return bos.toByteArray();
    }

    static boolean looksEncapsulated(byte[] b) {
        return b.length >= 8 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF && b[2] == 0 && (b[3] & 0xFF) == 0xE0;
    }

    /** Returns the fragments, or null if the bytes are not a valid encapsulated value. */
    static Fragments decode(VR vr, byte[] b) {
        Fragments f = new Fragments(vr, false, 4);
        int p = 0;
        while (p + 8 <= b.length) {
            int group = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
            int element = (b[p + 2] & 0xFF) | (b[p + 3] & 0xFF) << 8;
            long len = (b[p + 4] & 0xFFL) | (b[p + 5] & 0xFFL) << 8 | (b[p + 6] & 0xFFL) << 16 | (b[p + 7] & 0xFFL) << 24;
            p += 8;
            if (group == 0xFFFE && element == 0xE0DD) {
                return f;
            }
            if (group != 0xFFFE || element != 0xE000 || len > b.length - p) {
                return null;
            }
            f.add(Arrays.copyOfRange(b, p, p + (int) len));
            p += (int) len;
        }
        return p == b.length ? f : null;
    }

    private static void header(ByteArrayOutputStream bos, int tag, int length) {
        int[] words = {tag >>> 16, tag & 0xFFFF};
        for (int w : words) {
            bos.write(w);
            bos.write(w >>> 8);
        }
        for (int k = 0; k < 4; k++) {
            bos.write(length >>> (8 * k));
        }
    }
}
