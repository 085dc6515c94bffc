package org.mosaicpacs.dicom.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.io.DicomInputStream;

/** Test helpers: the corpus, dcmtk, PNM files, PSNR. */
final class Tools {

    private Tools() {
    }

    /** The corpus folder from MOSAIC_CORPUS (environment or system property), or null. */
    static Path corpus() {
        String c = System.getProperty("MOSAIC_CORPUS", System.getenv("MOSAIC_CORPUS"));
        if (c == null || c.isBlank()) {
            return null;
        }
        Path p = Path.of(c);
        return Files.isRegularFile(p.resolve("manifest.tsv")) ? p : null;
    }

    static boolean hasTool(String name) {
        return Files.isExecutable(Path.of("/usr/bin", name));
    }

    /** A data set read from a file and the transfer syntax it was read in. */
    record Read(Attributes ds, String ts) {
    }

    static Read read(Path file) throws IOException {
        try (DicomInputStream in = new DicomInputStream(file)) {
            Attributes ds = in.readDataset();
            return new Read(ds, in.getTransferSyntax());
        }
    }

    /** Runs a command, failing the test with its stderr when it does not exit with 0. */
    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                    + new String(output));
        }
    }

    /** A binary PGM (P5) or PPM (P6) image with 8-bit samples: width, height, channels, samples. */
    record Pnm(int width, int height, int channels, byte[] samples) {
    }

    static Pnm readPnm(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            String magic = token(in);
            int channels = switch (magic) {
                case "P5" -> 1;
                case "P6" -> 3;
                default -> throw new IOException("not a binary PNM: " + magic);
            };
            int w = Integer.parseInt(token(in));
            int h = Integer.parseInt(token(in));
            int max = Integer.parseInt(token(in));
            if (max != 255) {
                throw new IOException("not 8-bit: " + max);
            }
            byte[] samples = in.readNBytes(w * h * channels);
            return new Pnm(w, h, channels, samples);
        }
    }

    private static String token(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '#') {
                while ((c = in.read()) != -1 && c != '\n') {
                    // comment
                }
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (b.size() > 0) {
                    break;
                }
                continue;
            }
            b.write(c);
        }
        return b.toString();
    }

    /** The 8-bit samples of a rendered image, as gray (1) or RGB (3) channels. */
    static byte[] samples(BufferedImage img, int channels) {
        byte[] out = new byte[img.getWidth() * img.getHeight() * channels];
        int i = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (channels == 1) {
                    out[i++] = (byte) img.getRaster().getSample(x, y, 0);
                } else {
                    int rgb = img.getRGB(x, y);
                    out[i++] = (byte) (rgb >> 16);
                    out[i++] = (byte) (rgb >> 8);
                    out[i++] = (byte) rgb;
                }
            }
        }
        return out;
    }

    /** PSNR in dB of two 8-bit sample arrays of the same length; infinite when identical. */
    static double psnr(byte[] a, byte[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            int d = (a[i] & 0xFF) - (b[i] & 0xFF);
            se += d * d;
        }
        if (se == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double mse = se / a.length;
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }

    static int maxDifference(byte[] a, byte[] b) {
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        return max;
    }

    /** Lines of the corpus manifest, without the header, split at tabs. */
    static List<String[]> manifest(Path corpus) throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(corpus.resolve("manifest.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split("\t", -1));
        }
        return rows;
    }
}
