package org.mosaicpacs.dicom.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;

/**
 * Parses every file of a corpus made by make-corpus.py when the system property or environment
 * variable MOSAIC_CORPUS names its folder: files outside malformed/ must parse; files in malformed/
 * must parse or throw DicomParseException, nothing else.
 */
class CorpusTest {

    static Path corpus() {
        String dir = System.getProperty("MOSAIC_CORPUS", System.getenv("MOSAIC_CORPUS"));
        return dir == null || dir.isEmpty() ? null : Paths.get(dir);
    }

    @Test
    void parseCorpus() throws IOException {
        Path root = corpus();
        Assumptions.assumeTrue(root != null && Files.isDirectory(root), "MOSAIC_CORPUS not set");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".tsv")
                            && !p.getFileName().toString().endsWith(".txt"))
                    .sorted().collect(Collectors.toList());
        }
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        int rejected = 0;
        for (Path f : files) {
            boolean malformed = root.relativize(f).toString().startsWith("malformed");
            try {
                read(f, false);
                read(f, true);
                parsed++;
            } catch (DicomParseException e) {
                rejected++;
                if (!malformed) {
                    failures.add(root.relativize(f) + ": " + e.getMessage());
                }
            } catch (Throwable t) {
                failures.add(root.relativize(f) + ": " + t);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " failures:\n" + String.join("\n", failures));
        }
        assertTrue(parsed > 0 || files.isEmpty());
        System.out.println("corpus: " + files.size() + " files, " + parsed + " parsed, " + rejected + " rejected");
    }

    @Test
    void roundTripCorpus() throws IOException {
        Path root = corpus();
        Assumptions.assumeTrue(root != null && Files.isDirectory(root), "MOSAIC_CORPUS not set");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".dcm") && !root.relativize(p).toString().startsWith("malformed"))
                    .sorted().collect(Collectors.toList());
        }
        List<String> failures = new ArrayList<>();
        for (Path f : files) {
            try (DicomInputStream in = new DicomInputStream(f)) {
                Attributes fmi = in.readFileMetaInformation();
                Attributes ds = in.readDataset();
                String tsuid = in.getTransferSyntax();
                List<String> targets = new ArrayList<>(List.of(tsuid));
                if (!TransferSyntax.of(tsuid).isEncapsulated()) {
                    targets.add(UID.ExplicitVRLittleEndian);
                }
                for (String target : targets) {
                    ByteArrayOutputStream bout = new ByteArrayOutputStream();
                    try (DicomOutputStream out = new DicomOutputStream(bout)) {
                        Attributes meta = fmi != null ? new Attributes(fmi) : new Attributes();
                        meta.setString(Tag.TransferSyntaxUID, VR.UI, target);
                        out.writeFileMetaInformation(meta);
                        out.writeDataset(ds);
                    }
                    Attributes back = Fixtures.read(bout.toByteArray());
                    if (!back.equals(ds)) {
                        failures.add(root.relativize(f) + " -> " + target + ": differs");
                    }
                }
            } catch (Exception e) {
                failures.add(root.relativize(f) + ": " + e);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " round trip failures:\n" + String.join("\n", failures));
        }
    }

    static Attributes read(Path f, boolean bulk) throws IOException {
        try (DicomInputStream in = new DicomInputStream(f)) {
            if (bulk) {
                in.setBulkDataThreshold(1024);
            }
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }
}
