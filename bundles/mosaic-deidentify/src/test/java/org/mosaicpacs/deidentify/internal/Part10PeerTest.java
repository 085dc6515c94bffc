package org.mosaicpacs.deidentify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.api.deidentify.DeidentifiedInstance;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;

/** The Part 10 variant of the service: what it writes is read cleanly by dcmtk's dcmdump and by pydicom. */
class Part10PeerTest {

    @TempDir
    Path temp;

    static AnnexEDeidentifier service() {
        return new AnnexEDeidentifier(null, new ProfileDefinition("research-a", new String[] {"CLEAN_DESCRIPTORS",
                "RETAIN_LONGITUDINAL_MODIFIED_DATES"}, "a secret", "", 10, 365, new String[0], new String[0], true));
    }

    static byte[] part10(Attributes ds, String ts) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(buf)) {
            out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(ds.getString(Tag.SOPClassUID),
                    ds.getString(Tag.SOPInstanceUID), ts));
            out.writeDataset(ds);
        }
        return buf.toByteArray();
    }

    @Test
    void writesPart10InTheSameTransferSyntaxWithNewUids() throws Exception {
        Attributes in = EngineTest.image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeidentifiedInstance d = service().deidentify(new ByteArrayInputStream(part10(in, UID.ImplicitVRLittleEndian)), out, "research-a");
        assertEquals("1.2.3", d.originalStudyInstanceUID());
        try (DicomInputStream dis = new DicomInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            Attributes fmi = dis.readFileMetaInformation();
            Attributes ds = dis.readDataset();
            assertEquals(UID.ImplicitVRLittleEndian, dis.getTransferSyntax());
            assertEquals(d.sopInstanceUID(), fmi.getString(Tag.MediaStorageSOPInstanceUID));
            assertEquals(d.sopInstanceUID(), ds.getString(Tag.SOPInstanceUID));
            assertEquals(d.studyInstanceUID(), ds.getString(Tag.StudyInstanceUID));
            assertTrue(d.studyInstanceUID().startsWith("2.25."));
        }
    }

    @Test
    void garbageIsAClearErrorAndNothingIsWritten() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeidentificationException e = assertThrows(DeidentificationException.class, () -> service().deidentify(
                new ByteArrayInputStream("not dicom at all, just text".getBytes()), out, "research-a"));
        assertTrue(e.getMessage().startsWith("not a readable DICOM Part 10 instance"), e.getMessage());
        assertEquals(0, out.size());
        e = assertThrows(DeidentificationException.class, () -> service().deidentify(
                new ByteArrayInputStream(new byte[0]), out, "nope"));
        e = assertThrows(DeidentificationException.class, () -> service().deidentify(new Attributes(), "nope"));
        assertTrue(e.getMessage().contains("unknown profile 'nope'"), e.getMessage());
        e = assertThrows(DeidentificationException.class, () -> service().deidentify(new Attributes(), "basic"));
        assertTrue(e.getMessage().contains("no secret"), e.getMessage());
    }

    @Test
    void theCallersStreamsStayOpen() throws Exception {
        Attributes in = EngineTest.image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        boolean[] closed = new boolean[2];
        InputStream src = new ByteArrayInputStream(part10(in, UID.ExplicitVRLittleEndian)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        OutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[1] = true;
            }
        };
        service().deidentify(src, sink, "research-a");
        assertFalse(closed[0] || closed[1]);
    }

    @Test
    void dcmdumpAndPydicomReadTheOutputCleanly() throws Exception {
        boolean dcmdump = Peers.hasDcmdump();
        boolean pydicom = Peers.hasPydicom();
        assumeTrue(dcmdump || pydicom, "neither dcmdump nor pydicom is installed");
        List<Path> files = new ArrayList<>();
        int n = 0;
        for (String ts : new String[] {UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian, UID.ExplicitVRBigEndian}) {
            Attributes in = EngineTest.image("1.2.3", "1.2.3.4", "1.2.3.4." + (++n));
            in.setString(Tag.ImageComments, VR.LT, "MUELLER seen 20210315");
            in.setString(0x00190010, VR.LO, "ACME 1.1");
            in.setString(0x00191010, VR.LO, "private");
            Attributes item = in.newSequence(Tag.ReferencedStudySequence, 1).addNewItem();
            item.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.3.1.2.3.1");
            item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3");
            Path f = temp.resolve("out" + n + ".dcm");
            try (OutputStream out = Files.newOutputStream(f)) {
                service().deidentify(new ByteArrayInputStream(part10(in, ts)), out, "research-a");
            }
            files.add(f);
        }
        if (dcmdump) {
            for (Path f : files) {
                Peers.Run r = Peers.dcmdump(f);
                assertEquals(0, r.exit(), f + ": " + r.output());
                assertFalse(r.output().contains("E: ") || r.output().contains("W: "), r.output());
                assertTrue(r.output().contains("(0012,0062) CS [YES]"), r.output());
            }
        }
        if (pydicom) {
            Peers.Run r = Peers.pydicom(files);
            assertEquals(0, r.exit(), r.output());
        }
    }
}
