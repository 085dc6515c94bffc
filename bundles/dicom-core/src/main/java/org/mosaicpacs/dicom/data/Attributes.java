package org.mosaicpacs.dicom.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

import org.mosaicpacs.dicom.charset.SpecificCharacterSet;

/**
 * A DICOM data set: data elements sorted by tag in parallel arrays (tags, VRs, values), found by binary
 * search.
 *
 * <p>Values are kept as encoded: a {@code byte[]} in the byte order of this data set (see
 * {@link #bigEndian()}), possibly with its padding byte; they are decoded on demand by the getters.
 * Other value types are a {@link Sequence} (SQ), {@link Fragments} (encapsulated pixel data) and
 * {@link BulkData} (a reference, read only by {@link #getBytes(int)}). An element with an empty value
 * holds an empty {@code byte[]}.
 *
 * <p>Text is decoded and encoded with the Specific Character Set (0008,0005) of this data set or, in
 * an item that has none, of the nearest ancestor. Setters encode with the character set in effect at
 * the time of the call: set (0008,0005) first.
 *
 * <p>Private elements can be addressed with their private creator: the tag argument then gives the
 * group and the low byte of the element ({@code ggggxxee}, the {@code xx} is ignored) and the block is
 * found from the creator element (gggg,0010-00FF).
 *
 * <p>Not thread safe.
 */
public final class Attributes {

    private static final byte[] EMPTY = {};
    private static final int[] NO_TAGS = {};
    private static final VR[] NO_VRS = {};
    private static final Object[] NO_VALUES = {};
    private static final int SPECIFIC_CHARACTER_SET = 0x00080005;

    private final boolean bigEndian;
    private Attributes parent;
    private int[] tags;
    private VR[] vrs;
    private Object[] values;
    private int size;
    private SpecificCharacterSet charset;

    /** Creates an empty little endian data set. */
    public Attributes() {
        this(false, 16);
    }

    /** Creates an empty data set with the given byte order. */
    public Attributes(boolean bigEndian) {
        this(bigEndian, 16);
    }

    /** Creates an empty data set with the given byte order and initial capacity (0: allocate on first use). */
    public Attributes(boolean bigEndian, int initialCapacity) {
        this.bigEndian = bigEndian;
        int n = Math.max(0, Math.min(initialCapacity, 4096));
        tags = n == 0 ? NO_TAGS : new int[n];
        vrs = n == 0 ? NO_VRS : new VR[n];
        values = n == 0 ? NO_VALUES : new Object[n];
    }

    /** Creates a deep copy of {@code other} (bulk data references are shared, not read). */
    public Attributes(Attributes other) {
        this(other.bigEndian, other.size);
        addAll(other);
    }

    // ---- structure -----------------------------------------------------------------------------

    /** Returns whether binary values of this data set are big endian. */
    public boolean bigEndian() {
        return bigEndian;
    }

    /** Returns the data set holding the sequence this item belongs to, or null for a root data set. */
    public Attributes getParent() {
        return parent;
    }

    void setParent(Attributes parent) {
        this.parent = parent;
    }

    /** Returns whether this data set is not an item of a sequence. */
    public boolean isRoot() {
        return parent == null;
    }

    /** Returns the nesting level: 0 for a root data set, 1 for its items, ... */
    public int nestingLevel() {
        int n = 0;
        for (Attributes a = parent; a != null; a = a.parent) {
            n++;
        }
        return n;
    }

    /** Returns the number of elements. */
    public int size() {
        return size;
    }

    /** Returns whether there are no elements. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Returns the tag of the element at an index (0 to size-1, ascending tag order). */
    public int tagAt(int index) {
        checkIndex(index);
        return tags[index];
    }

    /** Returns the VR of the element at an index. */
    public VR vrAt(int index) {
        checkIndex(index);
        return vrs[index];
    }

    /** Returns the raw value at an index: byte[], Sequence, Fragments or BulkData. */
    public Object valueAt(int index) {
        checkIndex(index);
        return values[index];
    }

    /** Returns the tags of all elements, ascending. */
    public int[] tags() {
        return Arrays.copyOf(tags, size);
    }

    /** Returns the index of the element with a tag, or a negative value ({@code -(insertion point) - 1}). */
    public int indexOf(int tag) {
        int key = tag ^ Integer.MIN_VALUE;
        if (size > 0 && (tags[size - 1] ^ Integer.MIN_VALUE) < key) {
            return -size - 1;
        }
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int v = tags[mid] ^ Integer.MIN_VALUE;
            if (v < key) {
                lo = mid + 1;
            } else if (v > key) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /** Returns whether the data set contains an element with the tag. */
    public boolean contains(int tag) {
        return indexOf(tag) >= 0;
    }

    /** Returns whether the element exists and has a non-empty value. */
    public boolean containsValue(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return false;
        }
        Object v = values[i];
        return v instanceof byte[] ? ((byte[]) v).length > 0 : !(v instanceof Sequence) || !((Sequence) v).isEmpty();
    }

    /** Returns the VR of an element, or null if absent. */
    public VR getVR(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : vrs[i];
    }

    /** Returns the raw value of an element (byte[], Sequence, Fragments or BulkData), or null if absent. */
    public Object getValue(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : values[i];
    }

    // ---- character set -------------------------------------------------------------------------

    /** Returns the Specific Character Set in effect for this data set (inherited by items). */
    public SpecificCharacterSet getSpecificCharacterSet() {
        if (charset != null) {
            return charset;
        }
        int i = indexOf(SPECIFIC_CHARACTER_SET);
        if (i >= 0 && values[i] instanceof byte[]) {
            charset = SpecificCharacterSet.valueOf(VR.CS.toStrings((byte[]) values[i], bigEndian, null));
            return charset;
        }
        return parent != null ? parent.getSpecificCharacterSet() : SpecificCharacterSet.ASCII;
    }

    // ---- getters -------------------------------------------------------------------------------

    /**
     * Returns the value bytes of an element in this data set's byte order, reading bulk data if
     * needed; null if absent or if the value is a sequence or fragments.
     *
     * @throws UncheckedIOException if bulk data cannot be read
     */
    public byte[] getBytes(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : bytesOf(i);
    }

    /**
     * Returns the value bytes of an element in the requested byte order (a swapped copy if it differs
     * from this data set's), e.g. little endian for DICOM JSON InlineBinary; null as for
     * {@link #getBytes(int)}.
     */
    public byte[] getBytes(int tag, boolean bigEndian) {
        int i = indexOf(tag);
        byte[] b = i < 0 ? null : bytesOf(i);
        if (b == null || bigEndian == this.bigEndian || vrs[i].swapUnit() <= 1) {
            return b;
        }
        byte[] c = b.clone();
        vrs[i].swapBytes(c, 0, c.length);
        return c;
    }

    private byte[] bytesOf(int i) {
        Object v = values[i];
        if (v instanceof byte[]) {
            return (byte[]) v;
        }
        if (v instanceof BulkData) {
            BulkData bd = (BulkData) v;
            try {
                byte[] b = bd.toBytes();
                if (bd.bigEndian() != bigEndian) {
                    vrs[i].swapBytes(b, 0, b.length);
                }
                return b;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return null;
    }

    /** Returns the first value as a string (numbers in decimal), or null if absent or empty. */
    public String getString(int tag) {
        return getString(tag, null);
    }

    /** Returns the first value as a string, or {@code defaultValue} if absent or empty. */
    public String getString(int tag, String defaultValue) {
        String[] s = getStrings(tag);
        return s == null || s.length == 0 || s[0].isEmpty() && s.length == 1 ? defaultValue : s[0];
    }

    /**
     * Returns all values as strings (trimmed; numbers in decimal), an empty array for an empty value,
     * or null if absent or not representable as strings (SQ, OB, UN, fragments).
     */
    public String[] getStrings(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return null;
        }
        byte[] b = bytesOf(i);
        return b == null ? null : vrs[i].toStrings(b, bigEndian, getSpecificCharacterSet());
    }

    /** Returns the first value as an int, or {@code defaultValue} if absent, empty or unparsable. */
    public int getInt(int tag, int defaultValue) {
        return (int) getLong(tag, defaultValue);
    }

    /** Returns the first value as a long, or {@code defaultValue} if absent, empty or unparsable. */
    public long getLong(int tag, long defaultValue) {
        long[] v = getLongs(tag);
        return v == null || v.length == 0 ? defaultValue : v[0];
    }

    /** Returns all values as ints, or null if absent or unparsable. */
    public int[] getInts(int tag) {
        long[] v = getLongs(tag);
        return v == null ? null : Arrays.stream(v).mapToInt(l -> (int) l).toArray();
    }

    /** Returns all values as longs, or null if absent or unparsable. */
    public long[] getLongs(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return null;
        }
        byte[] b = bytesOf(i);
        if (b == null) {
            return null;
        }
        try {
            return vrs[i].toLongs(b, bigEndian);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Returns the first value as a double, or {@code defaultValue} if absent, empty or unparsable. */
    public double getDouble(int tag, double defaultValue) {
        double[] v = getDoubles(tag);
        return v == null || v.length == 0 ? defaultValue : v[0];
    }

    /** Returns the first value as a float, or {@code defaultValue} if absent, empty or unparsable. */
    public float getFloat(int tag, float defaultValue) {
        double[] v = getDoubles(tag);
        return v == null || v.length == 0 ? defaultValue : (float) v[0];
    }

    /** Returns all values as doubles, or null if absent or unparsable. */
    public double[] getDoubles(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return null;
        }
        byte[] b = bytesOf(i);
        if (b == null) {
            return null;
        }
        try {
            return vrs[i].toDoubles(b, bigEndian);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Returns all values as floats, or null if absent or unparsable. */
    public float[] getFloats(int tag) {
        double[] d = getDoubles(tag);
        if (d == null) {
            return null;
        }
        float[] f = new float[d.length];
        for (int k = 0; k < d.length; k++) {
            f[k] = (float) d[k];
        }
        return f;
    }

    /** Returns the sequence of an SQ element, or null if absent or not a sequence. */
    public Sequence getSequence(int tag) {
        Object v = getValue(tag);
        return v instanceof Sequence ? (Sequence) v : null;
    }

    /** Returns the first item of a sequence, or null. */
    public Attributes getNestedDataset(int tag) {
        Sequence s = getSequence(tag);
        return s == null || s.isEmpty() ? null : s.get(0);
    }

    /** Returns the fragments of an encapsulated element, or null. */
    public Fragments getFragments(int tag) {
        Object v = getValue(tag);
        return v instanceof Fragments ? (Fragments) v : null;
    }

    /** Returns the bulk data reference of an element, or null. */
    public BulkData getBulkData(int tag) {
        Object v = getValue(tag);
        return v instanceof BulkData ? (BulkData) v : null;
    }

    // ---- private elements ----------------------------------------------------------------------

    /** Returns the private creator of a private data element (gggg,xxee), or null. */
    public String getPrivateCreator(int tag) {
        if (!Tag.isPrivate(tag) || (tag & 0xFF00) == 0) {
            return null;
        }
        int i = indexOf((tag & 0xFFFF0000) | ((tag >>> 8) & 0xFF));
        if (i < 0 || !(values[i] instanceof byte[])) {
            return null;
        }
        byte[] b = (byte[]) values[i];
        String[] s = vrs[i].toStrings(b.length > 256 ? Arrays.copyOf(b, 256) : b, bigEndian,
                getSpecificCharacterSet());
        return s == null || s.length == 0 ? null : s[0];
    }

    /**
     * Returns the actual tag of a private element of a creator, or -1 if the creator has no block.
     *
     * @param privateCreator the creator, compared after trimming
     * @param tag {@code ggggxxee}: group and low element byte (xx ignored)
     */
    public int privateTag(String privateCreator, int tag) {
        return privateTag(privateCreator, tag, false);
    }

    private int privateTag(String privateCreator, int tag, boolean reserve) {
        int group = tag & 0xFFFF0000;
        int free = -1;
        for (int el = 0x10; el <= 0xFF; el++) {
            int i = indexOf(group | el);
            if (i < 0) {
                if (free < 0) {
                    free = el;
                }
                continue;
            }
            String c = getString(group | el);
            if (c != null && c.equals(privateCreator.trim())) {
                return group | el << 8 | (tag & 0xFF);
            }
        }
        if (!reserve || free < 0) {
            return -1;
        }
        setString(group | free, VR.LO, privateCreator);
        return group | free << 8 | (tag & 0xFF);
    }

    /** Returns the first value of a private element as a string, or null. */
    public String getString(String privateCreator, int tag) {
        int t = privateTag(privateCreator, tag);
        return t < 0 ? null : getString(t);
    }

    /** Returns all values of a private element as strings, or null. */
    public String[] getStrings(String privateCreator, int tag) {
        int t = privateTag(privateCreator, tag);
        return t < 0 ? null : getStrings(t);
    }

    /** Returns the value bytes of a private element, or null. */
    public byte[] getBytes(String privateCreator, int tag) {
        int t = privateTag(privateCreator, tag);
        return t < 0 ? null : getBytes(t);
    }

    /** Sets a private element, reserving a block for the creator if needed; returns the actual tag. */
    public int setString(String privateCreator, int tag, VR vr, String... values) {
        int t = privateTag(privateCreator, tag, true);
        if (t < 0) {
            throw new IllegalStateException("no free private block in group " + Tag.toString(tag));
        }
        setString(t, vr, values);
        return t;
    }

    /** Sets the bytes of a private element, reserving a block for the creator if needed; returns the tag. */
    public int setBytes(String privateCreator, int tag, VR vr, byte[] value) {
        int t = privateTag(privateCreator, tag, true);
        if (t < 0) {
            throw new IllegalStateException("no free private block in group " + Tag.toString(tag));
        }
        setBytes(t, vr, value);
        return t;
    }

    // ---- setters -------------------------------------------------------------------------------

    /**
     * Sets string values (parsed into numbers for binary VRs), encoded with the character set in effect.
     *
     * @throws NumberFormatException if a binary VR value is not a number
     */
    public Attributes setString(int tag, VR vr, String... values) {
        SpecificCharacterSet cs = tag == SPECIFIC_CHARACTER_SET ? null : getSpecificCharacterSet();
        return put(tag, vr, vr.toBytes(values, bigEndian, cs));
    }

    /** Sets integer values (decimal strings for IS/DS and other string VRs). */
    public Attributes setInt(int tag, VR vr, int... values) {
        return put(tag, vr, vr.toBytes(Arrays.stream(values).asLongStream().toArray(), bigEndian));
    }

    /** Sets 64-bit integer values. */
    public Attributes setLong(int tag, VR vr, long... values) {
        return put(tag, vr, vr.toBytes(values, bigEndian));
    }

    /** Sets floating point values (decimal strings for DS). */
    public Attributes setDouble(int tag, VR vr, double... values) {
        return put(tag, vr, vr.toBytes(values, bigEndian));
    }

    /** Sets floating point values (decimal strings for DS). */
    public Attributes setFloat(int tag, VR vr, float... values) {
        double[] d = new double[values.length];
        for (int k = 0; k < d.length; k++) {
            d[k] = Double.parseDouble(Float.toString(values[k]));
        }
        return put(tag, vr, vr.toBytes(d, bigEndian));
    }

    /** Sets the value bytes as encoded in this data set's byte order (not copied). */
    public Attributes setBytes(int tag, VR vr, byte[] value) {
        return put(tag, vr, value == null ? EMPTY : value);
    }

    /** Sets an element with an empty value. */
    public Attributes setNull(int tag, VR vr) {
        return put(tag, vr, EMPTY);
    }

    /** Sets a bulk data reference as the value. */
    public Attributes setBulkData(int tag, VR vr, BulkData value) {
        return put(tag, vr, value);
    }

    /** Sets fragments as the value of an encapsulated element; the VR is the fragments' VR. */
    public Attributes setFragments(int tag, Fragments value) {
        return put(tag, value.vr(), value);
    }

    /**
     * Sets a raw value: byte[] (in this data set's byte order), {@link Fragments}, {@link BulkData} or
     * null (empty). Sequences are made with {@link #newSequence(int, int)}.
     *
     * @throws IllegalArgumentException for any other type
     */
    public Attributes setValue(int tag, VR vr, Object value) {
        if (value == null) {
            return put(tag, vr, EMPTY);
        }
        if (value instanceof byte[] || value instanceof Fragments || value instanceof BulkData) {
            return put(tag, vr, value);
        }
        throw new IllegalArgumentException("unsupported value type " + value.getClass().getName());
    }

    /** Creates an empty sequence element (replacing any element with the tag) and returns it. */
    public Sequence newSequence(int tag, int initialCapacity) {
        Sequence s = new Sequence(this, tag, initialCapacity);
        put(tag, VR.SQ, s);
        return s;
    }

    /** Removes an element; returns its raw value or null if absent. */
    public Object remove(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return null;
        }
        Object old = values[i];
        System.arraycopy(tags, i + 1, tags, i, size - i - 1);
        System.arraycopy(vrs, i + 1, vrs, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        vrs[size] = null;
        values[size] = null;
        if (tag == SPECIFIC_CHARACTER_SET) {
            charset = null;
        }
        return old;
    }

    /** Removes every element. */
    public void clear() {
        Arrays.fill(vrs, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        charset = null;
    }

    /**
     * Copies all elements of {@code other} into this data set (deep copy of sequences and fragments,
     * byte order converted if needed).
     */
    public Attributes addAll(Attributes other) {
        for (int i = 0; i < other.size; i++) {
            int tag = other.tags[i];
            VR vr = other.vrs[i];
            Object v = other.values[i];
            if (v instanceof Sequence) {
                Sequence src = (Sequence) v;
                Sequence dst = newSequence(tag, src.size());
                for (Attributes item : src) {
                    Attributes copy = new Attributes(bigEndian, item.size);
                    dst.add(copy);
                    copy.addAll(item);
                }
            } else if (v instanceof Fragments) {
                Fragments src = (Fragments) v;
                Fragments dst = new Fragments(src.vr(), bigEndian, src.size());
                for (Object f : src) {
                    dst.add(f instanceof byte[] ? ((byte[]) f).clone() : f);
                }
                put(tag, vr, dst);
            } else if (v instanceof byte[]) {
                byte[] b = ((byte[]) v).clone();
                if (other.bigEndian != bigEndian) {
                    vr.swapBytes(b, 0, b.length);
                }
                put(tag, vr, b);
            } else {
                put(tag, vr, v);
            }
        }
        return this;
    }

    private Attributes put(int tag, VR vr, Object value) {
        if (vr == null) {
            throw new NullPointerException("vr");
        }
        int i = indexOf(tag);
        if (i >= 0) {
            vrs[i] = vr;
            values[i] = value;
        } else {
            i = -i - 1;
            if (size == tags.length) {
                int n = size + (size >> 1) + 4;
                tags = Arrays.copyOf(tags, n);
                vrs = Arrays.copyOf(vrs, n);
                values = Arrays.copyOf(values, n);
            }
            if (i < size) {
                System.arraycopy(tags, i, tags, i + 1, size - i);
                System.arraycopy(vrs, i, vrs, i + 1, size - i);
                System.arraycopy(values, i, values, i + 1, size - i);
            }
            tags[i] = tag;
            vrs[i] = vr;
            values[i] = value;
            size++;
        }
        if (tag == SPECIFIC_CHARACTER_SET) {
            charset = null;
        }
        return this;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
    }

    // ---- Object --------------------------------------------------------------------------------

    /**
     * Compares tags, VRs and values. Values of different byte orders are compared after conversion;
     * trailing padding of text (a space or NUL) is ignored; bulk data is compared by reference, not content.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Attributes)) {
            return false;
        }
        Attributes a = (Attributes) o;
        if (a.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (tags[i] != a.tags[i] || vrs[i] != a.vrs[i] || !valueEquals(vrs[i], values[i], a.values[i],
                    a.bigEndian != bigEndian)) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueEquals(VR vr, Object v1, Object v2, boolean swap) {
        if (v1 instanceof byte[] && v2 instanceof byte[]) {
            byte[] b1 = vr.isString() ? unpad((byte[]) v1) : (byte[]) v1;
            byte[] b2 = vr.isString() ? unpad((byte[]) v2) : (byte[]) v2;
            if (swap) {
                b2 = b2.clone();
                vr.swapBytes(b2, 0, b2.length);
            }
            return Arrays.equals(b1, b2);
        }
        if (v1 instanceof Fragments && v2 instanceof Fragments) {
            Fragments f1 = (Fragments) v1;
            Fragments f2 = (Fragments) v2;
            if (f1.size() != f2.size()) {
                return false;
            }
            for (int k = 0; k < f1.size(); k++) {
                Object a = f1.get(k);
                Object b = f2.get(k);
                if (a instanceof byte[] && b instanceof byte[] ? !Arrays.equals((byte[]) a, (byte[]) b) : !a.equals(b)) {
                    return false;
                }
            }
            return true;
        }
        return v1.equals(v2);
    }

    private static byte[] unpad(byte[] b) {
        int n = b.length;
        if (n > 0 && (n & 1) == 0 && (b[n - 1] == ' ' || b[n - 1] == 0)) {
            return Arrays.copyOf(b, n - 1);
        }
        return b;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(Arrays.copyOf(tags, size));
    }

    /** Returns a dump of the elements, one per line, nested items indented, long values cut. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        dump(sb, "", 0);
        return sb.toString();
    }

    private void dump(StringBuilder sb, String indent, int depth) {
        ElementDictionary dict = ElementDictionary.standard();
        for (int i = 0; i < size && sb.length() < 100_000; i++) {
            sb.append(indent).append(Tag.toString(tags[i])).append(' ').append(vrs[i]).append(' ');
            Object v = values[i];
            if (v instanceof Sequence) {
                Sequence s = (Sequence) v;
                sb.append('#').append(s.size()).append(" items");
                appendKeyword(sb, dict, i);
                for (int k = 0; k < s.size() && depth < 64; k++) {
                    sb.append(indent).append("  >Item #").append(k + 1).append('\n');
                    s.get(k).dump(sb, indent + "  >", depth + 1);
                }
            } else if (v instanceof Fragments) {
                sb.append('#').append(((Fragments) v).size()).append(" fragments");
                appendKeyword(sb, dict, i);
            } else if (v instanceof BulkData) {
                sb.append(v);
                appendKeyword(sb, dict, i);
            } else {
                byte[] b = (byte[]) v;
                String[] s = vrs[i].toStrings(b, bigEndian, getSpecificCharacterSet());
                String text = s == null ? b.length + " bytes" : "[" + String.join("\\", s) + "]";
                sb.append(text.length() > 80 ? text.substring(0, 77) + "..." : text);
                appendKeyword(sb, dict, i);
            }
        }
    }

    private void appendKeyword(StringBuilder sb, ElementDictionary dict, int i) {
        String kw = dict.keywordOf(tags[i]);
        sb.append(' ').append(kw == null ? "?" : kw).append('\n');
    }
}
