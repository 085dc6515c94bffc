package org.mosaicpacs.archive.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingest journal: for each instance in flight, an intent recorded before its bytes are written to storage and
 * ended once the index has committed it (or the written copy was deleted again). After a crash, the intents left
 * name objects that may be in storage without an index row; reconciliation deletes those the index does not point
 * to.
 *
 * <p>The intents of one journal (one activation of the archive) are lines appended to its own log,
 * {@code intents-<run>[-<generation>].log}: {@code B} (begin, with the backend, key and UIDs) and {@code E} (end),
 * one {@code write} each, every line ended by a line break. Until 2026-12-01 each intent was a file of its own,
 * created and deleted per instance: two inode changes per instance, which the file system paid in CPU. A journal
 * is live from its creation until it is closed and none of its intents is open; then its log is deleted. Meanwhile
 * the log is emptied whenever no intent is open and it has grown past {@link #COMPACT_BYTES}, and replaced by a log
 * of the next generation holding only the open intents when it has grown past four times that (the new log is
 * written before the old one is deleted: a crash in between leaves an intent twice, which is harmless).
 *
 * <p>{@link #leftOver()} (when the archive starts) takes over the logs of journals that are not live (their run
 * ended: a crash, a stop): each intent begun and not ended becomes a file {@code <uuid>.intent} (the older form,
 * still read; flushed, with its folder, before the log is deleted), so that reconciling one is deleting its file.
 * The logs and spool files of a journal of this process that is still live (a bundle update while an ingest runs)
 * are left to it. The journal also takes an exclusive file lock on its log, a best effort against a second process
 * using the same directory (not a supported set-up: the index, in its own directory, is not shared either).
 *
 * <p>An intent the archive could not settle (the delete of a failed copy failed) is kept: no longer waited for,
 * never ended, so that the next start reconciles it; its log is then left, unlocked, when the journal closes.
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
    /** The runs of the journals of this process that are live (their logs and spool files are theirs). */
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
    private Path log;
    private int generation;
    private FileChannel channel;
    private long size;
    /** A write failed part-way: the next line starts with a line break, so that it is not glued to the torn one. */
    private boolean torn;
    private boolean closed;
    private long nextId = 1;
    /** The open intents of this journal, by id (to rewrite the log with them). */
    private final Map<String, Intent> open = new LinkedHashMap<>();
    /** Intents kept for the next start (see {@link #keep}). */
    private final Map<String, Intent> kept = new LinkedHashMap<>();

    IngestJournal(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.log = directory.resolve(LOG_PREFIX + run + LOG_SUFFIX);
        LIVE.add(run);
    }

    /** The prefix of this journal's spool files ({@code stream-<run>-}). */
    String spoolPrefix() {
        return "stream-" + run + "-";
    }

    Path directory() {
        return directory;
    }

    /** This journal's log (tests). */
    synchronized Path log() {
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
                    if (!kept.isEmpty()) {
                        append("E\t" + intent.id() + "\n"); // the log stays for the kept ones
                    }
                    release();
                } else if (open.isEmpty() && kept.isEmpty() && size > COMPACT_BYTES && channel != null) {
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

    /**
     * Keeps an intent for the next start's reconciliation (its copy could not be deleted): it is no longer waited
     * for and never ended.
     */
    void keep(Intent intent) {
        if (intent.file() != null) {
            return; // a left-over intent's file stays
        }
        synchronized (this) {
            if (open.remove(intent.id()) != null) {
                kept.put(intent.id(), intent);
                if (open.isEmpty()) {
                    notifyAll();
                    if (closed) {
                        try {
                            release();
                        } catch (IOException e) {
                            // the log stays: taken over at the next start
                        }
                    }
                }
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
            channel.lock(); // held until the channel is closed
            size = channel.size();
        }
        ByteBuffer buf = ByteBuffer.wrap(((torn ? "\n" : "") + line).getBytes(StandardCharsets.UTF_8));
        torn = true;
        while (buf.hasRemaining()) {
            size += channel.write(buf);
        }
        torn = false;
    }

    /** Replaces the log by one of the next generation with only the open and kept intents, then deletes it. */
    private void rewrite() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Intent i : open.values()) {
            text.append(beginLine(i));
        }
        for (Intent i : kept.values()) {
            text.append(beginLine(i));
        }
        Path old = log;
        FileChannel oldChannel = channel;
        channel = null;
        log = directory.resolve(LOG_PREFIX + run + "-" + ++generation + LOG_SUFFIX);
        size = 0;
        torn = false;
        try {
            append(text.toString());
            Files.deleteIfExists(old); // still locked: no one takes it over in between
        } finally {
            if (oldChannel != null) {
                oldChannel.close();
            }
        }
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
        LIVE.remove(run);
    }

    /** The journal's end: its log is deleted (still locked), unless it keeps intents for the next start. */
    private void release() throws IOException {
        try {
            if (kept.isEmpty()) {
                Files.deleteIfExists(log);
            }
        } finally {
            releaseChannel();
            LIVE.remove(run);
        }
    }

    private void releaseChannel() throws IOException {
        if (channel != null) {
            try {
                channel.close(); // releases the lock
            } finally {
                channel = null;
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
                if (!LIVE.contains(runOf(f, "stream-"))) {
                    Files.deleteIfExists(f);
                }
            }
        }
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(directory, LOG_PREFIX + "*" + LOG_SUFFIX)) {
            for (Path f : logs) {
                if (!LIVE.contains(runOf(f, LOG_PREFIX))) {
                    takeOver(f);
                }
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

    /** The run in a log's or spool file's name ({@code <prefix><run>[-...]}). */
    private static String runOf(Path file, String prefix) {
        String name = file.getFileName().toString().substring(prefix.length());
        int end = 0;
        while (end < name.length() && Character.digit(name.charAt(end), 16) >= 0) {
            end++;
        }
        return name.substring(0, end);
    }

    /**
     * Turns the open intents of a log whose journal is gone into files (flushed), then deletes it; a log locked by
     * another process is left, and so is one deleted meanwhile.
     */
    private void takeOver(Path other) throws IOException {
        try (FileChannel ch = FileChannel.open(other, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock held;
            try {
                held = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                return;
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(ch.size(), Integer.MAX_VALUE - 8));
            while (bytes.hasRemaining() && ch.read(bytes) >= 0) {
                // read through the locked channel
            }
            for (String[] f : openIntents(Arrays.copyOf(bytes.array(), bytes.position())).values()) {
                Path file = directory.resolve(UUID.randomUUID() + SUFFIX);
                try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer text = ByteBuffer.wrap((String.join("\n", f[2], f[3], f[4], f[5], f[6]) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    while (text.hasRemaining()) {
                        out.write(text);
                    }
                    out.force(true); // the intents survived a crash: a power cut at this start must not lose them
                }
            }
            syncDirectory(); // the intent files' names, before the log goes
            Files.deleteIfExists(other);
        } catch (NoSuchFileException e) {
            // its journal ended meanwhile and deleted it
        }
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some platforms cannot open a folder; the names are then as durable as they get
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
