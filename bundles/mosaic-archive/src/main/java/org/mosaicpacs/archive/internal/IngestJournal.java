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
 * The ingest journal: one small file per instance in flight, written before its bytes are written to
 * storage and deleted once the index has committed it (or the written copy was deleted again). After a
 * crash, the files left name objects that may be in storage without an index row; reconciliation deletes
 * those the index does not point to.
 *
 * <p>An intent is not flushed (no fsync of the file or of the folder): it serves only the garbage
 * collection of copies that were never acknowledged. The acknowledgement of an instance waits for its
 * object (fsync of the object and of its folder) and its index commit, never for its intent. A power cut
 * may lose an intent, or leave it torn; the object it named, if it reached the device, then has no index
 * row and no intent: an orphan, never acknowledged, that {@code mosaic:check --repair} finds and deletes
 * (orphans older than its grace period). Nothing acknowledged depends on an intent, so none is lost. A
 * plain crash of the process (no power cut) loses nothing: the intent is in the kernel's page cache.
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

    /** Records an intent (not flushed: see the class comment). */
    Intent begin(String storageId, String key, String studyUID, String seriesUID, String sopUID) throws IOException {
        Path file = directory.resolve(UUID.randomUUID() + SUFFIX);
        String text = String.join("\n", storageId, key, studyUID, seriesUID, sopUID) + "\n";
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
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
                    // torn (written, never flushed, then a power cut): its object, if any, is an orphan
                    // for mosaic:check
                    Files.deleteIfExists(f);
                }
            }
        }
        return list;
    }
}
