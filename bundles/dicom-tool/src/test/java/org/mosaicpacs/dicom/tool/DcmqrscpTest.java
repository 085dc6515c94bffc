package org.mosaicpacs.dicom.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;

/**
 * The verbs against DCMTK's dcmqrscp (fork mode, a configuration written by the test): store fills
 * its database, then find, get, and move to our own listen. Skipped when dcmqrscp is not installed.
 */
class DcmqrscpTest {

    @TempDir
    Path tmp;

    @Test
    void storeFindGetMove() throws Exception {
        NetFixtures.assumeTool("dcmqrscp");
        int port = NetFixtures.freePort();
        int listenPort = NetFixtures.freePort();
        Path db = Files.createDirectories(tmp.resolve("db"));
        Path cfg = tmp.resolve("dcmqrscp.cfg");
        Files.writeString(cfg, "NetworkTCPPort  = " + port + "\n"
                + "MaxPDUSize      = 16384\n"
                + "MaxAssociations = 16\n\n"
                + "HostTable BEGIN\n"
                + "listener = (LISTENER, 127.0.0.1, " + listenPort + ")\n"
                + "HostTable END\n\n"
                + "VendorTable BEGIN\n"
                + "VendorTable END\n\n"
                + "AETable BEGIN\n"
                + "QRSCP " + db + " RW (100, 64mb) ANY\n"
                + "AETable END\n");
        Process qr = NetFixtures.start(tmp.resolve("dcmqrscp.log"), "/usr/bin/dcmqrscp", "-c", cfg.toString());
        try {
            NetFixtures.waitForPort(port);
            String peer = "QRSCP@127.0.0.1:" + port;
            Path in = Files.createDirectories(tmp.resolve("in"));
            List<Path> files = new ArrayList<>();
            files.add(NetFixtures.write(in, NetFixtures.image(UID.CTImageStorage, "Q1", "2.25.7", "2.25.71", "2.25.711",
                    4), UID.ExplicitVRLittleEndian));
            files.add(NetFixtures.write(in, NetFixtures.image(UID.CTImageStorage, "Q1", "2.25.7", "2.25.72", "2.25.721",
                    4), UID.ImplicitVRLittleEndian));
            files.add(NetFixtures.write(in, NetFixtures.image(UID.MRImageStorage, "Q2", "2.25.8", "2.25.81", "2.25.811",
                    4), UID.ExplicitVRLittleEndian));
            MainTest.Run store = MainTest.run("store", "-c", peer, in.toString());
            assertEquals(0, store.status, store.out + store.err);

            MainTest.Run find = MainTest.run("find", "-c", peer, "-L", "STUDY", "-m", "PatientID=Q1", "-r", "StudyDate",
                    "-r", "AccessionNumber");
            assertEquals(0, find.status, find.err);
            assertTrue(find.out.contains("[2.25.7]") && find.out.contains("[ACCQ1]") && find.out.contains("1 matches"),
                    find.out);
            MainTest.Run series = MainTest.run("find", "-c", peer, "-L", "SERIES", "-m", "StudyInstanceUID=2.25.7",
                    "-r", "Modality", "--json");
            assertEquals(0, series.status, series.err);
            assertTrue(series.out.contains("\"2.25.71\"") && series.out.contains("\"2.25.72\""), series.out);

            Path got = tmp.resolve("got");
            MainTest.Run get = MainTest.run("get", "-c", peer, "-m", "StudyInstanceUID=2.25.7", "--directory",
                    got.toString());
            assertEquals(0, get.status, get.out + get.err);
            assertTrue(get.out.contains("completed 2, failed 0, warning 0, status 0000"), get.out);
            for (Path f : files.subList(0, 2)) {
                Attributes sent = NetFixtures.read(f);
                assertEquals("", NetFixtures.diff(sent, NetFixtures.read(got.resolve(sent.getString(Tag.SOPInstanceUID)
                        + ".dcm"))));
            }

            Path moved = tmp.resolve("moved");
            try (NetFixtures.Listener listener = NetFixtures.listen("listen", "-b", "LISTENER@127.0.0.1:" + listenPort,
                    "--directory", moved.toString())) {
                MainTest.Run move = MainTest.run("move", "-c", peer, "--dest", "LISTENER", "-m", "StudyInstanceUID=2.25.8");
                assertEquals(0, move.status, move.out + move.err);
                assertTrue(move.out.contains("completed 1, failed 0"), move.out);
                listener.awaitLines("Received ", 1);
                assertTrue(Files.isRegularFile(moved.resolve("2.25.811.dcm")));
            }
            MainTest.Run unknown = MainTest.run("move", "-c", peer, "--dest", "NOWHERE", "-m", "StudyInstanceUID=2.25.8");
            assertEquals(1, unknown.status, unknown.out);
            assertEquals(1, unknown.err.lines().count(), unknown.err);
        } finally {
            qr.destroy();
            qr.waitFor();
        }
    }
}
