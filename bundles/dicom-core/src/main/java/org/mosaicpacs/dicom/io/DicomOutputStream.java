package org.mosaicpacs.dicom.io;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;

/**
 * Writes DICOM data sets and Part 10 files in any uncompressed transfer syntax (Implicit VR Little
 * Endian, Explicit VR Little/Big Endian), Deflated Explicit VR Little Endian, and encapsulated syntaxes
 * whose pixel data is held as {@link Fragments} (written as is, never transcoded).
 *
 * <p>Values are converted to the byte order of the transfer syntax and padded to even length with the
 * VR's padding byte. {@link BulkData} is streamed from its source in chunks. Group length elements of
 * data sets are not written (the file meta group length is computed). In explicit VR, a value too long
 * for a 16-bit length field is written with VR UN. Sequences and items have defined lengths unless
 * {@link #setUndefinedLengths(boolean, boolean)} asks otherwise; encapsulated pixel data always has
 * undefined length.
 *
 * <pre>{@code
 * try (DicomOutputStream out = new DicomOutputStream(Files.newOutputStream(path))) {
 *     out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(cuid, iuid, tsuid));
 *     out.writeDataset(dataset);
 * }
 * }</pre>
 * Not thread safe.
 */
public final class DicomOutputStream implements Closeable, Flushable {

    /** The Implementation Class UID of Mosaic PACS (a UUID-derived 2.25 UID). */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.308748314562170723065142206293177689098";

    /** The Implementation Version Name of Mosaic PACS. */
    public static final String IMPLEMENTATION_VERSION_NAME = "MOSAIC_010";

    private static final long UNDEFINED = 0xFFFFFFFFL;

    private final OutputStream raw;
    private OutputStream out;
    private DeflaterOutputStream deflater;
    private CountingOutputStream deflatedBytes;
    private boolean deflateFinished;
    private TransferSyntax ts;
    private boolean undefinedSequenceLength;
    private boolean undefinedItemLength;
    private final byte[] header = new byte[12];
    private final Map<Attributes, Long> itemLengths = new IdentityHashMap<>();

    /** Creates a writer whose transfer syntax will come from {@link #writeFileMetaInformation(Attributes)}. */
    public DicomOutputStream(OutputStream out) {
        this(out, 65536);
    }

    private DicomOutputStream(OutputStream out, int bufferSize) {
        this.raw = new BufferedOutputStream(out, bufferSize);
        this.out = raw;
    }

    /** Creates a writer of raw data sets (no preamble, no file meta) in the given transfer syntax. */
    public DicomOutputStream(OutputStream out, String transferSyntaxUID) {
        this(out, transferSyntaxUID, 65536);
    }

    /**
     * Creates a writer of raw data sets with a buffer of {@code bufferSize} bytes before {@code out}: a small one
     * for small data sets written one after the other (DIMSE commands, C-FIND identifiers: the default 64 KiB
     * buffer, allocated and zeroed for each, cost more than their encoding); values longer than the buffer go
     * to {@code out} directly.
     *
     * @throws IllegalArgumentException if {@code bufferSize} is not positive
     */
    public DicomOutputStream(OutputStream out, String transferSyntaxUID, int bufferSize) {
        this(out, bufferSize);
        this.ts = TransferSyntax.of(transferSyntaxUID);
        if (ts.isDeflated()) {
            startDeflate();
        }
    }

    /**
     * Chooses undefined lengths (delimitation items) for sequences and/or items; default false: defined
     * lengths.
     */
    public DicomOutputStream setUndefinedLengths(boolean sequences, boolean items) {
        this.undefinedSequenceLength = sequences;
        this.undefinedItemLength = items;
        return this;
    }

    /** Returns the transfer syntax UID in use, or null before the file meta information. */
    public String getTransferSyntax() {
        return ts == null ? null : ts.uid();
    }

    /**
     * Creates file meta information: version 00 01, media storage SOP class and instance, transfer
     * syntax, and this implementation's class UID and version name.
     */
    public static Attributes createFileMetaInformation(String sopClassUID, String sopInstanceUID,
            String transferSyntaxUID) {
        Attributes fmi = new Attributes(false, 8);
        fmi.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        fmi.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClassUID);
        fmi.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstanceUID);
        fmi.setString(Tag.TransferSyntaxUID, VR.UI, transferSyntaxUID);
        fmi.setString(Tag.ImplementationClassUID, VR.UI, IMPLEMENTATION_CLASS_UID);
        fmi.setString(Tag.ImplementationVersionName, VR.SH, IMPLEMENTATION_VERSION_NAME);
        return fmi;
    }

    /**
     * Writes a Part 10 file: file meta information made from the data set's SOP Class and Instance UIDs,
     * then the data set in the given transfer syntax.
     */
    public static void writeFile(Path file, Attributes dataset, String transferSyntaxUID) throws IOException {
        Attributes fmi = createFileMetaInformation(dataset.getString(Tag.SOPClassUID),
                dataset.getString(Tag.SOPInstanceUID), transferSyntaxUID);
        try (DicomOutputStream out = new DicomOutputStream(Files.newOutputStream(file))) {
            out.writeFileMetaInformation(fmi);
            out.writeDataset(dataset);
        }
    }

    /**
     * Writes the 128-byte preamble (zeros), "DICM" and the file meta information group in Explicit VR
     * Little Endian with a computed (0002,0000) group length; version, implementation class UID and
     * version name are added if missing. Then switches to the transfer syntax of (0002,0010).
     *
     * @throws IllegalArgumentException if (0002,0010) is missing
     */
    public void writeFileMetaInformation(Attributes fmi) throws IOException {
        String tsuid = writeFileMetaInformation(out, fmi);
        ts = TransferSyntax.of(tsuid);
        if (ts.isDeflated()) {
            startDeflate();
        }
    }

    /**
     * Writes the preamble, "DICM" and the file meta information to any stream, as
     * {@link #writeFileMetaInformation(Attributes)} does; the data set can then be copied after it as
     * encoded bytes (e.g. received from the network, already deflated for a deflated syntax).
     *
     * @return the transfer syntax UID of the file meta information
     * @throws IllegalArgumentException if (0002,0010) is missing
     */
    public static String writeFileMetaInformation(OutputStream out, Attributes fmi) throws IOException {
        String tsuid = fmi.getString(Tag.TransferSyntaxUID);
        if (tsuid == null || tsuid.isEmpty()) {
            throw new IllegalArgumentException("file meta information without (0002,0010) Transfer Syntax UID");
        }
        Attributes meta = new Attributes(false, fmi.size() + 4);
        for (int i = 0; i < fmi.size(); i++) {
            int tag = fmi.tagAt(i);
            if ((tag >>> 16) == 0x0002 && tag != Tag.FileMetaInformationGroupLength) {
                byte[] b = fmi.getBytes(tag);
                if (b != null && fmi.bigEndian()) {
                    b = b.clone();
                    fmi.vrAt(i).swapBytes(b, 0, b.length);
                }
                meta.setValue(tag, fmi.vrAt(i), b);
            }
        }
        if (!meta.contains(Tag.FileMetaInformationVersion)) {
            meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        }
        if (!meta.contains(Tag.ImplementationClassUID)) {
            meta.setString(Tag.ImplementationClassUID, VR.UI, IMPLEMENTATION_CLASS_UID);
        }
        if (!meta.contains(Tag.ImplementationVersionName)) {
            meta.setString(Tag.ImplementationVersionName, VR.SH, IMPLEMENTATION_VERSION_NAME);
        }
        ByteArrayOutputStream group = new ByteArrayOutputStream(256);
        DicomOutputStream g = new DicomOutputStream(group, UID.ExplicitVRLittleEndian);
        g.writeElements(meta);
        g.flush();
        byte[] head = new byte[144];
        head[128] = 'D';
        head[129] = 'I';
        head[130] = 'C';
        head[131] = 'M';
        byte[] groupLength = {0x02, 0x00, 0x00, 0x00, 'U', 'L', 4, 0};
        System.arraycopy(groupLength, 0, head, 132, 8);
        int n = group.size();
        head[140] = (byte) n;
        head[141] = (byte) (n >>> 8);
        head[142] = (byte) (n >>> 16);
        head[143] = (byte) (n >>> 24);
        out.write(head);
        group.writeTo(out);
        out.flush();
        return tsuid;
    }

    private void startDeflate() {
        deflatedBytes = new CountingOutputStream(raw);
        deflater = new DeflaterOutputStream(deflatedBytes, new Deflater(Deflater.DEFAULT_COMPRESSION, true), 8192);
        out = deflater;
    }

    /** Counts the compressed bytes, so that the deflated bit stream can be padded to even length (PS3.5 A.5). */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /**
     * Writes a data set in the transfer syntax: all elements except group lengths and file meta
     * elements (group 0002, which belong to {@link #writeFileMetaInformation(Attributes)}).
     *
     * @throws IllegalStateException if no transfer syntax is known yet
     */
    public void writeDataset(Attributes dataset) throws IOException {
        if (ts == null) {
            throw new IllegalStateException("no transfer syntax: write the file meta information first");
        }
        itemLengths.clear();
        for (int i = 0; i < dataset.size(); i++) {
            int tag = dataset.tagAt(i);
            if (!Tag.isGroupLength(tag) && (tag >>> 16) != 0x0002) {
                writeElement(dataset, tag, dataset.vrAt(i), dataset.valueAt(i));
            }
        }
        itemLengths.clear();
    }

    /**
     * Writes a DIMSE command set in Implicit VR Little Endian with a computed (0000,0000) Command Group
     * Length, whatever the transfer syntax of this stream (used for the data sets only).
     */
    public void writeCommand(Attributes command) throws IOException {
        TransferSyntax saved = ts;
        ts = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        try {
            long len = itemLength(command);
            writeHeader(Tag.CommandGroupLength, VR.UL, 4);
            writeInt((int) len, false);
            writeElements(command);
        } finally {
            ts = saved;
            itemLengths.clear();
        }
    }

    /**
     * Writes an element header in the transfer syntax; for streaming a value (e.g. pixel data) after
     * it. A length of 0xFFFFFFFF (-1) is undefined. Item and delimitation tags get an 8-byte header.
     */
    public void writeHeader(int tag, VR vr, long length) throws IOException {
        boolean be = ts.isBigEndian();
        put16(0, tag >>> 16, be);
        put16(2, tag, be);
        if ((tag >>> 16) == 0xFFFE || !ts.isExplicitVR()) {
            put32(4, (int) length, be);
            out.write(header, 0, 8);
        } else if (vr.hasLongLength()) {
            header[4] = (byte) (vr.code() >>> 8);
            header[5] = (byte) vr.code();
            header[6] = 0;
            header[7] = 0;
            put32(8, (int) length, be);
            out.write(header, 0, 12);
        } else {
            header[4] = (byte) (vr.code() >>> 8);
            header[5] = (byte) vr.code();
            put16(6, (int) length, be);
            out.write(header, 0, 8);
        }
    }

    private void writeElements(Attributes attrs) throws IOException {
        for (int i = 0; i < attrs.size(); i++) {
            int tag = attrs.tagAt(i);
            if (Tag.isGroupLength(tag)) {
                continue;
            }
            writeElement(attrs, tag, attrs.vrAt(i), attrs.valueAt(i));
        }
    }

    private void writeElement(Attributes attrs, int tag, VR vr, Object value) throws IOException {
        boolean be = ts.isBigEndian();
        if (value instanceof Sequence) {
            Sequence seq = (Sequence) value;
            writeHeader(tag, VR.SQ, undefinedSequenceLength ? UNDEFINED : checked(sequenceLength(seq)));
            for (Attributes item : seq) {
                writeHeader(Tag.Item, null, undefinedItemLength ? UNDEFINED : checked(itemLength(item)));
                writeElements(item);
                if (undefinedItemLength) {
                    writeHeader(Tag.ItemDelimitationItem, null, 0);
                }
            }
            if (undefinedSequenceLength) {
                writeHeader(Tag.SequenceDelimitationItem, null, 0);
            }
        } else if (value instanceof Fragments) {
            Fragments frags = (Fragments) value;
            writeHeader(tag, frags.vr(), UNDEFINED);
            for (Object f : frags) {
                if (f instanceof byte[]) {
                    byte[] b = (byte[]) f;
                    writeHeader(Tag.Item, null, b.length + (b.length & 1));
                    writeBytes(b, frags.vr(), frags.bigEndian() != be, (byte) 0);
                } else {
                    BulkData bd = (BulkData) f;
                    writeHeader(Tag.Item, null, checked(bd.length() + (bd.length() & 1)));
                    writeBulkData(bd, VR.OB, (byte) 0);
                }
            }
            writeHeader(Tag.SequenceDelimitationItem, null, 0);
        } else if (value instanceof BulkData) {
            BulkData bd = (BulkData) value;
            long len = bd.length() + (bd.length() & 1);
            writeHeader(tag, writtenVR(vr, len), checked(len));
            writeBulkData(bd, vr, vr.paddingByte());
        } else {
            byte[] b = (byte[]) value;
            int len = b.length + (b.length & 1);
            writeHeader(tag, writtenVR(vr, len), len);
            writeBytes(b, vr, attrs.bigEndian() != be, vr.paddingByte());
        }
    }

    private VR writtenVR(VR vr, long len) {
        return ts.isExplicitVR() && !vr.hasLongLength() && len > 0xFFFF ? VR.UN : vr;
    }

    private void writeBytes(byte[] b, VR vr, boolean swap, byte pad) throws IOException {
        if (swap && vr.swapUnit() > 1) {
            byte[] c = b.clone();
            vr.swapBytes(c, 0, c.length);
            out.write(c);
        } else {
            out.write(b);
        }
        if ((b.length & 1) != 0) {
            out.write(pad);
        }
    }

    private void writeBulkData(BulkData bd, VR vr, byte pad) throws IOException {
        boolean swap = bd.bigEndian() != ts.isBigEndian() && vr.swapUnit() > 1;
        byte[] buf = new byte[65536];
        long left = bd.length();
        try (InputStream in = bd.openStream()) {
            while (left > 0) {
                int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, left));
                if (n <= 0) {
                    throw new IOException("bulk data shorter than its length: " + bd);
                }
                if (swap) {
                    vr.swapBytes(buf, 0, n);
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
        if ((bd.length() & 1) != 0) {
            out.write(pad);
        }
    }

    private long sequenceLength(Sequence seq) {
        long len = 0;
        for (Attributes item : seq) {
            len += 8 + itemLength(item) + (undefinedItemLength ? 8 : 0);
        }
        return len;
    }

    private long itemLength(Attributes item) {
        Long cached = itemLengths.get(item);
        if (cached != null) {
            return cached;
        }
        long len = 0;
        for (int i = 0; i < item.size(); i++) {
            int tag = item.tagAt(i);
            if (!Tag.isGroupLength(tag)) {
                len += elementLength(item.vrAt(i), item.valueAt(i));
            }
        }
        itemLengths.put(item, len);
        return len;
    }

    private long elementLength(VR vr, Object value) {
        if (value instanceof Sequence) {
            Sequence seq = (Sequence) value;
            return headerLength(VR.SQ) + sequenceLength(seq) + (undefinedSequenceLength ? 8 : 0);
        }
        if (value instanceof Fragments) {
            Fragments frags = (Fragments) value;
            long len = headerLength(frags.vr()) + 8;
            for (int k = 0; k < frags.size(); k++) {
                long f = frags.lengthOf(k);
                len += 8 + f + (f & 1);
            }
            return len;
        }
        long len = value instanceof BulkData ? ((BulkData) value).length() : ((byte[]) value).length;
        len += len & 1;
        return headerLength(writtenVR(vr, len)) + len;
    }

    private int headerLength(VR vr) {
        return ts.isExplicitVR() ? vr.headerLength() : 8;
    }

    private static long checked(long len) throws IOException {
        if (len >= UNDEFINED) {
            throw new IOException("value too long for a 32-bit length: " + len);
        }
        return len;
    }

    private void writeInt(int v, boolean be) throws IOException {
        put32(0, v, be);
        out.write(header, 0, 4);
    }

    private void put16(int off, int v, boolean be) {
        header[off + (be ? 0 : 1)] = (byte) (v >>> 8);
        header[off + (be ? 1 : 0)] = (byte) v;
    }

    private void put32(int off, int v, boolean be) {
        if (be) {
            put16(off, v >>> 16, true);
            put16(off + 2, v, true);
        } else {
            put16(off, v, false);
            put16(off + 2, v >>> 16, false);
        }
    }

    /** Finishes deflate compression if any and flushes; the underlying stream stays open. */
    public void finish() throws IOException {
        if (deflater != null && !deflateFinished) {
            deflater.finish();
            if ((deflatedBytes.count & 1) != 0) {
                raw.write(0); // PS3.5 A.5: the deflated bit stream is padded to an even length
            }
            deflateFinished = true;
        }
        raw.flush();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Finishes and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            raw.close();
        }
    }
}
