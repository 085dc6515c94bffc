package org.mosaicpacs.dicom.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.zip.ZipException;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.ElementDictionary;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.data.VR;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads DICOM data sets: Part 10 files (with or without the 128-byte preamble and "DICM" prefix, or
 * starting directly with the file meta group) and raw data sets in a given or guessed transfer syntax.
 *
 * <p>Supported encodings: Implicit VR Little Endian, Explicit VR Little and Big Endian, Deflated
 * Explicit VR Little Endian (raw deflate; a zlib wrapper is tolerated), and every encapsulated transfer
 * syntax, whose pixel data is kept as {@link Fragments}. Sequences and items of defined and undefined
 * length are parsed without recursion.
 *
 * <p>Leniency: a VR code that is not a VR makes the element be read as implicit VR with the VR of the
 * dictionary; odd lengths are accepted; UN values of known elements are given their dictionary VR,
 * and UN (or implicit VR) elements of undefined length are parsed as Implicit VR Little Endian
 * sequences. Implicit VR private elements get their VR from the private dictionary of their creator,
 * else UN; "US or SS" elements are SS when Pixel Representation (0028,0103) is 1.
 *
 * <p>Strictness: every malformation that prevents reading (truncation, a length beyond the stream or
 * the enclosing item, a broken item structure, elements so far out of tag order that sorting them
 * would cost more than 2^26 array moves) and every breach of {@link DicomReadLimits} throws a
 * {@link DicomParseException}; no runtime exception, stack overflow or out-of-memory error is caused by
 * input bytes.
 *
 * <p>Typical use:
 * <pre>{@code
 * try (DicomInputStream in = new DicomInputStream(path)) {
 *     Attributes fmi = in.readFileMetaInformation();
 *     Attributes ds = in.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
 * }
 * }</pre>
 * Not thread safe.
 */
public final class DicomInputStream implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(DicomInputStream.class);

    /** A stop predicate for {@link #readDataset(IntPredicate)}: stop before (7FE0,0010) Pixel Data or later. */
    public static final IntPredicate STOP_BEFORE_PIXEL_DATA = tag -> Integer.compareUnsigned(tag, Tag.PixelData) >= 0;

    private static final int UNDEFINED = -1;
    private static final int DATASET = 0;
    private static final int SEQUENCE = 1;
    private static final int FRAGMENTS = 2;
    private static final int DATASET_TRAILING_PADDING = 0xFFFCFFFC;

    /** Budget of array slots shifted to insert elements that arrive out of tag order (CPU bound). */
    private static final long MAX_MOVES = 1L << 26;

    private final DicomInput in;
    private final long streamLength;
    private DicomReadLimits limits = DicomReadLimits.DEFAULT;
    private URI bulkDataURI;
    private long bulkDataThreshold = -1;
    private boolean keepGroupLengths;
    private boolean preambleChecked;
    private Attributes fileMetaInformation;
    private TransferSyntax ts;
    private long allocated;
    private long moves;
    private boolean guessed;

    /**
     * Reads a Part 10 file or a raw data set whose transfer syntax is guessed from its first bytes.
     */
    public DicomInputStream(InputStream in) {
        this.in = new DicomInput(in, limits, false);
        this.streamLength = -1;
    }

    /**
     * Reads a raw data set (no preamble, no file meta information) in the given transfer syntax, e.g. a
     * DIMSE data set. The reader buffers ahead: give it a stream that ends where the data set ends.
     */
    public DicomInputStream(InputStream in, String transferSyntaxUID) {
        this(in);
        this.ts = TransferSyntax.of(transferSyntaxUID);
        this.preambleChecked = true;
    }

    /**
     * Reads a file (Part 10 or raw, guessed); values can then be kept as bulk data references to it,
     * see {@link #setBulkDataThreshold(long)}.
     */
    public DicomInputStream(Path file) throws IOException {
        this.in = new DicomInput(Files.newInputStream(file), limits, true);
        this.streamLength = Files.size(file);
        this.bulkDataURI = file.toAbsolutePath().toUri();
    }

    /** Sets the limits (default {@link DicomReadLimits#DEFAULT}). */
    public DicomInputStream setLimits(DicomReadLimits limits) {
        this.limits = limits;
        in.setLimits(limits);
        return this;
    }

    /**
     * Keeps values of bulk VRs (OB, OD, OF, OL, OV, OW, UN) and fragments of at least this many bytes as
     * {@link BulkData} references (resource + offset + length) instead of reading them; -1 (default)
     * reads everything. Only effective with a bulk data URI (given by the file constructor or
     * {@link #setBulkDataURI(URI)}) and never for deflated data sets.
     */
    public DicomInputStream setBulkDataThreshold(long bytes) {
        this.bulkDataThreshold = bytes;
        return this;
    }

    /** Sets the resource that bulk data references point to; offsets count from the start of this stream. */
    public DicomInputStream setBulkDataURI(URI uri) {
        this.bulkDataURI = uri;
        return this;
    }

    /** Keeps group length elements (gggg,0000) of data sets; default false (they are skipped). */
    public DicomInputStream setKeepGroupLengths(boolean keep) {
        this.keepGroupLengths = keep;
        return this;
    }

    /** Returns the transfer syntax of the data set (known after {@link #readFileMetaInformation()}). */
    public String getTransferSyntax() {
        return ts == null ? null : ts.uid();
    }

    /** Returns the file meta information read, or null. */
    public Attributes getFileMetaInformation() {
        return fileMetaInformation;
    }

    /** Returns the position in the stream (in the inflated stream once inflating). */
    public long position() {
        return in.position();
    }

    /**
     * Reads the preamble and the file meta information (group 0002) if present, and determines the
     * transfer syntax of the data set (guessed when there is no file meta information).
     *
     * @return the file meta information, or null if the stream has none
     * @throws DicomParseException if the file meta information is malformed
     */
    public Attributes readFileMetaInformation() throws IOException {
        if (preambleChecked) {
            return fileMetaInformation;
        }
        preambleChecked = true;
        try {
            int n = in.peek(132);
            if (n == 132 && in.at(128) == 'D' && in.at(129) == 'I' && in.at(130) == 'C' && in.at(131) == 'M') {
                in.consume(132);
            } else if (n >= 4 && in.at(0) == 'D' && in.at(1) == 'I' && in.at(2) == 'C' && in.at(3) == 'M') {
                in.consume(4);
            }
            n = in.peek(8);
            if (n >= 8 && in.u16(0, false) == 0x0002) {
                readMeta();
            }
            if (ts == null) {
                ts = guessTransferSyntax();
                guessed = fileMetaInformation == null;
            }
            return fileMetaInformation;
        } catch (DicomParseException e) {
            throw e;
        } catch (EOFException | ZipException e) {
            throw new DicomParseException("malformed stream: " + e.getMessage(), in.position(), e);
        } catch (RuntimeException e) {
            throw new DicomParseException("malformed file meta information: " + e, in.position(), e);
        }
    }

    private void readMeta() throws IOException {
        Attributes fmi = new Attributes(false, 12);
        ArrayList<Frame> stack = new ArrayList<>();
        Frame root = new Frame(null, DATASET, fmi, -1, false, false);
        stack.add(root);
        parse(stack, tag -> (tag >>> 16) != 0x0002, true);
        fileMetaInformation = fmi;
        String uid = fmi.getString(Tag.TransferSyntaxUID);
        if (uid != null && !uid.isEmpty()) {
            ts = TransferSyntax.of(uid);
        } else {
            LOG.debug("file meta information without transfer syntax: guessing");
        }
    }

    private TransferSyntax guessTransferSyntax() throws IOException {
        int n = in.peek(6);
        if (n < 6) {
            return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        }
        boolean vrValid = VR.fromCode((in.at(4) & 0xFF) << 8 | (in.at(5) & 0xFF)) != null;
        if (in.at(0) == 0 && in.at(1) != 0 && vrValid) {
            return TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;
        }
        return vrValid ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }

    /** Reads the whole data set. */
    public Attributes readDataset() throws IOException {
        return readDataset(null);
    }

    /**
     * Reads the data set until its end or until the first top-level element whose tag matches
     * {@code stopBefore}; the stream is then positioned at the start of that element.
     *
     * @param stopBefore tested on top-level tags, may be null
     * @throws DicomParseException if the data set is malformed or a limit is broken
     */
    public Attributes readDataset(IntPredicate stopBefore) throws IOException {
        readFileMetaInformation();
        if (ts.isDeflated() && !in.isInflating()) {
            in.startInflate();
        }
        Attributes ds = new Attributes(ts.isBigEndian(), 64);
        ArrayList<Frame> stack = new ArrayList<>();
        stack.add(new Frame(null, DATASET, ds, -1, !ts.isExplicitVR(), ts.isBigEndian()));
        try {
            parse(stack, stopBefore, false);
        } catch (DicomParseException e) {
            throw e;
        } catch (EOFException | ZipException e) {
            throw new DicomParseException("malformed stream: " + e.getMessage(), in.position(), e);
        } catch (RuntimeException e) {
            throw new DicomParseException("malformed data set: " + e, in.position(), e);
        }
        if (guessed && ds.isEmpty() && stopBefore == null) {
            throw new DicomParseException("no file meta information and no data set: not DICOM", in.position());
        }
        return ds;
    }

    private static final class Frame {
        final int kind;
        final Attributes attrs;
        final Sequence seq;
        final Fragments frags;
        final long end;
        /** The nearest defined end of this frame or an enclosing one: no value may cross it. */
        final long bound;
        final boolean implicit;
        final boolean be;

        Frame(Frame parent, int kind, Attributes attrs, long end, boolean implicit, boolean be) {
            this(parent, kind, attrs, null, null, end, implicit, be);
        }

        Frame(Frame parent, int kind, Attributes attrs, Sequence seq, Fragments frags, long end, boolean implicit,
                boolean be) {
            this.kind = kind;
            this.attrs = attrs;
            this.seq = seq;
            this.frags = frags;
            this.end = end;
            this.bound = end != UNDEFINED || parent == null ? end : parent.bound;
            this.implicit = implicit;
            this.be = be;
        }
    }

    private void parse(ArrayList<Frame> stack, IntPredicate stopBefore, boolean meta) throws IOException {
        while (!stack.isEmpty()) {
            Frame f = stack.get(stack.size() - 1);
            long pos = in.position();
            if (f.end != UNDEFINED && pos >= f.end) {
                if (pos > f.end) {
                    throw new DicomParseException("element overruns its enclosing item or sequence (end "
                            + f.end + ")", pos);
                }
                stack.remove(stack.size() - 1);
                continue;
            }
            int avail = in.peek(8);
            if (avail < 8) {
                if (stack.size() == 1 && f.kind == DATASET && avail == 0) {
                    return;
                }
                if (stack.size() == 1 && f.kind == DATASET) {
                    throw new DicomParseException("unexpected end of stream in an element header", pos);
                }
                throw new DicomParseException("unexpected end of stream inside a sequence or item", pos);
            }
            int tag = in.u16(0, f.be) << 16 | in.u16(2, f.be);
            if (f.kind == DATASET) {
                if (stack.size() == 1 && stopBefore != null && stopBefore.test(tag)) {
                    return;
                }
                if ((tag >>> 16) == 0xFFFE) {
                    int len = in.i32(4, f.be);
                    in.consume(8);
                    if (tag == Tag.ItemDelimitationItem && stack.size() > 1 && f.end == UNDEFINED) {
                        stack.remove(stack.size() - 1);
                    } else if (tag == Tag.ItemDelimitationItem || tag == Tag.SequenceDelimitationItem
                            && stack.size() == 1) {
                        LOG.debug("ignoring stray delimitation item {} at offset {}", Tag.toString(tag), pos);
                    } else {
                        throw new DicomParseException("unexpected " + Tag.toString(tag) + " (length " + len
                                + ") in a data set", pos);
                    }
                    continue;
                }
                readElement(stack, f, tag, meta);
                if (stack.get(stack.size() - 1).kind == SEQUENCE && stack.size() / 2 > limits.maxNestingDepth()) {
                    throw new DicomParseException("sequence nesting deeper than " + limits.maxNestingDepth(), pos);
                }
            } else {
                long len = in.i32(4, f.be) & 0xFFFFFFFFL;
                in.consume(8);
                if (tag == Tag.SequenceDelimitationItem) {
                    if (f.end != UNDEFINED && pos + 8 != f.end) {
                        // ending here would ignore the defined length (which may lie past the end of the stream)
                        throw new DicomParseException("sequence delimitation item inside a sequence of defined length"
                                + " (end " + f.end + ")", pos);
                    }
                    stack.remove(stack.size() - 1);
                } else if (tag != Tag.Item) {
                    throw new DicomParseException("expected an item, found " + Tag.toString(tag), pos);
                } else if (f.kind == SEQUENCE) {
                    charge(DicomReadLimits.ITEM_OVERHEAD, pos);
                    Attributes item = new Attributes(f.attrs.bigEndian(), 0);
                    f.seq.add(item);
                    long end = len == 0xFFFFFFFFL ? UNDEFINED : checkLength(len, f, pos + 8) + pos + 8;
                    stack.add(new Frame(f, DATASET, item, end, f.implicit, f.be));
                } else {
                    if (len == 0xFFFFFFFFL) {
                        throw new DicomParseException("fragment of undefined length", pos);
                    }
                    checkLength(len, f, pos + 8);
                    charge(DicomReadLimits.OVERHEAD, pos);
                    f.frags.add(bulkOrBytes(len, VR.OB, f.be, f.attrs.bigEndian(), pos + 8));
                }
            }
        }
    }

    private void readElement(ArrayList<Frame> stack, Frame f, int tag, boolean meta) throws IOException {
        long pos = in.position();
        Attributes attrs = f.attrs;
        VR vr = null;
        long len;
        boolean implicit = f.implicit;
        if (!implicit) {
            vr = VR.fromCode((in.at(4) & 0xFF) << 8 | (in.at(5) & 0xFF));
            if (vr == null) {
                LOG.debug("invalid VR code at offset {}: reading {} as implicit VR", pos + 4, Tag.toString(tag));
                implicit = true;
            }
        }
        if (implicit) {
            len = in.i32(4, f.be) & 0xFFFFFFFFL;
            in.consume(8);
            vr = dictionaryVR(attrs, tag);
        } else if (vr.hasLongLength()) {
            if (in.peek(12) < 12) {
                throw new DicomParseException("unexpected end of stream in an element header", pos);
            }
            len = in.i32(8, f.be) & 0xFFFFFFFFL;
            in.consume(12);
        } else {
            len = in.u16(6, f.be);
            in.consume(8);
        }
        long valuePos = pos + (in.position() - pos);
        charge(DicomReadLimits.OVERHEAD, pos);
        int n = attrs.size();
        if (n > 0 && Integer.compareUnsigned(tag, attrs.tagAt(n - 1)) < 0) {
            int i = attrs.indexOf(tag);
            moves += i < 0 ? n + i + 1 : 0;
            if (moves > MAX_MOVES) {
                throw new DicomParseException("too many elements out of tag order", pos);
            }
        }
        if (len == 0xFFFFFFFFL) {
            if (vr == VR.SQ || vr == VR.UN || implicit && tag != Tag.PixelData) {
                boolean asImplicitLE = vr == VR.UN || f.implicit && !f.be;
                Sequence seq = attrs.newSequence(tag, 4);
                stack.add(new Frame(f, SEQUENCE, attrs, seq, null, UNDEFINED, asImplicitLE || f.implicit,
                        !asImplicitLE && f.be));
            } else {
                Fragments frags = new Fragments(vr == VR.OW ? VR.OW : VR.OB, attrs.bigEndian(), 4);
                attrs.setFragments(tag, frags);
                stack.add(new Frame(f, FRAGMENTS, attrs, null, frags, UNDEFINED, f.implicit, f.be));
            }
            return;
        }
        checkLength(len, f, valuePos);
        if (vr == VR.UN) {
            VR dict = dictionaryVR(attrs, tag);
            if (dict == VR.SQ) {
                Sequence seq = attrs.newSequence(tag, 4);
                stack.add(new Frame(f, SEQUENCE, attrs, seq, null, valuePos + len, true, false));
                return;
            }
            vr = dict;
        }
        if (vr == VR.SQ) {
            Sequence seq = attrs.newSequence(tag, 4);
            stack.add(new Frame(f, SEQUENCE, attrs, seq, null, valuePos + len, f.implicit, f.be));
            return;
        }
        if (!meta && !keepGroupLengths && Tag.isGroupLength(tag) || tag == DATASET_TRAILING_PADDING) {
            in.skip(len);
            return;
        }
        Object value = bulkOrBytes(len, vr, f.be, attrs.bigEndian(), valuePos);
        attrs.setValue(tag, vr, value);
    }

    private VR dictionaryVR(Attributes attrs, int tag) {
        String creator = Tag.isPrivate(tag) && !Tag.isPrivateCreator(tag) ? attrs.getPrivateCreator(tag) : null;
        if (Tag.isPrivate(tag) && !Tag.isPrivateCreator(tag) && creator == null) {
            return VR.UN;
        }
        VR vr = ElementDictionary.vrOf(tag, creator);
        if (vr == VR.US && creator == null && isSigned(attrs)
                && Arrays.asList(ElementDictionary.standard().vrsOf(tag)).contains(VR.SS)) {
            return VR.SS;
        }
        return vr;
    }

    private static boolean isSigned(Attributes attrs) {
        for (Attributes a = attrs; a != null; a = a.getParent()) {
            if (a.contains(Tag.PixelRepresentation)) {
                return a.getInt(Tag.PixelRepresentation, 0) == 1;
            }
        }
        return false;
    }

    private long checkLength(long len, Frame f, long valuePos) throws DicomParseException {
        if (len > limits.maxValueLength()) {
            throw new DicomParseException("absurd value length " + len + " (limit " + limits.maxValueLength() + ")",
                    valuePos);
        }
        if (streamLength >= 0 && !in.isInflating() && valuePos + len > streamLength) {
            throw new DicomParseException("value length " + len + " past the end of the stream", valuePos);
        }
        if (f.bound != UNDEFINED && valuePos + len > f.bound) {
            throw new DicomParseException("value length " + len + " past the end of the enclosing item", valuePos);
        }
        return len;
    }

    private void charge(long bytes, long pos) throws DicomParseException {
        allocated += bytes;
        if (allocated > limits.maxAllocation()) {
            throw new DicomParseException("allocation limit of " + limits.maxAllocation() + " bytes exceeded", pos);
        }
    }

    private Object bulkOrBytes(long len, VR vr, boolean streamBE, boolean datasetBE, long valuePos)
            throws IOException {
        if (bulkDataThreshold >= 0 && len >= bulkDataThreshold && bulkDataURI != null && !in.isInflating()
                && vr.isBulkCandidate()) {
            in.skip(len);
            return new BulkData(bulkDataURI, valuePos, len, streamBE);
        }
        charge(len, valuePos);
        byte[] b = readValue((int) len);
        if (streamBE != datasetBE) {
            vr.swapBytes(b, 0, b.length);
        }
        return b;
    }

    private byte[] readValue(int len) throws IOException {
        int chunk = 1 << 20;
        if (len <= chunk) {
            byte[] b = new byte[len];
            in.readFully(b, 0, len);
            return b;
        }
        byte[] b = new byte[chunk];
        int filled = 0;
        while (filled < len) {
            if (filled == b.length) {
                b = Arrays.copyOf(b, (int) Math.min(len, (long) b.length * 2));
            }
            int n = Math.min(b.length - filled, len - filled);
            in.readFully(b, filled, n);
            filled += n;
        }
        return b;
    }

    /** Closes the underlying stream. */
    @Override
    public void close() throws IOException {
        in.close();
    }
}
