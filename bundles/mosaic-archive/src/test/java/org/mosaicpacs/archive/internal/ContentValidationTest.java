package org.mosaicpacs.archive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestResult.Outcome;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/**
 * Content validation on ingest: what breaks PS3.5's encoding rules is refused (A900 for values, C000 for Pixel
 * Data), nothing of it is stored or indexed, and with {@code validateContent} off it is stored as received. With
 * the real Derby index (in memory) and the real file storage, through {@code ingest(InputStream)} and
 * {@code ingest(Path)}.
 */
class ContentValidationTest {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Origin ORIGIN = new Origin("MODALITY", "MOSAIC", "127.0.0.1");

    @TempDir
    Path temp;

    private ArchiveIndex index;
    private StorageBackend storage;

    @BeforeEach
    void setUp() throws Exception {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:content" + DATABASES.incrementAndGet());
        dataSource.setCreateDatabase("create");
        index = new DerbyArchiveIndex(dataSource, IngestPipelineTest.config(DerbyIndexConfiguration.class, Map.of()));
        storage = new FsStorageBackend(IngestPipelineTest.config(FsStorageConfiguration.class,
                Map.of("root", temp.resolve("storage").toString(), "fsync", false)));
    }

    private IngestPipeline pipeline(boolean validate) throws IOException {
        return new IngestPipeline(new IngestPipeline.Settings("default", DuplicatePolicy.KEEP_FIRST, true, List.of(),
                IngestPipeline.Settings.MAX_HEADER_BYTES, validate), () -> index,
                id -> id.equals(storage.id()) ? storage : null, List::of, new IngestJournal(temp.resolve("journal")));
    }

    /** A valid 10x10 16-bit CT image, changed by {@code change}. */
    private static byte[] image(String tsuid, Consumer<Attributes> change) throws IOException {
        Attributes ds = StreamingIngestTest.dataset("1.2.7.1", "1.2.7.1.1", "1.2.7.1.1.1", tsuid, 2000);
        ds.setInt(Tag.Rows, VR.US, 10);
        ds.setInt(Tag.Columns, VR.US, 10);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        if (!ds.containsValue(Tag.PixelData) || ds.getFragments(Tag.PixelData) == null) {
            ds.setBytes(Tag.PixelData, VR.OW, StreamingIngestTest.pattern(200));
        }
        change.accept(ds);
        return StreamingIngestTest.part10(ds, tsuid);
    }

    private IngestResult ingestBoth(byte[] part10, boolean validate) throws Exception {
        IngestResult fromStream = pipeline(validate).ingest(new ByteArrayInputStream(part10), ORIGIN);
        if (fromStream.outcome().isAcknowledged()) {
            removeAll();
        }
        Path file = temp.resolve("in.dcm");
        Files.write(file, part10);
        IngestResult fromFile = pipeline(validate).ingest(file, ORIGIN);
        assertEquals(fromStream.outcome(), fromFile.outcome(), "stream and file: " + fromStream.message() + " / "
                + fromFile.message());
        return fromFile;
    }

    private void assertRefused(Outcome expected, String messagePart, byte[] part10) throws Exception {
        IngestResult result = ingestBoth(part10, true);
        assertEquals(expected, result.outcome(), result.message());
        assertTrue(result.message().contains(messagePart), result.message());
        assertEquals(List.of(), index.locate("1.2.7.1", null, null), "nothing indexed");
        assertEquals(0, storage.list(o -> true), "nothing stored");
        // the same data with validation off: stored as received (then removed again)
        IngestResult lenient = ingestBoth(part10, false);
        assertEquals(Outcome.STORED, lenient.outcome(), lenient.message());
        removeAll();
    }

    private void removeAll() throws Exception {
        for (var removed : index.delete("1.2.7.1", null, null)) {
            storage.delete(removed.location().key());
        }
    }

    @Test
    void aValidImageIsStoredInEachSyntax() throws Exception {
        for (String ts : new String[] {UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian, UID.ExplicitVRBigEndian,
            UID.JPEGBaseline8Bit}) {
            IngestResult result = ingestBoth(image(ts, ds -> { }), true);
            assertEquals(Outcome.STORED, result.outcome(), ts + ": " + result.message());
            removeAll();
        }
    }

    @Test
    void binaryValuesOfAWrongLengthAreRefused() throws Exception {
        // our writer pads odd values: the length is patched in the encoded bytes (Explicit VR LE: 2-byte length)
        assertRefused(Outcome.INVALID, "(0018,9327) FD: length 12 is not a multiple of 8",
                withLength(image(UID.ExplicitVRLittleEndian, ds -> ds.setBytes(0x00189327, VR.FD, new byte[12])),
                        new byte[] {0x18, 0x00, 0x27, (byte) 0x93, 'F', 'D'}, 12));
        assertRefused(Outcome.INVALID, "(0018,6020) SL: length 6 is not a multiple of 4",
                withLength(image(UID.ExplicitVRLittleEndian, ds -> ds.setBytes(0x00186020, VR.SL, new byte[6])),
                        new byte[] {0x18, 0x00, 0x20, 0x60, 'S', 'L'}, 6));
    }

    /** Checks that the element with this header has this length (the writer kept it). */
    private static byte[] withLength(byte[] part10, byte[] elementHeader, int length) {
        for (int i = 132; i < part10.length - 8; i++) {
            if (java.util.Arrays.equals(part10, i, i + 6, elementHeader, 0, 6)) {
                assertEquals(length, (part10[i + 6] & 0xFF) | (part10[i + 7] & 0xFF) << 8);
                return part10;
            }
        }
        throw new AssertionError("element not found");
    }

    @Test
    void datesAndTimesThatAreNotAreRefused() throws Exception {
        assertRefused(Outcome.INVALID, "not a date: '2023-01-01'",
                image(UID.ExplicitVRLittleEndian, ds -> ds.setString(Tag.StudyDate, VR.DA, "2023-01-01")));
        assertRefused(Outcome.INVALID, "not a date: '19701345'",
                image(UID.ExplicitVRLittleEndian, ds -> ds.setString(Tag.PatientBirthDate, VR.DA, "19701345")));
        assertRefused(Outcome.INVALID, "not a time: '256199'",
                image(UID.ExplicitVRLittleEndian, ds -> ds.setString(Tag.StudyTime, VR.TM, "256199")));
    }

    @Test
    void controlCharactersAreRefusedEvenInsideASequence() throws Exception {
        assertRefused(Outcome.INVALID, "(0010,0020) LO: control character 0x00 at byte 1",
                image(UID.ExplicitVRLittleEndian, ds -> ds.setBytes(Tag.PatientID, VR.LO,
                        new byte[] {'A', 0, 0x1B, '[', '3', '1', 'm', 0x7F})));
        assertRefused(Outcome.INVALID, "(0008,1110)[1] (0008,1150) UI: not a UID",
                image(UID.ExplicitVRLittleEndian, ds -> {
                    Sequence seq = ds.newSequence(Tag.ReferencedStudySequence, 1);
                    Attributes item = new Attributes();
                    item.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.3/../../etc");
                    seq.add(item);
                }));
        // LT may hold line breaks and tabs
        IngestResult ok = ingestBoth(image(UID.ExplicitVRLittleEndian,
                ds -> ds.setString(Tag.ImageComments, VR.LT, "line 1\r\n\tline 2")), true);
        assertEquals(Outcome.STORED, ok.outcome(), ok.message());
    }

    @Test
    void anUnknownCharacterSetIsRefused() throws Exception {
        assertRefused(Outcome.INVALID, "unknown character set 'ISO_IR 999'",
                image(UID.ExplicitVRLittleEndian, ds -> ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 999")));
    }

    @Test
    void pixelDataThatDoesNotMatchItsImageIsRefused() throws Exception {
        assertRefused(Outcome.CANNOT_UNDERSTAND, "Pixel Data has 100 bytes",
                image(UID.ExplicitVRLittleEndian, ds -> ds.setBytes(Tag.PixelData, VR.OW, new byte[100])));
        assertRefused(Outcome.CANNOT_UNDERSTAND, "Pixel Data has 4296 bytes",
                image(UID.ImplicitVRLittleEndian, ds -> ds.setBytes(Tag.PixelData, VR.OW, new byte[4296])));
        assertRefused(Outcome.CANNOT_UNDERSTAND, "make 2000",
                image(UID.ExplicitVRLittleEndian, ds -> ds.setString(Tag.NumberOfFrames, VR.IS, "10")));
        assertRefused(Outcome.CANNOT_UNDERSTAND, "zero Rows or Columns", image(UID.ExplicitVRLittleEndian, ds -> {
            ds.setInt(Tag.Rows, VR.US, 0);
            ds.setInt(Tag.Columns, VR.US, 0);
            ds.setBytes(Tag.PixelData, VR.OW, new byte[128]);
        }));
    }

    @Test
    void aFragmentThatIsNotItsCodestreamIsRefused() throws Exception {
        assertRefused(Outcome.CANNOT_UNDERSTAND, "does not start as a JPEG codestream",
                image(UID.JPEGLosslessSV1, ds -> {
                    Fragments frags = new Fragments(VR.OB, false, 2);
                    frags.add(new byte[0]);
                    frags.add(StreamingIngestTest.pattern(1000));
                    ds.setFragments(Tag.PixelData, frags);
                }));
    }

    @Test
    void aDeflatedDataSetCutShortIsRefusedAndAWholeOneStored() throws Exception {
        byte[] whole = image(UID.DeflatedExplicitVRLittleEndian, ds -> { });
        IngestResult ok = ingestBoth(whole, true);
        assertEquals(Outcome.STORED, ok.outcome(), ok.message());
        removeAll();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 40);
        assertRefused(Outcome.CANNOT_UNDERSTAND, "deflate stream does not end", cut);
    }

    @Test
    void nativePixelDataInAnEncapsulatedSyntaxIsRefused() throws Exception {
        Attributes ds = new Attributes();
        byte[] part10 = image(UID.ExplicitVRLittleEndian, d -> ds.addAll(d));
        // the same data set, declared JPEG-LS: its Pixel Data is native with a defined length
        byte[] declared = StreamingIngestTest.part10(ds, UID.JPEGLSLossless);
        assertTrue(part10.length > 0);
        IngestResult result = ingestBoth(declared, true);
        assertEquals(Outcome.CANNOT_UNDERSTAND, result.outcome(), result.message());
        assertTrue(result.message().contains("native Pixel Data in an encapsulated transfer syntax"), result.message());
        try (Stream<Path> files = Files.list(temp.resolve("journal"))) {
            assertEquals(0, files.filter(f -> !f.getFileName().toString().startsWith("intents-")).count(),
                    "the spool file is gone, and no intent file is left");
        }
        assertEquals(List.of(), IngestJournal.openOnDisk(temp.resolve("journal")), "no intent left open");
    }
}
