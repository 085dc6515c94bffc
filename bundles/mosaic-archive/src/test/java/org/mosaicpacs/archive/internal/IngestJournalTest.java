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
        // a crash: the process is gone, the log is what the kernel has

        List<IngestJournal.Intent> left = new IngestJournal(dir).leftOver();
        assertEquals(1, left.size());
        IngestJournal.Intent i = left.get(0);
        assertEquals(List.of("fs", "k2", "1.5", "1.5.6", "1.5.6.7"),
                List.of(i.storageId(), i.key(), i.studyUID(), i.seriesUID(), i.sopUID()));
        assertTrue(Files.exists(i.file()), "a left-over intent is a file of its own until reconciled");
    }

    @Test
    void reconcilingALeftOverIntentEndsItForGood() throws IOException {
        new IngestJournal(dir).begin("fs", "k", "1.2", "1.2.3", "1.2.3.4");
        IngestJournal restarted = new IngestJournal(dir);
        List<IngestJournal.Intent> left = restarted.leftOver();
        assertEquals(1, left.size());
        restarted.end(left.get(0));
        assertTrue(new IngestJournal(dir).leftOver().isEmpty());
    }

    @Test
    void aLeftOverIntentNotYetReconciledSurvivesAnotherRestart() throws IOException {
        new IngestJournal(dir).begin("fs", "k", "1.2", "1.2.3", "1.2.3.4");
        assertEquals(1, new IngestJournal(dir).leftOver().size());
        // the backend was absent: nothing reconciled, then another crash
        assertEquals(1, new IngestJournal(dir).leftOver().size());
    }

    @Test
    void aTornLastLineIsIgnored() throws IOException {
        IngestJournal journal = new IngestJournal(dir);
        journal.begin("fs", "k1", "1.2", "1.2.3", "1.2.3.4");
        Files.writeString(dir.resolve(IngestJournal.LOG), "B\t2\tfs\tk2\t1.", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
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
        long size = Files.size(dir.resolve(IngestJournal.LOG));
        assertTrue(size <= 4 * IngestJournal.COMPACT_BYTES + 1024, "log of " + size + " bytes");
        journal.end(longRunning);
        for (int i = 0; i < 10_000; i++) {
            journal.end(journal.begin("fs", key + i, "1.2", "1.2.3", "1.2.3." + i));
        }
        size = Files.size(dir.resolve(IngestJournal.LOG));
        assertTrue(size <= IngestJournal.COMPACT_BYTES + 1024, "log of " + size + " bytes");
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
        journal.end(intent);
        assertTrue(new IngestJournal(dir).leftOver().isEmpty());
    }
}
