package org.mosaicpacs.dicom.xml;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Base64;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.ElementDictionary;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.json.BulkDataURIGenerator;

/**
 * Writes a data set as the Native DICOM Model (PS3.19 Annex A), with the JDK's StAX writer.
 *
 * <p>{@code NativeDicomModel} holds one {@code DicomAttribute} per element with {@code tag}
 * ("GGGGEEEE"), {@code vr}, {@code keyword} when the dictionary knows it and {@code privateCreator} for
 * private data elements. Values: {@code Value number="n"} (text as decoded, numbers in decimal, AT as
 * "GGGGEEEE"; an empty value in a multi-valued element is an empty {@code Value});
 * {@code PersonName number="n"} with {@code Alphabetic}, {@code Ideographic}, {@code Phonetic}, each
 * with {@code FamilyName}, {@code GivenName}, {@code MiddleName}, {@code NamePrefix},
 * {@code NameSuffix} (empty ones left out; an empty name is an empty {@code PersonName}); {@code Item number="n"} for SQ;
 * {@code InlineBinary} (base64, little endian) for OB, OD, OF, OL, OV, OW and UN; and
 * {@code BulkData uri="..."} for what the {@link BulkDataURIGenerator} names, as for DICOM JSON
 * (every {@link BulkData} value, encapsulated pixel data, binary values above the threshold).
 * Encapsulated pixel data written inline is the base64 of its encoded items.
 *
 * <p>Carriage returns are written as {@code &#13;} so that they survive XML line-end normalisation;
 * other characters that XML 1.0 cannot hold (C0 controls except TAB, LF, CR) become U+FFFD.
 * Not thread safe.
 */
public final class DicomXmlWriter {

    /** The namespace of the Native DICOM Model. */
    public static final String NAMESPACE = "http://dicom.nema.org/PS3.19/models/NativeDICOM";

    private static final String[] GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};
    private static final String[] COMPONENTS = {"FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"};

    private final XMLStreamWriter out;
    private final String indent;
    private BulkDataURIGenerator bulkDataURIGenerator = BulkDataURIGenerator.DEFAULT;
    private long bulkDataThreshold = Long.MAX_VALUE;
    private int level;

    /**
     * Creates a writer of UTF-8 XML.
     *
     * @param out the destination; not closed
     * @param indent indentation of one level, or null or empty for no line breaks
     */
    public DicomXmlWriter(OutputStream out, String indent) throws IOException {
        this(create(out, null), indent);
    }

    /** Creates a writer of XML characters (declared as UTF-8). */
    public DicomXmlWriter(Writer out, String indent) throws IOException {
        this(create(null, out), indent);
    }

    private DicomXmlWriter(XMLStreamWriter out, String indent) {
        this.out = out;
        this.indent = indent == null || indent.isEmpty() ? null : indent;
    }

    private static XMLStreamWriter create(OutputStream os, Writer w) throws IOException {
        try {
            XMLOutputFactory f = XMLOutputFactory.newFactory();
            return os != null ? f.createXMLStreamWriter(os, "UTF-8") : f.createXMLStreamWriter(w);
        } catch (XMLStreamException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Sets the generator of bulk data URIs (default {@link BulkDataURIGenerator#DEFAULT}). */
    public DicomXmlWriter setBulkDataURIGenerator(BulkDataURIGenerator generator) {
        this.bulkDataURIGenerator = generator == null ? BulkDataURIGenerator.DEFAULT : generator;
        return this;
    }

    /** Sets the length in bytes above which the generator is asked for a URI for binary values (default: never). */
    public DicomXmlWriter setBulkDataThreshold(long bytes) {
        this.bulkDataThreshold = bytes < 0 ? Long.MAX_VALUE : bytes;
        return this;
    }

    /**
     * Writes the whole document: XML declaration, {@code NativeDicomModel} and the data set; flushes.
     *
     * @throws IOException if writing fails or bulk data to be written inline cannot be read
     */
    public void write(Attributes dataset) throws IOException {
        try {
            out.writeStartDocument("UTF-8", "1.0");
            newline();
            out.writeStartElement("NativeDicomModel");
            out.writeDefaultNamespace(NAMESPACE);
            out.writeAttribute("xml", javax.xml.XMLConstants.XML_NS_URI, "space", "preserve");
            level++;
            writeAttributes(dataset);
            level--;
            newline();
            out.writeEndElement();
            newline();
            out.writeEndDocument();
            out.flush();
        } catch (XMLStreamException e) {
            throw new IOException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void writeAttributes(Attributes ds) throws XMLStreamException, IOException {
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            VR vr = ds.vrAt(i);
            Object value = ds.valueAt(i);
            newline();
            out.writeStartElement("DicomAttribute");
            out.writeAttribute("tag", String.format("%08X", tag));
            out.writeAttribute("vr", vr.name());
            String creator = Tag.isPrivate(tag) && !Tag.isPrivateCreator(tag) ? ds.getPrivateCreator(tag) : null;
            String keyword = keyword(tag, creator);
            if (keyword != null) {
                out.writeAttribute("keyword", keyword);
            }
            if (creator != null) {
                out.writeAttribute("privateCreator", clean(creator));
            }
            level++;
            boolean children = writeValue(ds, tag, vr, value);
            level--;
            if (children) {
                newline();
            }
            out.writeEndElement();
        }
    }

    private static String keyword(int tag, String creator) {
        if (Tag.isPrivate(tag)) {
            if (Tag.isPrivateCreator(tag)) {
                return "PrivateCreator";
            }
            if (creator == null) {
                return null;
            }
            ElementDictionary d = ElementDictionary.forPrivateCreator(creator);
            String k = d.keywordOf(tag & 0xFFFF00FF);
            return k != null ? k : d.keywordOf(tag);
        }
        return ElementDictionary.standard().keywordOf(tag);
    }

    private boolean writeValue(Attributes ds, int tag, VR vr, Object value) throws XMLStreamException, IOException {
        if (value instanceof Sequence) {
            Sequence seq = (Sequence) value;
            for (int k = 0; k < seq.size(); k++) {
                newline();
                out.writeStartElement("Item");
                out.writeAttribute("number", Integer.toString(k + 1));
                level++;
                writeAttributes(seq.get(k));
                level--;
                if (!seq.get(k).isEmpty()) {
                    newline();
                }
                out.writeEndElement();
            }
            return !seq.isEmpty();
        }
        if (value instanceof BulkData || value instanceof Fragments
                || vr.isBulkCandidate() && value instanceof byte[] && ((byte[]) value).length > bulkDataThreshold) {
            String uri = bulkDataURIGenerator.bulkDataURI(ds, tag, vr, value);
            if (uri != null) {
                newline();
                out.writeEmptyElement("BulkData");
                out.writeAttribute("uri", uri);
                return true;
            }
        }
        if (value instanceof Fragments) {
            writeInline(Encapsulation.encode((Fragments) value));
            return true;
        }
        byte[] b = value instanceof byte[] ? (byte[]) value : ds.getBytes(tag);
        if (b.length == 0) {
            return false;
        }
        if (vr.isBulkCandidate()) {
            writeInline(ds.bigEndian() && vr.swapUnit() > 1 ? ds.getBytes(tag, false) : b);
            return true;
        }
        String[] s = vr.toStrings(b, ds.bigEndian(), ds.getSpecificCharacterSet());
        if (s.length == 1 && s[0].isEmpty()) {
            return false;
        }
        for (int k = 0; k < s.length; k++) {
            newline();
            if (vr == VR.PN) {
                writePersonName(k + 1, s[k]);
            } else {
                out.writeStartElement("Value");
                out.writeAttribute("number", Integer.toString(k + 1));
                text(s[k]);
                out.writeEndElement();
            }
        }
        return true;
    }

    private void writePersonName(int number, String value) throws XMLStreamException {
        out.writeStartElement("PersonName");
        out.writeAttribute("number", Integer.toString(number));
        level++;
        String[] groups = value.split("=", -1);
        for (int g = 0; g < groups.length && g < 3; g++) {
            if (groups[g].isEmpty()) {
                continue;
            }
            newline();
            out.writeStartElement(GROUPS[g]);
            level++;
            String[] comps = groups[g].split("\\^", -1);
            for (int c = 0; c < comps.length; c++) {
                // components beyond the fifth go into the suffix, as PS3.5 allows no more
                String text = c < 4 || comps.length <= 5 ? comps[c]
                        : c == 4 ? String.join("^", java.util.Arrays.copyOfRange(comps, 4, comps.length)) : "";
                if (c > 4 || text.isEmpty()) {
                    continue;
                }
                newline();
                out.writeStartElement(COMPONENTS[c]);
                text(text);
                out.writeEndElement();
            }
            level--;
            newline();
            out.writeEndElement();
        }
        level--;
        newline();
        out.writeEndElement();
    }

    private void writeInline(byte[] b) throws XMLStreamException {
        newline();
        out.writeStartElement("InlineBinary");
        out.writeCharacters(Base64.getEncoder().encodeToString(b));
        out.writeEndElement();
    }

    private void text(String s) throws XMLStreamException {
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                out.writeCharacters(clean(s.substring(start, i)));
                out.writeEntityRef("#13");
                start = i + 1;
            }
        }
        out.writeCharacters(clean(s.substring(start)));
    }

    /** Replaces characters that XML 1.0 cannot hold. */
    private static String clean(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF
                    || Character.isHighSurrogate(c) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
            if (bad && sb == null) {
                sb = new StringBuilder(s.substring(0, i));
            }
            if (sb != null) {
                sb.append(bad ? '\uFFFD' : c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    private void newline() throws XMLStreamException {
        if (indent != null) {
            StringBuilder sb = new StringBuilder("\n");
            for (int i = 0; i < level; i++) {
                sb.append(indent);
            }
            out.writeCharacters(sb.toString());
        }
    }
}
