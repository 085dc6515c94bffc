package org.mosaicpacs.dicom.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.fuzz.FuzzSeeds.Seed;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.io.DicomParseException;
import org.mosaicpacs.dicom.io.DicomReadLimits;

/**
 * Mutation fuzzing of {@link DicomInputStream} (and of {@link DicomOutputStream} on what parsed).
 *
 * <p>Valid seeds made in code (and, when {@code MOSAIC_CORPUS} names a corpus folder, up to
 * {@code mosaic.fuzz.corpusFiles} of its files) are mutated with a seeded PRNG: bit flips, bytes set to
 * 0x00/0xFF, length fields set to boundary values, truncation, duplicated, spliced and deleted byte ranges,
 * inserted delimitation items, replaced tags. Each mutant must either parse or throw
 * {@link DicomParseException}; anything else (another IOException, a runtime exception, an error) fails the
 * test with the run seed and the iteration, which reproduce it:
 *
 * <pre>
 * mvn -B -q -pl bundles/dicom-core verify -Dtest=DicomReaderFuzzTest -Dmosaic.fuzz.seed=S -Dmosaic.fuzz.only=I
 * </pre>
 *
 * <p>Properties: {@code mosaic.fuzz.seed} (default fixed), {@code mosaic.fuzz.count} (12000),
 * {@code mosaic.fuzz.seconds} (time budget, 240: stops early on a slow machine; the test then still
 * requires {@value #MIN_DONE} mutants done), {@code mosaic.fuzz.only} (one iteration),
 * {@code mosaic.fuzz.corpusFiles} (20), {@code mosaic.fuzz.dump} (a folder to write the failing mutants to). Memory stays small: the reader runs with an allocation limit of
 * 32 MiB.
 */
class DicomReaderFuzzTest {

    private static final long DEFAULT_SEED = 0x5EED_D1C0_2026L;
    private static final int MIN_DONE = 1000;
    private static final DicomReadLimits LIMITS = DicomReadLimits.DEFAULT.withMaxAllocation(32L << 20)
            .withMaxValueLength(32L << 20);
    private static final int MAX_FAILURES = 5;

    static {
        // mutated Specific Character Set values are logged as warnings, thousands of them: keep the output
        // readable (effective when this class is the first to log, e.g. with -Dtest=DicomReaderFuzzTest)
        System.setProperty("org.slf4j.simpleLogger.log.org.mosaicpacs.dicom", "error");
    }

    @TempDir
    Path tmp;

    private final List<String> failures = new ArrayList<>();
    private int parsed;
    private int rejected;
    private int rewrittenRejected;

    @Test
    void mutantsParseOrThrowDicomParseException() throws IOException {
        long runSeed = Long.getLong("mosaic.fuzz.seed", DEFAULT_SEED);
        int count = Integer.getInteger("mosaic.fuzz.count", 12_000);
        long budgetNanos = Long.getLong("mosaic.fuzz.seconds", 240) * 1_000_000_000L;
        int only = Integer.getInteger("mosaic.fuzz.only", -1);

        List<Seed> seeds = new ArrayList<>(FuzzSeeds.all());
        seeds.addAll(corpusSeeds(Integer.getInteger("mosaic.fuzz.corpusFiles", 20)));
        for (Seed s : seeds) {
            // every seed itself must parse (or, for corpus files, at least not break the contract)
            check(s.bytes, s.rawTransferSyntax, "seed " + s.name, true, true, s.name.startsWith("corpus:"));
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        byte[][] donors = seeds.stream().map(s -> s.bytes).toArray(byte[][]::new);

        long start = System.nanoTime();
        int done = 0;
        for (int i = only >= 0 ? only : 0; i < (only >= 0 ? only + 1 : count); i++) {
            if (System.nanoTime() - start > budgetNanos) {
                break;
            }
            Random rnd = new Random(runSeed * 0x9E3779B97F4A7C15L + i);
            Seed seed = seeds.get(rnd.nextInt(seeds.size()));
            Mutator m = new Mutator(rnd, seed.bigEndian, donors);
            byte[] mutant;
            if (seed.inflated != null && rnd.nextBoolean()) {
                // mutate the inflated data set, then compress: reaches the parser behind the inflater
                byte[] body = m.mutate(seed.inflated, 0);
                byte[] z = FuzzSeeds.deflate(body);
                mutant = new byte[seed.datasetStart + z.length];
                System.arraycopy(seed.bytes, 0, mutant, 0, seed.datasetStart);
                System.arraycopy(z, 0, mutant, seed.datasetStart, z.length);
                m.log.add(0, "(inflated data set, then deflated)");
            } else {
                int from = rnd.nextInt(4) == 0 ? 0 : seed.datasetStart;
                mutant = m.mutate(seed.bytes, from);
            }
            String what = "run seed " + runSeed + ", iteration " + i + " (-Dmosaic.fuzz.seed=" + runSeed
                    + " -Dmosaic.fuzz.only=" + i + "), seed file " + seed + ", mutations " + m.log;
            boolean viaFile = i % 10 == 0;
            int before = failures.size();
            check(mutant, seed.rawTransferSyntax != null && rnd.nextBoolean() ? seed.rawTransferSyntax : null, what,
                    viaFile, i % 5 == 2, false);
            done++;
            String dump = System.getProperty("mosaic.fuzz.dump");
            if (failures.size() > before && dump != null) {
                Files.createDirectories(Paths.get(dump));
                Files.write(Paths.get(dump, "mutant-" + runSeed + "-" + i + ".dcm"), mutant);
            }
            if (failures.size() >= MAX_FAILURES) {
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("fuzz: %d mutants of %d seeds in %.1f s (run seed %d): %d parsed, %d rejected with "
                + "DicomParseException, %d re-encodings rejected%n", done, seeds.size(), seconds, runSeed, parsed,
                rejected, rewrittenRejected);
        if (!failures.isEmpty()) {
            fail(failures.size() + " mutant(s) broke the contract:\n" + String.join("\n\n", failures));
        }
        if (only < 0) {
            assertTrue(done >= Math.min(count, MIN_DONE), "only " + done + " mutants done within the time budget");
        }
    }

    /** The seeds must parse and round trip; tests the seeds themselves (a broken seed fuzzes little). */
    @Test
    void seedsAreValid() throws IOException {
        for (Seed s : FuzzSeeds.all()) {
            DicomInputStream in = s.rawTransferSyntax != null
                    ? new DicomInputStream(new ByteArrayInputStream(s.bytes), s.rawTransferSyntax)
                    : new DicomInputStream(new ByteArrayInputStream(s.bytes));
            Attributes ds = in.readDataset();
            assertTrue(ds.size() > 3, s.name);
            ByteArrayOutputStream bout = new ByteArrayOutputStream();
            try (DicomOutputStream out = new DicomOutputStream(bout, UID.ExplicitVRLittleEndian)) {
                out.writeDataset(ds);
            }
            Attributes back = new DicomInputStream(new ByteArrayInputStream(bout.toByteArray()),
                    UID.ExplicitVRLittleEndian).readDataset();
            assertEquals(ds.size(), back.size(), s.name);
        }
    }

    private void check(byte[] b, String rawTs, String what, boolean viaFile, boolean trickle, boolean lenient)
            throws IOException {
        // 1. the whole data set from a stream, then write it (read transfer syntax and Explicit VR LE)
        Attributes ds = null;
        Attributes fmi = null;
        String ts = null;
        try (DicomInputStream in = open(b, rawTs)) {
            fmi = in.readFileMetaInformation();
            ts = in.getTransferSyntax();
            ds = in.readDataset();
            parsed++;
        } catch (DicomParseException e) {
            rejected++;
            if (what.startsWith("seed ") && !lenient) {
                failures.add(what + ": a seed did not parse: " + e);
            }
        } catch (Throwable t) {
            failures.add(what + ": reading threw " + trace(t));
            return;
        }
        if (ds != null) {
            rewrite(ds, fmi, ts, what);
            walkValues(ds, what);
        }
        // 1b. the same bytes trickling in a few at a time must give the same outcome (buffer boundaries)
        if (trickle) {
            Attributes slow = null;
            try (DicomInputStream in = rawTs != null ? new DicomInputStream(new Trickle(b), rawTs)
                    : new DicomInputStream(new Trickle(b))) {
                in.setLimits(LIMITS);
                slow = in.readDataset();
            } catch (DicomParseException e) {
                if (ds != null) {
                    failures.add(what + ": parses from a byte array but not trickling in: " + e);
                }
            } catch (Throwable t) {
                failures.add(what + ": reading a trickling stream threw " + trace(t));
            }
            if (slow != null && (ds == null || !slow.equals(ds))) {
                failures.add(what + ": reading a trickling stream gave another result than from a byte array");
            }
        }
        // 2. stopping before the pixel data
        try (DicomInputStream in = open(b, rawTs)) {
            Attributes head = in.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
            if (head.contains(Tag.PixelData)) {
                failures.add(what + ": STOP_BEFORE_PIXEL_DATA read the pixel data");
            }
        } catch (DicomParseException e) {
            if (ds != null) {
                failures.add(what + ": the whole data set parses, but not its part before the pixel data: " + e);
            }
        } catch (Throwable t) {
            failures.add(what + ": reading with STOP_BEFORE_PIXEL_DATA threw " + trace(t));
        }
        // 3. from a file, large values kept as bulk data, then written (streaming the bulk data from the file)
        if (viaFile) {
            Path f = tmp.resolve("mutant.dcm");
            Files.write(f, b);
            try (DicomInputStream in = new DicomInputStream(f)) {
                in.setLimits(LIMITS).setBulkDataThreshold(16);
                Attributes fileMeta = in.readFileMetaInformation();
                String fileTs = in.getTransferSyntax();
                Attributes fds = in.readDataset();
                if (ds == null && rawTs == null) {
                    failures.add(what + ": parses from a file but not from a stream");
                }
                rewrite(fds, fileMeta, fileTs, what + " [file, bulk data threshold 16]");
            } catch (DicomParseException e) {
                if (ds != null && rawTs == null) {
                    failures.add(what + ": parses from a stream but not from a file: " + e);
                }
            } catch (Throwable t) {
                failures.add(what + ": reading the file with a bulk data threshold threw " + trace(t));
            }
        }
    }

    private static DicomInputStream open(byte[] b, String rawTs) {
        DicomInputStream in = rawTs != null ? new DicomInputStream(new ByteArrayInputStream(b), rawTs)
                : new DicomInputStream(new ByteArrayInputStream(b));
        return in.setLimits(LIMITS);
    }

    /** Writes what parsed; only IOExceptions are acceptable. What we write must read again. */
    private void rewrite(Attributes ds, Attributes fmi, String ts, String what) {
        List<String> targets = new ArrayList<>();
        targets.add(ts);
        if (!UID.ExplicitVRLittleEndian.equals(ts)) {
            targets.add(UID.ExplicitVRLittleEndian);
        }
        for (String target : targets) {
            byte[] written;
            try {
                ByteArrayOutputStream bout = new ByteArrayOutputStream();
                try (DicomOutputStream out = new DicomOutputStream(bout)) {
                    Attributes meta = fmi != null ? new Attributes(fmi)
                            : DicomOutputStream.createFileMetaInformation(UID.SecondaryCaptureImageStorage,
                                    "2.25.1", target);
                    meta.setString(Tag.TransferSyntaxUID, VR.UI, target);
                    out.writeFileMetaInformation(meta);
                    out.writeDataset(ds);
                }
                written = bout.toByteArray();
            } catch (IOException acceptable) {
                continue;
            } catch (Throwable t) {
                failures.add(what + ": writing what parsed (as " + target + ") threw " + trace(t));
                continue;
            }
            try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(written))) {
                in.setLimits(DicomReadLimits.DEFAULT);
                in.readDataset();
            } catch (DicomParseException e) {
                rewrittenRejected++;
                failures.add(what + ": what we wrote (as " + target + ") does not read again: " + e);
            } catch (Throwable t) {
                failures.add(what + ": reading what we wrote (as " + target + ") threw " + trace(t));
            }
        }
        try (DicomOutputStream out = new DicomOutputStream(OutputStream.nullOutputStream(),
                UID.ImplicitVRLittleEndian)) {
            out.setUndefinedLengths(true, true);
            out.writeDataset(ds);
        } catch (IOException acceptable) {
            // e.g. a value too long for its length field
        } catch (Throwable t) {
            failures.add(what + ": writing what parsed (implicit VR, undefined lengths) threw " + trace(t));
        }
    }

    /** Decodes the values of the top-level string elements; a hostile value must not throw. */
    private void walkValues(Attributes ds, String what) {
        try {
            ds.toString();
            ds.hashCode();
            for (int i = 0; i < ds.size(); i++) {
                int tag = ds.tagAt(i);
                if (ds.vrAt(i).isString()) {
                    ds.getStrings(tag);
                }
            }
        } catch (Throwable t) {
            failures.add(what + ": decoding values threw " + trace(t));
        }
    }

    /** A stream returning 1 to 7 bytes per read (a slow network), deterministic. */
    private static final class Trickle extends java.io.InputStream {
        private final byte[] b;
        private int pos;
        private int calls;

        Trickle(byte[] b) {
            this.b = b;
        }

        @Override
        public int read() {
            return pos < b.length ? b[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= b.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + (calls++ * 5) % 7), b.length - pos);
            System.arraycopy(b, pos, dst, off, n);
            pos += n;
            return n;
        }
    }

    private static List<Seed> corpusSeeds(int max) throws IOException {
        String dir = System.getProperty("MOSAIC_CORPUS", System.getenv("MOSAIC_CORPUS"));
        if (dir == null || dir.isEmpty() || max <= 0 || !Files.isDirectory(Paths.get(dir))) {
            return List.of();
        }
        Path root = Paths.get(dir);
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".dcm"))
                    .filter(p -> sizeOf(p) > 0 && sizeOf(p) <= 1 << 20).sorted().collect(Collectors.toList());
        }
        List<Seed> seeds = new ArrayList<>();
        int step = Math.max(1, files.size() / max);
        for (int i = 0; i < files.size() && seeds.size() < max; i += step) {
            Path p = files.get(i);
            byte[] b = Files.readAllBytes(p);
            boolean be = p.toString().contains("big");
            seeds.add(new Seed("corpus:" + root.relativize(p), b, null, be, 0, null));
        }
        return seeds;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String trace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 3000 ? s.substring(0, 3000) + "..." : s;
    }
}
