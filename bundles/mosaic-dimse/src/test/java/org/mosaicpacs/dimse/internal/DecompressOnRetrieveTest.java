package org.mosaicpacs.dimse.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.image.UnsupportedTransferSyntaxException;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.CStoreSCP;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DicomServiceRegistry;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.DimseResponse;
import org.mosaicpacs.dicom.net.dimse.Status;

/**
 * Compressed instances retrieved by peers that accept only uncompressed syntaxes: RLE Lossless, JPEG Lossless,
 * JPEG Baseline and JPEG-LS Lossless (made by DCMTK's dcmcrle, dcmcjpeg and dcmcjpls from a native original)
 * arrive decompressed, and pydicom finds the same pixel values as in the native original (lossless) or as it
 * decodes from the stored JPEG Baseline stream itself (within 2, two IDCTs); a JPEG-LS instance whose stream is
 * corrupt cannot be decoded and fails alone. DCMTK's getscu, movescu and storescp are the peers (skipped without them).
 */
class DecompressOnRetrieveTest {

    static final String STUDY = "1.2.826.0.1.3680043.9.7433.2";
    static final String SERIES = STUDY + ".1";
    static final String RLE = SERIES + ".1";
    static final String LOSSLESS = SERIES + ".2";
    static final String BASELINE = SERIES + ".3";
    static final String JPEG_LS = SERIES + ".4";
    static final String CORRUPT = SERIES + ".5";
    static final String PIXELS = Path.of("src/test/resources/compare_pixels.py").toAbsolutePath().toString();

    @TempDir
    Path temp;

    TestArchive archive;
    Process storescp;
    /** For each instance: the file pydicom compares the received pixels with, and the tolerance. */
    final Map<String, Path> references = new LinkedHashMap<>();
    final Map<String, Integer> tolerances = new LinkedHashMap<>();

    @AfterEach
    void stop() throws Exception {
        if (storescp != null) {
            storescp.destroy();
            storescp.waitFor(10, TimeUnit.SECONDS);
        }
        if (archive != null) {
            archive.close();
        }
    }

    private static void assumeTools(String... tools) {
        for (String t : tools) {
            assumeTrue(TestArchive.tool(t), t + " is not installed");
        }
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
    }

    /** A smooth 8-bit image (JPEG Baseline is lossy: a smooth one keeps the errors small). */
    private static Attributes eightBit(String iuid) {
        Attributes ds = TestArchive.image("P2", "Roe^Ann", STUDY, SERIES, iuid, 3);
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setInt(Tag.BitsStored, VR.US, 8);
        ds.setInt(Tag.HighBit, VR.US, 7);
        byte[] pixels = new byte[16 * 64];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 64; x++) {
                pixels[y * 64 + x] = (byte) (x * 3 + y * 2);
            }
        }
        ds.setBytes(Tag.PixelData, VR.OB, pixels);
        return ds;
    }

    /** Writes the native original, compresses it with a DCMTK tool and stores the compressed file. */
    private void putCompressed(Attributes original, String tool, String tsuid, boolean lossless, String... options)
            throws Exception {
        String iuid = original.getString(Tag.SOPInstanceUID);
        Path folder = Files.createDirectories(temp.resolve("made"));
        Path nativeFile = folder.resolve(iuid + ".native.dcm");
        Path compressed = folder.resolve(iuid + ".compressed.dcm");
        DicomOutputStream.writeFile(nativeFile, original, UID.ExplicitVRLittleEndian);
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/" + tool));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of(nativeFile.toString(), compressed.toString()));
        TestArchive.Result r = TestArchive.run(60, cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), tool + ":\n" + r.output());
        Attributes ds;
        try (DicomInputStream in = new DicomInputStream(compressed)) {
            assertEquals(tsuid, in.readFileMetaInformation().getString(Tag.TransferSyntaxUID));
            ds = in.readDataset();
        }
        Path stored = archive.put(ds, tsuid);
        // lossless: the native original; lossy: the stored stream as pydicom decodes it
        references.put(iuid, lossless ? nativeFile : stored);
        tolerances.put(iuid, lossless ? 0 : 2);
    }

    private void compressedStudy(Map<String, Connection> destinations) throws Exception {
        archive = new TestArchive(temp.resolve("archive"), 100, destinations);
        putCompressed(TestArchive.image("P2", "Roe^Ann", STUDY, SERIES, RLE, 1), "dcmcrle", UID.RLELossless,
                true);
        putCompressed(TestArchive.image("P2", "Roe^Ann", STUDY, SERIES, LOSSLESS, 2), "dcmcjpeg",
                UID.JPEGLosslessSV1, true, "+e1");
        // "+un": the lossy copy keeps its SOP Instance UID (dcmcjpeg gives it a new one by default)
        putCompressed(eightBit(BASELINE), "dcmcjpeg", UID.JPEGBaseline8Bit, false, "+eb", "+un");
        putCompressed(TestArchive.image("P2", "Roe^Ann", STUDY, SERIES, JPEG_LS, 4), "dcmcjpls",
                UID.JPEGLSLossless, true);
        archive.put(TestArchive.encapsulated(TestArchive.image("P2", "Roe^Ann", STUDY, SERIES, CORRUPT, 5)),
                UID.JPEGLSLossless);
    }

    /** RLE, JPEG Lossless, Baseline and JPEG-LS arrived in {@code tsuid}, with pydicom's pixel values. */
    private void assertDecompressed(Path folder, String tsuid) throws Exception {
        Map<String, Path> got = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                try (DicomInputStream in = new DicomInputStream(p)) {
                    Attributes fmi = in.readFileMetaInformation();
                    assertEquals(tsuid, fmi.getString(Tag.TransferSyntaxUID), p.toString());
                    got.put(fmi.getString(Tag.MediaStorageSOPInstanceUID), p);
                }
            }
        }
        assertEquals(List.of(RLE, LOSSLESS, BASELINE, JPEG_LS), got.keySet().stream().sorted().toList(),
                "every decodable instance, not the corrupt one");
        for (Map.Entry<String, Path> e : got.entrySet()) {
            TestArchive.Result r = TestArchive.run(60, "/usr/bin/python3", PIXELS,
                    references.get(e.getKey()).toString(), e.getValue().toString(),
                    String.valueOf(tolerances.get(e.getKey())));
            assertEquals(0, r.exit(), "pydicom finds other pixels for " + e.getKey() + ":\n" + r.output());
        }
    }

    @Test
    void getscuProposingOnlyUncompressedGetsDecompressedPixels() throws Exception {
        assumeTools("getscu", "dcmcrle", "dcmcjpeg", "dcmcjpls");
        compressedStudy(Map.of());
        Path out = Files.createDirectories(temp.resolve("get"));
        // getscu proposes only uncompressed syntaxes for the storage classes unless told otherwise; +xi: one
        TestArchive.Result r = TestArchive.run(120, "/usr/bin/getscu", "-S", "+xi", "-aec", "MOSAIC", "-od",
                out.toString(), "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + STUDY, "127.0.0.1",
                String.valueOf(archive.port()));
        assertDecompressed(out, UID.ExplicitVRLittleEndian);
        assertTrue(r.output().toLowerCase().contains("fail"), "getscu reports the corrupt instance's failure:\n" + r.output());
    }

    @Test
    void movescuToStorescpAcceptingOnlyImplicitGetsDecompressedPixels() throws Exception {
        assumeTools("movescu", "storescp", "dcmcrle", "dcmcjpeg", "dcmcjpls");
        int port = ArchiveRetrieveTest.freePort();
        compressedStudy(Map.of("STORESCP", new Connection("127.0.0.1", port)));
        Path received = Files.createDirectories(temp.resolve("storescp"));
        storescp = new ProcessBuilder("/usr/bin/storescp", "+xi", "-aet", "STORESCP", "-od", received.toString(),
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(temp.resolve("storescp.log").toFile())
                .start();
        ArchiveRetrieveTest.waitForPort(port);
        TestArchive.run(120, "/usr/bin/movescu", "-S", "-aec", "MOSAIC", "-aem", "STORESCP", "-k",
                "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + STUDY, "127.0.0.1",
                String.valueOf(archive.port()));
        assertDecompressed(received, UID.ImplicitVRLittleEndian);
    }

    @Test
    void cGetCountsTheUndecodableInstanceAsTheOnlyFailure() throws Exception {
        assumeTools("dcmcrle", "dcmcjpeg", "dcmcjpls");
        compressedStudy(Map.of());
        Map<String, String> received = new ConcurrentHashMap<>();
        DicomServiceRegistry registry = new DicomServiceRegistry().add(new CStoreSCP(
                Files.createDirectories(temp.resolve("scu-spool"))) {
            @Override
            protected int store(DimseAssociation as, int pcid, Attributes rq, Path part, String ts) {
                received.put(rq.getString(Tag.AffectedSOPInstanceUID), ts);
                return Status.Success;
            }
        });
        // RLE accepted as stored; the rest only as Implicit VR LE
        AssociateRQBuilder rq = new AssociateRQBuilder("MOSAIC", "SCU").addVerification()
                .addContext(UID.StudyRootQueryRetrieveInformationModelGet)
                .addStorageForGet(UID.CTImageStorage, UID.RLELossless)
                .addStorageForGet(UID.CTImageStorage, UID.ImplicitVRLittleEndian);
        try (DimseAssociation as = DimseAssociation.connect(new Connection().setResponseTimeout(60_000),
                archive.remote(), rq.build(), registry, archive.executor, archive.scheduler)) {
            Attributes keys = new Attributes();
            keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
            keys.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
            DimseResponse rsp = as.cget(UID.StudyRootQueryRetrieveInformationModelGet, Commands.MEDIUM, keys, null)
                    .await();
            assertEquals(Status.OneOrMoreFailures, rsp.status());
            assertEquals(4, rsp.command().getInt(Tag.NumberOfCompletedSuboperations, -1));
            assertArrayEquals(new String[] {CORRUPT}, rsp.dataset().getStrings(Tag.FailedSOPInstanceUIDList));
            assertEquals(Status.Success, as.cecho().status(), "the association is still usable");
        }
        assertEquals(Map.of(RLE, UID.RLELossless, LOSSLESS, UID.ImplicitVRLittleEndian, BASELINE,
                UID.ImplicitVRLittleEndian, JPEG_LS, UID.ImplicitVRLittleEndian), received);
    }

    @Test
    void theCodecSaysWhatItCannotDecode() throws Exception {
        Decompression d = new Decompression();
        assertTrue(d.canDecompress(UID.RLELossless));
        assertTrue(d.canDecompress(UID.JPEGBaseline8Bit));
        assertTrue(d.canDecompress(UID.JPEGLSLossless));
        assertTrue(d.canDecompress(UID.JPEG2000Lossless));
        assertTrue(d.canDecompress(UID.JPEG2000));
        assertTrue(d.canDecompress(UID.JPEGExtended12Bit));
        assertFalse(d.canDecompress(UID.JPEG2000MCLossless));
        Attributes ds = TestArchive.encapsulated(TestArchive.image("P", "N", STUDY, SERIES, JPEG_LS, 1));
        UnsupportedTransferSyntaxException e = assertThrows(UnsupportedTransferSyntaxException.class,
                () -> d.decompress(ds, UID.JPEG2000MCLossless));
        assertTrue(e.getMessage().contains(UID.JPEG2000MCLossless), e.getMessage());
    }
}
