package org.mosaicpacs.dicom.json;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.xml.DicomXmlParser;
import org.mosaicpacs.dicom.xml.DicomXmlWriter;

/**
 * Mutated DICOM JSON and XML (bytes changed, deleted, duplicated; fixed seed): the parsers return a
 * data set or throw an IOException, never anything else.
 */
class MutationTest {

    private static final int ROUNDS = 400;

    @Test
    void mutatedJsonGivesDataSetOrIOException() throws IOException {
        StringWriter w = new StringWriter();
        new DicomJsonWriter(w).write(ModelFixtures.everyVR());
        byte[] good = w.toString().getBytes(StandardCharsets.UTF_8);
        Random random = new Random(20261130);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] bad = mutate(good, random);
            try {
                new DicomJsonParser(new ByteArrayInputStream(bad)).parse();
            } catch (IOException expected) {
                // fine
            } catch (RuntimeException | StackOverflowError e) {
                fail("round " + i + ": " + e + "\n" + new String(bad, StandardCharsets.UTF_8), e);
            }
        }
    }

    @Test
    void mutatedXmlGivesDataSetOrIOException() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DicomXmlWriter(out, null).write(ModelFixtures.everyVR());
        byte[] good = out.toByteArray();
        Random random = new Random(20261201);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] bad = mutate(good, random);
            try {
                Attributes a = new DicomXmlParser(new ByteArrayInputStream(bad)).parse();
                a.size();
            } catch (IOException expected) {
                // fine
            } catch (RuntimeException | StackOverflowError e) {
                fail("round " + i + ": " + e + "\n" + new String(bad, StandardCharsets.UTF_8), e);
            }
        }
    }

    @Test
    void mutatedJsonTextGivesDataSetOrIOException() {
        String[] pieces = {"{", "}", "[", "]", ",", ":", "\"", "null", "1e5", "-0", "\"vr\"", "\"SQ\"", "\"PN\"",
            "\"Value\"", "\"InlineBinary\"", "\"BulkDataURI\"", "\"7FE00010\"", "\"00100010\"", "\"OB\"", "\"US\"",
            "\"/v8A4A==\"", "{\"Alphabetic\":1}", "\"AT\"", "\"00081115\""};
        Random random = new Random(7);
        for (int i = 0; i < ROUNDS; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(30);
            for (int k = 0; k < n; k++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            try {
                new DicomJsonParser(new StringReader(sb.toString())).parse();
            } catch (IOException expected) {
                // fine
            } catch (RuntimeException | StackOverflowError e) {
                fail("round " + i + ": " + e + "\n" + sb, e);
            }
        }
    }

    private static byte[] mutate(byte[] good, Random random) {
        byte[] b = good.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int pos = random.nextInt(b.length);
            switch (random.nextInt(3)) {
                case 0:
                    b[pos] = (byte) "{}[],:\"\\0123456789eE.-+ntfa<>/=&;#xX".charAt(random.nextInt(36));
                    break;
                case 1:
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, pos);
                    System.arraycopy(b, pos + 1, shorter, pos, b.length - pos - 1);
                    b = shorter;
                    break;
                default:
                    int len = Math.min(1 + random.nextInt(40), b.length - pos);
                    byte[] longer = new byte[b.length + len];
                    System.arraycopy(b, 0, longer, 0, pos + len);
                    System.arraycopy(b, pos, longer, pos + len, b.length - pos);
                    b = longer;
                    break;
            }
        }
        return b;
    }
}
