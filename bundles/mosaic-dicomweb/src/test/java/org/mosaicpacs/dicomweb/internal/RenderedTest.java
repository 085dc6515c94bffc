package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.image.PixelDataDecoder;
import org.mosaicpacs.dicom.image.RenderParameters;
import org.mosaicpacs.dicom.image.Renderer;
import org.mosaicpacs.dicom.io.DicomInputStream;

/**
 * /rendered, /thumbnail, WADO-URI image/jpeg and decoded frames through the real servlet, index and storage: what
 * comes back decodes as an image equal to dicom-image's rendering of the stored file (PNG: identical), parameters
 * are honoured, bad ones answered 400/404/406/501 with a message (501: study-level /rendered).
 */
class RenderedTest {

    private static final String STUDY = "1.2.77";
    private static final String SERIES = "1.2.77.1";
    private static final String PATH = "/studies/" + STUDY + "/series/" + SERIES + "/instances/";

    @TempDir
    Path temp;

    private Fixture web;
    private Path single;

    @BeforeEach
    void setUp() throws Exception {
        web = new Fixture(temp);
        Path in = temp.resolve("in");
        Attributes ct = TestData.ct(STUDY, SERIES, "1.2.77.1.1", "DOE^JANE", "P7", "20240105", 1, 1);
        ct.setString(Tag.WindowCenter, org.mosaicpacs.dicom.data.VR.DS, "2000");
        ct.setString(Tag.WindowWidth, org.mosaicpacs.dicom.data.VR.DS, "3000");
        single = TestData.write(in, ct, UID.ExplicitVRLittleEndian);
        web.store(single);
        web.store(TestData.write(in, TestData.ct(STUDY, SERIES, "1.2.77.1.2", "DOE^JANE", "P7", "20240105", 2, 3),
                UID.ExplicitVRBigEndian));
    }

    @AfterEach
    void tearDown() throws Exception {
        web.close();
    }

    private static BufferedImage image(HttpResponse<byte[]> r) throws Exception {
        assertEquals(200, r.statusCode(), Fixture.text(r));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertTrue(img != null, "the body is an image");
        return img;
    }

    private static Attributes read(Path file) throws Exception {
        try (DicomInputStream in = new DicomInputStream(file)) {
            return in.readDataset();
        }
    }

    @Test
    void renderedInstanceAsPngIsTheToolkitsRendering() throws Exception {
        HttpResponse<byte[]> r = web.get(PATH + "1.2.77.1.1/rendered", "Accept", "image/png");
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        BufferedImage png = image(r);
        BufferedImage expected = new Renderer(new PixelDataDecoder()).render(read(single), UID.ExplicitVRLittleEndian,
                RenderParameters.DEFAULT);
        assertEquals(24, png.getWidth());
        assertEquals(32, png.getHeight());
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 24; x++) {
                assertEquals(expected.getRaster().getSample(x, y, 0), png.getRaster().getSample(x, y, 0));
            }
        }
        // a window from the request changes the image
        BufferedImage narrow = image(web.get(PATH + "1.2.77.1.1/rendered?window=100,10", "Accept", "image/png"));
        assertTrue(narrow.getRaster().getSample(23, 31, 0) == 255 || narrow.getRaster().getSample(23, 31, 0) == 0);
    }

    @Test
    void jpegByDefaultWithQualityAndViewport() throws Exception {
        HttpResponse<byte[]> r = web.get(PATH + "1.2.77.1.2/frames/3/rendered?viewport=12,100&quality=50");
        assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
        BufferedImage img = image(r);
        assertEquals(12, img.getWidth());
        assertEquals(16, img.getHeight());
        HttpResponse<byte[]> best = web.get(PATH + "1.2.77.1.2/frames/3/rendered?viewport=12,100&quality=100");
        assertTrue(best.body().length > r.body().length, "quality 100 is larger than quality 50");
    }

    @Test
    void viewportSourceRegionIsCutFlippedAndScaled() throws Exception {
        BufferedImage whole = image(web.get(PATH + "1.2.77.1.1/rendered", "Accept", "image/png"));
        // a 6x5 region at (10,3), viewport of the same size: the region's pixels as they are
        BufferedImage cut = image(web.get(PATH + "1.2.77.1.1/rendered?viewport=6,5,10,3,6,5", "Accept", "image/png"));
        assertEquals(6, cut.getWidth());
        assertEquals(5, cut.getHeight());
        // negative width and height: the region from (4,-2) of (10,3) is mirrored both ways
        BufferedImage flipped = image(web.get(PATH + "1.2.77.1.1/rendered?viewport=6,5,16,8,-6,-5", "Accept",
                "image/png"));
        boolean differs = false;
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                int expected = whole.getRaster().getSample(10 + x, 3 + y, 0);
                assertEquals(expected, cut.getRaster().getSample(x, y, 0), "cut at " + x + "," + y);
                assertEquals(expected, flipped.getRaster().getSample(5 - x, 4 - y, 0), "flipped at " + x + "," + y);
                differs |= expected != whole.getRaster().getSample(x, y, 0);
            }
        }
        assertTrue(differs, "the region is not the frame's top left corner");
        // empty sw,sh run to the frame's edges; the region is then scaled into the viewport (aspect kept)
        BufferedImage edge = image(web.get(PATH + "1.2.77.1.1/rendered?viewport=28,100,10,4,,", "Accept",
                "image/png"));
        assertEquals(28, edge.getWidth());
        assertEquals(56, edge.getHeight());
    }

    @Test
    void thumbnailsOfInstanceSeriesAndStudyFitTheDefaultSize() throws Exception {
        for (String p : List.of(PATH + "1.2.77.1.1/thumbnail", "/studies/" + STUDY + "/series/" + SERIES + "/thumbnail",
                "/studies/" + STUDY + "/thumbnail")) {
            BufferedImage img = image(web.get(p));
            assertEquals(128, img.getHeight(), p);
            assertEquals(96, img.getWidth(), p);
        }
        assertEquals(404, web.get("/studies/9.9.9/thumbnail").statusCode());
    }

    @Test
    void badRequestsAreAnsweredWithAStatusAndAMessage() throws Exception {
        assertEquals(400, web.get(PATH + "1.2.77.1.1/rendered?window=abc").statusCode());
        assertEquals(400, web.get(PATH + "1.2.77.1.1/rendered?window=40,0").statusCode());
        assertEquals(400, web.get(PATH + "1.2.77.1.1/rendered?quality=0").statusCode());
        HttpResponse<byte[]> outside = web.get(PATH + "1.2.77.1.1/rendered?viewport=10,10,20,0,5,5");
        assertEquals(400, outside.statusCode());
        assertTrue(Fixture.text(outside).contains("not inside the frame of 24x32"), Fixture.text(outside));
        assertEquals(400, web.get(PATH + "1.2.77.1.1/rendered?viewport=10,10,1,2").statusCode());
        assertEquals(400, web.get(PATH + "1.2.77.1.1/rendered?viewport=10,10,-1,0,5,5").statusCode());
        assertEquals(400, web.get(PATH + "1.2.77.1.1/rendered?viewport=10,10,0,0,0,5").statusCode());
        assertEquals(400, web.get(PATH + "1.2.77.1.1/rendered?viewport=10,10,a,0,5,5").statusCode());
        assertEquals(400, web.get(PATH + "1.2.77.1.1/frames/x/rendered").statusCode());
        HttpResponse<byte[]> missing = web.get(PATH + "1.2.77.1.1/frames/2/rendered");
        assertEquals(404, missing.statusCode());
        assertTrue(Fixture.text(missing).contains("1 frame"), Fixture.text(missing));
        assertEquals(406, web.get(PATH + "1.2.77.1.1/rendered", "Accept", "image/gif").statusCode());
        assertEquals(404, web.get(PATH + "1.2.77.1.99/rendered").statusCode());
    }

    @Test
    void wadoUriJpeg() throws Exception {
        String q = "/wado?requestType=WADO&studyUID=" + STUDY + "&seriesUID=" + SERIES + "&objectUID=1.2.77.1.2";
        BufferedImage img = image(web.get(q + "&contentType=image%2Fjpeg&rows=64&columns=64&frameNumber=2"));
        assertEquals(64, img.getHeight());
        assertEquals(48, img.getWidth());
        assertEquals("image/png", web.get(q + "&contentType=image%2Fpng").headers().firstValue("Content-Type").orElse(""));
        assertEquals(400, web.get(q + "&contentType=image%2Fjpeg&windowCenter=40").statusCode());
        assertEquals(406, web.get(q + "&contentType=image%2Fgif").statusCode());
    }

    private static Path corpus() {
        String c = System.getProperty("MOSAIC_CORPUS", System.getenv("MOSAIC_CORPUS"));
        return c == null || c.isBlank() || !Files.isDirectory(Path.of(c, "variants")) ? null : Path.of(c);
    }

    private String instancePath(Attributes ds) {
        return "/studies/" + ds.getString(Tag.StudyInstanceUID) + "/series/" + ds.getString(Tag.SeriesInstanceUID)
                + "/instances/" + ds.getString(Tag.SOPInstanceUID);
    }

    @Test
    void compressedCorpusInstances() throws Exception {
        Path corpus = corpus();
        assumeTrue(corpus != null, "MOSAIC_CORPUS is not set");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmdrle")), "dcmtk is not installed");
        // RLE frames decoded on request are the native frames of dcmtk's decompression
        Path rle = corpus.resolve("variants/us/rle.dcm");
        web.store(rle);
        Attributes ds = read(rle);
        Path dcmtk = temp.resolve("us-native.dcm");
        Process p = new ProcessBuilder("/usr/bin/dcmdrle", rle.toString(), dcmtk.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        byte[] nativePixels = read(dcmtk).getBytes(Tag.PixelData, false);
        int frameLength = ds.getInt(Tag.Rows, 0) * ds.getInt(Tag.Columns, 0) * 3;
        HttpResponse<byte[]> r = web.get(instancePath(ds) + "/frames/2,5", "Accept",
                "multipart/related; type=\"application/octet-stream\"");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        List<Fixture.Part> parts = Fixture.multipart(r);
        assertArrayEquals(java.util.Arrays.copyOfRange(nativePixels, frameLength, 2 * frameLength), parts.get(0).content());
        assertArrayEquals(java.util.Arrays.copyOfRange(nativePixels, 4 * frameLength, 5 * frameLength),
                parts.get(1).content());
        // ... and still as stored with transfer-syntax=*
        HttpResponse<byte[]> stored = web.get(instancePath(ds) + "/frames/2", "Accept",
                "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        assertEquals("application/octet-stream; transfer-syntax=" + UID.RLELossless,
                Fixture.multipart(stored).get(0).headers().get("content-type"));
        // JPEG and JPEG 2000 instances render
        for (String variant : List.of("variants/ct/jpeg-lossless-sv1.dcm", "variants/sc8/j2k-lossless.dcm",
                "variants/mr/jpeg-extended.dcm")) {
            Path file = corpus.resolve(variant);
            web.store(file);
            BufferedImage img = image(web.get(instancePath(read(file)) + "/rendered", "Accept", "image/png"));
            assertEquals(read(file).getInt(Tag.Columns, 0), img.getWidth(), variant);
        }
        // a JPEG-LS instance renders as the same CT stored natively, and its frame decodes to the native pixels
        Path jls = corpus.resolve("variants/ct/jpeg-ls-lossless.dcm");
        Path explicit = corpus.resolve("variants/ct/explicit.dcm");
        web.store(jls);
        HttpResponse<byte[]> jlsPng = web.get(instancePath(read(jls)) + "/rendered", "Accept", "image/png");
        assertEquals(200, jlsPng.statusCode(), Fixture.text(jlsPng));
        BufferedImage fromJls = image(jlsPng);
        BufferedImage fromNative = new Renderer(new PixelDataDecoder())
                .render(read(explicit), UID.ExplicitVRLittleEndian, RenderParameters.DEFAULT);
        assertEquals(fromNative.getWidth(), fromJls.getWidth());
        assertEquals(fromNative.getHeight(), fromJls.getHeight());
        for (int y = 0; y < fromJls.getHeight(); y++) {
            for (int x = 0; x < fromJls.getWidth(); x++) {
                assertEquals(fromNative.getRGB(x, y), fromJls.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
        HttpResponse<byte[]> jlsFrame = web.get(instancePath(read(jls)) + "/frames/1", "Accept",
                "multipart/related; type=\"application/octet-stream\"");
        assertEquals(200, jlsFrame.statusCode(), Fixture.text(jlsFrame));
        assertArrayEquals(read(explicit).getBytes(Tag.PixelData, false), Fixture.multipart(jlsFrame).get(0).content());
    }

    /**
     * JPEG 2000 (lossless, YBR_RCT) and 12-bit JPEG instances made for dicom-image's tests render as dicom-image
     * renders them (PNG: identical), and their frames are served decoded.
     */
    @Test
    void jpeg2000And12BitJpegRenderAndDecode() throws Exception {
        for (String name : List.of("j2k-lossless-rct.dcm", "jpeg12-gray.dcm")) {
            Path file = temp.resolve(name);
            try (var in = RenderedTest.class.getResourceAsStream("/codec/" + name)) {
                Files.copy(in, file);
            }
            web.store(file);
            Attributes ds;
            String ts;
            try (DicomInputStream in = new DicomInputStream(file)) {
                ds = in.readDataset();
                ts = in.getTransferSyntax();
            }
            BufferedImage png = image(web.get(instancePath(ds) + "/rendered", "Accept", "image/png"));
            BufferedImage expected = new Renderer(new PixelDataDecoder()).render(ds, ts, RenderParameters.DEFAULT);
            assertEquals(expected.getWidth(), png.getWidth(), name);
            assertEquals(expected.getHeight(), png.getHeight(), name);
            for (int y = 0; y < expected.getHeight(); y++) {
                for (int x = 0; x < expected.getWidth(); x++) {
                    assertEquals(expected.getRGB(x, y), png.getRGB(x, y), name + " at " + x + "," + y);
                }
            }
            HttpResponse<byte[]> frame = web.get(instancePath(ds) + "/frames/1", "Accept",
                    "multipart/related; type=\"application/octet-stream\"");
            assertEquals(200, frame.statusCode(), Fixture.text(frame));
            int[] samples = new PixelDataDecoder().decode(ds, ts, 0).samples();
            byte[] content = Fixture.multipart(frame).get(0).content();
            int bytes = ds.getInt(Tag.BitsAllocated, 0) / 8;
            assertEquals(samples.length * bytes, content.length, name);
            for (int i = 0; i < samples.length; i++) {
                int v = bytes == 1 ? content[i] & 0xFF : (content[2 * i] & 0xFF) | (content[2 * i + 1] & 0xFF) << 8;
                assertEquals(samples[i], v, name + " sample " + i);
            }
        }
    }
}
