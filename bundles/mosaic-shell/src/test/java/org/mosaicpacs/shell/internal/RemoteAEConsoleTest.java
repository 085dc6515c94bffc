package org.mosaicpacs.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.api.ae.ServiceClassUser;

/**
 * The logic of {@code mosaic:ae-list/ae-add/ae-remove/echo/store} with in-test implementations of the two
 * services (the real ones, over ConfigurationAdmin and dicom-net, are proven in mosaic-dimse and in the
 * distribution's RemoteAEIT).
 */
class RemoteAEConsoleTest {

    @TempDir
    Path temp;

    static final class MapAEs implements RemoteApplicationEntities {
        final Map<String, RemoteApplicationEntity> map = new TreeMap<>();

        @Override
        public List<RemoteApplicationEntity> list() {
            return List.copyOf(map.values());
        }

        @Override
        public Optional<RemoteApplicationEntity> lookup(String aeTitle) {
            return Optional.ofNullable(map.get(aeTitle.strip()));
        }

        @Override
        public boolean add(RemoteApplicationEntity ae) {
            return map.put(ae.aeTitle(), ae) != null;
        }

        @Override
        public boolean remove(String aeTitle) {
            return map.remove(aeTitle.strip()) != null;
        }
    }

    /** Answers each file by its name: ok.dcm 0000, warn.dcm B000, dup.dcm 0111, other files are not DICOM. */
    final class ByName implements ServiceClassUser {
        final List<Path> sent = new ArrayList<>();

        @Override
        public VerificationResult verify(String aeTitle) throws IOException {
            RemoteApplicationEntity ae = aes.lookup(aeTitle).orElseThrow(() -> new IllegalArgumentException(
                    "no remote AE " + aeTitle + " is configured"));
            if (ae.port() == 1) {
                throw new ConnectException("Connection refused");
            }
            return new VerificationResult(ae, 0, 7);
        }

        @Override
        public List<StoreResult> store(String aeTitle, List<Path> files) {
            sent.addAll(files);
            List<StoreResult> results = new ArrayList<>();
            for (Path f : files) {
                String name = f.getFileName().toString();
                int status = name.startsWith("ok") ? 0 : name.startsWith("warn") ? 0xB000 : name.startsWith("dup")
                        ? 0x0111 : StoreResult.NOT_SENT;
                results.add(new StoreResult(f, status == StoreResult.NOT_SENT ? null : "1.2." + name.length(), status,
                        status == StoreResult.NOT_SENT ? "not a DICOM file" : ""));
            }
            return results;
        }
    }

    final MapAEs aes = new MapAEs();
    final ByName scu = new ByName();
    final RemoteAEConsole console = new RemoteAEConsole(aes, scu);

    @Test
    void addReplaceListRemove() throws Exception {
        assertEquals("Added remote AE WS1@ws1.example:104", console.add("WS1", "ws1.example", 104, false, ""));
        assertEquals("Added remote AE ARCHIVE2@10.0.0.2:2762 (TLS)", console.add(" ARCHIVE2 ", "10.0.0.2", 2762, true,
                "the other site"));
        assertEquals("Replaced remote AE WS1@ws1.example:11112", console.add("WS1", "ws1.example", 11112, false, ""));
        assertEquals(List.of("ARCHIVE2", "WS1"), console.aeTitles());
        assertEquals("the other site", console.list().get(0).description());
        assertEquals("Removed remote AE WS1", console.remove("WS1"));
        assertEquals(List.of("ARCHIVE2"), console.aeTitles());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> console.remove("WS1"));
        assertEquals("no remote AE WS1 is configured", e.getMessage());
    }

    @Test
    void deidentificationProfilesAreKeptAndShown() throws Exception {
        assertEquals("Added remote AE RESEARCH@r.example:104 (de-identified on retrieve: research-a)",
                console.add("RESEARCH", "r.example", 104, false, "", "research-a", ""));
        assertEquals("Added remote AE SCANNER@s.example:104 (de-identified on store: basic)",
                console.add("SCANNER", "s.example", 104, false, "", "", " basic "));
        assertEquals("research-a", aes.map.get("RESEARCH").deidentifyOnRetrieve());
        assertEquals("", aes.map.get("RESEARCH").deidentifyOnStore());
        assertEquals("basic", aes.map.get("SCANNER").deidentifyOnStore());
        // replaced without the option: no longer de-identified
        console.add("RESEARCH", "r.example", 104, false, "");
        assertEquals("", aes.map.get("RESEARCH").deidentifyOnRetrieve());
    }

    @Test
    void webClientsAreSplitKeptAndShownAndBadOnesRefused() throws Exception {
        assertEquals("Added remote AE RESVIEW@r.example:104 (de-identified on retrieve: research-a) "
                + "(web clients: 10.0.9.0/24, ::1, 192.168.1.7)", console.add("RESVIEW", "r.example", 104, false, "",
                "research-a", "", List.of("10.0.9.0/24, ::1", "192.168.1.7")));
        assertEquals(List.of("10.0.9.0/24", "::1", "192.168.1.7"), aes.map.get("RESVIEW").webClients());
        assertTrue(aes.map.get("RESVIEW").isWebClient("10.0.9.77"));
        assertThrows(IllegalArgumentException.class, () -> console.add("BAD", "h", 104, false, "", "research-a", "",
                List.of("viewer.example.org")));
        assertFalse(aes.map.containsKey("BAD"), "nothing written");
    }

    @Test
    void invalidRemoteAEsAreRefusedBeforeAnythingIsWritten() {
        assertThrows(IllegalArgumentException.class, () -> console.add("SEVENTEEN_CHARS_X", "h", 104, false, ""));
        assertThrows(IllegalArgumentException.class, () -> console.add("A\\B", "h", 104, false, ""));
        assertThrows(IllegalArgumentException.class, () -> console.add("OK", "h", 70000, false, ""));
        assertThrows(IllegalArgumentException.class, () -> console.add("OK", "", 104, false, ""));
        assertTrue(aes.map.isEmpty());
    }

    @Test
    void echoPrintsStatusAndRoundTripOrWhyNot() throws Exception {
        aes.add(new RemoteApplicationEntity("PEER", "127.0.0.1", 4242));
        aes.add(new RemoteApplicationEntity("DOWN", "127.0.0.1", 1));
        assertEquals("C-ECHO PEER@127.0.0.1:4242: status 0000 (success), round trip 7 ms", console.echo("PEER"));
        assertThrows(ConnectException.class, () -> console.echo("DOWN"));
        assertThrows(IllegalArgumentException.class, () -> console.echo("NOBODY"));
    }

    @Test
    void storeSendsAFolderTreeInOrderAndCountsStatuses() throws Exception {
        aes.add(new RemoteApplicationEntity("PEER", "127.0.0.1", 4242));
        Path dir = Files.createDirectories(temp.resolve("study/series"));
        Files.writeString(temp.resolve("study/ok1.dcm"), "x");
        Files.writeString(dir.resolve("ok2.dcm"), "x");
        Files.writeString(dir.resolve("warn.dcm"), "x");
        Files.writeString(dir.resolve("dup.dcm"), "x");
        Files.writeString(dir.resolve("notes.txt"), "x");
        Files.writeString(dir.resolve(".hidden"), "x");
        var results = console.store(temp.resolve("study"), "PEER");
        assertEquals(List.of(temp.resolve("study/ok1.dcm"), dir.resolve("dup.dcm"), dir.resolve("notes.txt"),
                dir.resolve("ok2.dcm"), dir.resolve("warn.dcm")), scu.sent, "hidden files skipped, name order");
        RemoteAEConsole.StoreSummary s = RemoteAEConsole.summary(results);
        assertEquals(new RemoteAEConsole.StoreSummary(5, 2, 1, 1, 1), s);
        assertEquals("5 file(s): 2 stored, 1 with a warning, 1 refused, 1 not sent", s.toString());
        List<String[]> rows = RemoteAEConsole.rows(results);
        assertEquals("0111 (failure)", rows.get(1)[2]);
        assertEquals("not sent", rows.get(2)[2]);
        assertEquals("not a DICOM file", rows.get(2)[3]);
        assertEquals("B000 (warning)", rows.get(4)[2]);

        assertEquals(1, console.store(temp.resolve("study/ok1.dcm"), "PEER").size(), "a single file");
        assertThrows(IllegalArgumentException.class, () -> console.store(temp.resolve("missing"), "PEER"));
        Files.createDirectories(temp.resolve("empty"));
        assertTrue(console.store(temp.resolve("empty"), "PEER").isEmpty());
    }
}
