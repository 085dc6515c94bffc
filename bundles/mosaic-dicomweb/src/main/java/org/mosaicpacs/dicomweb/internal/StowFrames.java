package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;

/**
 * Compressed Pixel Data of a STOW-RS metadata request made from its bulk data parts (PS3.18 8.7.3.3.2: a compressed
 * bulk data part holds frames, not a DICOM encapsulation). The parts that share the Content-Location the Pixel
 * Data's BulkDataURI names are taken in the order they were sent:
 * <ul>
 * <li>as many parts as Number of Frames: one frame each, one fragment each;</li>
 * <li>one part for several frames: JPEG, JPEG-LS, JPEG 2000 and HTJ2K codestreams back to back, split by their
 * markers ({@link Codestreams}) when that gives exactly Number of Frames codestreams; a video stream (MPEG-2,
 * MPEG-4, HEVC) is one part whatever the number of frames;</li>
 * <li>anything else (another count, parts in different transfer syntaxes, a part that is not compressed pixel data,
 * RLE frames in one part, whose segments are only found through each frame's own header) is refused with the
 * reason in words.</li>
 * </ul>
 * The fragments are references into the spool file ({@link BulkData}), so the Part 10 writer streams them; the Basic
 * Offset Table lists each frame's offset when there are several and they fit in its 32-bit values.
 */
final class StowFrames {

    /** Frame parts that cannot make the Pixel Data, with the reason in words. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The Pixel Data made: its transfer syntax, its fragments (offset table first). */
    record Encapsulated(String transferSyntax, Fragments fragments) {
    }

    private StowFrames() {
    }

    /**
     * Makes the encapsulated Pixel Data of {@code frames} frames from the parts named by {@code location}.
     *
     * @param parts the parts sharing that Content-Location, in the order of the request (at least one)
     */
    static Encapsulated encapsulate(Path spool, FileChannel file, String location, List<StowMetadata.Span> parts,
                                    int frames) throws IOException, Refused {
        if (parts.size() > 1 && parts.stream().anyMatch(p -> MediaType.OCTET_STREAM.equals(
                p.type() == null ? null : p.type().type()) && StowMetadata.compressedSyntax(p.type()) == null)) {
            throw new Refused(parts.size() + " parts share the Content-Location " + location + " of native Pixel "
                    + "Data: native Pixel Data is one application/octet-stream part holding every frame");
        }
        String syntax = null;
        for (int i = 0; i < parts.size(); i++) {
            MediaType type = parts.get(i).type();
            String ts = StowMetadata.compressedSyntax(type);
            if (ts == null) {
                throw new Refused("Pixel Data part " + (i + 1) + " of " + parts.size() + " at " + location + " is "
                        + StowMetadata.describe(type) + ", not a compressed frame (image/jpeg, image/jls, image/jp2, "
                        + "image/dicom-rle or a transfer-syntax parameter)");
            }
            if (syntax != null && !syntax.equals(ts)) {
                throw new Refused("the Pixel Data parts at " + location + " are in different transfer syntaxes: "
                        + syntax + " (part 1) and " + ts + " (part " + (i + 1) + ")");
            }
            syntax = ts;
        }
        List<Codestreams.Span> spans = new ArrayList<>();
        if (parts.size() == frames || video(syntax)) {
            if (video(syntax) && parts.size() != 1) {
                throw new Refused("a video stream (" + syntax + ") is one Pixel Data part, not " + parts.size());
            }
            for (StowMetadata.Span p : parts) {
                spans.add(new Codestreams.Span(p.offset(), p.length()));
            }
        } else if (parts.size() == 1) {
            StowMetadata.Span part = parts.get(0);
            if (syntax.equals(UID.RLELossless)) {
                throw new Refused("RLE Lossless frames cannot be told apart in one part (each frame's segments are "
                        + "found through its own header): send " + frames + " image/dicom-rle parts, one frame each, "
                        + "with the Content-Location " + location);
            }
            Codestreams.Family family = Codestreams.family(syntax);
            if (family == null) {
                throw new Refused("Pixel Data of " + frames + " frames in one part of transfer syntax " + syntax
                        + " cannot be split into frames: send one part per frame with the Content-Location "
                        + location);
            }
            try {
                spans.addAll(Codestreams.split(file, part.offset(), part.length(), family, frames));
            } catch (Codestreams.Malformed e) {
                throw new Refused("the one Pixel Data part at " + location + " (" + syntax + ") is not " + frames
                        + " codestreams back to back, one per frame (Number of Frames): " + e.getMessage());
            }
        } else {
            throw new Refused(parts.size() + " Pixel Data parts share the Content-Location " + location + " but Number "
                    + "of Frames is " + frames + ": send one part per frame, or one part holding every frame's "
                    + "codestream");
        }
        for (Codestreams.Span s : spans) {
            if (s.length() > 0xFFFFFFFEL) {
                throw new Refused("a Pixel Data fragment at " + location + " would be longer than an item can be ("
                        + s.length() + " bytes)");
            }
        }
        Fragments fragments = new Fragments(VR.OB, false, spans.size() + 1);
        fragments.add(offsetTable(spans));
        for (Codestreams.Span s : spans) {
            fragments.add(BulkData.ofFile(spool, s.offset(), s.length(), false));
        }
        return new Encapsulated(syntax, fragments);
    }

    /**
     * The Basic Offset Table (PS3.5 A.4): the offset of each frame's item from the first one's; empty for one frame
     * and when the offsets do not fit in 32 bits (an Extended Offset Table is not written).
     */
    private static byte[] offsetTable(List<Codestreams.Span> spans) {
        if (spans.size() < 2) {
            return new byte[0];
        }
        ByteBuffer table = ByteBuffer.allocate(4 * spans.size()).order(ByteOrder.LITTLE_ENDIAN);
        long offset = 0;
        for (Codestreams.Span s : spans) {
            if (offset > 0xFFFFFFFFL) {
                return new byte[0];
            }
            table.putInt((int) offset);
            offset += 8 + s.length() + (s.length() & 1); // item header, value, padding to even length
        }
        return table.array();
    }

    /** MPEG-2, MPEG-4 AVC and HEVC: the frames are one stream, not one fragment each. */
    private static boolean video(String ts) {
        return ts.matches("1\\.2\\.840\\.10008\\.1\\.2\\.4\\.10[0-8](\\.1)?");
    }
}
