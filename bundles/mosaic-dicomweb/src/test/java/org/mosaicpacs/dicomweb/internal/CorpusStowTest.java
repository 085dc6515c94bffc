package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.json.DicomJsonParser;

/**
 * Every file of a corpus made by make-corpus.py ({@code MOSAIC_CORPUS}; skipped without it), malformed ones
 * included, sent with STOW-RS in batches: each answer is 200, 202 or 409 (never a server error), every
 * part is listed as stored or failed, and every instance stored without a warning comes back with WADO-RS
 * byte for byte as it was sent. The server still answers afterwards.
 */
class CorpusStowTest {

    private static final int BATCH = 20;

    @TempDir
    Path temp;

    @Test
    void everyCorpusFileIsStoredOrRefusedAndComesBackAsSent() throws Exception {
        String dir = System.getProperty("MOSAIC_CORPUS", System.getenv("MOSAIC_CORPUS"));
        Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir)), "MOSAIC_CORPUS not set");
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of(dir))) {
            files = s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".tsv")
                    && !f.getFileName().toString().endsWith(".txt")).sorted().collect(Collectors.toList());
        }
        int stored = 0;
        int failed = 0;
        int compared = 0;
        int seriesChecked = 0;
        try (Fixture web = new Fixture(temp)) {
            for (int from = 0; from < files.size(); from += BATCH) {
                List<Path> batch = files.subList(from, Math.min(from + BATCH, files.size()));
                // the body is streamed from the files: the test heap is smaller than some batches
                List<InputStream> pieces = new ArrayList<>();
                List<String> sent = new ArrayList<>();
                for (Path f : batch) {
                    sent.add(sha256(f));
                    pieces.add(new ByteArrayInputStream("--C0rpus\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
                    pieces.add(Files.newInputStream(f));
                    pieces.add(new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.ISO_8859_1)));
                }
                pieces.add(new ByteArrayInputStream("--C0rpus--\r\n".getBytes(StandardCharsets.ISO_8859_1)));
                HttpResponse<byte[]> r = web.send("POST", "/studies", HttpRequest.BodyPublishers.ofInputStream(
                        () -> new SequenceInputStream(Collections.enumeration(pieces))),
                        "Content-Type", "multipart/related; type=\"application/dicom\"; boundary=C0rpus");
                assertTrue(Set.of(200, 202, 409).contains(r.statusCode()), batch + ": " + r.statusCode() + " " + Fixture.text(r));
                Attributes answer = new DicomJsonParser(new ByteArrayInputStream(r.body())).parse();
                Sequence ok = answer.getSequence(Tag.ReferencedSOPSequence);
                Sequence ko = answer.getSequence(Tag.FailedSOPSequence);
                int okCount = ok == null ? 0 : ok.size();
                int koCount = ko == null ? 0 : ko.size();
                assertEquals(batch.size(), okCount + koCount, "every part is accounted for: " + batch);
                stored += okCount;
                failed += koCount;
                if (ok == null) {
                    continue;
                }
                for (Attributes item : ok) {
                    if (item.contains(Tag.WarningReason)) {
                        continue; // a duplicate kept as first stored: not this part's bytes
                    }
                    HttpResponse<byte[]> back = web.get(item.getString(Tag.RetrieveURL),
                            "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
                    assertEquals(200, back.statusCode(), item.getString(Tag.RetrieveURL));
                    byte[] got = Fixture.multipart(back).get(0).content();
                    assertTrue(sent.contains(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(got))),
                            "retrieved as sent: " + item.getString(Tag.ReferencedSOPInstanceUID));
                    compared++;
                }
            }
            assertTrue(web.get("/studies?limit=1").statusCode() == 200, "still answering");
            // the metadata of every stored series can be built and read
            for (Attributes series : Fixture.jsonArray(web.get("/series?limit=1000").body())) {
                String url = "/studies/" + series.getString(Tag.StudyInstanceUID) + "/series/"
                        + series.getString(Tag.SeriesInstanceUID) + "/metadata";
                HttpResponse<byte[]> m = web.get(url);
                assertEquals(200, m.statusCode(), url + ": " + Fixture.text(m));
                assertEquals(series.getInt(Tag.NumberOfSeriesRelatedInstances, -1), Fixture.jsonArray(m.body()).size(), url);
                seriesChecked++;
            }
        }
        System.out.println("CorpusStowTest: " + files.size() + " files, " + stored + " stored, " + failed
                + " refused, " + compared + " retrieved byte for byte, metadata of " + seriesChecked + " series");
        assertTrue(stored > 0 && compared > 0);
    }

    private static String sha256(Path f) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), d)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
