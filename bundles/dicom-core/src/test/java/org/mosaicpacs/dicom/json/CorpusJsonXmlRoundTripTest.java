package org.mosaicpacs.dicom.json;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.xml.DicomXmlParser;
import org.mosaicpacs.dicom.xml.DicomXmlWriter;

/**
 * For every valid file of a corpus made by make-corpus.py (MOSAIC_CORPUS; skipped when unset): the
 * JSON and the XML we write read back into data sets that write the same JSON and XML again, and the
 * data set read from our XML writes the same JSON as the file's.
 */
class CorpusJsonXmlRoundTripTest {

    @Test
    void jsonAndXmlReadBackToTheSameText() throws IOException {
        String dir = System.getProperty("MOSAIC_CORPUS", System.getenv("MOSAIC_CORPUS"));
        Path root = dir == null || dir.isEmpty() ? null : Paths.get(dir);
        Assumptions.assumeTrue(root != null && Files.isDirectory(root), "MOSAIC_CORPUS not set");
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(root.resolve("manifest.tsv"), StandardCharsets.UTF_8)) {
            String rel = line.split("\t", 2)[0];
            Path f = root.resolve(rel);
            if (rel.equals("path") || rel.startsWith("malformed/") || !Files.isRegularFile(f)) {
                continue;
            }
            try (DicomInputStream in = new DicomInputStream(f)) {
                Attributes ds = in.readDataset();
                String json = json(ds);
                String xml = xml(ds);
                Attributes fromJson = new DicomJsonParser(new StringReader(json)).parse();
                Attributes fromXml = new DicomXmlParser(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).parse();
                if (!ds.contains(Tag.SpecificCharacterSet) && fromJson.contains(Tag.SpecificCharacterSet)) {
                    // Non-ASCII text without a declared character set (our reader's Latin-1 recovery):
                    // the parsers declare ISO_IR 192 rather than lose characters. Expect that
                    // declaration (the file's bytes, not valid UTF-8, still decode as Latin-1).
                    Attributes declared = new Attributes(ds);
                    declared.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
                    json = json(declared);
                    xml = xml(declared);
                }
                if (!json.equals(json(fromJson))) {
                    failures.add(rel + ": JSON -> data set -> JSON differs");
                }
                if (!xml.equals(xml(fromXml))) {
                    failures.add(rel + ": XML -> data set -> XML differs");
                }
                if (!json.equals(json(fromXml))) {
                    failures.add(rel + ": XML -> data set -> JSON differs from the file's JSON");
                }
                n++;
            } catch (IOException | RuntimeException e) {
                failures.add(rel + ": " + e);
            }
        }
        System.out.println("JSON/XML corpus round trip: " + n + " files, " + failures.size() + " failures");
        if (!failures.isEmpty()) {
            fail(failures.size() + " failures:\n" + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        }
        assertTrue(n > 0);
    }

    private static String json(Attributes ds) throws IOException {
        StringWriter w = new StringWriter();
        new DicomJsonWriter(w).write(ds);
        return w.toString();
    }

    private static String xml(Attributes ds) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DicomXmlWriter(out, null).write(ds);
        return out.toString(StandardCharsets.UTF_8);
    }
}
