package org.mosaicpacs.archive.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ingest journal: for each instance in flight, an intent recorded before its bytes are written to storage and
 * ended once the index has committed it (or the written copy was deleted again). After a crash, the intents left
 * name objects that may be in storage without an index row; reconciliation deletes those the index does not point
 * to.
 *
 * <p>The intents of a run are lines appended to one file, {@code intents.log}: {@code B} (begin, with the backend,
 * key and UIDs) and {@code E} (end), one {@code write} each. Until 2026-12-01 each intent was a file of its own,
 * created and deleted per instance: two inode changes per instance, which the file system paid in CPU. The log is
 * emptied whenever no intent is open and it has grown past {@link #COMPACT_BYTES}, and rewritten with only the open
 * intents when it has grown past four times that. When the archive starts, the intents the log holds without their
 * end are given back by {@link #leftOver()}, each as a file {@code <uuid>.intent} (the older form, still read), so
 * that reconciling one is deleting its file, whatever happens to the log meanwhile.
 *
 * <p>An intent is not flushed (no fsync): it serves only the garbage collection of copies that were never
 * acknowledged. The acknowledgement of an instance waits for its object (fsync of the object and of its folder) and
 * its index commit, never for its intent. A power cut may lose an intent, or leave the log's last line torn (such a
 * line is ignored); the object it named, if it reached the device, then has no index row and no intent: an orphan,
 * never acknowledged, that {@code mosaic:check --repair} finds and deletes (orphans older than its grace period).
 * Nothing acknowledged depends on an intent, so none is lost. A plain crash of the process (no power cut) loses
 * nothing: the log is in the kernel's page cache.
 */
final class IngestJournal implements AutoCloseable {

    /** One instance in flight; {@code file} is its own file when it was left over by an earlier run, else null. */
    record Intent(Path file, String id, String storageId, String key, String studyUID, String seriesUID, String sopUID) {

        Intent(Path file, String storageId, String key, String studyUID, String seriesUID, String sopUID) {
            this(file, null, storageId, key, studyUID, seriesUID, sopUID);
        }
    }

    private static final String SUFFIX = ".intent";
    static final String LOG = "intents.log";
    /** The size past which the log is emptied when no intent is open. */
    static final long COMPACT_BYTES = 1 << 20;

    private final Path directory;
    private final Path log;
    private FileChannel channel;
    private long size;
    /** Names this run's intents apart from another run's in the same log (ids are {@code <run>.<n>}). */
    private final String run = Long.toHexString(new java.security.SecureRandom().nextLong());
    private long nextId = 1;
    /** The open intents of this run, by id (to rewrite the log with them). */
    private final Map<String, Intent> open = new LinkedHashMap<>();

    IngestJournal(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.log = directory.resolve(LOG);
    }

    Path directory() {
        return directory;
    }

    /** Records an intent (not flushed: see the class comment). */
    Intent begin(String storageId, String key, String studyUID, String seriesUID, String sopUID) throws IOException {
        for (String field : new String[] {storageId, key, studyUID, seriesUID, sopUID}) {
            if (field.indexOf('\n') >= 0 || field.indexOf('\t') >= 0) {
                throw new IOException("cannot journal a value with a tab or a line break: " + field);
            }
        }
        synchronized (this) {
            Intent intent = new Intent(null, run + "." + nextId++, storageId, key, studyUID, seriesUID, sopUID);
            if (size > 4 * COMPACT_BYTES) {
                rewrite();
            }
            append(beginLine(intent));
            open.put(intent.id(), intent);
            return intent;
        }
    }

    /** Ends an intent (no flush needed: a left-over intent is harmless, reconciliation checks it). */
    void end(Intent intent) {
        if (intent.file() != null) {
            try {
                Files.deleteIfExists(intent.file());
            } catch (IOException e) {
                // left for reconciliation
            }
            return;
        }
        synchronized (this) {
            if (open.remove(intent.id()) == null) {
                return;
            }
            if (open.isEmpty()) {
                notifyAll();
            }
            try {
                if (open.isEmpty() && size > COMPACT_BYTES && channel != null) {
                    channel.truncate(0);
                    size = 0;
                } else {
                    append("E\t" + intent.id() + "\n");
                }
            } catch (IOException e) {
                // the intent stays open in the log: reconciled at the next start (its object is indexed, kept)
            }
        }
    }

    private static String beginLine(Intent i) {
        return String.join("\t", "B", i.id(), i.storageId(), i.key(), i.studyUID(), i.seriesUID(),
                i.sopUID()) + "\n";
    }

    private void append(String line) throws IOException {
        if (channel == null) {
            channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            size = channel.size();
        }
        ByteBuffer buf = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            size += channel.write(buf);
        }
    }

    /** Replaces the log by one holding only the open intents (atomically: a crash leaves one or the other). */
    private void rewrite() throws IOException {
        Path temp = directory.resolve(LOG + ".new");
        StringBuilder text = new StringBuilder();
        for (Intent i : open.values()) {
            text.append(beginLine(i));
        }
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        close();
        Files.move(temp, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Waits until no intent of this run is open; false when {@code millis} passed first. */
    synchronized boolean awaitIdle(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        for (long left = millis; !open.isEmpty(); left = (end - System.nanoTime()) / 1_000_000L) {
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** How many intents of this run are open (tests). */
    synchronized int openIntents() {
        return open.size();
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /**
     * The intents left by an earlier run (read when the archive starts, before the first {@link #begin}), each now
     * in its own file; removes the log and the half-spooled streams.
     */
    synchronized List<Intent> leftOver() throws IOException {
        try (DirectoryStream<Path> spooled = Files.newDirectoryStream(directory, "stream-*.part")) {
            for (Path f : spooled) {
                Files.deleteIfExists(f);
            }
        }
        if (Files.exists(log)) {
            Map<String, String[]> begun = new LinkedHashMap<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                if (f.length == 7 && f[0].equals("B")) {
                    begun.put(f[1], f);
                } else if (f.length == 2 && f[0].equals("E")) {
                    begun.remove(f[1]);
                }
                // anything else: a line torn by a power cut, its object (if any) an orphan for mosaic:check
            }
            for (String[] f : begun.values()) {
                Path file = directory.resolve(UUID.randomUUID() + SUFFIX);
                Files.writeString(file, String.join("\n", f[2], f[3], f[4], f[5], f[6]) + "\n", StandardCharsets.UTF_8);
            }
            close();
            Files.delete(log);
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
