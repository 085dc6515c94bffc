package org.mosaicpacs.dicom.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;

/**
 * Every image of the corpus's transfer syntax variants (and one of each realistic series) rendered here and by
 * dcmtk's dcmj2pnm with the same window, compared sample by sample. Lossless syntaxes must give the same image,
 * at most one gray level apart: with the data set's window the bytes are identical to dcmtk's; with no window
 * (dcmtk's +Wm) dcmtk's min-max window differs from the exact PS3.3 one in the last bit of a few pixels. Lossy JPEG is decoded by two
 * different IJG-based decoders, so PSNR must be above 45 dB (visually identical; a wrong colour conversion, bit
 * shift or window gives well under 30 dB). JPEG-LS, lossless and near-lossless, is decoded exactly as dcmtk does,
 * so it is held to the lossless bound (dcmj2pnm reads dcmdjpls's output: it is built without JPEG-LS). dcmtk does not
 * decode JPEG 2000: those images are compared with dcmj2pnm's rendering of the image they were made from (the
 * manifest's "from ..."), the same as the lossless syntaxes for JPEG 2000 lossless, PSNR above 40 dB for lossy.
 * JPEG 2000 Part 2 (multi-component) must be refused with a clear exception.
 */
class RenderVersusDcmtkTest {

    static final Set<String> LOSSY = Set.of(UID.JPEGBaseline8Bit, UID.JPEGExtended12Bit);
    static final Set<String> UNSUPPORTED = Set.of(UID.JPEG2000MCLossless, UID.JPEG2000MC);
    static final Set<String> JPEG_2000 = Set.of(UID.JPEG2000Lossless, UID.JPEG2000);

    @TempDir
    Path tmp;

    static Stream<String> images() throws IOException {
        Path corpus = Tools.corpus();
        if (corpus == null) {
            return Stream.of("(no MOSAIC_CORPUS)");
        }
        List<String> paths = new ArrayList<>();
        Set<String> seriesSeen = new java.util.HashSet<>();
        for (String[] row : Tools.manifest(corpus)) {
            String path = row[0];
            if (path.startsWith("variants/")) {
                paths.add(path);
            } else if (path.startsWith("realistic/") && seriesSeen.add(path.substring(0, path.lastIndexOf('/')))) {
                paths.add(path);
            }
        }
        return paths.stream();
    }

    @ParameterizedTest
    @MethodSource("images")
    void renderedFrameMatchesDcmj2pnm(String path) throws Exception {
        Path corpus = Tools.corpus();
        assumeTrue(corpus != null, "MOSAIC_CORPUS is not set");
        assumeTrue(Tools.hasTool("dcmj2pnm"), "dcmtk's dcmj2pnm is not installed");
        Path file = corpus.resolve(path);
        Tools.Read r = Tools.read(file);
        assumeTrue(r.ds().contains(Tag.PixelData), "no pixel data (SR, KOS, GSPS)");
        Renderer renderer = new Renderer(new PixelDataDecoder());
        if (UNSUPPORTED.contains(r.ts())) {
            UnsupportedTransferSyntaxException e = assertThrows(UnsupportedTransferSyntaxException.class,
                    () -> renderer.render(r.ds(), r.ts(), RenderParameters.DEFAULT));
            assertTrue(e.getMessage().contains(r.ts()), e.getMessage());
            return;
        }
        ImageDescriptor d = ImageDescriptor.of(r.ds());
        Path reference = file;
        if (JPEG_2000.contains(r.ts())) {
            String description = Tools.manifest(corpus).stream().filter(row -> row[0].equals(path))
                    .map(row -> row[row.length - 1]).findFirst().orElse("");
            int from = description.indexOf("from ");
            assumeTrue(from >= 0, "dcmtk does not decode JPEG 2000 and the manifest names no source image");
            reference = corpus.resolve(description.substring(from + 5).trim());
        }
        Path source = reference;
        if (r.ts().equals(UID.JPEGLSLossless) || r.ts().equals(UID.JPEGLSNearLossless)) {
            // dcmj2pnm is built without JPEG-LS; dcmdjpls decompresses for it
            assumeTrue(Tools.hasTool("dcmdjpls"), "dcmtk's dcmdjpls is not installed");
            source = tmp.resolve("dcmdjpls.dcm");
            Tools.run("/usr/bin/dcmdjpls", file.toString(), source.toString());
        }
        List<Integer> frames = d.numberOfFrames() > 1 ? List.of(0, d.numberOfFrames() / 2) : List.of(0);
        for (int frame : frames) {
            boolean hasWindow = r.ds().getString(Tag.WindowCenter) != null && r.ds().getString(Tag.WindowWidth) != null;
            Path out = tmp.resolve("frame" + frame + ".pnm");
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/dcmj2pnm", "+F", String.valueOf(frame + 1)));
            if (d.monochrome()) {
                cmd.addAll(hasWindow ? List.of("+Wi", "1") : List.of("+Wm"));
            }
            cmd.addAll(List.of("+op", source.toString(), out.toString()));
            Tools.run(cmd.toArray(String[]::new));
            Tools.Pnm pnm = Tools.readPnm(out);
            BufferedImage mine = renderer.render(r.ds(), r.ts(), RenderParameters.DEFAULT.withFrame(frame));
            assertEquals(pnm.width(), mine.getWidth(), path);
            assertEquals(pnm.height(), mine.getHeight(), path);
            byte[] ours = Tools.samples(mine, pnm.channels());
            double psnr = Tools.psnr(ours, pnm.samples());
            int max = Tools.maxDifference(ours, pnm.samples());
            String what = path + " (" + r.ts() + ", " + d.photometricInterpretation() + ", frame " + (frame + 1)
                    + "): PSNR " + psnr + " dB, max difference " + max;
            System.out.println(what);
            if (r.ts().equals(UID.JPEG2000)) {
                assertTrue(psnr > 40, what);
            } else if (LOSSY.contains(r.ts())) {
                assertTrue(psnr > 45, what);
            } else {
                assertTrue(max <= 1, what);
            }
        }
    }
}
