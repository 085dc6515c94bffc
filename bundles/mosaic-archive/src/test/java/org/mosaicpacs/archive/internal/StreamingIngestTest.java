package org.mosaicpacs.archive.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestResult.Outcome;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/**
 * {@code ingest(InputStream)}: the bytes go to storage once, as they arrive, after the header was judged;
 * with the real Derby index (in memory) and the real file storage.
 */
class StreamingIngestTest {

    static {
        System.setProperty("derby.stream.error.file", "target/derby.log");
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Origin ORIGIN = new Origin("MODALITY", "MOSAIC", "127.0.0.1");

    @TempDir
    Path temp;

    private ArchiveIndex index;
    private StorageBackend storage;
    private Path storageRoot;
    private Path journalDir;

    @BeforeEach
    void setUp() throws Exception {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:streaming" + DATABASES.incrementAndGet());
        dataSource.setCreateDatabase("create");
        index = new DerbyArchiveIndex(dataSource, IngestPipelineTest.config(DerbyIndexConfiguration.class, Map.of()));
        storageRoot = temp.resolve("storage");
        storage = new FsStorageBackend(IngestPipelineTest.config(FsStorageConfiguration.class,
                Map.of("root", storageRoot.toString(), "fsync", false)));
        journalDir = temp.resolve("journal");
    }

    private IngestPipeline pipeline(long maxHeaderBytes, String... coercions) throws IOException {
        return new IngestPipeline(new IngestPipeline.Settings("default", DuplicatePolicy.KEEP_FIRST, true,
                Coercion.parseAll(coercions), maxHeaderBytes), () -> index, id -> id.equals(storage.id()) ? storage : null,
                List::of, new IngestJournal(journalDir));
    }

    @ParameterizedTest
    @ValueSource(strings = {UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian, UID.ExplicitVRBigEndian,
        UID.DeflatedExplicitVRLittleEndian, UID.JPEGBaseline8Bit})
    void eachTransferSyntaxIsStoredAsReceivedWithoutSpooling(String tsuid) throws Exception {
        byte[] sent = part10(dataset("1.2.5.1", "1.2.5.1.1", "1.2.5.1.1.1", tsuid, 300_000), tsuid);
        Watched in = new Watched(sent, 200_000);

        IngestResult result = pipeline(IngestPipeline.Settings.MAX_HEADER_BYTES).ingest(in, ORIGIN);

        assertEquals(Outcome.STORED, result.outcome(), result.message());
        assertArrayEquals(sent, stored(result), "stored byte for byte as received");
        assertEquals(1, index.locate("1.2.5.1", null, null).size());
        assertEquals(tsuid, result.instance().orElseThrow().location().transferSyntaxUID());
        assertEquals(-1, in.read(), "read to its end");
        assertEquals(List.of(), in.spoolSeen, "nothing spooled while it arrived");
        assertTrue(in.storageTempSeen, "the bytes were going into storage while they arrived");
        assertTrue(journalEmpty());
    }

    @Test
    void aHeaderLongerThanTheLimitIsSpooledAndStoredTheSame() throws Exception {
        Attributes ds = dataset("1.2.5.2", "1.2.5.2.1", "1.2.5.2.1.1", UID.ExplicitVRLittleEndian, 100_000);
        ds.setString(0x00090010, VR.LO, "BIG HEADER");
        ds.setBytes(0x00091001, VR.OB, pattern(300_000)); // a private bulk element before Pixel Data
        byte[] sent = part10(ds, UID.ExplicitVRLittleEndian);
        Watched in = new Watched(sent, 350_000);

        IngestResult result = pipeline(128 * 1024).ingest(in, ORIGIN);

        assertEquals(Outcome.STORED, result.outcome(), result.message());
        assertArrayEquals(sent, stored(result));
        assertEquals(1, in.spoolSeen.size(), "spooled: " + in.spoolSeen);
        try (Stream<Path> files = Files.list(journalDir)) {
            assertEquals(0, files.filter(f -> !f.getFileName().toString().startsWith("intents-")).count(),
                    "the spool file is gone, and no intent file is left");
        }
        assertEquals(List.of(), IngestJournal.openOnDisk(journalDir), "no intent left open");
    }

    @Test
    void aDeflatedDataSetWithAHeaderThatCompressesWellIsStoredAsReceived() throws Exception {
        Attributes ds = dataset("1.2.5.8", "1.2.5.8.1", "1.2.5.8.1.1", UID.DeflatedExplicitVRLittleEndian, 30_000);
        ds.setString(Tag.ImageComments, VR.LT, "a comment that deflates very well ".repeat(1500));
        byte[] sent = part10(ds, UID.DeflatedExplicitVRLittleEndian);
        IngestResult fromStream = pipeline(IngestPipeline.Settings.MAX_HEADER_BYTES)
                .ingest(new Watched(sent, sent.length / 2), ORIGIN);
        assertEquals(Outcome.STORED, fromStream.outcome(), fromStream.message());
        assertArrayEquals(sent, stored(fromStream));

        Path file = temp.resolve("deflated.dcm");
        Files.write(file, sent);
        index.delete("1.2.5.8", null, null);
        IngestResult fromFile = pipeline(IngestPipeline.Settings.MAX_HEADER_BYTES).ingest(file, ORIGIN);
        assertEquals(Outcome.STORED, fromFile.outcome(), fromFile.message());
        assertArrayEquals(sent, stored(fromFile));
    }

    @Test
    void aCoercedHeaderIsReEncodedAndTheRestAppendedUntouched() throws Exception {
        Attributes ds = dataset("1.2.5.3", "1.2.5.3.1", "1.2.5.3.1.1", UID.ExplicitVRBigEndian, 50_000);
        byte[] sent = part10(ds, UID.ExplicitVRBigEndian);
        Watched in = new Watched(sent, 40_000);

        IngestResult result = pipeline(IngestPipeline.Settings.MAX_HEADER_BYTES, "IssuerOfPatientID?=HOSP_A",
                "InstitutionName=Mosaic").ingest(in, ORIGIN);

        assertEquals(Outcome.STORED, result.outcome(), result.message());
        assertEquals(List.of(), in.spoolSeen);
        Attributes stored = read(stored(result));
        assertEquals("HOSP_A", stored.getString(Tag.IssuerOfPatientID));
        assertEquals("Mosaic", stored.getString(Tag.InstitutionName));
        assertEquals("DOE^JOHN", stored.getString(Tag.PatientName));
        assertArrayEquals(ds.getBytes(Tag.PixelData), stored.getBytes(Tag.PixelData), "pixel data untouched");
        byte[] bytes = stored(result);
        byte[] tail = Arrays.copyOfRange(sent, sent.length - 50_000, sent.length);
        assertArrayEquals(tail, Arrays.copyOfRange(bytes, bytes.length - 50_000, bytes.length),
                "the pixel bytes are the received ones, appended");
    }

    @Test
    void aCoercedDeflatedDataSetGoesThroughTheSpool() throws Exception {
        Attributes ds = dataset("1.2.5.4", "1.2.5.4.1", "1.2.5.4.1.1", UID.DeflatedExplicitVRLittleEndian, 20_000);
        Watched in = new Watched(part10(ds, UID.DeflatedExplicitVRLittleEndian), 5_000);

        IngestResult result = pipeline(IngestPipeline.Settings.MAX_HEADER_BYTES, "InstitutionName=Mosaic")
                .ingest(in, ORIGIN);

        assertEquals(Outcome.STORED, result.outcome(), result.message());
        Attributes stored = read(stored(result));
        assertEquals("Mosaic", stored.getString(Tag.InstitutionName));
        assertArrayEquals(ds.getBytes(Tag.PixelData), stored.getBytes(Tag.PixelData));
    }

    @Test
    void anInvalidHeaderIsRefusedBeforeAnythingIsWrittenAndTheStreamIsDrained() throws Exception {
        Attributes ds = dataset("1.2.5.5", "1.2.5.5.1", "1.2.5.5.1.1", UID.ExplicitVRLittleEndian, 200_000);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "../../etc");
        Watched in = new Watched(part10(ds, UID.ExplicitVRLittleEndian), 100_000);

        IngestResult result = pipeline(IngestPipeline.Settings.MAX_HEADER_BYTES).ingest(in, ORIGIN);

        assertEquals(Outcome.INVALID, result.outcome());
        assertFalse(in.storageTempSeen, "nothing went to storage");
        assertEquals(-1, in.read(), "the rest was read, so the sender can go on");
        assertEquals(0, storage.list(o -> true));
        assertEquals(0, index.locate("1.2.5.5", null, null).size());

        Watched garbage = new Watched(pattern(100_000), 50_000);
        assertEquals(Outcome.CANNOT_UNDERSTAND, pipeline(IngestPipeline.Settings.MAX_HEADER_BYTES)
                .ingest(garbage, ORIGIN).outcome());
        assertEquals(-1, garbage.read());
    }

    @Test
    void aStreamThatFailsMidwayLeavesNoObjectNoIndexRowNoIntent() throws Exception {
        byte[] sent = part10(dataset("1.2.5.6", "1.2.5.6.1", "1.2.5.6.1.1", UID.ExplicitVRLittleEndian, 400_000),
                UID.ExplicitVRLittleEndian);
        InputStream aborted = new FilterInputStream(new ByteArrayInputStream(sent)) {
            int n;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (n > 250_000) {
                    throw new IOException("association aborted");
                }
                int r = super.read(b, off, Math.min(len, 8192));
                n += Math.max(r, 0);
                return r;
            }
        };

        IngestResult result = pipeline(IngestPipeline.Settings.MAX_HEADER_BYTES).ingest(aborted, ORIGIN);

        assertFalse(result.outcome().isAcknowledged(), result.toString());
        assertNothingLeft("1.2.5.6");
    }

    @Test
    void aDataSetThatEndsInsideItsPixelDataIsNotStored() throws Exception {
        for (String tsuid : List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian, UID.JPEGBaseline8Bit)) {
            byte[] sent = part10(dataset("1.2.5.7", "1.2.5.7.1", "1.2.5.7.1.1", tsuid, 100_000), tsuid);
            byte[] truncated = Arrays.copyOf(sent, sent.length - 1000);

            IngestResult result = pipeline(IngestPipeline.Settings.MAX_HEADER_BYTES)
                    .ingest(new ByteArrayInputStream(truncated), ORIGIN);

            assertEquals(Outcome.CANNOT_UNDERSTAND, result.outcome(), tsuid + ": " + result.message());
            assertTrue(result.message().contains("truncated"), result.message());
            assertNothingLeft("1.2.5.7");
            // and the same from a file
            Path file = temp.resolve("truncated.dcm");
            Files.write(file, truncated);
            assertEquals(Outcome.CANNOT_UNDERSTAND, pipeline(IngestPipeline.Settings.MAX_HEADER_BYTES)
                    .ingest(file, ORIGIN).outcome(), tsuid);
            assertNothingLeft("1.2.5.7");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void assertNothingLeft(String study) throws Exception {
        assertEquals(0, storage.list(o -> true), "no object");
        try (Stream<Path> files = Files.walk(storageRoot)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "no file at all in storage");
        }
        assertEquals(0, index.locate(study, null, null).size(), "no index row");
        assertTrue(journalEmpty(), "no intent");
    }

    /** A received stream that looks, at one point of its reading, at what the archive has on disk. */
    private final class Watched extends FilterInputStream {
        final int lookAt;
        int position;
        final List<String> spoolSeen = new ArrayList<>();
        boolean storageTempSeen;

        Watched(byte[] bytes, int lookAt) {
            super(new ByteArrayInputStream(bytes));
            this.lookAt = lookAt;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, Math.min(len, 4096));
            if (n > 0 && position < lookAt && position + n >= lookAt) {
                look();
            }
            position += Math.max(n, 0);
            return n;
        }

        private void look() throws IOException {
            if (Files.exists(journalDir)) {
                try (Stream<Path> files = Files.list(journalDir)) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).forEach(spoolSeen::add);
                }
            }
            if (Files.exists(storageRoot)) {
                try (Stream<Path> files = Files.walk(storageRoot)) {
                    storageTempSeen = files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"));
                }
            }
        }
    }

    private byte[] stored(IngestResult result) throws IOException {
        try (InputStream in = storage.read(result.instance().orElseThrow().location().key())) {
            return in.readAllBytes();
        }
    }

    private static Attributes read(byte[] part10) throws IOException {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10))) {
            in.readFileMetaInformation();
            return in.readDataset();
        }
    }

    private boolean journalEmpty() throws IOException {
        if (!Files.exists(journalDir)) {
            return true;
        }
        return IngestJournal.openOnDisk(journalDir).isEmpty();
    }

    /** Bytes that do not compress (so that deflated data sets are as long as the others). */
    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    static Attributes dataset(String study, String series, String sop, String tsuid, int pixelBytes) {
        Attributes ds = new Attributes(UID.ExplicitVRBigEndian.equals(tsuid), 32);
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyDate, VR.DA, "20260101");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.PatientName, VR.PN, "DOE^JOHN");
        ds.setString(Tag.PatientID, VR.LO, "PID-1");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(Tag.SeriesNumber, VR.IS, "1");
        ds.setString(Tag.InstanceNumber, VR.IS, "1");
        ds.setInt(Tag.Rows, VR.US, 100);
        ds.setInt(Tag.Columns, VR.US, pixelBytes / 200);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        if (UID.JPEGBaseline8Bit.equals(tsuid)) {
            Fragments frags = new Fragments(VR.OB, false, 3);
            frags.add(new byte[0]);
            byte[] first = pattern(pixelBytes / 2);
            first[0] = (byte) 0xFF; // a JPEG codestream starts with SOI
            first[1] = (byte) 0xD8;
            frags.add(first);
            frags.add(pattern(pixelBytes / 2));
            ds.setFragments(Tag.PixelData, frags);
        } else {
            ds.setBytes(Tag.PixelData, VR.OW, pattern(pixelBytes));
        }
        ds.setBytes(Tag.DataSetTrailingPadding, VR.OB, new byte[8]);
        return ds;
    }

    static byte[] part10(Attributes ds, String tsuid) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DicomOutputStream dos = new DicomOutputStream(out)) {
            dos.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(ds.getString(Tag.SOPClassUID),
                    ds.getString(Tag.SOPInstanceUID), tsuid));
            dos.writeDataset(ds);
        }
        return out.toByteArray();
    }
}
