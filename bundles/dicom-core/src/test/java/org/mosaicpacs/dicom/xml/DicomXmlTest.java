package org.mosaicpacs.dicom.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.json.ModelFixtures;

class DicomXmlTest {

    static String xml(Attributes a, String indent) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DicomXmlWriter(out, indent).write(a);
        return out.toString(StandardCharsets.UTF_8);
    }

    static Attributes parse(String xml) throws IOException {
        return new DicomXmlParser(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).parse();
    }

    private static void assertRoundTrip(Attributes a) throws IOException {
        String compact = xml(a, null);
        assertEquals(a, parse(compact), compact);
        String pretty = xml(a, "  ");
        assertEquals(a, parse(pretty), pretty);
        StringWriter w = new StringWriter();
        new DicomXmlWriter(w, "\t").write(a);
        assertEquals(a, new DicomXmlParser(new StringReader(w.toString())).parse());
    }

    @Test
    void everyVRRoundTrips() throws IOException {
        assertRoundTrip(ModelFixtures.everyVR());
    }

    @Test
    void emptiesPrivateElementsAndBulkDataRoundTrip() throws IOException {
        assertRoundTrip(ModelFixtures.emptiesPrivateAndBulk());
    }

    @Test
    void iso2022JapaneseRoundTrips() throws IOException {
        assertRoundTrip(ModelFixtures.japanese());
    }

    @Test
    void encapsulatedAndBigEndianRoundTrip() throws IOException {
        Attributes back = parse(xml(ModelFixtures.encapsulated(), null));
        assertInstanceOf(Fragments.class, back.getValue(Tag.PixelData));
        assertEquals(ModelFixtures.encapsulated(), back);
        String be = xml(ModelFixtures.bigEndian(), null);
        assertTrue(be.contains("<InlineBinary>AgEEAw==</InlineBinary>"), be);
        assertEquals(ModelFixtures.bigEndian(), parse(be));
    }

    @Test
    void documentFollowsPS319() throws IOException {
        String s = xml(ModelFixtures.everyVR(), null);
        assertTrue(s.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><NativeDicomModel xmlns=\"http://dicom.nema.org/PS3.19/models/NativeDICOM\" xml:space=\"preserve\">"), s);
        assertTrue(s.contains("<DicomAttribute tag=\"00100010\" vr=\"PN\" keyword=\"PatientName\"><PersonName number=\"1\">"
                + "<Alphabetic><FamilyName>Yamada</FamilyName><GivenName>Tarou</GivenName></Alphabetic>"
                + "<Ideographic><FamilyName>山田</FamilyName><GivenName>太郎</GivenName></Ideographic>"
                + "<Phonetic><FamilyName>やまだ</FamilyName><GivenName>たろう</GivenName></Phonetic></PersonName></DicomAttribute>"), s);
        assertTrue(s.contains("<DicomAttribute tag=\"00080008\" vr=\"CS\" keyword=\"ImageType\"><Value number=\"1\">ORIGINAL</Value>"
                + "<Value number=\"2\">PRIMARY</Value><Value number=\"3\"></Value><Value number=\"4\">AXIAL</Value></DicomAttribute>"), s);
        assertTrue(s.contains("<Value number=\"1\">1 Loopback Road&#13;\nLocalhost &lt;&amp;&gt; \\ end</Value>"), s);
        assertTrue(s.contains("keyword=\"FrameIncrementPointer\"><Value number=\"1\">00181063</Value>"), s);
        assertTrue(s.contains("<Item number=\"2\">"), s);
        String e = xml(ModelFixtures.emptiesPrivateAndBulk(), null);
        assertTrue(e.contains("<DicomAttribute tag=\"00100030\" vr=\"DA\" keyword=\"PatientBirthDate\"></DicomAttribute>"), e);
        assertTrue(e.contains("<DicomAttribute tag=\"00091001\" vr=\"LO\" privateCreator=\"ACME 1.0\"><Value number=\"1\">private text</Value>"), e);
        assertTrue(e.contains("<DicomAttribute tag=\"00090010\" vr=\"LO\" keyword=\"PrivateCreator\">"), e);
        assertTrue(e.contains("<BulkData uri=\"file:///data/img.dcm?offset=1234&amp;length=512\"/>"), e);
    }

    @Test
    void readsDocumentsWithoutNamespaceOrVR() throws IOException {
        Attributes a = parse("<?xml version=\"1.0\"?>\n<NativeDicomModel>\n <DicomAttribute tag=\"00280010\"><Value number=\"1\">512</Value></DicomAttribute>"
                + "<!-- c --><DicomAttribute tag=\"00100010\" vr=\"PN\"><PersonName number=\"1\"><Alphabetic><FamilyName>Doe</FamilyName>"
                + "<MiddleName>M</MiddleName></Alphabetic></PersonName></DicomAttribute></NativeDicomModel>\n");
        assertEquals(VR.US, a.getVR(Tag.Rows));
        assertEquals(512, a.getInt(Tag.Rows, 0));
        assertEquals("Doe^^M", a.getString(Tag.PatientName));
    }

    @Test
    void rejectsDtdsEntitiesAndBadContent() {
        String[] bad = {
            "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><NativeDicomModel>"
                    + "<DicomAttribute tag=\"00100010\" vr=\"PN\"><PersonName number=\"1\"><Alphabetic><FamilyName>&x;</FamilyName>"
                    + "</Alphabetic></PersonName></DicomAttribute></NativeDicomModel>",
            "<!DOCTYPE NativeDicomModel SYSTEM \"http://example.invalid/x.dtd\"><NativeDicomModel/>",
            "<NativeDicomModel><DicomAttribute tag=\"00100010\" vr=\"PN\"><PersonName number=\"1\"><Alphabetic>"
                    + "<FamilyName>&foo;</FamilyName></Alphabetic></PersonName></DicomAttribute></NativeDicomModel>",
            "<Other/>", "<NativeDicomModel>", "<NativeDicomModel>text</NativeDicomModel>",
            "<NativeDicomModel><DicomAttribute tag=\"0010001\" vr=\"PN\"/></NativeDicomModel>",
            "<NativeDicomModel><DicomAttribute tag=\"00100010\" vr=\"XX\"/></NativeDicomModel>",
            "<NativeDicomModel><DicomAttribute tag=\"00280010\" vr=\"US\"><Value number=\"1\">70000</Value></DicomAttribute></NativeDicomModel>",
            "<NativeDicomModel><DicomAttribute tag=\"00280010\" vr=\"US\"><Value number=\"2\">1</Value><Value number=\"1\">1</Value></DicomAttribute></NativeDicomModel>",
            "<NativeDicomModel><DicomAttribute tag=\"7FE00010\" vr=\"OB\"><InlineBinary>**</InlineBinary></DicomAttribute></NativeDicomModel>",
            "<NativeDicomModel><DicomAttribute tag=\"7FE00010\" vr=\"OB\"><BulkData uri=\"http://x/no-length\"/></DicomAttribute></NativeDicomModel>",
            "<NativeDicomModel></NativeDicomModel><extra/>",
        };
        for (String b : bad) {
            assertThrows(IOException.class, () -> parse(b), b);
        }
    }

    @Test
    void declaresUtf8WhenTextNeedsIt() throws IOException {
        Attributes a = parse("<NativeDicomModel><DicomAttribute tag=\"00081115\" vr=\"SQ\"><Item number=\"1\">"
                + "<DicomAttribute tag=\"00100010\" vr=\"PN\"><PersonName number=\"1\"><Alphabetic><FamilyName>Müller</FamilyName>"
                + "</Alphabetic></PersonName></DicomAttribute></Item></DicomAttribute>"
                + "<DicomAttribute tag=\"00100020\" vr=\"LO\"><Value number=\"1\">ascii</Value><Value number=\"2\"/></DicomAttribute>"
                + "</NativeDicomModel>");
        assertEquals("ISO_IR 192", a.getString(Tag.SpecificCharacterSet));
        assertEquals("Müller", a.getNestedDataset(Tag.ReferencedSeriesSequence).getString(Tag.PatientName));
        assertEquals(2, a.getStrings(Tag.PatientID).length);
        Attributes latin1 = parse("<NativeDicomModel><DicomAttribute tag=\"00080005\" vr=\"CS\"><Value number=\"1\">ISO_IR 100</Value>"
                + "</DicomAttribute><DicomAttribute tag=\"00100020\" vr=\"LO\"><Value number=\"1\">é</Value></DicomAttribute></NativeDicomModel>");
        assertEquals("ISO_IR 100", latin1.getString(Tag.SpecificCharacterSet));
        assertEquals(1, latin1.getBytes(Tag.PatientID).length);
    }

    @Test
    void limitsNesting() throws IOException {
        StringBuilder sb = new StringBuilder("<NativeDicomModel>");
        for (int i = 0; i < 6; i++) {
            sb.append("<DicomAttribute tag=\"00081115\" vr=\"SQ\"><Item number=\"1\">");
        }
        for (int i = 0; i < 6; i++) {
            sb.append("</Item></DicomAttribute>");
        }
        sb.append("</NativeDicomModel>");
        String doc = sb.toString();
        assertEquals(1, new DicomXmlParser(new StringReader(doc)).setMaxNestingDepth(6).parse().size());
        assertThrows(DicomXmlException.class, () -> new DicomXmlParser(new StringReader(doc)).setMaxNestingDepth(5).parse());
    }
}
