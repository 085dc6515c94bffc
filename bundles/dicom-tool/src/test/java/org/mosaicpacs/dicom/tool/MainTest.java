package org.mosaicpacs.dicom.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.json.DicomJsonParser;
import org.mosaicpacs.dicom.xml.DicomXmlParser;

class MainTest {

    @TempDir
    Path dir;

    /** The result of one in-process run. */
    static final class Run {
        final int status;
        final String out;
        final String err;
        final byte[] outBytes;

        Run(int status, byte[] out, String err) {
            this.status = status;
            this.outBytes = out;
            this.out = new String(out, StandardCharsets.UTF_8);
            this.err = err;
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    static Attributes sample() {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        a.setString(Tag.SOPInstanceUID, VR.UI, "2.25.42");
        a.setString(Tag.PatientName, VR.PN, "Doe^John=山田^太郎");
        a.setString(Tag.PatientID, VR.LO, "P-1");
        a.setString(Tag.StudyDescription, VR.LO, "x".repeat(200));
        a.setString(Tag.Modality, VR.CS, "OT");
        a.setInt(Tag.Rows, VR.US, 2);
        a.setInt(Tag.Columns, VR.US, 2);
        a.setInt(Tag.BitsAllocated, VR.US, 16);
        a.setDouble(Tag.PixelSpacing, VR.DS, 0.5, 0.5);
        Attributes item = a.newSequence(Tag.ReferencedSeriesSequence, 1).addNewItem();
        item.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.43");
        a.setInt(Tag.PixelData, VR.OW, 1, 2, 3, 0xFFFF);
        return a;
    }

    private Path write(String name, Attributes ds, String ts) throws IOException {
        Path p = dir.resolve(name);
        DicomOutputStream.writeFile(p, ds, ts);
        return p;
    }

    private static void assertOneLine(Run r, String expected) {
        assertFalse(r.err.isEmpty(), "a message on stderr");
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.startsWith("mosaic-dicom: "), r.err);
        assertTrue(r.err.contains(expected), r.err);
        assertFalse(r.err.contains("\tat "), r.err);
    }

    @Test
    void dumpListsElementsWithNestedItemsIndented() throws IOException {
        Path f = write("a.dcm", sample(), UID.ExplicitVRLittleEndian);
        Run r = run("dump", f.toString());
        assertEquals(0, r.status, r.err);
        assertEquals("", r.err);
        List<String> lines = r.out.lines().toList();
        assertTrue(lines.get(0).startsWith("# " + f + ": 1.2.840.10008.1.2.1"), lines.get(0));
        assertTrue(r.out.contains("(0002,0010) UI      #20 TransferSyntaxUID                [1.2.840.10008.1.2.1]"), r.out);
        assertTrue(r.out.contains("(0010,0010) PN      #22 PatientName                      [Doe^John=山田^太郎]"), r.out);
        assertTrue(r.out.contains("(0008,1115) SQ       #- ReferencedSeriesSequence         (1 item)"), r.out);
        assertTrue(r.out.contains("\n  (FFFE,E000) item #1\n    (0020,000E) UI       #8 SeriesInstanceUID                [2.25.43]"), r.out);
        assertTrue(r.out.contains("(7FE0,0010) OW       #8 PixelData                        [1\\2\\3\\65535]"), r.out);
        String description = lines.stream().filter(l -> l.contains("StudyDescription")).findFirst().orElseThrow();
        assertTrue(description.endsWith("xxx..."), description);
        assertTrue(description.length() <= 130, description);
    }

    @Test
    void jsonAndXmlReadBackEqual() throws IOException {
        Attributes ds = sample();
        Path f = write("a.dcm", ds, UID.ExplicitVRBigEndian);
        Run json = run("json", f.toString());
        assertEquals(0, json.status, json.err);
        assertTrue(json.out.startsWith("{\n  \"00080005\": {\n    \"vr\": \"CS\","), json.out);
        assertEquals(ds, new DicomJsonParser(new ByteArrayInputStream(json.outBytes)).parse());
        Run compact = run("json", "--compact", f.toString());
        assertTrue(compact.out.startsWith("{\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 192\"]},"), compact.out);
        Run xml = run("xml", f.toString());
        assertEquals(0, xml.status, xml.err);
        assertTrue(xml.out.contains("<DicomAttribute tag=\"00100010\" vr=\"PN\" keyword=\"PatientName\">"), xml.out);
        assertEquals(ds, new DicomXmlParser(new ByteArrayInputStream(xml.outBytes)).parse());
        Run bulk = run("json", "--bulk-data-threshold", "4", f.toString());
        assertTrue(bulk.out.contains("\"BulkDataURI\": \"" + f.toUri()), bulk.out);
    }

    @Test
    void transcodesBetweenUncompressedSyntaxes() throws Exception {
        Path in = write("in.dcm", sample(), UID.ImplicitVRLittleEndian);
        for (String ts : List.of(UID.ExplicitVRLittleEndian, UID.ExplicitVRBigEndian, UID.DeflatedExplicitVRLittleEndian,
                UID.ImplicitVRLittleEndian)) {
            Path out = dir.resolve("out-" + ts + ".dcm");
            Run r = run("transcode", "--ts", ts, in.toString(), out.toString());
            assertEquals(0, r.status, r.err);
            try (DicomInputStream dis = new DicomInputStream(out)) {
                Attributes fmi = dis.readFileMetaInformation();
                assertEquals(ts, fmi.getString(Tag.TransferSyntaxUID));
                assertEquals("2.25.42", fmi.getString(Tag.MediaStorageSOPInstanceUID));
                assertEquals(sample(), dis.readDataset());
            }
            dcmdump(out);
        }
        Run keyword = run("transcode", "--ts", "ExplicitVRLittleEndian", in.toString(), dir.resolve("k.dcm").toString());
        assertEquals(0, keyword.status, keyword.err);
    }

    private static void dcmdump(Path file) throws Exception {
        Path dcmdump = Path.of("/usr/bin/dcmdump");
        if (!Files.isExecutable(dcmdump)) {
            return;
        }
        Process p = new ProcessBuilder(dcmdump.toString(), "-q", file.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.lines().noneMatch(l -> l.startsWith("E:") || l.startsWith("W:") || l.startsWith("F:")), output);
    }

    @Test
    void refusesToDecompress() throws IOException {
        Attributes ds = sample();
        ds.remove(Tag.PixelData);
        Fragments frags = new Fragments(VR.OB, false, 2);
        frags.add(new byte[0]);
        frags.add(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9});
        ds.setFragments(Tag.PixelData, frags);
        Path in = write("jpeg.dcm", ds, UID.JPEGBaseline8Bit);
        Path out = dir.resolve("out.dcm");
        Run r = run("transcode", "--ts", UID.ExplicitVRLittleEndian, in.toString(), out.toString());
        assertEquals(1, r.status);
        assertOneLine(r, "cannot transcode compressed pixel data");
        assertFalse(Files.exists(out));
        Run same = run("transcode", "--ts", UID.JPEGBaseline8Bit, in.toString(), out.toString());
        assertEquals(0, same.status, same.err);
    }

    @Test
    void brokenFilesGiveOneLineAndNonZeroStatus() throws IOException {
        byte[] good = Files.readAllBytes(write("good.dcm", sample(), UID.ExplicitVRLittleEndian));
        Path truncated = dir.resolve("broken.dcm");
        Files.write(truncated, Arrays.copyOf(good, good.length - 5));
        for (String verb : List.of("dump", "json", "xml")) {
            Run r = run(verb, truncated.toString());
            assertEquals(1, r.status, verb);
            assertOneLine(r, "mosaic-dicom: " + truncated + ": ");
            assertTrue(r.err.contains("offset"), r.err);
        }
        Run verbose = run("-v", "dump", truncated.toString());
        assertEquals(1, verbose.status);
        assertTrue(verbose.err.lines().count() > 1 && verbose.err.contains("\tat "), verbose.err);
        Run missing = run("dump", dir.resolve("nope.dcm").toString());
        assertEquals(1, missing.status);
        assertOneLine(missing, "nope.dcm: no such file");
        Path junk = dir.resolve("junk.dcm");
        Files.write(junk, "this is not DICOM at all, just some text\n".repeat(3).getBytes(StandardCharsets.US_ASCII));
        Run r = run("json", junk.toString());
        assertEquals(1, r.status, r.out);
        assertOneLine(r, "junk.dcm: ");
    }

    @Test
    void helpAndUsage() {
        Run none = run();
        assertEquals(2, none.status);
        assertTrue(none.err.contains("dump") && none.err.contains("transcode"), none.err);
        Run help = run("--help");
        assertEquals(0, help.status);
        assertTrue(help.out.contains("json") && help.out.contains("xml"), help.out);
        for (String verb : List.of("dump", "json", "xml", "transcode")) {
            Run r = run(verb, "--help");
            assertEquals(0, r.status);
            assertTrue(r.out.startsWith("usage: mosaic-dicom " + verb), r.out);
        }
        Run unknown = run("frobnicate");
        assertEquals(2, unknown.status);
        assertOneLine(unknown, "unknown command 'frobnicate'");
        Run missing = run("dump");
        assertEquals(2, missing.status);
        assertOneLine(missing, "dump: missing FILE (see mosaic-dicom dump --help)");
        Run option = run("json", "--frob", "x");
        assertEquals(2, option.status);
        assertOneLine(option, "unknown option --frob");
        Run ts = run("transcode", "--ts", "1.2.3", "a", "b");
        assertEquals(1, ts.status);
    }

    @Test
    void verbsAreARegistry() {
        Verbs verbs = Verbs.standard();
        assertEquals(List.of("dump", "json", "xml", "transcode", "echo", "store", "find", "get", "move", "listen"), List.copyOf(verbs.all().keySet()));
        assertThrows(IllegalArgumentException.class, () -> verbs.add(new DumpVerb()));
        verbs.add(new Verb() {
            @Override
            public String name() {
                return "hello";
            }

            @Override
            public String summary() {
                return "say hello";
            }

            @Override
            public String help() {
                return "usage: mosaic-dicom hello";
            }

            @Override
            public int run(List<String> args, Console console) {
                console.out.println("hello " + String.join(" ", args));
                return 0;
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(verbs, new String[] {"hello", "a"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        assertEquals("hello a", out.toString(StandardCharsets.UTF_8).trim());
    }
}
