package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * WADO-RS metadata as multipart/related DICOM XML (PS3.19 Native DICOM Model), parsed with the JDK's XML parser and
 * compared with dcmtk's {@code dcm2xml --native-format} of the stored files (that comparison is skipped without
 * dcmtk); its BulkData URIs resolve to the stored Pixel Data.
 */
class MetadataXmlTest {

    private static final Path DCM2XML = Path.of("/usr/bin/dcm2xml");
    private static final String STUDY = "1.2.6";
    private static final String SERIES = "1.2.6.1";
    private static final String XML = "multipart/related; type=\"application/dicom+xml\"";

    @TempDir
    Path temp;

    private Fixture web;
    private final Map<String, Path> stored = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        web = new Fixture(temp.resolve("archive"));
        Path in = temp.resolve("in");
        stored.put("1.2.6.1.1", TestData.write(in, TestData.ct(STUDY, SERIES, "1.2.6.1.1", "Müller^Jürgen", "P1",
                "20240105", 1, 1), UID.ExplicitVRLittleEndian));
        stored.put("1.2.6.1.2", TestData.write(in, TestData.ct(STUDY, SERIES, "1.2.6.1.2", "Müller^Jürgen", "P1",
                "20240105", 2, 2), UID.ImplicitVRLittleEndian));
        for (Path p : stored.values()) {
            web.store(p);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        web.close();
    }

    static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    /** The top-level DicomAttribute of {@code tag} (8 hex digits), or null. */
    static Element attribute(Document doc, String tag) {
        for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getLocalName().equals("DicomAttribute")
                    && e.getAttribute("tag").equalsIgnoreCase(tag)) {
                return e;
            }
        }
        return null;
    }

    /** The leaf values of an attribute, as "element=text" (numbers normalised), in document order. */
    static List<String> values(Element attribute) {
        List<String> out = new ArrayList<>();
        NodeList all = attribute.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getElementsByTagNameNS("*", "*").getLength() == 0) {
                String text = e.getTextContent().trim();
                try {
                    text = String.valueOf(Double.parseDouble(text));
                } catch (NumberFormatException notANumber) {
                    // as it is
                }
                out.add(e.getLocalName() + "=" + text);
            }
        }
        return out;
    }

    @Test
    void seriesMetadataAsXmlEqualsDcm2xmlOfTheStoredFiles() throws Exception {
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY + "/series/" + SERIES + "/metadata", "Accept", XML);
        assertEquals(200, r.statusCode(), Fixture.text(r));
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("multipart/related"));
        List<Fixture.Part> parts = Fixture.multipart(r);
        assertEquals(2, parts.size());
        boolean dcmtk = Files.isExecutable(DCM2XML);
        for (Fixture.Part part : parts) {
            assertEquals("application/dicom+xml", part.headers().get("content-type"));
            Document ours = parse(part.content());
            assertEquals("NativeDicomModel", ours.getDocumentElement().getLocalName());
            String sop = values(attribute(ours, "00080018")).get(0).substring("Value=".length());
            Path file = stored.get(sop);
            assertNotNull(file, "an instance of the series: " + sop);
            if (dcmtk) {
                Document peer = dcm2xml(file);
                for (String tag : new String[] {"00080016", "00080018", "0020000D", "0020000E", "00100010", "00100020",
                    "00080020", "00200013", "00280010", "00280011", "00280030", "00200032"}) {
                    assertEquals(values(attribute(peer, tag)), values(attribute(ours, tag)), sop + " " + tag);
                }
            }
            // Pixel Data is a BulkData reference that gives the stored pixels
            Element pixelData = attribute(ours, "7FE00010");
            Element bulk = (Element) pixelData.getElementsByTagNameNS("*", "BulkData").item(0);
            assertNotNull(bulk, "Pixel Data as BulkData");
            HttpResponse<byte[]> pixels = web.get(bulk.getAttribute("uri"), "Accept", "application/octet-stream");
            assertEquals(200, pixels.statusCode(), Fixture.text(pixels));
            assertArrayEquals(storedPixels(file), pixels.body());
        }
    }

    @Test
    void instanceAndStudyMetadataAsXmlAndJsonStaysTheDefault() throws Exception {
        HttpResponse<byte[]> one = web.get("/studies/" + STUDY + "/series/" + SERIES + "/instances/1.2.6.1.2/metadata",
                "Accept", XML);
        assertEquals(200, one.statusCode(), Fixture.text(one));
        List<Fixture.Part> parts = Fixture.multipart(one);
        assertEquals(1, parts.size());
        assertEquals(List.of("Value=2.0"), values(attribute(parse(parts.get(0).content()), "00280008")));
        assertEquals(List.of("FamilyName=Müller", "GivenName=Jürgen"),
                values(attribute(parse(parts.get(0).content()), "00100010")));

        HttpResponse<byte[]> study = web.get("/studies/" + STUDY + "/metadata?accept="
                + java.net.URLEncoder.encode(XML, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, study.statusCode(), Fixture.text(study));
        assertEquals(2, Fixture.multipart(study).size());

        HttpResponse<byte[]> json = web.get("/studies/" + STUDY + "/metadata");
        assertEquals("application/dicom+json", json.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(2, Fixture.jsonArray(json.body()).size());
    }

    @Test
    void unsupportedAcceptIs406AndUnknownSeries404() throws Exception {
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY + "/metadata", "Accept", "text/html");
        assertEquals(406, r.statusCode());
        assertTrue(Fixture.text(r).contains("application/dicom+xml"), Fixture.text(r));
        assertEquals(404, web.get("/studies/" + STUDY + "/series/1.2.999/metadata", "Accept", XML).statusCode());
    }

    private static byte[] storedPixels(Path file) throws Exception {
        try (DicomInputStream in = new DicomInputStream(file)) {
            in.readFileMetaInformation();
            Attributes ds = in.readDataset();
            return ds.getBytes(Tag.PixelData);
        }
    }

    private Document dcm2xml(Path file) throws Exception {
        Path out = temp.resolve(file.getFileName() + ".xml");
        Process p = new ProcessBuilder(DCM2XML.toString(), "--native-format", "--convert-to-utf8", file.toString(),
                out.toString()).redirectErrorStream(true).redirectOutput(temp.resolve("dcm2xml.log").toFile()).start();
        Assumptions.assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                () -> "dcm2xml failed: " + read(temp.resolve("dcm2xml.log")));
        return parse(Files.readAllBytes(out));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
