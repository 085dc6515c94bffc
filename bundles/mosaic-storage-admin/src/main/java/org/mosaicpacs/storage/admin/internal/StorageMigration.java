package org.mosaicpacs.storage.admin.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

/**
 * Moves the instances of some studies from one storage backend to another, one instance at a time:
 *
 * <ol>
 * <li>journal {@code COPY} (flushed), then write the copy under the same key in the target, reading the
 *     source once and computing its SHA-256 on the way;</li>
 * <li>read the copy back and compute its SHA-256: the source's, the target's report, the read-back and the
 *     digest the index recorded must all be equal, else the copy is deleted and the instance stays;</li>
 * <li>{@link ArchiveIndex#relocate}: the index points to the copy (only if it still pointed to the source);</li>
 * <li>delete the source, journal {@code DONE}.</li>
 * </ol>
 *
 * <p>The index always points to a complete, verified copy, so the studies stay retrievable. A run that stops
 * anywhere (crash, kill, failure) is finished by the next run with the same backends: a copy the journal
 * says it began is verified and used (not written twice), a source whose instance already points to the
 * target is deleted. An object already in the target under the same key that this migration did not write
 * is never touched, and its instance is skipped (reported).
 */
final class StorageMigration {

    /** The points of an instance's move, for the progress report and for tests that stop a run there. */
    enum Step { COPIED, RELOCATED, SOURCE_DELETED }

    /** Told of each step, on the migrating thread. */
    interface Listener {
        /** A study is done: {@code moved} of its {@code instances} in {@code from} are now in the target. */
        void study(String studyUID, int number, int studies, int moved, int instances);

        /** An instance that was not moved, and why. */
        default void problem(String sopInstanceUID, String why) {
        }

        /** A step of one instance (tests stop a run here by throwing). */
        default void step(Step step, String sopInstanceUID) {
        }
    }

    /** What a run did. */
    record Result(int studies, int moved, long bytes, int problems, int resumed) {
    }

    private static final HexFormat HEX = HexFormat.of();

    private final ArchiveIndex index;
    private final String fromId;
    private final StorageBackend from;
    private final StorageBackend to;
    private final Path journalDirectory;

    StorageMigration(ArchiveIndex index, StorageBackend from, StorageBackend to, Path journalDirectory) {
        this(index, from.id(), from, to, journalDirectory);
    }

    /**
     * @param from the source backend, or {@code null} for a re-naming in place: the objects recorded under
     *             {@code fromId} are already in {@code to} under the same keys (the same folder or bucket known
     *             by another id); each is verified there against the recorded SHA-256 and the index re-pointed;
     *             nothing is copied or deleted
     */
    StorageMigration(ArchiveIndex index, String fromId, StorageBackend from, StorageBackend to, Path journalDirectory) {
        if (fromId.equals(to.id())) {
            throw new IllegalArgumentException("--from and --to are both " + fromId);
        }
        this.index = index;
        this.fromId = fromId;
        this.from = from;
        this.to = to;
        this.journalDirectory = journalDirectory;
    }

    /**
     * The studies to migrate: all, or those whose Study Date is before {@code before} (YYYYMMDD, not
     * included); studies without a Study Date are not "before" anything.
     */
    static List<String> studies(ArchiveIndex index, String before) throws IndexException {
        Attributes keys = new Attributes();
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        if (before != null) {
            if (!before.matches("\\d{8}")) {
                throw new IllegalArgumentException("--before needs a date YYYYMMDD, not " + before);
            }
            java.time.LocalDate day = java.time.LocalDate.parse(before, java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
            keys.setString(Tag.StudyDate, VR.DA, "-" + day.minusDays(1).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE));
        }
        List<String> uids = new ArrayList<>();
        index.query(QueryRequest.of(QueryLevel.STUDY, keys), match -> uids.add(match.getString(Tag.StudyInstanceUID)));
        return uids;
    }

    /** Migrates the instances of {@code studies} that are in the source backend. */
    Result run(List<String> studies, Listener listener) throws IOException, IndexException {
        int moved = 0;
        int problems = 0;
        int resumed = 0;
        long bytes = 0;
        try (MigrationJournal journal = new MigrationJournal(journalDirectory, fromId, to.id())) {
            // sources an earlier run re-pointed but did not delete
            for (Map.Entry<String, String> p : from == null ? Map.<String, String>of().entrySet()
                    : journal.pending().entrySet()) {
                resumed += finishEarlier(journal, p.getKey(), new StorageKey(p.getValue()));
            }
            int number = 0;
            for (String study : studies) {
                number++;
                List<InstanceLocation> here = new ArrayList<>();
                for (InstanceLocation l : index.locate(study, null, null)) {
                    if (l.location().storageId().equals(fromId)) {
                        here.add(l);
                    }
                }
                int studyMoved = 0;
                for (InstanceLocation l : here) {
                    try {
                        long size = from == null ? rename(l, listener) : move(journal, l, listener);
                        if (size >= 0) {
                            studyMoved++;
                            bytes += size;
                        } else {
                            problems++;
                        }
                    } catch (StorageException e) {
                        problems++;
                        listener.problem(l.sopInstanceUID(), e.getMessage());
                    }
                }
                moved += studyMoved;
                listener.study(study, number, studies.size(), studyMoved, here.size());
            }
        }
        return new Result(studies.size(), moved, bytes, problems, resumed);
    }

    /** An instance the journal says was begun: when the index points to the copy, delete the source. */
    private int finishEarlier(MigrationJournal journal, String sop, StorageKey key) throws IOException, IndexException {
        // the instance's study is not in the journal: ask the index by the copy's key, which names it
        String[] parts = key.value().split("/");
        if (parts.length < 3) {
            return 0;
        }
        String study = java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8);
        List<InstanceLocation> found = index.locate(study, null, null);
        boolean indexed = false;
        for (InstanceLocation l : found) {
            if (!l.sopInstanceUID().equals(sop)) {
                continue;
            }
            indexed = true;
            if (l.location().storageId().equals(to.id()) && l.location().key().equals(key)) {
                from.delete(key);
                journal.done(sop, key.value());
                return 1;
            }
        }
        if (!indexed) {
            // deleted from the archive since: nothing points to a copy this migration wrote, it goes too
            to.delete(key);
            journal.done(sop, key.value());
        }
        // else still in the source: handled with its study (the copy is verified and reused)
        return 0;
    }

    /** Re-points one instance whose object {@code to} already holds under the same key; its size, or -1. */
    private long rename(InstanceLocation instance, Listener listener) throws IOException, IndexException {
        StorageLocation source = instance.location();
        if (!to.exists(source.key())) {
            listener.problem(instance.sopInstanceUID(), "storage " + to.id() + " has no object " + source.key());
            return -1;
        }
        Digest d = digest(to, source.key());
        if (source.sha256().isEmpty() || !source.sha256().equalsIgnoreCase(d.sha256())) {
            listener.problem(instance.sopInstanceUID(), "the object in " + to.id() + " has SHA-256 " + d.sha256()
                    + ", the index recorded '" + source.sha256() + "': not the same object, not re-pointed");
            return -1;
        }
        StorageLocation target = new StorageLocation(to.id(), source.key(), source.transferSyntaxUID(), d.size(),
                d.sha256());
        if (!index.relocate(instance.sopInstanceUID(), source, target)) {
            listener.problem(instance.sopInstanceUID(), "deleted or replaced meanwhile");
            return -1;
        }
        listener.step(Step.RELOCATED, instance.sopInstanceUID());
        return d.size();
    }

    /** Moves one instance; its size, or -1 when it was not moved (reported). */
    private long move(MigrationJournal journal, InstanceLocation instance, Listener listener)
            throws IOException, IndexException {
        String sop = instance.sopInstanceUID();
        StorageLocation source = instance.location();
        StorageKey key = source.key();
        String sourceDigest;
        long size;
        boolean ours = journal.began(sop, key.value());
        if (to.exists(key)) {
            if (!ours) {
                listener.problem(sop, "storage " + to.id() + " already holds an object under " + key
                        + " that this migration did not write: left as is, the instance stays in " + fromId);
                return -1;
            }
            // written by an earlier run that stopped before the index pointed to it: verify it, then use it
            Digest s = digest(from, key);
            sourceDigest = s.sha256();
            size = s.size();
        } else {
            journal.copy(sop, key.value());
            StoredObject written;
            MessageDigest sha = sha256();
            try (InputStream in = new DigestInputStream(from.read(key), sha)) {
                written = to.write(key, in);
            }
            sourceDigest = HEX.formatHex(sha.digest());
            size = written.size();
            if (!written.sha256().equalsIgnoreCase(sourceDigest)) {
                return drop(journal, sop, key, listener, "the target stored SHA-256 " + written.sha256()
                        + ", the source read " + sourceDigest);
            }
        }
        listener.step(Step.COPIED, sop);
        if (!source.sha256().isEmpty() && !source.sha256().equalsIgnoreCase(sourceDigest)) {
            return drop(journal, sop, key, listener, "the source's SHA-256 " + sourceDigest + " is not the one the "
                    + "index recorded (" + source.sha256() + "): the stored object changed; not moved");
        }
        Digest copy = digest(to, key);
        if (!copy.sha256().equalsIgnoreCase(sourceDigest) || copy.size() != size) {
            return drop(journal, sop, key, listener, "the copy read back from " + to.id() + " has SHA-256 "
                    + copy.sha256() + ", the source " + sourceDigest);
        }
        StorageLocation target = new StorageLocation(to.id(), key, source.transferSyntaxUID(), size, sourceDigest);
        if (!index.relocate(sop, source, target)) {
            return drop(journal, sop, key, listener, "deleted or replaced while it was copied");
        }
        listener.step(Step.RELOCATED, sop);
        from.delete(key);
        journal.done(sop, key.value());
        listener.step(Step.SOURCE_DELETED, sop);
        return size;
    }

    private long drop(MigrationJournal journal, String sop, StorageKey key, Listener listener, String why)
            throws IOException {
        to.delete(key);
        journal.done(sop, key.value());
        listener.problem(sop, why);
        return -1;
    }

    private record Digest(String sha256, long size) {
    }

    private static Digest digest(StorageBackend backend, StorageKey key) throws IOException {
        MessageDigest sha = sha256();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = backend.read(key)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                size += n;
            }
        }
        return new Digest(HEX.formatHex(sha.digest()), size);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
