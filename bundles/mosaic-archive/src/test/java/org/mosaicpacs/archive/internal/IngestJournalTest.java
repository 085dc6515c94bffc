package org.mosaicpacs.archive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest journal as a restart finds it: what was begun and not ended is left over, nothing else. */
class IngestJournalTest {

    @TempDir
    Path dir;

    @Test
    void anIntentEndedIsNotLeftOverOneNotEndedIs() throws IOException {
        IngestJournal journal = new IngestJournal(dir);
        IngestJournal.Intent done = journal.begin("fs", "k1", "1.2", "1.2.3", "1.2.3.4");
        journal.begin("fs", "k2", "1.5", "1.5.6", "1.5.6.7");
        journal.end(done);
        journal.abandon(); // a crash: the process is gone, the log is what the kernel has

        List<IngestJournal.Intent> left = new IngestJournal(dir).leftOver();
        assertEquals(1, left.size());
        IngestJournal.Intent i = left.get(0);
        assertEquals(List.of("fs", "k2", "1.5", "1.5.6", "1.5.6.7"),
                List.of(i.storageId(), i.key(), i.studyUID(), i.seriesUID(), i.sopUID()));
        assertTrue(Files.exists(i.file()), "a left-over intent is a file of its own until reconciled");
    }

    @Test
    void reconcilingALeftOverIntentEndsItForGood() throws IOException {
        IngestJournal crashed = new IngestJournal(dir);
        crashed.begin("fs", "k", "1.2", "1.2.3", "1.2.3.4");
        crashed.abandon();
        IngestJournal restarted = new IngestJournal(dir);
        List<IngestJournal.Intent> left = restarted.leftOver();
        assertEquals(1, left.size());
        restarted.end(left.get(0));
        assertTrue(new IngestJournal(dir).leftOver().isEmpty());
    }

    @Test
    void aLeftOverIntentNotYetReconciledSurvivesAnotherRestart() throws IOException {
        IngestJournal crashed = new IngestJournal(dir);
        crashed.begin("fs", "k", "1.2", "1.2.3", "1.2.3.4");
        crashed.abandon();
        assertEquals(1, new IngestJournal(dir).leftOver().size());
        // the backend was absent: nothing reconciled, then another crash
        assertEquals(1, new IngestJournal(dir).leftOver().size());
    }

    @Test
    void aTornLastLineIsIgnored() throws IOException {
        IngestJournal journal = new IngestJournal(dir);
        journal.begin("fs", "k1", "1.2", "1.2.3", "1.2.3.4");
        journal.abandon();
        // a power cut: the last line torn, and bytes that are not text after it
        Files.write(journal.log(), new byte[] {'B', '\t', '9', '\t', (byte) 0xE2, (byte) 0x82}, StandardOpenOption.APPEND);
        List<IngestJournal.Intent> left = new IngestJournal(dir).leftOver();
        assertEquals(1, left.size());
        assertEquals("k1", left.get(0).key());
    }

    @Test
    void theLogStaysSmallUnderSteadyIngest() throws IOException {
        IngestJournal journal = new IngestJournal(dir);
        IngestJournal.Intent longRunning = journal.begin("fs", "slow", "1.2", "1.2.3", "1.2.3.4");
        String key = "k".repeat(200);
        for (int i = 0; i < 40_000; i++) {
            journal.end(journal.begin("fs", key + i, "1.2", "1.2.3", "1.2.3." + i));
        }
        // one intent stayed open throughout: the log was rewritten with it, not emptied
        long size = Files.size(journal.log());
        assertTrue(size <= 4 * IngestJournal.COMPACT_BYTES + 1024, "log of " + size + " bytes");
        journal.end(longRunning);
        for (int i = 0; i < 10_000; i++) {
            journal.end(journal.begin("fs", key + i, "1.2", "1.2.3", "1.2.3." + i));
        }
        size = Files.size(journal.log());
        assertTrue(size <= IngestJournal.COMPACT_BYTES + 1024, "log of " + size + " bytes");
        journal.abandon();
        assertTrue(new IngestJournal(dir).leftOver().isEmpty());
    }

    @Test
    void theOpenIntentSurvivesARewriteOfTheLog() throws IOException {
        IngestJournal journal = new IngestJournal(dir);
        journal.begin("fs", "slow", "1.2", "1.2.3", "1.2.3.4");
        String key = "k".repeat(200);
        for (int i = 0; i < 40_000; i++) {
            journal.end(journal.begin("fs", key + i, "1.2", "1.2.3", "1.2.3." + i));
        }
        journal.abandon();
        List<IngestJournal.Intent> left = new IngestJournal(dir).leftOver();
        assertEquals(List.of("slow"), left.stream().map(IngestJournal.Intent::key).toList());
    }

    @Test
    void intentsFilesOfTheOlderFormAreStillRead() throws IOException {
        Files.writeString(dir.resolve("0b6f.intent"), "fs\nk\n1.2\n1.2.3\n1.2.3.4\n", StandardCharsets.UTF_8);
        List<IngestJournal.Intent> left = new IngestJournal(dir).leftOver();
        assertEquals(1, left.size());
        assertEquals("1.2.3.4", left.get(0).sopUID());
    }

    @Test
    void aValueThatWouldBreakTheLogIsRefused() throws IOException {
        IngestJournal journal = new IngestJournal(dir);
        assertThrows(IOException.class, () -> journal.begin("fs", "a\nB\t9\tfs\tx", "1.2", "1.2.3", "1.2.3.4"));
    }

    @Test
    void awaitIdleWaitsForTheIntentsInProgress() throws Exception {
        IngestJournal journal = new IngestJournal(dir);
        IngestJournal.Intent intent = journal.begin("fs", "k", "1.2", "1.2.3", "1.2.3.4");
        assertFalse(journal.awaitIdle(50));
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            journal.end(intent);
        });
        t.start();
        assertTrue(journal.awaitIdle(10_000));
        assertEquals(0, journal.openIntents());
        t.join();
    }

    @Test
    void anIngestThatEndsAfterTheJournalWasClosedStillEndsItsIntent() throws IOException {
        IngestJournal journal = new IngestJournal(dir);
        IngestJournal.Intent intent = journal.begin("fs", "k", "1.2", "1.2.3", "1.2.3.4");
        journal.close(); // the component was deactivated while this ingest ran past the wait
        assertThrows(IOException.class, () -> journal.begin("fs", "k2", "1.2", "1.2.3", "1.2.3.5"),
                "no intent begins once the journal is closed");
        // meanwhile the next activation starts: it leaves the log of the ingest still in progress alone
        assertTrue(new IngestJournal(dir).leftOver().isEmpty());
        assertEquals(List.of("k"), IngestJournal.openOnDisk(dir));
        journal.end(intent);
        assertEquals(List.of(), IngestJournal.openOnDisk(dir));
        assertFalse(Files.exists(journal.log()), "the log is gone with its last intent");
    }

    @Test
    void twoJournalsInOneDirectoryKeepTheirIntentsApart() throws IOException {
        IngestJournal a = new IngestJournal(dir);
        IngestJournal b = new IngestJournal(dir);
        b.begin("fs", "b-open", "1.2", "1.2.3", "1.2.3.4");
        a.begin("fs", "a-open", "1.2", "1.2.3", "1.2.3.5");
        Path first = a.log();
        String key = "k".repeat(200);
        for (int i = 0; i < 30_000; i++) { // with one intent open throughout, a's log is replaced many times over
            a.end(a.begin("fs", key + i, "1.2", "1.2.3", "1.2.3." + i));
        }
        assertFalse(a.log().equals(first), "a's log was replaced by a later generation");
        assertFalse(Files.exists(first), "and the earlier one deleted");
        assertEquals(Set.of("a-open", "b-open"), Set.copyOf(IngestJournal.openOnDisk(dir)));
        a.abandon();
        b.abandon();
        assertEquals(Set.of("a-open", "b-open"), new IngestJournal(dir).leftOver().stream()
                .map(IngestJournal.Intent::key).collect(Collectors.toSet()));
    }

    @Test
    void anIntentKeptForTheNextStartIsNotWaitedForAndSurvivesTheClose() throws Exception {
        IngestJournal journal = new IngestJournal(dir);
        IngestJournal.Intent intent = journal.begin("fs", "undeletable", "1.2", "1.2.3", "1.2.3.4");
        journal.keep(intent); // its failed copy could not be deleted
        assertTrue(journal.awaitIdle(0), "nothing in progress to wait for");
        journal.close();
        assertTrue(Files.exists(journal.log()), "the log stays for the next start");
        assertEquals(List.of("undeletable"),
                new IngestJournal(dir).leftOver().stream().map(IngestJournal.Intent::key).toList());
    }

    @Test
    void theSpoolOfALiveJournalIsLeftToItAndADeadOnesIsRemoved() throws IOException {
        IngestJournal live = new IngestJournal(dir);
        IngestJournal dead = new IngestJournal(dir);
        Path liveSpool = Files.createTempFile(dir, live.spoolPrefix(), ".part");
        Path deadSpool = Files.createTempFile(dir, dead.spoolPrefix(), ".part");
        dead.abandon();
        new IngestJournal(dir).leftOver();
        assertTrue(Files.exists(liveSpool), "a stream still being spooled (a bundle update meanwhile)");
        assertFalse(Files.exists(deadSpool), "a half-spooled stream of a crashed run");
    }
}
