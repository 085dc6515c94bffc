package org.mosaicpacs.dicom.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.VR;

/**
 * Writes data sets as DICOM JSON (PS3.18 Annex F), streaming to a {@link Writer}.
 *
 * <p>Encoding rules:
 * <ul>
 * <li>Each element is a member named by its tag in eight upper-case hex digits, with {@code "vr"};
 *     an empty element has no {@code "Value"}. An empty value inside a multi-valued element is
 *     {@code null}.
 * <li>Strings for AE, AS, CS, DA, DT, LO, LT, SH, ST, TM, UC, UI, UR, UT (text trimmed as for
 *     {@link Attributes#getStrings(int)}); PN as objects with {@code Alphabetic}, {@code Ideographic}
 *     and {@code Phonetic} (empty groups left out); AT as {@code "GGGGEEEE"}.
 * <li>JSON numbers for FL, FD, SS, US, SL, UL, SV, UV, and for IS and DS. A DS or IS value that is not
 *     a valid number is written as a JSON string with its text, so that nothing is lost; NaN and
 *     infinite FL/FD values likewise become the strings {@code "NaN"}, {@code "Infinity"},
 *     {@code "-Infinity"} (JSON has no such numbers).
 * <li>OB, OD, OF, OL, OV, OW, UN: {@code InlineBinary}, base64 of the little endian bytes; or
 *     {@code BulkDataURI} when the {@link BulkDataURIGenerator} gives one: it is asked for every
 *     {@link BulkData} value (which is always written as a URI), every encapsulated pixel data
 *     ({@link Fragments}) and every binary value longer than the bulk data threshold. Encapsulated
 *     pixel data written inline is the base64 of its encoded value field (its items, without the
 *     sequence delimiter), as pydicom writes it.
 * <li>SV and UV values beyond the range of exact integers of an IEEE double, &plusmn;(2<sup>53</sup>-1),
 *     are written as strings (RFC 8259 section 6; CP-1861 allows strings for SV and UV), as dcmtk does.
 * <li>SQ: an array of item objects, each written with these rules.
 * </ul>
 * Private creator and private elements are written like any other element.
 *
 * <p>Not thread safe. {@link #write(Attributes)} writes one data set; {@link DicomJsonArrayWriter}
 * writes a JSON array of data sets item by item.
 */
public final class DicomJsonWriter {

    private final JsonOutput out;
    private final Writer writer;
    private BulkDataURIGenerator bulkDataURIGenerator = BulkDataURIGenerator.DEFAULT;
    private long bulkDataThreshold = Long.MAX_VALUE;

    /** Creates a compact writer. */
    public DicomJsonWriter(Writer writer) {
        this(writer, null);
    }

    /**
     * Creates a writer.
     *
     * @param writer the destination; not closed by this class
     * @param indent the indentation of one level (e.g. two spaces), or null or empty for compact output
     */
    public DicomJsonWriter(Writer writer, String indent) {
        this.writer = writer;
        this.out = new JsonOutput(writer, indent);
    }

    /** Creates a writer of UTF-8 bytes (flushed after each data set; the stream is not closed). */
    public DicomJsonWriter(OutputStream out, String indent) {
        this(new OutputStreamWriter(out, StandardCharsets.UTF_8), indent);
    }

    /** Sets the generator of BulkDataURIs (default {@link BulkDataURIGenerator#DEFAULT}). */
    public DicomJsonWriter setBulkDataURIGenerator(BulkDataURIGenerator generator) {
        this.bulkDataURIGenerator = generator == null ? BulkDataURIGenerator.DEFAULT : generator;
        return this;
    }

    /**
     * Sets the length in bytes above which the generator is asked for a BulkDataURI for an OB, OD, OF,
     * OL, OV, OW or UN value (default: never).
     */
    public DicomJsonWriter setBulkDataThreshold(long bytes) {
        this.bulkDataThreshold = bytes < 0 ? Long.MAX_VALUE : bytes;
        return this;
    }

    /**
     * Writes one data set as a JSON object and flushes.
     *
     * @throws IOException if writing fails or bulk data to be written inline cannot be read
     */
    public void write(Attributes dataset) throws IOException {
        writeDataset(dataset);
        out.flush();
    }

    void writeDataset(Attributes dataset) throws IOException {
        try {
            writeObject(dataset);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    JsonOutput output() {
        return out;
    }

    Writer writer() {
        return writer;
    }

    private void writeObject(Attributes ds) throws IOException {
        out.beginObject();
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            VR vr = ds.vrAt(i);
            Object value = ds.valueAt(i);
            out.name(String.format("%08X", tag));
            out.beginObject();
            out.name("vr");
            out.string(vr.name());
            writeValue(ds, tag, vr, value);
            out.endObject();
        }
        out.endObject();
    }

    private void writeValue(Attributes ds, int tag, VR vr, Object value) throws IOException {
        if (value instanceof Sequence) {
            Sequence seq = (Sequence) value;
            if (!seq.isEmpty()) {
                out.name("Value");
                out.beginArray();
                for (Attributes item : seq) {
                    writeObject(item);
                }
                out.endArray();
            }
            return;
        }
        if (value instanceof BulkData || value instanceof Fragments
                || vr.isBulkCandidate() && value instanceof byte[] && ((byte[]) value).length > bulkDataThreshold) {
            String uri = bulkDataURIGenerator.bulkDataURI(ds, tag, vr, value);
            if (uri != null) {
                out.name("BulkDataURI");
                out.string(uri);
                return;
            }
        }
        if (value instanceof Fragments) {
            writeInline(encapsulated((Fragments) value));
            return;
        }
        byte[] b = value instanceof byte[] ? (byte[]) value : ds.getBytes(tag);
        if (b.length == 0) {
            return;
        }
        if (vr.isBulkCandidate()) {
            writeInline(ds.bigEndian() && vr.swapUnit() > 1 ? ds.getBytes(tag, false) : b);
            return;
        }
        String[] s = vr.toStrings(b, ds.bigEndian(), ds.getSpecificCharacterSet());
        if (s.length == 0 || s.length == 1 && s[0].isEmpty()) {
            return;
        }
        out.name("Value");
        out.beginArray();
        for (String v : s) {
            if (v.isEmpty()) {
                out.nullValue();
            } else if (vr == VR.PN) {
                writePersonName(v);
            } else if (vr == VR.DS || vr == VR.IS) {
                String n = JsonNumbers.normalize(v, vr == VR.IS);
                if (n != null) {
                    out.number(n);
                } else {
                    out.string(v);
                }
            } else if (vr.isBinary() && vr != VR.AT) {
                if (v.equals("NaN") || v.endsWith("Infinity") || (vr == VR.SV || vr == VR.UV) && !JsonNumbers.isSafeInteger(v)) {
                    out.string(v);
                } else {
                    out.number(v);
                }
            } else {
                out.string(v);
            }
        }
        out.endArray();
    }

    private void writePersonName(String v) throws IOException {
        String[] groups = v.split("=", -1);
        out.beginObject();
        String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
        for (int g = 0; g < groups.length && g < 3; g++) {
            if (!groups[g].isEmpty()) {
                out.name(names[g]);
                out.string(groups[g]);
            }
        }
        out.endObject();
    }

    private void writeInline(byte[] b) throws IOException {
        out.name("InlineBinary");
        out.string(Base64.getEncoder().encodeToString(b));
    }

    /** The items of encapsulated pixel data, little endian, without the sequence delimiter (as pydicom writes them). */
    static byte[] encapsulated(Fragments f) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        for (int i = 0; i < f.size(); i++) {
            Object frag = f.get(i);
            byte[] b = frag instanceof byte[] ? (byte[]) frag : ((BulkData) frag).toBytes();
            header(bos, 0xFFFEE000, b.length);
            bos.write(b);
        }
        return bos.toByteArray();
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
