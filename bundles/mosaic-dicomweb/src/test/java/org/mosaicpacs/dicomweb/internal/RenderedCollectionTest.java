package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
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

/**
 * {@code /rendered} of a whole study and of a series through the real servlet, index and storage: one image part
 * per frame of every image instance, in series and instance order, equal to dicom-image's rendering of each frame
 * (PNG), with non-image instances left out; unknown resources, studies without images and unacceptable media types
 * answered with a status.
 */
class RenderedCollectionTest {

    private static final String STUDY = "1.2.78";
    private static final String SERIES = "1.2.78.1";
    private static final String REPORTS = "1.2.78.2";

    @TempDir
    Path temp;

    private Fixture web;
    /** The image instances as stored, in series and instance order. */
    private final List<Attributes> images = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        web = new Fixture(temp);
        Path in = temp.resolve("in");
        Attributes one = TestData.ct(STUDY, SERIES, "1.2.78.1.1", "DOE^JANE", "P8", "20240106", 1, 1);
        Attributes three = TestData.ct(STUDY, SERIES, "1.2.78.1.2", "DOE^JANE", "P8", "20240106", 2, 3);
        images.add(one);
        images.add(three);
        web.store(TestData.write(in, one, UID.ExplicitVRLittleEndian));
        web.store(TestData.write(in, three, UID.ExplicitVRBigEndian));
        // a report in a series of its own: no image to render
        Attributes sr = TestData.ct(STUDY, REPORTS, "1.2.78.2.1", "DOE^JANE", "P8", "20240106", 1, 1);
        for (int tag : new int[] {Tag.PixelData, Tag.Rows, Tag.Columns, Tag.BitsAllocated, Tag.BitsStored, Tag.HighBit,
                Tag.PixelRepresentation, Tag.SamplesPerPixel, Tag.PhotometricInterpretation, Tag.PixelSpacing,
                Tag.ImagePositionPatient}) {
            sr.remove(tag);
        }
        sr.setString(Tag.SOPClassUID, org.mosaicpacs.dicom.data.VR.UI, "1.2.840.10008.5.1.4.1.1.88.11");
        sr.setString(Tag.Modality, org.mosaicpacs.dicom.data.VR.CS, "SR");
        web.store(TestData.write(in, sr, UID.ExplicitVRLittleEndian));
    }

    @AfterEach
    void tearDown() throws Exception {
        web.close();
    }

    @Test
    void aRenderedStudyIsEveryFrameOfEveryImageAsOnePartEach() throws Exception {
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY + "/rendered", "Accept",
                "multipart/related; type=\"image/png\"");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("multipart/related; type=\"image/png\""),
                r.headers().toString());
        List<Fixture.Part> parts = Fixture.multipart(r);
        assertEquals(4, parts.size(), "1 frame + 3 frames; the report is left out");
        Renderer renderer = new Renderer(new PixelDataDecoder());
        int k = 0;
        for (Attributes ds : images) {
            int frames = ds.getInt(Tag.NumberOfFrames, 1);
            for (int f = 0; f < frames; f++, k++) {
                Fixture.Part part = parts.get(k);
                assertEquals("image/png", part.headers().get("content-type"));
                BufferedImage got = ImageIO.read(new ByteArrayInputStream(part.content()));
                BufferedImage expected = renderer.render(ds, UID.ExplicitVRLittleEndian, RenderParameters.DEFAULT.withFrame(f));
                assertEquals(24, got.getWidth());
                assertEquals(32, got.getHeight());
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 24; x++) {
                        assertEquals(expected.getRaster().getSample(x, y, 0), got.getRaster().getSample(x, y, 0),
                                "part " + k + " (frame " + (f + 1) + " of " + ds.getString(Tag.SOPInstanceUID) + ") at "
                                        + x + "," + y);
                    }
                }
            }
        }
    }

    @Test
    void aRenderedSeriesIsJpegByDefaultWithTheRequestsParameters() throws Exception {
        HttpResponse<byte[]> r = web.get("/studies/" + STUDY + "/series/" + SERIES + "/rendered?viewport=12,16&quality=80");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        List<Fixture.Part> parts = Fixture.multipart(r);
        assertEquals(4, parts.size());
        for (Fixture.Part part : parts) {
            assertEquals("image/jpeg", part.headers().get("content-type"));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(part.content()));
            assertEquals(12, img.getWidth());
            assertEquals(16, img.getHeight());
        }
    }

    @Test
    void whatCannotBeRenderedIsAnsweredWithAStatus() throws Exception {
        HttpResponse<byte[]> reports = web.get("/studies/" + STUDY + "/series/" + REPORTS + "/rendered");
        assertEquals(404, reports.statusCode());
        assertTrue(Fixture.text(reports).contains("no image"), Fixture.text(reports));
        assertEquals(404, web.get("/studies/9.9.9/rendered").statusCode());
        assertEquals(404, web.get("/studies/" + STUDY + "/series/9.9.9/rendered").statusCode());
        assertEquals(406, web.get("/studies/" + STUDY + "/rendered", "Accept", "application/dicom").statusCode());
        assertEquals(400, web.get("/studies/" + STUDY + "/rendered?window=abc").statusCode());
    }
}
