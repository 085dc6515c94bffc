package org.mosaicpacs.dicom.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;

/**
 * The decoded pixels of every lossless compressed image of the corpus (RLE, JPEG lossless process 14 and SV1,
 * JPEG-LS; and JPEG-LS near-lossless, which decodes to one exact result too) are exactly those of dcmtk's
 * decompression (dcmdrle, dcmdjpeg, dcmdjpls) and, for RLE and native data, of pydicom's
 * {@code pixel_array}; the {@link Decompressor}'s Explicit VR Little Endian output holds the same pixels and is
 * accepted by dcmdump.
 */
class LosslessPixelsTest {

    static final Set<String> LOSSLESS = Set.of(UID.RLELossless, UID.JPEGLossless, UID.JPEGLosslessSV1,
            UID.JPEGLSLossless, UID.JPEGLSNearLossless);

    @TempDir
    Path tmp;

    static Stream<String> lossless() throws IOException {
        Path corpus = Tools.corpus();
        if (corpus == null) {
            return Stream.of("(no MOSAIC_CORPUS)");
        }
        return Tools.manifest(corpus).stream().filter(r -> r[0].startsWith("variants/") && LOSSLESS.contains(r[4]))
                .map(r -> r[0]);
    }

    @ParameterizedTest
    @MethodSource("lossless")
    void sameSamplesAsDcmtkAndPydicom(String path) throws Exception {
        Path corpus = Tools.corpus();
        assumeTrue(corpus != null, "MOSAIC_CORPUS is not set");
        assumeTrue(Tools.hasTool("dcmdjpeg") && Tools.hasTool("dcmdrle") && Tools.hasTool("dcmdjpls"),
                "dcmtk is not installed");
        Path file = corpus.resolve(path);
        Tools.Read compressed = Tools.read(file);
        Path dcmtk = tmp.resolve("dcmtk.dcm");
        String tool = switch (compressed.ts()) {
            case UID.RLELossless -> "/usr/bin/dcmdrle";
            case UID.JPEGLSLossless, UID.JPEGLSNearLossless -> "/usr/bin/dcmdjpls";
            default -> "/usr/bin/dcmdjpeg";
        };
        Tools.run(tool, file.toString(), dcmtk.toString());
        Tools.Read reference = Tools.read(dcmtk);
        assertEquals(UID.ExplicitVRLittleEndian, reference.ts());

        Path mine = tmp.resolve("mosaic.dcm");
        try (OutputStream out = Files.newOutputStream(mine)) {
            new Decompressor(new PixelDataDecoder()).decompress(Files.newInputStream(file), out);
        }
        Tools.run("/usr/bin/dcmdump", "-q", "+E", mine.toString());
        Tools.Read decompressed = Tools.read(mine);
        assertEquals(UID.ExplicitVRLittleEndian, decompressed.ts());
        assertEquals(null, decompressed.ds().getFragments(Tag.PixelData));

        PixelDataDecoder decoder = new PixelDataDecoder();
        int frames = ImageDescriptor.of(compressed.ds()).numberOfFrames();
        for (int f = 0; f < frames; f++) {
            int[] expected = decoder.decode(reference.ds(), reference.ts(), f).samples();
            assertArrayEquals(expected, decoder.decode(compressed.ds(), compressed.ts(), f).samples(),
                    path + " frame " + (f + 1) + " decoded from the compressed data");
            assertArrayEquals(expected, decoder.decode(decompressed.ds(), decompressed.ts(), f).samples(),
                    path + " frame " + (f + 1) + " of the Decompressor's output");
        }
        if (compressed.ts().equals(UID.RLELossless) && pydicom()) {
            Path samples = tmp.resolve("pydicom.bin");
            Tools.run("/usr/bin/python3", "-c", String.join("\n",
                    "import sys, numpy, pydicom",
                    "ds = pydicom.dcmread(sys.argv[1])",
                    "a = ds.pixel_array.astype('<i4')",
                    "open(sys.argv[2], 'wb').write(a.tobytes())"), file.toString(), samples.toString());
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(samples)).order(ByteOrder.LITTLE_ENDIAN);
            for (int f = 0; f < frames; f++) {
                int[] mineSamples = decoder.decode(compressed.ds(), compressed.ts(), f).samples();
                int[] theirs = new int[mineSamples.length];
                b.asIntBuffer().position(f * mineSamples.length).get(theirs);
                assertArrayEquals(theirs, mineSamples, path + " frame " + (f + 1) + " against pydicom");
            }
        }
    }

    static boolean pydicom() {
        try {
            Tools.run("/usr/bin/python3", "-c", "import pydicom, numpy");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("lossless")
    void decompressedFileRendersAsTheCompressedOne(String path) throws Exception {
        Path corpus = Tools.corpus();
        assumeTrue(corpus != null, "MOSAIC_CORPUS is not set");
        Path file = corpus.resolve(path);
        Tools.Read compressed = Tools.read(file);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new Decompressor(new PixelDataDecoder()).decompress(Files.newInputStream(file), out);
        Path mine = tmp.resolve("d.dcm");
        Files.write(mine, out.toByteArray());
        Tools.Read decompressed = Tools.read(mine);
        Renderer renderer = new Renderer(new PixelDataDecoder());
        byte[] a = Tools.samples(renderer.render(compressed.ds(), compressed.ts(), RenderParameters.DEFAULT), 3);
        byte[] b = Tools.samples(renderer.render(decompressed.ds(), decompressed.ts(), RenderParameters.DEFAULT), 3);
        assertTrue(java.util.Arrays.equals(a, b), path);
    }
}
