package org.mosaicpacs.archive.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
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
 * <p>The intents of one journal (one activation of the archive) are lines appended to its own log,
 * {@code intents-<run>.log}: {@code B} (begin, with the backend, key and UIDs) and {@code E} (end), one
 * {@code write} each, every line ended by a line break. Until 2026-12-01 each intent was a file of its own, created
 * and deleted per instance: two inode changes per instance, which the file system paid in CPU. The journal holds
 * an exclusive lock on its log from its first intent until it is closed and none of its intents is open; then the
 * log is deleted. Meanwhile the log is emptied whenever no intent is open and it has grown past
 * {@link #COMPACT_BYTES}, and rewritten with only the open intents when it has grown past four times that.
 *
 * <p>{@link #leftOver()} (when the archive starts) takes over the logs that no journal holds (their process ended:
 * a crash or a stop), here and in any other process: each intent begun and not ended becomes a file
 * {@code <uuid>.intent} (the older form, still read), so that reconciling one is deleting its file. A log still
 * held, by a journal of this process that waits for its last ingests (a bundle update), is left to it.
 *
 * <p>An intent is not flushed (no fsync): it serves only the garbage collection of copies that were never
 * acknowledged. The acknowledgement of an instance waits for its object (fsync of the object and of its folder) and
 * its index commit, never for its intent. A power cut may lose an intent, or leave a log's last line torn (a line
 * without its line break is ignored, and so are bytes that are not text); the object it named, if it reached the
 * device, then has no index row and no intent: an orphan, never acknowledged, that {@code mosaic:check --repair}
 * finds and deletes (orphans older than its grace period). Nothing acknowledged depends on an intent, so none is
 * lost. A plain crash of the process (no power cut) loses nothing: the log is in the kernel's page cache.
 */
final class IngestJournal implements AutoCloseable {

    /** One instance in flight; {@code file} is its own file when it was left over by an earlier run, else null. */
    record Intent(Path file, String id, String storageId, String key, String studyUID, String seriesUID,
                  String sopUID) {

        Intent(Path file, String storageId, String key, String studyUID, String seriesUID, String sopUID) {
            this(file, null, storageId, key, studyUID, seriesUID, sopUID);
        }
    }

    private static final String SUFFIX = ".intent";
    private static final String LOG_PREFIX = "intents-";
    private static final String LOG_SUFFIX = ".log";
    /** The size past which the log is emptied when no intent is open. */
    static final long COMPACT_BYTES = 1 << 20;

    private final Path directory;
    /** Names this journal's log and intents apart from those of other runs. */
    private final String run = Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
    private final Path log;
    private FileChannel channel;
    private FileLock lock;
    private long size;
    /** A write failed part-way: the next line starts with a line break, so that it is not glued to the torn one. */
    private boolean torn;
    private boolean closed;
    private long nextId = 1;
    /** The open intents of this journal, by id (to rewrite the log with them). */
    private final Map<String, Intent> open = new LinkedHashMap<>();

    IngestJournal(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.log = directory.resolve(LOG_PREFIX + run + LOG_SUFFIX);
    }

    Path directory() {
        return directory;
    }

    /** This journal's log (tests). */
    Path log() {
        return log;
    }

    /** Records an intent (not flushed: see the class comment). */
    Intent begin(String storageId, String key, String studyUID, String seriesUID, String sopUID) throws IOException {
        for (String field : new String[] {storageId, key, studyUID, seriesUID, sopUID}) {
            if (field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0 || field.indexOf('\t') >= 0) {
                throw new IOException("cannot journal a value with a tab or a line break: " + field);
            }
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("the ingest journal is closed: the archive is stopping");
            }
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
            try {
                if (open.isEmpty() && closed) {
                    release();
                } else if (open.isEmpty() && size > COMPACT_BYTES) {
                    channel.truncate(0);
                    size = 0;
                    torn = false;
                } else {
                    append("E\t" + intent.id() + "\n");
                }
            } catch (IOException e) {
                // the intent stays open in the log: reconciled at the next start (its object is indexed, kept)
            }
            if (open.isEmpty()) {
                notifyAll();
            }
        }
    }

    private static String beginLine(Intent i) {
        return String.join("\t", "B", i.id(), i.storageId(), i.key(), i.studyUID(), i.seriesUID(), i.sopUID()) + "\n";
    }

    private void append(String line) throws IOException {
        if (channel == null) {
            channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            lock = channel.lock();
            size = channel.size();
        }
        ByteBuffer buf = ByteBuffer.wrap(((torn ? "\n" : "") + line).getBytes(StandardCharsets.UTF_8));
        torn = true;
        while (buf.hasRemaining()) {
            size += channel.write(buf);
        }
        torn = false;
    }

    /**
     * Rewrites the log, in place (it stays locked), with only the open intents. A crash in between may lose them:
     * their objects are then orphans, never acknowledged (see the class comment).
     */
    private void rewrite() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Intent i : open.values()) {
            text.append(beginLine(i));
        }
        channel.truncate(0);
        size = 0;
        torn = false;
        append(text.toString());
    }

    /** Waits until no intent of this journal is open; false when {@code millis} passed first. */
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

    /** How many intents of this journal are open (tests). */
    synchronized int openIntents() {
        return open.size();
    }

    /**
     * Refuses new intents from now on. The log (and its lock) is released and deleted once no intent is open: at
     * once, or when the last ingest in progress ends its intent, so that its intents are never taken for a crash's
     * meanwhile.
     */
    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (open.isEmpty()) {
            release();
        }
    }

    /** Lets go of the log as the end of the process would, leaving it as it is: a crash (tests). */
    synchronized void abandon() throws IOException {
        closed = true;
        releaseChannel();
    }

    private void release() throws IOException {
        releaseChannel();
        Files.deleteIfExists(log);
    }

    private void releaseChannel() throws IOException {
        if (channel != null) {
            try {
                channel.close(); // releases the lock
            } finally {
                channel = null;
                lock = null;
            }
        }
    }

    /**
     * The intents left by earlier runs (read when the archive starts), each now in its own file; takes over and
     * removes the logs no journal holds, and the half-spooled streams.
     */
    List<Intent> leftOver() throws IOException {
        try (DirectoryStream<Path> spooled = Files.newDirectoryStream(directory, "stream-*.part")) {
            for (Path f : spooled) {
                Files.deleteIfExists(f);
            }
        }
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(directory, LOG_PREFIX + "*" + LOG_SUFFIX)) {
            for (Path f : logs) {
                if (f.equals(log)) {
                    continue;
                }
                takeOver(f);
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

    /** Turns the open intents of a log no journal holds into files, then deletes it; a log still held is left. */
    private void takeOver(Path other) throws IOException {
        try (FileChannel ch = FileChannel.open(other, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock held;
            try {
                held = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null; // a journal of this process still waits for its ingests
            }
            if (held == null) {
                return;
            }
            for (String[] f : openIntents(Files.readAllBytes(other)).values()) {
                Path file = directory.resolve(UUID.randomUUID() + SUFFIX);
                Files.writeString(file, String.join("\n", f[2], f[3], f[4], f[5], f[6]) + "\n", StandardCharsets.UTF_8);
            }
            Files.delete(other);
        }
    }

    /**
     * The intents begun and not ended in a log's bytes, by id (each as its fields); a line without its line break
     * (torn by a power cut) or that is not one of the two forms is ignored.
     */
    static Map<String, String[]> openIntents(byte[] log) {
        Map<String, String[]> begun = new LinkedHashMap<>();
        String text = new String(log, StandardCharsets.UTF_8); // bytes that are not UTF-8 become U+FFFD
        int start = 0;
        for (int nl; (nl = text.indexOf('\n', start)) >= 0; start = nl + 1) {
            String[] f = text.substring(start, nl).split("\t", -1);
            if (f.length == 7 && f[0].equals("B")) {
                begun.put(f[1], f);
            } else if (f.length == 2 && f[0].equals("E")) {
                begun.remove(f[1]);
            }
        }
        return begun;
    }

    /**
     * The intents a restart would find in {@code directory}, read without changing anything: those begun and not
     * ended in its logs, and the intent files (tests, checks).
     */
    static List<String> openOnDisk(Path directory) throws IOException {
        List<String> keys = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return keys;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(LOG_PREFIX) && name.endsWith(LOG_SUFFIX)) {
                    for (String[] i : openIntents(Files.readAllBytes(f)).values()) {
                        keys.add(i[3]);
                    }
                } else if (name.endsWith(SUFFIX)) {
                    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                    keys.add(lines.size() >= 2 ? lines.get(1) : name);
                }
            }
        }
        return keys;
    }
}
