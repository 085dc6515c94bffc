package org.mosaicpacs.dicom.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.io.DicomReadLimits;

/**
 * Decompresses an instance with encapsulated pixel data (RLE Lossless, JPEG baseline, extended, lossless, JPEG-LS,
 * JPEG 2000) to an Explicit VR Little Endian Part 10 stream, for peers that accept only uncompressed transfer
 * syntaxes. Frames are decoded and written one at a time. After decompression the pixel data is colour-by-pixel
 * (Planar Configuration 0), YBR_FULL_422 becomes YBR_FULL (one sample set per pixel, as the decoders give), YBR_RCT
 * and YBR_ICT become RGB (the JPEG 2000 decoder applies the inverse component transform), High Bit stays; Lossy Image
 * Compression (0028,2110) is left as it was (it says the pixels once went through a lossy codec). Thread-safe.
 */
public final class Decompressor {

    private final PixelDataDecoder decoder;

    /** Creates a decompressor that decodes with the given decoder. */
    public Decompressor(PixelDataDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * Reads a Part 10 instance and writes it as Explicit VR Little Endian Part 10; an instance that is not
     * encapsulated is re-encoded as it is.
     *
     * @throws UnsupportedTransferSyntaxException for syntaxes that cannot be decoded (JPEG 2000 Part 2, video)
     * @throws PixelDataException for corrupt pixel data
     * @throws IOException for unreadable input (a {@code DicomParseException}) or a failing output
     */
    public void decompress(InputStream in, OutputStream out) throws IOException {
        Attributes ds;
        String ts;
        Attributes fmi;
        try (DicomInputStream din = new DicomInputStream(in)) {
            din.setLimits(DicomReadLimits.DEFAULT);
            ds = din.readDataset();
            ts = din.getTransferSyntax();
            fmi = din.getFileMetaInformation();
        }
        decompress(ds, ts, fmi, out);
    }

    /**
     * Writes a data set read in transfer syntax {@code transferSyntaxUID} as Explicit VR Little Endian Part 10.
     *
     * @param fmi the file meta information it came with (Source AE and private elements are kept), or null
     */
    public void decompress(Attributes ds, String transferSyntaxUID, Attributes fmi, OutputStream out)
            throws IOException {
        String target = UID.ExplicitVRLittleEndian;
        Attributes meta = DicomOutputStream.createFileMetaInformation(ds.getString(Tag.SOPClassUID),
                ds.getString(Tag.SOPInstanceUID), target);
        if (fmi != null) {
            String source = fmi.getString(Tag.SourceApplicationEntityTitle);
            if (source != null) {
                meta.setString(Tag.SourceApplicationEntityTitle, VR.AE, source);
            }
        }
        DicomOutputStream dos = new DicomOutputStream(new NonClosing(out));
        if (!TransferSyntax.of(transferSyntaxUID).isEncapsulated() || ds.getFragments(Tag.PixelData) == null) {
            dos.writeFileMetaInformation(meta);
            dos.writeDataset(ds);
            dos.finish();
            return;
        }
        if (!PixelDataDecoder.canDecode(transferSyntaxUID)) {
            throw PixelDataDecoder.unsupported(transferSyntaxUID);
        }
        ImageDescriptor d = ImageDescriptor.of(ds);
        Attributes before = new Attributes(ds);
        Attributes after = new Attributes(ds);
        for (int tag : ds.tags()) {
            boolean pixel = tag == Tag.PixelData || tag == Tag.ExtendedOffsetTable || tag == 0x7FE00002;
            if (pixel || Integer.compareUnsigned(tag, Tag.PixelData) > 0) {
                before.remove(tag);
            }
            if (pixel || Integer.compareUnsigned(tag, Tag.PixelData) < 0) {
                after.remove(tag);
            }
        }
        // decode the first frame before writing anything, so that undecodable data fails early and cleanly
        FrameRaster first = decoder.decode(ds, transferSyntaxUID, 0);
        if (d.samplesPerPixel() > 1) {
            before.setInt(Tag.PlanarConfiguration, VR.US, 0);
        }
        before.setString(Tag.PhotometricInterpretation, VR.CS, first.photometricInterpretation());
        long frameLength = d.samplesPerFrame() * (d.bitsAllocated() / 8);
        long length = frameLength * d.numberOfFrames();
        if (length > 0xFFFFFFFEL) {
            throw new PixelDataException("decompressed pixel data of " + length + " bytes does not fit one element");
        }
        dos.writeFileMetaInformation(meta);
        dos.writeDataset(before);
        dos.writeHeader(Tag.PixelData, d.bitsAllocated() == 8 ? VR.OB : VR.OW, length + (length & 1));
        dos.flush();
        for (int f = 0; f < d.numberOfFrames(); f++) {
            FrameRaster r = f == 0 ? first : decoder.decode(ds, transferSyntaxUID, f);
            out.write(nativeFrame(r, d));
        }
        if ((length & 1) != 0) {
            out.write(0);
        }
        dos.writeDataset(after);
        dos.finish();
    }

    /**
     * Decodes the encapsulated pixel data of a data set into a copy with native pixel data (OB for 8 bits
     * allocated, else OW), Planar Configuration 0 and the decoder's Photometric Interpretation, ready to be
     * encoded in Explicit or Implicit VR Little Endian: what a retrieve sends to a peer that accepted only
     * uncompressed syntaxes. The whole decoded pixel data is held in memory, so it is refused above
     * {@code maxBytes}.
     *
     * @param ds a data set read in {@code transferSyntaxUID}; not modified
     * @param maxBytes the largest decoded pixel data accepted
     * @return {@code ds} itself if it has no encapsulated pixel data, else the decoded copy
     * @throws UnsupportedTransferSyntaxException for syntaxes that cannot be decoded (JPEG 2000 Part 2, video)
     * @throws PixelDataException for corrupt pixel data, or decoded pixel data larger than {@code maxBytes}
     */
    public Attributes decompress(Attributes ds, String transferSyntaxUID, long maxBytes) throws PixelDataException {
        if (!TransferSyntax.of(transferSyntaxUID).isEncapsulated() || ds.getFragments(Tag.PixelData) == null) {
            return ds;
        }
        if (!PixelDataDecoder.canDecode(transferSyntaxUID)) {
            throw PixelDataDecoder.unsupported(transferSyntaxUID);
        }
        ImageDescriptor d = ImageDescriptor.of(ds);
        long frameLength = d.samplesPerFrame() * (d.bitsAllocated() / 8);
        long length = frameLength * d.numberOfFrames();
        if (length > Math.min(maxBytes, Integer.MAX_VALUE - 16)) {
            throw new PixelDataException("decompressed pixel data of " + length + " bytes is more than the "
                    + Math.min(maxBytes, Integer.MAX_VALUE - 16) + " bytes decompressed in memory");
        }
        byte[] pixels = new byte[(int) (length + (length & 1))];
        String photometric = null;
        for (int f = 0; f < d.numberOfFrames(); f++) {
            FrameRaster r = decoder.decode(ds, transferSyntaxUID, f);
            photometric = r.photometricInterpretation();
            byte[] frame = nativeFrame(r, d);
            System.arraycopy(frame, 0, pixels, (int) (f * frameLength), (int) Math.min(frame.length, frameLength));
        }
        Attributes out = new Attributes(ds);
        out.remove(Tag.ExtendedOffsetTable);
        out.remove(0x7FE00002);
        if (d.samplesPerPixel() > 1) {
            out.setInt(Tag.PlanarConfiguration, VR.US, 0);
        }
        out.setString(Tag.PhotometricInterpretation, VR.CS, photometric);
        out.setBytes(Tag.PixelData, d.bitsAllocated() == 8 ? VR.OB : VR.OW, pixels);
        return out;
    }

    /**
     * Encodes a decoded frame as native little-endian pixel data with the data set's Bits Allocated and High Bit,
     * colour-by-pixel: the value of one frame of Explicit VR Little Endian Pixel Data, or of a WADO-RS frame
     * retrieved as {@code application/octet-stream}.
     */
    public static byte[] nativeFrame(FrameRaster r, ImageDescriptor d) {
        int bytes = d.bitsAllocated() / 8;
        int shift = d.highBit() + 1 - d.bitsStored();
        long mask = (1L << d.bitsStored()) - 1;
        int[] s = r.samples();
        byte[] out = new byte[s.length * bytes];
        for (int i = 0, o = 0; i < s.length; i++) {
            long v = (s[i] & mask) << shift;
            for (int b = 0; b < bytes; b++) {
                out[o++] = (byte) (v >>> (8 * b));
            }
        }
        return out;
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
