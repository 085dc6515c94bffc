package org.mosaicpacs.dicom.xml;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.ElementDictionary;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.json.BulkDataResolver;

/**
 * Reads the Native DICOM Model (PS3.19 Annex A) into {@link Attributes}, with the JDK's StAX reader.
 *
 * <p>Secure by construction: DTDs are not supported (a document with a DOCTYPE is rejected), external
 * entities are never resolved, and the element nesting depth is limited (sequence depth, default 128).
 * The namespace of the elements is not checked (documents with and without the PS3.19 namespace are
 * read). A {@code DicomAttribute} without {@code vr} takes the dictionary VR (UN if unknown);
 * {@code Value} numbers may have gaps (empty values); {@code BulkData uri} goes to the
 * {@link BulkDataResolver} (the {@code uuid} form is rejected); an {@code InlineBinary} Pixel Data
 * that starts with an item tag is read as encapsulated {@link Fragments}. Text is encoded with the
 * Specific Character Set of the data set read; elements may come in any order, but (0008,0005) must
 * precede the text it applies to. When no Specific Character Set is declared and a text value needs
 * more than ASCII, "ISO_IR 192" is added to the root data set (nothing is lost to '?'). Not thread safe.
 */
public final class DicomXmlParser {

    private final XMLStreamReader in;
    private BulkDataResolver resolver = BulkDataResolver.DEFAULT;
    private int maxNestingDepth = 128;

    /** Creates a parser of an XML byte stream (encoding from its declaration, default UTF-8). */
    public DicomXmlParser(InputStream in) throws IOException {
        try {
            this.in = factory().createXMLStreamReader(in);
        } catch (XMLStreamException e) {
            throw error(e);
        }
    }

    /** Creates a parser of XML characters. */
    public DicomXmlParser(Reader in) throws IOException {
        try {
            this.in = factory().createXMLStreamReader(in);
        } catch (XMLStreamException e) {
            throw error(e);
        }
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setXMLResolver((publicID, systemID, baseURI, namespace) -> {
            throw new XMLStreamException("external entities are not allowed: " + systemID);
        });
        return f;
    }

    /** Sets the resolver of bulk data URIs (default {@link BulkDataResolver#DEFAULT}). */
    public DicomXmlParser setBulkDataResolver(BulkDataResolver resolver) {
        this.resolver = resolver == null ? BulkDataResolver.DEFAULT : resolver;
        return this;
    }

    /** Sets the maximum nesting depth of sequences (default 128). */
    public DicomXmlParser setMaxNestingDepth(int depth) {
        if (depth < 0) {
            throw new IllegalArgumentException("negative depth");
        }
        this.maxNestingDepth = depth;
        return this;
    }

    /**
     * Reads the document.
     *
     * @throws IOException if the XML is not well formed, has a DTD, is not a Native DICOM Model, breaks
     *     a limit, or the resolver rejects a URI
     */
    public Attributes parse() throws IOException {
        try {
            int e = next();
            if (e != XMLStreamConstants.START_ELEMENT || !in.getLocalName().equals("NativeDicomModel")) {
                throw error("the root element is not NativeDicomModel");
            }
            Attributes ds = new Attributes();
            readAttributes(ds, 0);
            if (next() != XMLStreamConstants.END_DOCUMENT) {
                throw error("content after NativeDicomModel");
            }
            return ds;
        } catch (XMLStreamException e) {
            throw error(e);
        } finally {
            try {
                in.close();
            } catch (XMLStreamException ignored) {
                // nothing to release
            }
        }
    }

    /** The next event that is not a comment, processing instruction or white space; DTDs are errors. */
    private int next() throws XMLStreamException, IOException {
        while (true) {
            int e = in.next();
            switch (e) {
                case XMLStreamConstants.DTD:
                    throw error("DTDs are not allowed");
                case XMLStreamConstants.ENTITY_REFERENCE:
                    throw error("entity references are not allowed");
                case XMLStreamConstants.COMMENT:
                case XMLStreamConstants.PROCESSING_INSTRUCTION:
                case XMLStreamConstants.SPACE:
                case XMLStreamConstants.START_DOCUMENT:
                    continue;
                case XMLStreamConstants.CHARACTERS:
                    if (in.isWhiteSpace()) {
                        continue;
                    }
                    throw error("unexpected text \"" + shorten(in.getText()) + "\"");
                default:
                    return e;
            }
        }
    }

    /** Reads DicomAttribute children up to the end tag of the current element. */
    private void readAttributes(Attributes ds, int depth) throws XMLStreamException, IOException {
        while (next() == XMLStreamConstants.START_ELEMENT) {
            if (!in.getLocalName().equals("DicomAttribute")) {
                throw error("expected DicomAttribute, found " + in.getLocalName());
            }
            readAttribute(ds, depth);
        }
    }

    private void readAttribute(Attributes ds, int depth) throws XMLStreamException, IOException {
        String tagText = in.getAttributeValue(null, "tag");
        if (tagText == null || !tagText.matches("[0-9A-Fa-f]{8}")) {
            throw error("DicomAttribute without a valid tag: " + tagText);
        }
        int tag = (int) Long.parseLong(tagText, 16);
        String vrText = in.getAttributeValue(null, "vr");
        VR vr;
        if (vrText == null) {
            vr = ElementDictionary.vrOf(tag, Tag.isPrivate(tag) ? in.getAttributeValue(null, "privateCreator") : null);
        } else {
            vr = VR.fromCode(vrText);
            if (vr == null) {
                throw error(tag, "unknown vr " + vrText);
            }
        }
        if (vr == VR.SQ) {
            Sequence seq = ds.newSequence(tag, 4);
            while (next() == XMLStreamConstants.START_ELEMENT) {
                if (!in.getLocalName().equals("Item")) {
                    throw error(tag, "expected Item, found " + in.getLocalName());
                }
                checkNumber(tag, seq.size() + 1, false);
                if (depth >= maxNestingDepth) {
                    throw error(tag, "sequences nested deeper than " + maxNestingDepth);
                }
                readAttributes(seq.addNewItem(), depth + 1);
            }
            return;
        }
        List<String> values = new ArrayList<>();
        Object raw = null;
        while (next() == XMLStreamConstants.START_ELEMENT) {
            String name = in.getLocalName();
            if (raw != null) {
                throw error(tag, name + " after InlineBinary or BulkData");
            }
            switch (name) {
                case "Value":
                case "PersonName":
                    if (vr.isBulkCandidate() || vr == VR.PN != name.equals("PersonName")) {
                        throw error(tag, name + " is not allowed for VR " + vr);
                    }
                    int number = checkNumber(tag, values.size() + 1, true);
                    while (values.size() < number - 1) {
                        values.add("");
                    }
                    values.add(name.equals("Value") ? in.getElementText() : personName(tag));
                    break;
                case "InlineBinary":
                    if (!values.isEmpty()) {
                        throw error(tag, "InlineBinary after values");
                    }
                    String text = in.getElementText().replaceAll("[ \t\r\n]", "");
                    try {
                        raw = Base64.getDecoder().decode(text);
                    } catch (IllegalArgumentException e) {
                        throw error(tag, "invalid base64 in InlineBinary");
                    }
                    break;
                case "BulkData":
                    if (!values.isEmpty()) {
                        throw error(tag, "BulkData after values");
                    }
                    String uri = in.getAttributeValue(null, "uri");
                    if (uri == null) {
                        throw error(tag, "BulkData without uri");
                    }
                    raw = resolver.resolve(tag, vr, uri);
                    if (next() != XMLStreamConstants.END_ELEMENT) {
                        throw error(tag, "BulkData has content");
                    }
                    break;
                default:
                    throw error(tag, "unexpected element " + name);
            }
        }
        if (raw instanceof byte[]) {
            byte[] b = (byte[]) raw;
            Fragments f = tag == Tag.PixelData && (vr == VR.OB || vr == VR.OW) && Encapsulation.looksEncapsulated(b)
                    ? Encapsulation.decode(vr, b) : null;
            if (f != null) {
                ds.setFragments(tag, f);
            } else {
                ds.setBytes(tag, vr, b);
            }
        } else if (raw != null) {
            ds.setValue(tag, vr, raw);
        } else if (values.isEmpty()) {
            ds.setNull(tag, vr);
        } else if (vr.isString()) {
            if (values.size() > 1 && !vr.isMultiValued()) {
                throw error(tag, "VR " + vr + " has a single value");
            }
            String[] s = values.toArray(new String[0]);
            Charsets.declareUTF8IfNeeded(ds, vr, s);
            ds.setString(tag, vr, s);
        } else {
            ds.setBytes(tag, vr, binary(tag, vr, values));
        }
    }

    private int checkNumber(int tag, int expected, boolean gaps) throws IOException {
        String n = in.getAttributeValue(null, "number");
        int number;
        try {
            number = n == null ? expected : Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw error(tag, "invalid number=\"" + n + "\"");
        }
        if (number < expected || !gaps && number != expected || number > expected + 65536) {
            throw error(tag, "number=\"" + n + "\" out of order");
        }
        return number;
    }

    private String personName(int tag) throws XMLStreamException, IOException {
        String[] groups = new String[3];
        List<String> groupNames = List.of("Alphabetic", "Ideographic", "Phonetic");
        List<String> componentNames = List.of("FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix");
        while (next() == XMLStreamConstants.START_ELEMENT) {
            int g = groupNames.indexOf(in.getLocalName());
            if (g < 0 || groups[g] != null) {
                throw error(tag, "unexpected " + in.getLocalName() + " in PersonName");
            }
            String[] comps = new String[5];
            while (next() == XMLStreamConstants.START_ELEMENT) {
                int c = componentNames.indexOf(in.getLocalName());
                if (c < 0 || comps[c] != null) {
                    throw error(tag, "unexpected " + in.getLocalName() + " in " + groupNames.get(g));
                }
                comps[c] = in.getElementText();
            }
            int last = 4;
            while (last >= 0 && comps[last] == null) {
                last--;
            }
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c <= last; c++) {
                sb.append(c > 0 ? "^" : "").append(comps[c] == null ? "" : comps[c]);
            }
            groups[g] = sb.toString();
        }
        int last = groups[2] != null ? 3 : groups[1] != null ? 2 : 1;
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < last; k++) {
            sb.append(k > 0 ? "=" : "").append(groups[k] == null ? "" : groups[k]);
        }
        return sb.toString();
    }

    private byte[] binary(int tag, VR vr, List<String> values) throws IOException {
        int n = values.size();
        try {
            if (vr == VR.FL || vr == VR.FD) {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    String s = values.get(i).trim().replace("INF", "Infinity");
                    d[i] = vr == VR.FL ? Float.parseFloat(s) : Double.parseDouble(s);
                }
                return vr.toBytes(d, false);
            }
            long[] l = new long[n];
            for (int i = 0; i < n; i++) {
                String s = values.get(i).trim();
                if (vr == VR.AT) {
                    if (!s.matches("[0-9A-Fa-f]{8}")) {
                        throw error(tag, "AT value is not GGGGEEEE: " + s);
                    }
                    l[i] = Long.parseLong(s, 16);
                    continue;
                }
                BigInteger b = new BigDecimal(s).toBigIntegerExact();
                if (b.compareTo(min(vr)) < 0 || b.compareTo(max(vr)) > 0) {
                    throw error(tag, "value " + s + " out of range for VR " + vr);
                }
                l[i] = b.longValue();
            }
            return vr.toBytes(l, false);
        } catch (NumberFormatException | ArithmeticException e) {
            throw error(tag, "invalid number for VR " + vr + ": " + values);
        }
    }

    private static BigInteger min(VR vr) {
        switch (vr) {
            case SS: return BigInteger.valueOf(Short.MIN_VALUE);
            case SL: return BigInteger.valueOf(Integer.MIN_VALUE);
            case SV: return BigInteger.valueOf(Long.MIN_VALUE);
            default: return BigInteger.ZERO;
        }
    }

    private static BigInteger max(VR vr) {
        switch (vr) {
            case SS: return BigInteger.valueOf(Short.MAX_VALUE);
            case US: return BigInteger.valueOf(0xFFFF);
            case SL: return BigInteger.valueOf(Integer.MAX_VALUE);
            case UL: return BigInteger.valueOf(0xFFFFFFFFL);
            case SV: return BigInteger.valueOf(Long.MAX_VALUE);
            default: return BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        }
    }

    private IOException error(String reason) {
        return new DicomXmlException(reason, in.getLocation() == null ? -1 : in.getLocation().getLineNumber());
    }

    private IOException error(int tag, String reason) {
        return error(Tag.toString(tag) + ": " + reason);
    }

    private static IOException error(XMLStreamException e) {
        return new DicomXmlException(e.getMessage(), e.getLocation() == null ? -1 : e.getLocation().getLineNumber());
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
