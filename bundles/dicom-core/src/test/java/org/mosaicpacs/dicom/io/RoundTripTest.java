package org.mosaicpacs.dicom.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.Fragments;
import org.mosaicpacs.dicom.data.Sequence;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;

class RoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian, UID.ExplicitVRBigEndian,
        UID.DeflatedExplicitVRLittleEndian})
    void part10RoundTrip(String tsuid) throws IOException {
        for (boolean undefined : new boolean[] {false, true}) {
            Attributes ds = Fixtures.sample(512);
            byte[] file = Fixtures.writeFile(ds, tsuid, undefined);
            DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(file));
            Attributes fmi = in.readFileMetaInformation();
            assertEquals(tsuid, fmi.getString(Tag.TransferSyntaxUID));
            assertEquals(DicomOutputStream.IMPLEMENTATION_CLASS_UID, fmi.getString(Tag.ImplementationClassUID));
            assertEquals("MOSAIC_010", fmi.getString(Tag.ImplementationVersionName));
            Attributes back = in.readDataset();
            assertEquals(ds, back, "first read, " + tsuid);
            assertEquals(tsuid.equals(UID.ExplicitVRBigEndian), back.bigEndian());
            byte[] again = Fixtures.writeFile(back, tsuid, undefined);
            if (!tsuid.equals(UID.DeflatedExplicitVRLittleEndian)) {
                assertArrayEquals(file, again, "write(read(write)) is stable");
            }
            assertEquals(back, Fixtures.read(again));
            assertEquals("Müller^Jürgen=山田^太郎", back.getString(Tag.PatientName));
            assertEquals(16, back.getInt(Tag.Rows, 0));
            assertArrayEquals(new long[] {1, 2, 0xFFFFFFF0L}, back.getLongs(Tag.SimpleFrameList));
            assertEquals(1000.125, back.getDouble(Tag.DiffusionBValue, 0));
            assertEquals(Tag.FrameTime, back.getInt(Tag.FrameIncrementPointer, 0));
            assertEquals("1.2.3.1.1", back.getSequence(Tag.ReferencedSeriesSequence).get(1)
                    .getNestedDataset(Tag.ReferencedInstanceSequence).getString(Tag.ReferencedSOPInstanceUID));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, back.getBytes("SIEMENS CSA HEADER", 0x00290010));
        }
    }

    @Test
    void bigEndianBytesAreSwapped() throws IOException {
        Attributes ds = new Attributes();
        ds.setInt(Tag.Rows, VR.US, 0x0102);
        ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 2, 3, 4});
        byte[] be = Fixtures.writeRaw(ds, UID.ExplicitVRBigEndian);
        assertArrayEquals(new byte[] {0x00, 0x28, 0x00, 0x10, 'U', 'S', 0, 2, 0x01, 0x02}, java.util.Arrays.copyOf(be, 10));
        assertArrayEquals(new byte[] {2, 1, 4, 3}, java.util.Arrays.copyOfRange(be, be.length - 4, be.length));
        Attributes back = Fixtures.readRaw(be, UID.ExplicitVRBigEndian);
        assertTrue(back.bigEndian());
        assertEquals(0x0102, back.getInt(Tag.Rows, 0));
        assertEquals(ds, back);
        byte[] le = Fixtures.writeRaw(back, UID.ExplicitVRLittleEndian);
        assertArrayEquals(Fixtures.writeRaw(ds, UID.ExplicitVRLittleEndian), le);
    }

    @ParameterizedTest
    @ValueSource(strings = {UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian, UID.ExplicitVRBigEndian})
    void rawDataSetsAndGuessing(String tsuid) throws IOException {
        Attributes ds = Fixtures.sample(64);
        byte[] raw = Fixtures.writeRaw(ds, tsuid);
        assertEquals(ds, Fixtures.readRaw(raw, tsuid));
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(raw));
        assertEquals(ds, in.readDataset(), "guessed transfer syntax");
        assertEquals(tsuid, in.getTransferSyntax());
    }

    @Test
    void withoutPreamble() throws IOException {
        byte[] file = Fixtures.writeFile(Fixtures.sample(8), UID.ExplicitVRLittleEndian, false);
        byte[] noPreamble = java.util.Arrays.copyOfRange(file, 128, file.length);
        assertEquals(Fixtures.sample(8), Fixtures.read(noPreamble));
        byte[] noPrefix = java.util.Arrays.copyOfRange(file, 132, file.length);
        assertEquals(Fixtures.sample(8), Fixtures.read(noPrefix));
    }

    @Test
    void encapsulatedFragments() throws IOException {
        Attributes ds = Fixtures.encapsulated();
        byte[] file = Fixtures.writeFile(ds, UID.JPEGBaseline8Bit, true);
        Attributes back = Fixtures.read(file);
        assertEquals(ds, back);
        Fragments f = back.getFragments(Tag.PixelData);
        assertEquals(3, f.size());
        assertArrayEquals(new byte[] {9, 8, 7, 6}, (byte[]) f.get(2));
        assertArrayEquals(file, Fixtures.writeFile(back, UID.JPEGBaseline8Bit, true));
    }

    @Test
    void stopBeforePixelData() throws IOException {
        byte[] file = Fixtures.writeFile(Fixtures.sample(256), UID.ExplicitVRLittleEndian, false);
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(file));
        Attributes ds = in.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
        assertFalse(ds.contains(Tag.PixelData));
        assertEquals(16, ds.getInt(Tag.Rows, 0));
        assertEquals(file.length - 256 - 12, in.position());
        Attributes rest = in.readDataset();
        assertEquals(256, rest.getBytes(Tag.PixelData).length);
    }

    @Test
    void bulkDataReferences(@TempDir Path dir) throws IOException {
        Attributes ds = Fixtures.sample(4096);
        Path file = dir.resolve("a.dcm");
        Files.write(file, Fixtures.writeFile(ds, UID.ExplicitVRBigEndian, false));
        Attributes back;
        try (DicomInputStream in = new DicomInputStream(file)) {
            in.setBulkDataThreshold(1024);
            back = in.readDataset();
        }
        BulkData bd = back.getBulkData(Tag.PixelData);
        assertNotNull(bd);
        assertEquals(4096, bd.length());
        assertTrue(bd.bigEndian());
        assertEquals(file.toAbsolutePath(), bd.path());
        assertArrayEquals(ds.getBytes(Tag.PixelData), swap(bd.toBytes()));
        assertNull(back.getBulkData(Tag.Rows));
        assertEquals(ds, new Attributes(false).addAll(Fixtures.read(Files.readAllBytes(file))));
        // written from the reference, streamed and byte swapped to little endian
        Path copy = dir.resolve("b.dcm");
        DicomOutputStream.writeFile(copy, back, UID.ExplicitVRLittleEndian);
        assertEquals(ds, Fixtures.read(Files.readAllBytes(copy)));
        // getBytes reads the bulk data on demand in the data set's byte order
        assertArrayEquals(swap(ds.getBytes(Tag.PixelData)), back.getBytes(Tag.PixelData));
    }

    @Test
    void encapsulatedFragmentsAsBulkData(@TempDir Path dir) throws IOException {
        Attributes ds = Fixtures.encapsulated();
        Path file = dir.resolve("j.dcm");
        Files.write(file, Fixtures.writeFile(ds, UID.JPEGBaseline8Bit, false));
        Attributes back;
        try (DicomInputStream in = new DicomInputStream(file)) {
            in.setBulkDataThreshold(6);
            back = in.readDataset();
        }
        Fragments f = back.getFragments(Tag.PixelData);
        assertTrue(f.get(0) instanceof byte[]);
        assertTrue(f.get(1) instanceof BulkData);
        assertEquals(8, f.lengthOf(1));
        Path copy = dir.resolve("k.dcm");
        DicomOutputStream.writeFile(copy, back, UID.JPEGBaseline8Bit);
        assertEquals(ds, Fixtures.read(Files.readAllBytes(copy)));
    }

    private static byte[] swap(byte[] b) {
        byte[] c = b.clone();
        VR.OW.swapBytes(c, 0, c.length);
        return c;
    }

    @Test
    void unknownAndUNElements() throws IOException {
        Attributes ds = new Attributes();
        ds.setBytes(Tag.PatientName, VR.UN, "Doe^John".getBytes());
        ds.setBytes(0x00091010, VR.UN, new byte[] {1, 2});
        Attributes back = Fixtures.readRaw(Fixtures.writeRaw(ds, UID.ExplicitVRLittleEndian), UID.ExplicitVRLittleEndian);
        assertEquals(VR.PN, back.getVR(Tag.PatientName), "UN re-read as the dictionary VR");
        assertEquals("Doe^John", back.getString(Tag.PatientName));
        assertEquals(VR.UN, back.getVR(0x00091010));
    }

    @Test
    void unSequenceOfUndefinedLengthIsImplicitLE() throws IOException {
        Attributes seqItem = new Attributes();
        seqItem.setString(Tag.CodeValue, VR.SH, "121");
        ByteArrayOutputStream item = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(item, UID.ImplicitVRLittleEndian)) {
            out.writeDataset(seqItem);
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {0x08, 0x00, 0x00, 0x01, 'S', 'H', 4, 0, 'A', 'B', 'C', ' '});
        // (0040,A043) Concept Name Code Sequence as UN, undefined length, items implicit VR LE
        b.write(new byte[] {0x40, 0x00, 0x43, (byte) 0xA0, 'U', 'N', 0, 0, -1, -1, -1, -1});
        b.write(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, -1, -1, -1, -1});
        b.write(item.toByteArray());
        b.write(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x0D, (byte) 0xE0, 0, 0, 0, 0});
        b.write(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0});
        Attributes back = Fixtures.readRaw(b.toByteArray(), UID.ExplicitVRLittleEndian);
        Sequence s = back.getSequence(Tag.ConceptNameCodeSequence);
        assertEquals(1, s.size());
        assertEquals("121", s.get(0).getString(Tag.CodeValue));
    }

    @Test
    void usOrSsFollowsPixelRepresentation() throws IOException {
        Attributes ds = new Attributes();
        ds.setInt(Tag.PixelRepresentation, VR.US, 1);
        ds.setInt(Tag.SmallestImagePixelValue, VR.SS, -100);
        Attributes back = Fixtures.readRaw(Fixtures.writeRaw(ds, UID.ImplicitVRLittleEndian), UID.ImplicitVRLittleEndian);
        assertEquals(VR.SS, back.getVR(Tag.SmallestImagePixelValue));
        assertEquals(-100, back.getInt(Tag.SmallestImagePixelValue, 0));
    }

    @Test
    void fileMetaThenEncodedDataSet() throws IOException {
        Attributes ds = Fixtures.sample(16);
        String ts = UID.DeflatedExplicitVRLittleEndian;
        byte[] encoded = Fixtures.writeRaw(ds, ts);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DicomOutputStream.writeFileMetaInformation(file, DicomOutputStream.createFileMetaInformation(
                UID.CTImageStorage, Fixtures.SOP_INSTANCE_UID, ts));
        file.write(encoded);
        assertArrayEquals(Fixtures.writeFile(ds, ts, false), file.toByteArray());
        assertEquals(ds, Fixtures.read(file.toByteArray()));
    }

    @Test
    void commandSet() throws IOException {
        Attributes cmd = new Attributes();
        cmd.setString(Tag.AffectedSOPClassUID, VR.UI, UID.Verification);
        cmd.setInt(Tag.CommandField, VR.US, 0x0030);
        cmd.setInt(Tag.MessageID, VR.US, 1);
        cmd.setInt(Tag.CommandDataSetType, VR.US, 0x0101);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(b, UID.ImplicitVRLittleEndian)) {
            out.writeCommand(cmd);
        }
        byte[] bytes = b.toByteArray();
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes), UID.ImplicitVRLittleEndian);
        in.setKeepGroupLengths(true);
        Attributes back = in.readDataset();
        assertEquals(bytes.length - 12, back.getInt(Tag.CommandGroupLength, 0));
        assertEquals(0x0030, back.getInt(Tag.CommandField, 0));
        assertEquals(UID.Verification, back.getString(Tag.AffectedSOPClassUID));
    }
}
