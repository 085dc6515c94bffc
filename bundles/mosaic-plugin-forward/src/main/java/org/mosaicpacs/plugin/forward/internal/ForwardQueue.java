package org.mosaicpacs.plugin.forward.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forward queue on disk: one small properties file per instance and destination, in {@code pending/} until it
 * is delivered (then deleted) and in {@code failed/} when it gave up (until an admin retries it). Each change is
 * written to a temporary file, forced to disk and renamed over the old one, and the folder is forced too, so a
 * crash leaves the old or the new state, never half of one; an added entry is durable when {@link #add} returns.
 * Read back at start: the queue survives restarts. An unreadable file is renamed {@code .unreadable} and logged.
 *
 * <p>An entry is <em>confirmed</em> when it was queued for an instance the archive has stored, and
 * <em>unconfirmed</em> when it was queued while the instance was still being received ({@link #addUnconfirmed},
 * from the plugin's ingest interceptor, before the archive acknowledges the instance). {@link #confirm} marks the
 * unconfirmed entries of an instance confirmed once it is stored; that mark is kept in memory only: after a restart
 * the sender settles every unconfirmed entry by looking the instance up in the index.
 * Thread safe (one lock).
 */
final class ForwardQueue {

    /** An instance to deliver to one destination. */
    record Entry(long sequence, String rule, String destination, String studyInstanceUID, String seriesInstanceUID,
                 String sopInstanceUID, String sopClassUID, String callingAETitle, Instant queued, int attempts,
                 Instant notBefore, String lastError, boolean confirmed) {

        Entry {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(sopInstanceUID, "sopInstanceUID");
            lastError = lastError == null ? "" : lastError;
        }

        Entry failedAttempt(String error, Instant next) {
            return new Entry(sequence, rule, destination, studyInstanceUID, seriesInstanceUID, sopInstanceUID,
                    sopClassUID, callingAETitle, queued, attempts + 1, next, error, confirmed);
        }

        Entry requeued(Instant now) {
            return new Entry(sequence, rule, destination, studyInstanceUID, seriesInstanceUID, sopInstanceUID,
                    sopClassUID, callingAETitle, queued, 0, now, lastError, confirmed);
        }

        Entry withConfirmed(Instant due) {
            return new Entry(sequence, rule, destination, studyInstanceUID, seriesInstanceUID, sopInstanceUID,
                    sopClassUID, callingAETitle, queued, attempts, due, lastError, true);
        }

        Entry postponed(Instant next) {
            return new Entry(sequence, rule, destination, studyInstanceUID, seriesInstanceUID, sopInstanceUID,
                    sopClassUID, callingAETitle, queued, attempts, next, lastError, confirmed);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ForwardQueue.class);
    private static final String SUFFIX = ".entry";

    private final Path pendingFolder;
    private final Path failedFolder;
    private final TreeMap<Long, Entry> pending = new TreeMap<>();
    private final TreeMap<Long, Entry> failed = new TreeMap<>();
    /** The sequences of the unconfirmed pending entries, by SOP Instance UID (a long queue is not scanned). */
    private final Map<String, List<Long>> unconfirmed = new HashMap<>();
    private long nextSequence = 1;

    /**
     * Opens the queue in {@code directory} (created if needed) and reads what it holds.
     *
     * @throws IOException when the folders cannot be created or listed
     */
    ForwardQueue(Path directory) throws IOException {
        this.pendingFolder = Files.createDirectories(directory.resolve("pending"));
        this.failedFolder = Files.createDirectories(directory.resolve("failed"));
        load(pendingFolder, pending);
        load(failedFolder, failed);
    }

    private void load(Path folder, TreeMap<Long, Entry> into) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(f); // a write that did not finish: its old state (if any) is still there
                    continue;
                }
                if (!name.endsWith(SUFFIX)) {
                    continue;
                }
                try {
                    Entry e = read(f);
                    into.put(e.sequence(), e);
                    if (into == pending && !e.confirmed()) {
                        unconfirmed.computeIfAbsent(e.sopInstanceUID(), k -> new ArrayList<>()).add(e.sequence());
                    }
                    nextSequence = Math.max(nextSequence, e.sequence() + 1);
                } catch (IOException | RuntimeException e) {
                    Path aside = f.resolveSibling(name + ".unreadable");
                    LOG.error("forward queue: {} is unreadable ({}); moved aside to {}", f, e.getMessage(), aside);
                    Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Entry read(Path f) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String name = f.getFileName().toString();
        long sequence = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        try {
            return new Entry(sequence, p.getProperty("rule", ""), required(p, "destination"),
                    required(p, "studyInstanceUID"), required(p, "seriesInstanceUID"), required(p, "sopInstanceUID"),
                    p.getProperty("sopClassUID", ""), p.getProperty("callingAETitle", ""),
                    Instant.parse(required(p, "queued")), Integer.parseInt(p.getProperty("attempts", "0")),
                    Instant.parse(p.getProperty("notBefore", required(p, "queued"))), p.getProperty("lastError", ""),
                    !"false".equals(p.getProperty("confirmed")));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IOException("malformed value: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key) throws IOException {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IOException("no " + key);
        }
        return v;
    }

    private static String fileName(long sequence) {
        return String.format("%019d%s", sequence, SUFFIX);
    }

    /** Writes an entry durably into a folder: temporary file, forced, renamed, folder forced. */
    private static void write(Path folder, Entry e) throws IOException {
        Properties p = new Properties();
        p.setProperty("rule", e.rule());
        p.setProperty("destination", e.destination());
        p.setProperty("studyInstanceUID", e.studyInstanceUID());
        p.setProperty("seriesInstanceUID", e.seriesInstanceUID());
        p.setProperty("sopInstanceUID", e.sopInstanceUID());
        p.setProperty("sopClassUID", e.sopClassUID());
        p.setProperty("callingAETitle", e.callingAETitle());
        p.setProperty("queued", e.queued().toString());
        p.setProperty("attempts", Integer.toString(e.attempts()));
        p.setProperty("notBefore", e.notBefore().toString());
        p.setProperty("lastError", e.lastError());
        p.setProperty("confirmed", Boolean.toString(e.confirmed()));
        StringWriter text = new StringWriter();
        p.store(text, null);
        Path target = folder.resolve(fileName(e.sequence()));
        Path temp = folder.resolve(fileName(e.sequence()) + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceFolder(folder);
    }

    private static void forceFolder(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot force a folder; the rename is then as durable as they make it
        }
    }

    /**
     * Queues an instance for a destination, durably.
     *
     * @return the entry
     * @throws IOException when it cannot be written (then it is not queued)
     */
    synchronized Entry add(String rule, String destination, String study, String series, String sop, String sopClass,
                           String callingAETitle, Instant now) throws IOException {
        Entry e = new Entry(nextSequence, rule, destination, study, series, sop, sopClass, callingAETitle, now, 0, now, "",
                true);
        write(pendingFolder, e);
        nextSequence++;
        pending.put(e.sequence(), e);
        return e;
    }

    /**
     * Queues, durably, an instance that is still being received: unconfirmed, not due before {@code notBefore}
     * unless {@link #confirm} is called first.
     */
    synchronized Entry addUnconfirmed(String rule, String destination, String study, String series, String sop,
                                      String sopClass, String callingAETitle, Instant now, Instant notBefore)
            throws IOException {
        Entry e = new Entry(nextSequence, rule, destination, study, series, sop, sopClass, callingAETitle, now, 0,
                notBefore, "", false);
        write(pendingFolder, e);
        nextSequence++;
        pending.put(e.sequence(), e);
        unconfirmed.computeIfAbsent(sop, k -> new ArrayList<>()).add(e.sequence());
        return e;
    }

    /**
     * Marks the unconfirmed pending entries of a stored instance confirmed and due at {@code now} (in memory only).
     *
     * @return whether there were any (none: the instance was not queued while it was received)
     */
    synchronized boolean confirm(String sopInstanceUID, Instant now) {
        boolean confirmed = false;
        List<Long> sequences = unconfirmed.remove(sopInstanceUID);
        if (sequences != null) {
            for (long sequence : sequences) {
                Entry e = pending.get(sequence);
                if (e != null && !e.confirmed()) {
                    pending.put(sequence, e.withConfirmed(now));
                    confirmed = true;
                }
            }
        }
        return confirmed;
    }

    /** An unconfirmed entry whose instance is not (yet) in the index waits until {@code next} (in memory only). */
    synchronized void postpone(Entry e, Instant next) {
        if (pending.containsKey(e.sequence())) {
            pending.put(e.sequence(), e.postponed(next));
        }
    }

    /** The destinations that have pending entries. */
    synchronized List<String> destinations() {
        TreeSet<String> d = new TreeSet<>();
        pending.values().forEach(e -> d.add(e.destination()));
        return new ArrayList<>(d);
    }

    /** Up to {@code max} pending entries of a destination that are due at {@code now}, oldest first. */
    synchronized List<Entry> due(String destination, Instant now, int max) {
        List<Entry> list = new ArrayList<>();
        for (Entry e : pending.values()) {
            if (list.size() >= max) {
                break;
            }
            if (e.destination().equals(destination) && !e.notBefore().isAfter(now)) {
                list.add(e);
            }
        }
        return list;
    }

    /** When the next pending entry of a destination is due, or {@code null} when none is pending. */
    synchronized Instant nextDue(String destination) {
        Instant next = null;
        for (Entry e : pending.values()) {
            if (e.destination().equals(destination) && (next == null || e.notBefore().isBefore(next))) {
                next = e.notBefore();
            }
        }
        return next;
    }

    /** Removes a delivered (or no longer deliverable: deleted from the archive) entry. */
    synchronized void remove(Entry e) throws IOException {
        Files.deleteIfExists(pendingFolder.resolve(fileName(e.sequence())));
        pending.remove(e.sequence());
        forgetUnconfirmed(e);
    }

    private void forgetUnconfirmed(Entry e) {
        List<Long> sequences = unconfirmed.get(e.sopInstanceUID());
        if (sequences != null) {
            sequences.remove(e.sequence());
            if (sequences.isEmpty()) {
                unconfirmed.remove(e.sopInstanceUID());
            }
        }
    }

    /** Records a failed attempt; the entry waits until {@code next}. */
    synchronized Entry retryLater(Entry e, String error, Instant next) throws IOException {
        Entry updated = e.failedAttempt(error, next);
        write(pendingFolder, updated);
        pending.put(updated.sequence(), updated);
        return updated;
    }

    /** Records a last failed attempt: the entry moves to the failed list. */
    synchronized Entry giveUp(Entry e, String error, Instant now) throws IOException {
        Entry updated = e.failedAttempt(error, now);
        write(failedFolder, updated);
        Files.deleteIfExists(pendingFolder.resolve(fileName(e.sequence())));
        pending.remove(e.sequence());
        forgetUnconfirmed(e);
        failed.put(updated.sequence(), updated);
        return updated;
    }

    /**
     * Moves failed entries back to pending, due now, with their attempts counted from zero.
     *
     * @param which which failed entries (e.g. of one destination)
     * @return how many
     */
    synchronized int requeue(Predicate<Entry> which, Instant now) throws IOException {
        int n = 0;
        for (Entry e : new ArrayList<>(failed.values())) {
            if (which.test(e)) {
                Entry again = e.requeued(now);
                write(pendingFolder, again);
                Files.deleteIfExists(failedFolder.resolve(fileName(e.sequence())));
                failed.remove(e.sequence());
                pending.put(again.sequence(), again);
                n++;
            }
        }
        return n;
    }

    synchronized List<Entry> pending() {
        return new ArrayList<>(pending.values());
    }

    synchronized List<Entry> failed() {
        return new ArrayList<>(failed.values());
    }
}
