package org.mosaicpacs.dimse.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.api.ae.ServiceClassUser.StoreResult;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.dicom.net.Connection;

/**
 * Remote AEs as the archive AE uses them: read at each association (C-MOVE destinations, the calling AE
 * titles accepted), the {@code moveDestinations} setting as fallback, their validation, and the archive's
 * C-ECHO and C-STORE SCU; with DCMTK's echoscu, movescu and storescp as peers.
 */
@Timeout(120)
class RemoteAETest {

    static final String STUDY = "1.2.826.0.1.3680043.2.1125.11.1";

    @TempDir
    Path temp;
    RealArchive archive;
    Process storescp;

    @BeforeEach
    void setUp() throws Exception {
        archive = new RealArchive(temp);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (storescp != null) {
            storescp.destroy();
            if (!storescp.waitFor(10, TimeUnit.SECONDS)) {
                storescp.destroyForcibly();
            }
        }
    }

    static void assumeDcmtk(String tool) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/" + tool)), tool + " is not installed");
    }

    @Test
    void onlyConfiguredRemoteAEsMayCallWhenAsked() throws Exception {
        assumeDcmtk("echoscu");
        NetworkSettings onlyKnown = new NetworkSettings(-1, null, List.of("TLSv1.3"), true, true, false);
        try (ArchiveAE ae = archive.start(onlyKnown)) {
            String port = String.valueOf(ae.port());
            IOException refused = assertThrows(IOException.class, () -> RealArchive.run(30, null, "/usr/bin/echoscu",
                    "-aet", "STRANGER", "-aec", "MOSAIC", "127.0.0.1", port));
            assertTrue(refused.getMessage().contains("Calling AE Title Not Recognized"), refused.getMessage());
            archive.remoteAEs.add(new RemoteApplicationEntity("STRANGER", "127.0.0.1", 104));
            RealArchive.run(30, null, "/usr/bin/echoscu", "-aet", "STRANGER", "-aec", "MOSAIC", "127.0.0.1", port);
            archive.remoteAEs.remove("STRANGER");
            assertThrows(IOException.class, () -> RealArchive.run(30, null, "/usr/bin/echoscu", "-aet", "STRANGER",
                    "-aec", "MOSAIC", "127.0.0.1", port));
        }
        try (ArchiveAE ae = archive.start(NetworkSettings.DEFAULT)) {
            RealArchive.run(30, null, "/usr/bin/echoscu", "-aet", "ANYONE", "-aec", "MOSAIC", "127.0.0.1",
                    String.valueOf(ae.port()));
        }
    }

    @Test
    void moveDestinationsAreTheRemoteAEsThenTheFixedSetting() {
        MoveDestinations d = new MoveDestinations(Map.of("OLD", new Connection("old.example", 104),
                "BOTH", new Connection("fixed.example", 104)), () -> archive.remoteAEs);
        assertEquals("old.example", d.get("OLD").getHostname());
        assertEquals("fixed.example", d.get("BOTH").getHostname());
        assertNull(d.get("NEW"));
        archive.remoteAEs.add(new RemoteApplicationEntity("BOTH", "remote.example", 11112, true, ""));
        archive.remoteAEs.add(new RemoteApplicationEntity("NEW", "new.example", 4242));
        assertEquals("remote.example", d.get("BOTH").getHostname(), "the remote AE wins");
        assertTrue(d.get("BOTH").isTls());
        assertEquals(4242, d.get("NEW").getPort());
        assertFalse(d.get("NEW").isTls());
        assertEquals(List.of("BOTH", "NEW", "OLD"), d.keySet().stream().sorted().toList());
        assertNull(new MoveDestinations(Map.of(), () -> null).get("NEW"), "no remote AEs service: fixed only");
    }

    @Test
    void movescuToARemoteAEConfiguredWhileRunning() throws Exception {
        assumeDcmtk("movescu");
        assumeDcmtk("storescp");
        Path f = RealArchive.write(temp.resolve("in"), RealArchive.image(STUDY, STUDY + ".1", STUDY + ".1.1"));
        assertTrue(archive.ingest.ingest(f, new Origin("TEST", "MOSAIC", "")).outcome().isAcknowledged());
        int port = ArchiveTlsTest.freePort();
        Path received = Files.createDirectories(temp.resolve("storescp"));
        storescp = new ProcessBuilder("/usr/bin/storescp", "-aet", "VIEWER", "-od", received.toString(),
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(temp.resolve("storescp.log").toFile())
                .start();
        ArchiveTlsTest.awaitPort(port);
        try (ArchiveAE ae = archive.start(NetworkSettings.DEFAULT)) {
            String[] move = {"/usr/bin/movescu", "-S", "-aet", "MOVESCU", "-aec", "MOSAIC", "-aem", "VIEWER",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + STUDY, "127.0.0.1",
                String.valueOf(ae.port())};
            IOException unknown = assertThrows(IOException.class, () -> RealArchive.run(60, null, move));
            assertTrue(unknown.getMessage().contains("MoveDestinationUnknown")
                    || unknown.getMessage().contains("0xa801"), unknown.getMessage());
            assertTrue(ArchiveTlsTest.list(received).isEmpty());
            archive.remoteAEs.add(new RemoteApplicationEntity("VIEWER", "127.0.0.1", port));
            RealArchive.run(60, null, move);
            List<Path> files = ArchiveTlsTest.list(received);
            assertEquals(1, files.size());
            assertEquals(STUDY + ".1.1", ArchiveTlsTest.sopInstanceUID(files.get(0)));
        }
    }

    @Test
    void theArchiveEchoesAndStoresToARemoteAE() throws Exception {
        Path f1 = RealArchive.write(temp.resolve("in"), RealArchive.image(STUDY, STUDY + ".2", STUDY + ".2.1"));
        Path f2 = RealArchive.write(temp.resolve("in"), RealArchive.image(STUDY, STUDY + ".2", STUDY + ".2.2"));
        Path junk = Files.writeString(temp.resolve("in/readme.txt"), "not DICOM");
        try (ArchiveAE ae = archive.start(NetworkSettings.DEFAULT);
             Requester scu = new Requester("FORWARDER", () -> archive.remoteAEs, null, List.of("TLSv1.3"), 20_000)) {
            // the archive AE itself is the remote AE here
            archive.remoteAEs.add(new RemoteApplicationEntity("MOSAIC", "127.0.0.1", ae.port()));
            assertEquals(0, scu.verify("MOSAIC").status());
            assertTrue(scu.verify("MOSAIC").roundTripMillis() >= 0);
            List<StoreResult> results = scu.store("MOSAIC", List.of(f1, junk, f2));
            assertEquals(3, results.size());
            assertEquals(0, results.get(0).status());
            assertEquals(StoreResult.NOT_SENT, results.get(1).status());
            assertTrue(results.get(1).errorComment().startsWith("not a DICOM file"), results.get(1).errorComment());
            assertEquals(0, results.get(2).status());
            assertEquals(2, archive.index.locate(STUDY, STUDY + ".2", null).size(), "both stored and indexed");
            // duplicate: the archive's policy answers, the status comes back as it is
            List<StoreResult> again = scu.store("MOSAIC", List.of(f1));
            assertFalse(again.get(0).status() == StoreResult.NOT_SENT);

            assertThrows(IllegalArgumentException.class, () -> scu.verify("NOBODY"));
            archive.remoteAEs.add(new RemoteApplicationEntity("CLOSED", "127.0.0.1", ArchiveTlsTest.freePort()));
            assertThrows(IOException.class, () -> scu.verify("CLOSED"), "nothing listens there");
        }
    }

    @Test
    void remoteAEConfigurationsAreCheckedAndCollected() {
        assertThrows(IllegalArgumentException.class, () -> new RemoteAEEntry(RealArchive.config(
                RemoteAEConfiguration.class, Map.of("aeTitle", "A_TITLE_LONGER_THAN_16", "hostname", "h"))));
        assertThrows(IllegalArgumentException.class, () -> new RemoteAEEntry(RealArchive.config(
                RemoteAEConfiguration.class, Map.of("aeTitle", "BAD\\AET", "hostname", "h"))));
        assertThrows(IllegalArgumentException.class, () -> new RemoteAEEntry(RealArchive.config(
                RemoteAEConfiguration.class, Map.of("aeTitle", "PACS", "hostname", "h", "port", 0))));
        assertThrows(IllegalArgumentException.class, () -> new RemoteAEEntry(RealArchive.config(
                RemoteAEConfiguration.class, Map.of("aeTitle", "PACS", "hostname", " "))));
        RemoteAEEntry ws = new RemoteAEEntry(RealArchive.config(RemoteAEConfiguration.class,
                Map.of("aeTitle", " WS1 ", "hostname", "ws1.example", "tls", true)));
        assertEquals(new RemoteApplicationEntity("WS1", "ws1.example", 104, true, ""), ws.ae());

        RemoteAEDirectory dir = new RemoteAEDirectory(null);
        dir.addEntry(ws);
        dir.addEntry(new RemoteAEEntry(new RemoteApplicationEntity("ARCHIVE2", "10.0.0.2", 11112)));
        assertEquals(List.of("ARCHIVE2", "WS1"), dir.list().stream().map(RemoteApplicationEntity::aeTitle).toList());
        assertEquals("ws1.example", dir.lookup("WS1 ").orElseThrow().hostname());
        assertTrue(dir.lookup("ws1").isEmpty(), "AE titles are case sensitive");
        dir.removeEntry(ws);
        assertTrue(dir.lookup("WS1").isEmpty());
        assertEquals("a\\(b\\)\\*", RemoteAEDirectory.escape("a(b)*"));
        assertEquals("MY_AE_1", RemoteAEDirectory.configurationName("MY AE/1"));
    }
}
