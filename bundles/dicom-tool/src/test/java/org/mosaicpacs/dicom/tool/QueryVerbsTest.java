package org.mosaicpacs.dicom.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.net.Connection;

/** find, get and move against {@link TestArchive} (dicom-net's SCP bases); move also to DCMTK's storescp. */
class QueryVerbsTest {

    @TempDir
    Path tmp;
    private TestArchive archive;
    private String peer;
    private final List<Path> files = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("archive"));
        files.add(NetFixtures.write(in, NetFixtures.image(UID.CTImageStorage, "P1", "2.25.1", "2.25.11", "2.25.111", 4),
                UID.ExplicitVRLittleEndian));
        files.add(NetFixtures.write(in, NetFixtures.image(UID.CTImageStorage, "P1", "2.25.1", "2.25.11", "2.25.112", 4),
                UID.ImplicitVRLittleEndian));
        files.add(NetFixtures.write(in, NetFixtures.image(UID.CTImageStorage, "P1", "2.25.1", "2.25.12", "2.25.121", 4),
                UID.ExplicitVRBigEndian));
        files.add(NetFixtures.write(in, NetFixtures.image(UID.MRImageStorage, "P2", "2.25.2", "2.25.21", "2.25.211", 4),
                UID.DeflatedExplicitVRLittleEndian));
        archive = new TestArchive(files);
        peer = TestArchive.AET + "@127.0.0.1:" + archive.port();
    }

    @AfterEach
    void stop() {
        archive.close();
    }

    @Test
    void findPrintsMatches() throws Exception {
        MainTest.Run r = MainTest.run("find", "-c", peer, "-L", "STUDY", "-m", "PatientID=P1", "-r", "StudyDate",
                "-r", "(0008,0050)", "-r", "00100010");
        assertEquals(0, r.status, r.err);
        assertEquals("", r.err);
        assertTrue(r.out.contains("C-FIND match #1:"), r.out);
        assertFalse(r.out.contains("C-FIND match #2:"), r.out);
        assertTrue(r.out.contains("[2.25.1]") && r.out.contains("[20250102]") && r.out.contains("[ACCP1]")
                && r.out.contains("[Tool^P1]"), r.out);
        assertTrue(r.out.contains("1 matches from " + peer + ", status 0000"), r.out);
        Attributes keys = archive.queries.get(0);
        assertEquals("STUDY", keys.getString(Tag.QueryRetrieveLevel));
        assertEquals("P1", keys.getString(Tag.PatientID));
        assertTrue(keys.contains(Tag.StudyInstanceUID) && keys.contains(Tag.AccessionNumber)
                && keys.contains(Tag.StudyDate) && keys.contains(Tag.PatientName), keys.toString());

        MainTest.Run series = MainTest.run("find", "-c", peer, "-M", "PatientRoot", "-L", "SERIES", "-m",
                "PatientID=P1", "-m", "StudyInstanceUID=2.25.1", "-r", "Modality", "--json");
        assertEquals(0, series.status, series.err);
        assertTrue(series.out.strip().startsWith("[") && series.out.strip().endsWith("]"), series.out);
        assertTrue(series.out.contains("\"2.25.11\"") && series.out.contains("\"2.25.12\""), series.out);
        assertTrue(series.out.contains("\"0020000E\""), series.out);

        MainTest.Run wildcard = MainTest.run("find", "-c", peer, "-L", "IMAGE", "-m", "SOPInstanceUID=2.25.1*");
        assertEquals(0, wildcard.status, wildcard.err);
        assertTrue(wildcard.out.contains("3 matches"), wildcard.out);

        MainTest.Run none = MainTest.run("find", "-c", peer, "-m", "PatientID=NOBODY");
        assertEquals(0, none.status, none.err);
        assertTrue(none.out.startsWith("0 matches"), none.out);
    }

    @Test
    void findRefusesBadKeys() {
        MainTest.Run bad = MainTest.run("find", "-c", peer, "-m", "NoSuchKeyword=1");
        assertEquals(2, bad.status);
        assertEquals(1, bad.err.lines().count(), bad.err);
        assertTrue(bad.err.contains("unknown key 'NoSuchKeyword'"), bad.err);
        assertEquals(2, MainTest.run("find", "-c", peer, "-L", "WARD").status);
        assertEquals(2, MainTest.run("find", "-c", peer, "-M", "Worklist").status);
        assertEquals(2, MainTest.run("find", "-c", "nohost", "-m", "PatientID=1").status);
        assertEquals(2, MainTest.run("find", "-m", "PatientID=1").status);
    }

    @Test
    void getStoresIntoDirectory() throws Exception {
        Path dir = tmp.resolve("got");
        MainTest.Run r = MainTest.run("get", "-c", peer, "-m", "StudyInstanceUID=2.25.1", "--directory", dir.toString());
        assertEquals(0, r.status, r.out + r.err);
        assertEquals("", r.err);
        assertEquals(3, r.out.lines().filter(l -> l.startsWith("Received ")).count(), r.out);
        assertTrue(r.out.contains("C-GET from " + peer + " into " + dir + ": completed 3, failed 0, warning 0"), r.out);
        for (Path f : files.subList(0, 3)) {
            Attributes sent = NetFixtures.read(f);
            Path got = dir.resolve(sent.getString(Tag.SOPInstanceUID) + ".dcm");
            assertEquals("", NetFixtures.diff(sent, NetFixtures.read(got)), f.toString());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.count());
        }
        MainTest.Run image = MainTest.run("get", "-c", peer, "-L", "IMAGE", "-M", "PatientRoot", "-m", "PatientID=P2",
                "-m", "StudyInstanceUID=2.25.2", "-m", "SeriesInstanceUID=2.25.21", "-m", "SOPInstanceUID=2.25.211",
                "--directory", dir.toString());
        assertEquals(0, image.status, image.out + image.err);
        assertTrue(Files.isRegularFile(dir.resolve("2.25.211.dcm")));
    }

    @Test
    void moveToListenAndToUnknownDestination() throws Exception {
        Path dir = tmp.resolve("moved");
        try (NetFixtures.Listener listener = NetFixtures.listen("listen", "-b", "LISTENER@127.0.0.1:0",
                "--directory", dir.toString())) {
            archive.destinations.put("LISTENER", new Connection("127.0.0.1", listener.port()));
            MainTest.Run r = MainTest.run("move", "-c", peer, "--dest", "LISTENER", "-L", "SERIES",
                    "-m", "StudyInstanceUID=2.25.1", "-m", "SeriesInstanceUID=2.25.11");
            assertEquals(0, r.status, r.out + r.err);
            assertTrue(r.out.startsWith("C-MOVE " + peer + " to LISTENER: completed 2, failed 0, warning 0"), r.out);
            listener.awaitLines("Received ", 2);
            assertTrue(Files.isRegularFile(dir.resolve("2.25.111.dcm")));
            assertTrue(Files.isRegularFile(dir.resolve("2.25.112.dcm")));
        }
        MainTest.Run unknown = MainTest.run("move", "-c", peer, "--dest", "NOWHERE", "-m", "StudyInstanceUID=2.25.1");
        assertEquals(1, unknown.status, unknown.out);
        assertEquals(1, unknown.err.lines().count(), unknown.err);
        assertTrue(unknown.err.contains("C-MOVE failed: status A801"), unknown.err);
        assertEquals(2, MainTest.run("move", "-c", peer, "-m", "StudyInstanceUID=2.25.1").status);
    }

    @Test
    void moveToStorescp() throws Exception {
        NetFixtures.assumeTool("storescp");
        Path received = Files.createDirectories(tmp.resolve("storescp"));
        int port = NetFixtures.freePort();
        Process scp = NetFixtures.start(tmp.resolve("storescp.log"), "/usr/bin/storescp", "-aet", "STORESCP",
                "-od", received.toString(), String.valueOf(port));
        try {
            NetFixtures.waitForPort(port);
            archive.destinations.put("STORESCP", new Connection("127.0.0.1", port));
            MainTest.Run r = MainTest.run("move", "-c", peer, "--dest", "STORESCP", "-m", "StudyInstanceUID=2.25.2");
            assertEquals(0, r.status, r.out + r.err);
            assertTrue(r.out.contains("completed 1, failed 0"), r.out);
            try (Stream<Path> s = Files.list(received)) {
                assertEquals(1, s.count());
            }
        } finally {
            scp.destroy();
            scp.waitFor();
        }
    }
}
