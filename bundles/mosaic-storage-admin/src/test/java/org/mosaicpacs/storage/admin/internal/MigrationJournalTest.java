package org.mosaicpacs.storage.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration's journal as a crash leaves it. */
class MigrationJournalTest {

    @TempDir
    Path temp;

    @Test
    void whatWasBegunAndNotDoneIsPendingAfterAReopen() throws Exception {
        try (MigrationJournal j = new MigrationJournal(temp, "default", "s3-main")) {
            j.copy("1.2.3.1", "1.2.3/1.2.3.4/1.2.3.1");
            j.copy("1.2.3.2", "1.2.3/1.2.3.4/1.2.3.2");
            j.done("1.2.3.1", "1.2.3/1.2.3.4/1.2.3.1");
        }
        try (MigrationJournal j = new MigrationJournal(temp, "default", "s3-main")) {
            assertEquals(Map.of("1.2.3.2", "1.2.3/1.2.3.4/1.2.3.2"), j.pending());
            assertTrue(j.began("1.2.3.2", "1.2.3/1.2.3.4/1.2.3.2"));
            j.done("1.2.3.2", "1.2.3/1.2.3.4/1.2.3.2");
        }
        assertFalse(Files.exists(temp.resolve("default--s3-main.journal")), "nothing pending: removed");
    }

    /**
     * A crash of the machine can leave the last line cut short: it is not read (its key may be cut too), and the
     * next line written starts on a line of its own, so that the step it announces is not lost with the cut one.
     */
    @Test
    void aLineCutByACrashIsIgnoredAndDoesNotSwallowTheNextOne() throws Exception {
        Path file = temp.resolve("default--second.journal");
        Files.writeString(file, "COPY 1.2.3.1 1.2.3/1.2.3.4/1.2.3.1\nCOPY 1.2.3.2 1.2.3/1.2", StandardCharsets.UTF_8);
        try (MigrationJournal j = new MigrationJournal(temp, "default", "second")) {
            assertEquals(Map.of("1.2.3.1", "1.2.3/1.2.3.4/1.2.3.1"), j.pending(), "the cut line is not a pending copy");
            assertFalse(j.began("1.2.3.2", "1.2.3/1.2"));
            j.copy("1.2.3.2", "1.2.3/1.2.3.4/1.2.3.2");
        }
        try (MigrationJournal j = new MigrationJournal(temp, "default", "second")) {
            assertEquals(Map.of("1.2.3.1", "1.2.3/1.2.3.4/1.2.3.1", "1.2.3.2", "1.2.3/1.2.3.4/1.2.3.2"), j.pending());
            assertTrue(j.began("1.2.3.2", "1.2.3/1.2.3.4/1.2.3.2"), "the copy begun after the cut line is known as ours");
        }
    }
}
