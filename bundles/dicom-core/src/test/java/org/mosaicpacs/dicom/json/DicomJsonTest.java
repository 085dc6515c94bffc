package org.mosaicpacs.dicom.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

class DicomJsonTest {

    static String json(Attributes a) throws IOException {
        StringWriter w = new StringWriter();
        new DicomJsonWriter(w).write(a);
        return w.toString();
    }

    static Attributes parse(String json) throws IOException {
        return new DicomJsonParser(new StringReader(json)).parse();
    }

    private static void assertRoundTrip(Attributes a) throws IOException {
        String compact = json(a);
        assertEquals(a, parse(compact), compact);
        StringWriter pretty = new StringWriter();
        new DicomJsonWriter(pretty, "  ").write(a);
        assertEquals(a, parse(pretty.toString()), pretty.toString());
        byte[] utf8 = pretty.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(a, new DicomJsonParser(new ByteArrayInputStream(utf8)).parse());
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
        Attributes a = ModelFixtures.japanese();
        String s = json(a);
        assertTrue(s.contains("{\"Alphabetic\":\"Yamada^Tarou\",\"Ideographic\":\"山田^太郎\",\"Phonetic\":\"やまだ^たろう\"}"), s);
        assertRoundTrip(a);
    }

    @Test
    void encapsulatedPixelDataRoundTripsAsInlineBinaryItems() throws IOException {
        Attributes a = ModelFixtures.encapsulated();
        String s = json(a);
        // the items without the sequence delimiter, as pydicom writes them
        assertTrue(s.contains("\"7FE00010\":{\"vr\":\"OB\",\"InlineBinary\":\"/v8A4AAAAAD+/wDgBAAAAP/YAQL+/wDgBAAAAAME/9k=\"}"), s);
        Attributes withDelimiter = parse("{\"7FE00010\":{\"vr\":\"OB\",\"InlineBinary\":\"/v8A4AAAAAD+/wDgBAAAAP/YAQL+/wDgBAAAAAME/9n+/93gAAAAAA==\"}}");
        Attributes pixelsOnly = ModelFixtures.encapsulated();
        pixelsOnly.remove(Tag.SOPInstanceUID);
        assertEquals(pixelsOnly, withDelimiter);
        Attributes back = parse(s);
        assertInstanceOf(Fragments.class, back.getValue(Tag.PixelData));
        assertEquals(a, back);
    }

    @Test
    void bigEndianBinaryIsWrittenLittleEndian() throws IOException {
        Attributes a = ModelFixtures.bigEndian();
        String s = json(a);
        assertTrue(s.contains("\"00280010\":{\"vr\":\"US\",\"Value\":[4660]}"), s);
        assertTrue(s.contains("\"60003000\":{\"vr\":\"OW\",\"InlineBinary\":\"AgEEAw==\"}"), s);
        assertTrue(s.contains("\"00280009\":{\"vr\":\"AT\",\"Value\":[\"00181063\"]}"), s);
        assertEquals(a, parse(s));
    }

    @Test
    void encodingFollowsAnnexF() throws IOException {
        String s = json(ModelFixtures.everyVR());
        assertTrue(s.startsWith("{\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 192\"]},"), s);
        assertTrue(s.contains("\"00080008\":{\"vr\":\"CS\",\"Value\":[\"ORIGINAL\",\"PRIMARY\",null,\"AXIAL\"]}"), s);
        assertTrue(s.contains("\"00180050\":{\"vr\":\"DS\",\"Value\":[1.25]}"), s);
        assertTrue(s.contains("\"00200032\":{\"vr\":\"DS\",\"Value\":[-125.5,1E+3,0.000001]}"), s);
        assertTrue(s.contains("\"00200013\":{\"vr\":\"IS\",\"Value\":[-12]}"), s);
        assertTrue(s.contains("\"00080090\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Ross^Doug^^Dr.\"}]}"), s);
        assertTrue(s.contains("\"00080050\":{\"vr\":\"SH\",\"Value\":[\"A1\\\"quoted\\\"\",\"B2\"]}"), s);
        assertTrue(s.contains("\"00720082\":{\"vr\":\"SV\",\"Value\":[\"-9223372036854775808\",\"9223372036854775807\"]}"), s);
        assertTrue(s.contains("\"00720083\":{\"vr\":\"UV\",\"Value\":[\"18446744073709551615\",42]}"), s);
        assertTrue(s.contains("\"00280106\":{\"vr\":\"SS\",\"Value\":[-32768,32767]}"), s);
        assertTrue(s.contains("\"00191001\":{\"vr\":\"UN\",\"InlineBinary\":\"CQgHBg==\"}"), s);
        String e = json(ModelFixtures.emptiesPrivateAndBulk());
        assertTrue(e.contains("\"00100030\":{\"vr\":\"DA\"}"), e);
        assertTrue(e.contains("\"00081110\":{\"vr\":\"SQ\"}"), e);
        assertTrue(e.contains("\"00081120\":{\"vr\":\"SQ\",\"Value\":[{}]}"), e);
        assertTrue(e.contains("\"00101001\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"A^B\"},null,{\"Alphabetic\":\"C^D\",\"Ideographic\":\"Ideo\"}]}"), e);
        assertTrue(e.contains("\"00090010\":{\"vr\":\"LO\",\"Value\":[\"ACME 1.0\"]}"), e);
        assertTrue(e.contains("\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"file:///data/img.dcm?offset=1234&length=512\"}"), e);
    }

    @Test
    void invalidNumbersAreKeptAsStrings() throws IOException {
        Attributes a = new Attributes();
        a.setString(Tag.SliceThickness, VR.DS, "1,5", "+.5", "007");
        a.setString(Tag.InstanceNumber, VR.IS, "12a");
        a.setDouble(Tag.DiffusionBValue, VR.FD, Double.NaN, Double.NEGATIVE_INFINITY);
        String s = json(a);
        assertTrue(s.contains("\"00180050\":{\"vr\":\"DS\",\"Value\":[\"1,5\",0.5,7]}"), s);
        assertTrue(s.contains("\"00200013\":{\"vr\":\"IS\",\"Value\":[\"12a\"]}"), s);
        assertTrue(s.contains("\"00189087\":{\"vr\":\"FD\",\"Value\":[\"NaN\",\"-Infinity\"]}"), s);
        Attributes back = parse(s);
        assertEquals("12a", back.getString(Tag.InstanceNumber));
        assertTrue(Double.isNaN(back.getDouble(Tag.DiffusionBValue, 0)));
    }

    @Test
    void bulkDataThresholdAsksTheGenerator() throws IOException {
        Attributes a = new Attributes();
        a.setBytes(Tag.PixelData, VR.OB, new byte[100]);
        a.setBytes(Tag.DataSetTrailingPadding, VR.OB, new byte[10]);
        StringWriter w = new StringWriter();
        new DicomJsonWriter(w).setBulkDataThreshold(50)
                .setBulkDataURIGenerator((ds, tag, vr, v) -> "https://x/bulk/" + Tag.toString(tag).replaceAll("[(),]", ""))
                .write(a);
        String s = w.toString();
        assertTrue(s.contains("\"7FE00010\":{\"vr\":\"OB\",\"BulkDataURI\":\"https://x/bulk/7FE00010\"}"), s);
        assertTrue(s.contains("\"FFFCFFFC\":{\"vr\":\"OB\",\"InlineBinary\""), s);
        Attributes back = new DicomJsonParser(new StringReader(s))
                .setBulkDataResolver((tag, vr, uri) -> new BulkData(URI.create(uri), 0, 100, false)).parse();
        assertEquals(new BulkData(URI.create("https://x/bulk/7FE00010"), 0, 100, false), back.getBulkData(Tag.PixelData));
        assertThrows(IOException.class, () -> parse(s), "no length in the URI for the default resolver");
    }

    @Test
    void arrayWriterStreamsDataSets() throws IOException {
        StringWriter w = new StringWriter();
        try (DicomJsonArrayWriter array = new DicomJsonArrayWriter(new DicomJsonWriter(w))) {
            array.write(ModelFixtures.japanese());
            assertTrue(w.toString().startsWith("[{\"00080005\""), "first data set flushed before the end");
            array.write(ModelFixtures.everyVR());
        }
        List<Attributes> back = new DicomJsonParser(new StringReader(w.toString())).parseArray();
        assertEquals(List.of(ModelFixtures.japanese(), ModelFixtures.everyVR()), back);
        StringWriter empty = new StringWriter();
        new DicomJsonArrayWriter(new DicomJsonWriter(empty, "  ")).close();
        assertEquals("[]", empty.toString());
        assertEquals(0, new DicomJsonParser(new StringReader(" [ ] ")).parseArray().size());
    }

    @Test
    void strictJsonIsRequired() {
        String[] bad = {
            "", "{", "{}}", "{} x", "[]", "{\"00100010\":{\"vr\":\"PN\",}}", "{'00100010':{}}",
            "{\"00100010\":{\"vr\":\"PN\"},\"00100010\":{\"vr\":\"PN\"}}",
            "{\"00100010\":{\"vr\":\"XX\"}}", "{\"0010001\":{\"vr\":\"PN\"}}",
            "{\"00100010\":{\"vr\":\"PN\",\"Value\":[\"a\"],\"InlineBinary\":\"\"}}",
            "{\"00100010\":{\"vr\":\"PN\",\"Valeu\":[]}}",
            "{\"00280010\":{\"vr\":\"US\",\"Value\":[65536]}}", "{\"00280010\":{\"vr\":\"US\",\"Value\":[01]}}",
            "{\"00280010\":{\"vr\":\"US\",\"Value\":[1.5]}}", "{\"00280010\":{\"vr\":\"US\",\"Value\":[NaN]}}",
            "{\"00280010\":{\"vr\":\"US\",\"Value\":[\"1\"]}}", "{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"a\u0001\"]}}",
            "{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"a\\x\"]}} ", "/*c*/{}", "{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"a\"]}",
            "{\"7FE00010\":{\"vr\":\"OB\",\"InlineBinary\":\"***\"}}", "{\"7FE00010\":{\"vr\":\"OB\",\"Value\":[1]}}",
            "{\"00280009\":{\"vr\":\"AT\",\"Value\":[\"0018106\"]}}", "{\"00080005\":{\"vr\":\"CS\",\"Value\":[1e]}}",
        };
        for (String b : bad) {
            assertThrows(IOException.class, () -> parse(b), b);
        }
        assertThrows(IOException.class, () -> new DicomJsonParser(new ByteArrayInputStream(
                new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'})).parse(), "malformed UTF-8");
    }

    @Test
    void declaresUtf8WhenTextNeedsIt() throws IOException {
        Attributes a = parse("{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Müller\"}]},\"00100020\":{\"vr\":\"LO\",\"Value\":[\"x\"]}}");
        assertEquals("ISO_IR 192", a.getString(Tag.SpecificCharacterSet));
        assertEquals("Müller", a.getString(Tag.PatientName));
        Attributes ascii = parse("{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"x\"]},\"00080060\":{\"vr\":\"CS\",\"Value\":[\"é\"]}}");
        assertFalse(ascii.contains(Tag.SpecificCharacterSet), "CS is not text of the character set");
    }

    @Test
    void limitsHold() throws IOException {
        StringBuilder deep = new StringBuilder();
        int levels = 10;
        for (int i = 0; i < levels; i++) {
            deep.append("{\"00081115\":{\"vr\":\"SQ\",\"Value\":[");
        }
        deep.append("{}");
        for (int i = 0; i < levels; i++) {
            deep.append("]}}");
        }
        assertEquals(1, new DicomJsonParser(new StringReader(deep.toString())).setMaxNestingDepth(10).parse().size());
        DicomJsonException e = assertThrows(DicomJsonException.class,
                () -> new DicomJsonParser(new StringReader(deep.toString())).setMaxNestingDepth(9).parse());
        assertTrue(e.getReason().contains("nesting"), e.getMessage());
        StringBuilder brackets = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            brackets.append('[');
        }
        assertThrows(DicomJsonException.class, () -> parse(brackets.toString()));
        assertThrows(DicomJsonException.class, () -> new DicomJsonParser(new StringReader(
                "{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"0123456789\"]}}")).setMaxStringLength(9).parse());
        assertFalse(parse("{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"\\u00e9\\\"\\/\"]}}").isEmpty());
    }
}
