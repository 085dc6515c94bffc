package org.mosaicpacs.dicom.net.dimse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.io.DicomInputStream;

/**
 * Reads the preamble and the file meta information of a Part 10 stream element by element, so that the
 * stream is left exactly at the first byte of the data set (which can then be copied as it is or parsed in
 * its transfer syntax). Needs a stream that supports {@code mark}/{@code reset}.
 */
final class Part10Header {

    /** File meta information larger than this is refused (it is a few hundred bytes in practice). */
    static final int MAX_LENGTH = 64 * 1024;

    private Part10Header() {
    }

    /**
     * @param in a stream at the start of a Part 10 object (preamble optional), supporting mark/reset
     * @return the file meta information; it has a Transfer Syntax UID
     * @throws IOException if the stream has no (or malformed, or too long) file meta information
     */
    static Attributes read(InputStream in) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("mark/reset needed");
        }
        in.mark(132);
        byte[] preamble = in.readNBytes(132);
        if (!(preamble.length == 132 && preamble[128] == 'D' && preamble[129] == 'I' && preamble[130] == 'C'
                && preamble[131] == 'M')) {
            in.reset();
        }
        ByteArrayOutputStream meta = new ByteArrayOutputStream(512);
        while (true) {
            in.mark(8);
            byte[] h = in.readNBytes(8);
            if (h.length < 8 || (h[0] & 0xFF | (h[1] & 0xFF) << 8) != 0x0002) {
                in.reset();
                break;
            }
            long length;
            int headerLength = 8;
            String vr = new String(h, 4, 2, java.nio.charset.StandardCharsets.US_ASCII);
            if (longHeader(vr)) {
                byte[] l = in.readNBytes(4);
                if (l.length < 4) {
                    throw new IOException("file meta information ends inside an element header");
                }
                length = (l[0] & 0xFFL) | (l[1] & 0xFFL) << 8 | (l[2] & 0xFFL) << 16 | (l[3] & 0xFFL) << 24;
                meta.write(h, 0, 8);
                meta.write(l, 0, 4);
                headerLength = 12;
            } else {
                length = h[6] & 0xFF | (h[7] & 0xFF) << 8;
                meta.write(h, 0, 8);
            }
            if (meta.size() + length > MAX_LENGTH) {
                throw new IOException("file meta information longer than " + MAX_LENGTH + " bytes");
            }
            byte[] value = in.readNBytes((int) length);
            if (value.length < length) {
                throw new IOException("file meta information ends inside a value (header of " + headerLength
                        + " bytes)");
            }
            meta.write(value, 0, value.length);
        }
        if (meta.size() == 0) {
            throw new IOException("not a Part 10 object: no file meta information");
        }
        Attributes fmi = new DicomInputStream(new ByteArrayInputStream(meta.toByteArray()),
                UID.ExplicitVRLittleEndian).readDataset();
        String ts = fmi.getString(Tag.TransferSyntaxUID);
        if (ts == null || ts.isBlank()) {
            throw new IOException("file meta information without Transfer Syntax UID");
        }
        return fmi;
    }

    private static boolean longHeader(String vr) {
        return switch (vr) {
            case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
            default -> false;
        };
    }
}
