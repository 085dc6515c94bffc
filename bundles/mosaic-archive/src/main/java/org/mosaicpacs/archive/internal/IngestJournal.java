package org.mosaicpacs.archive.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The ingest journal: one small file per instance in flight, made durable before its bytes are written
 * to storage and deleted once the index has committed it (or the written copy was deleted again). After
 * a crash, the files left name objects that may be in storage without an index row; reconciliation
 * deletes those the index does not point to.
 */
final class IngestJournal {

    /** One instance in flight. */
    record Intent(Path file, String storageId, String key, String studyUID, String seriesUID, String sopUID) {
    }

    private static final String SUFFIX = ".intent";

    private final Path directory;

    IngestJournal(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    Path directory() {
        return directory;
    }

    /** Records an intent durably (file and folder flushed). */
    Intent begin(String storageId, String key, String studyUID, String seriesUID, String sopUID) throws IOException {
        Path file = directory.resolve(UUID.randomUUID() + SUFFIX);
        String text = String.join("\n", storageId, key, studyUID, seriesUID, sopUID) + "\n";
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        syncDirectory();
        return new Intent(file, storageId, key, studyUID, seriesUID, sopUID);
    }

    /** Forgets an intent (no flush needed: a left-over intent is harmless, reconciliation checks it). */
    void end(Intent intent) {
        try {
            Files.deleteIfExists(intent.file());
        } catch (IOException e) {
            // left for reconciliation
        }
    }

    /** The intents left by an earlier run (read when the archive starts); removes its half-spooled streams. */
    List<Intent> leftOver() throws IOException {
        try (DirectoryStream<Path> spooled = Files.newDirectoryStream(directory, "stream-*.part")) {
            for (Path f : spooled) {
                Files.deleteIfExists(f);
            }
        }
        List<Intent> list = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path f : files) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                if (lines.size() >= 5) {
                    list.add(new Intent(f, lines.get(0), lines.get(1), lines.get(2), lines.get(3), lines.get(4)));
                } else {
                    // torn before its flush completed: nothing was written to storage yet
                    Files.deleteIfExists(f);
                }
            }
        }
        return list;
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // not every platform can open a directory; the file itself is flushed
        }
    }
}
