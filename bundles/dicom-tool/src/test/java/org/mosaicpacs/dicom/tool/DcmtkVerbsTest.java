package org.mosaicpacs.dicom.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;

/**
 * echo and store against DCMTK's storescp, listen receiving from DCMTK's storescu and echoscu. Each
 * test is skipped when the DCMTK tool is not in /usr/bin.
 */
class DcmtkVerbsTest {

    @TempDir
    Path tmp;

    /** Five files: CT in Explicit LE (2), Implicit LE, Explicit BE; MR in Deflated. */
    private List<Path> corpus(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        List<Path> files = new ArrayList<>();
        files.add(NetFixtures.write(dir, NetFixtures.image(UID.CTImageStorage, "P1", "2.25.1", "2.25.11", "2.25.111", 8),
                UID.ExplicitVRLittleEndian));
        files.add(NetFixtures.write(dir, NetFixtures.image(UID.CTImageStorage, "P1", "2.25.1", "2.25.11", "2.25.112", 8),
                UID.ImplicitVRLittleEndian));
        files.add(NetFixtures.write(dir.resolve("sub"), NetFixtures.image(UID.CTImageStorage, "P1", "2.25.1", "2.25.11",
                "2.25.113", 8), UID.ExplicitVRBigEndian));
        files.add(NetFixtures.write(dir.resolve("sub"), NetFixtures.image(UID.MRImageStorage, "P2", "2.25.2", "2.25.21",
                "2.25.211", 8), UID.DeflatedExplicitVRLittleEndian));
        files.add(NetFixtures.write(dir, NetFixtures.image(UID.CTImageStorage, "P1", "2.25.1", "2.25.12", "2.25.121", 8),
                UID.ExplicitVRLittleEndian));
        return files;
    }

    @Test
    void echoAndStoreToStorescp() throws Exception {
        NetFixtures.assumeTool("storescp");
        NetFixtures.assumeTool("dcmdump");
        Path received = Files.createDirectories(tmp.resolve("received"));
        int port = NetFixtures.freePort();
        // default storescp: Explicit LE/BE and Implicit LE, no Deflated: the MR file gets converted
        Process scp = NetFixtures.start(tmp.resolve("storescp.log"), "/usr/bin/storescp", "-aet", "STORESCP",
                "-od", received.toString(), String.valueOf(port));
        try {
            NetFixtures.waitForPort(port);
            MainTest.Run echo = MainTest.run("echo", "-c", "STORESCP@127.0.0.1:" + port, "-b", "ECHOER");
            assertEquals(0, echo.status, echo.err);
            assertTrue(echo.out.startsWith("C-ECHO STORESCP@127.0.0.1:" + port + ": status 0000"), echo.out);
            assertEquals("", echo.err);

            Path in = tmp.resolve("in");
            List<Path> files = corpus(in);
            MainTest.Run store = MainTest.run("store", "-c", "STORESCP@127.0.0.1:" + port, "--max-pdu", "32768", in.toString());
            assertEquals(0, store.status, store.out + store.err);
            assertEquals("", store.err);
            assertTrue(store.out.startsWith("Sent 5 of 5 objects"), store.out);
            assertTrue(store.out.contains("0 failed"), store.out);

            Map<String, Path> byUid = receivedByUid(received, 5);
            for (Path f : files) {
                Attributes sent = NetFixtures.read(f);
                Path got = byUid.get(sent.getString(Tag.SOPInstanceUID));
                assertTrue(got != null, "received " + sent.getString(Tag.SOPInstanceUID));
                NetFixtures.run(30, "/usr/bin/dcmdump", "-q", got.toString());
                assertEquals("", NetFixtures.diff(sent, NetFixtures.read(got)), f.toString());
            }
            assertEquals(UID.ExplicitVRLittleEndian,
                    NetFixtures.transferSyntax(byUid.get("2.25.211")), "the deflated MR file was converted");
            assertEquals(UID.ExplicitVRBigEndian, NetFixtures.transferSyntax(byUid.get("2.25.113")));
        } finally {
            scp.destroy();
            scp.waitFor();
        }
    }

    @Test
    void storeFailuresGiveNonzeroStatus() throws Exception {
        NetFixtures.assumeTool("storescp");
        Path received = Files.createDirectories(tmp.resolve("received"));
        int port = NetFixtures.freePort();
        Process scp = NetFixtures.start(tmp.resolve("storescp.log"), "/usr/bin/storescp", "-aet", "STORESCP",
                "-od", received.toString(), String.valueOf(port));
        try {
            NetFixtures.waitForPort(port);
            Path in = Files.createDirectories(tmp.resolve("in"));
            NetFixtures.write(in, NetFixtures.image(UID.CTImageStorage, "P1", "2.25.1", "2.25.11", "2.25.111", 8),
                    UID.ExplicitVRLittleEndian);
            Files.writeString(in.resolve("readme.txt"), "not DICOM");
            MainTest.Run store = MainTest.run("store", "-c", "STORESCP@127.0.0.1:" + port, in.toString());
            assertEquals(1, store.status, store.out + store.err);
            assertTrue(store.out.startsWith("Sent 1 of 1 objects"), store.out);
            assertTrue(store.out.contains("1 skipped"), store.out);
            assertEquals(1, store.err.lines().count(), store.err);
            assertTrue(store.err.contains("readme.txt"), store.err);
        } finally {
            scp.destroy();
            scp.waitFor();
        }
        // nobody listens any more
        MainTest.Run refused = MainTest.run("echo", "-c", "STORESCP@127.0.0.1:" + port);
        assertEquals(1, refused.status);
        assertEquals(1, refused.err.lines().count(), refused.err);
        assertTrue(refused.err.startsWith("mosaic-dicom: STORESCP@127.0.0.1:" + port + ": "), refused.err);
        assertFalse(refused.err.contains("\tat "), refused.err);
        MainTest.Run verbose = MainTest.run("-v", "echo", "-c", "STORESCP@127.0.0.1:" + port);
        assertEquals(1, verbose.status);
        assertTrue(verbose.err.contains("\tat "), verbose.err);
    }

    @Test
    void listenReceivesFromStorescuAndEchoscu() throws Exception {
        NetFixtures.assumeTool("storescu");
        NetFixtures.assumeTool("echoscu");
        Path dir = tmp.resolve("listen");
        try (NetFixtures.Listener listener = NetFixtures.listen("listen", "-b", "LISTENER@127.0.0.1:0",
                "--directory", dir.toString())) {
            int port = listener.port();
            String echo = NetFixtures.run(30, "/usr/bin/echoscu", "-aec", "LISTENER", "127.0.0.1", String.valueOf(port));
            assertFalse(echo.contains("E:"), echo);

            List<Path> files = corpus(tmp.resolve("in"));
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/storescu", "-aec", "LISTENER", "-xd", "+r", "+sd",
                    "127.0.0.1", String.valueOf(port)));
            cmd.add(tmp.resolve("in").toString());
            NetFixtures.run(60, cmd.toArray(String[]::new));
            listener.awaitLines("Received ", 5);
            for (Path f : files) {
                Attributes sent = NetFixtures.read(f);
                String iuid = sent.getString(Tag.SOPInstanceUID);
                Path got = dir.resolve(iuid + ".dcm");
                assertTrue(Files.isRegularFile(got), got + " in " + listener.out());
                assertEquals("", NetFixtures.diff(sent, NetFixtures.read(got)), f.toString());
            }
            assertTrue(listener.out().contains("Received 2.25.211 MRImageStorage "), listener.out());
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(5, s.count(), "no .part files left");
            }
        }
    }

    @Test
    void fileNamesStayInTheDirectory() {
        assertEquals("1.2.3.dcm", DirectoryStoreSCP.fileName("1.2.3"));
        assertEquals("_.._.._etc_passwd.dcm", DirectoryStoreSCP.fileName("../../etc/passwd"));
        assertEquals("_...dcm", DirectoryStoreSCP.fileName(".."));
        assertEquals("_.dcm", DirectoryStoreSCP.fileName(""));
        assertEquals("a_b_c.dcm", DirectoryStoreSCP.fileName("a\\b/c"));
    }

    private static Map<String, Path> receivedByUid(Path dir, int expected) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        Map<String, Path> byUid = new HashMap<>();
        while (System.currentTimeMillis() < deadline) {
            byUid.clear();
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    try {
                        byUid.put(NetFixtures.read(p).getString(Tag.SOPInstanceUID), p);
                    } catch (IOException e) {
                        // still being written
                    }
                }
            }
            if (byUid.size() >= expected) {
                break;
            }
            Thread.sleep(50);
        }
        return byUid;
    }
}
