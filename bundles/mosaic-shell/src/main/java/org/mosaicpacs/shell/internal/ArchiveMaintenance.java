package org.mosaicpacs.shell.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.storage.ListedObject;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.ElementDictionary;
import org.mosaicpacs.dicom.data.Tag;

/**
 * What the {@code mosaic:studies}, {@code mosaic:delete} and {@code mosaic:check} commands do, apart
 * from printing: it only uses the {@link ArchiveIndex} and the {@link StorageBackend}s (found by their
 * {@link StorageBackend#id()}), so that it can be tested without a console.
 */
final class ArchiveMaintenance {

    /** One line of {@code mosaic:studies}. */
    record StudyRow(String studyInstanceUID, String date, String patientID, String patientName,
                    String modalities, String series, String instances) {
    }

    /** One instance {@code mosaic:delete} removed from the index, and what became of its object. */
    record Deleted(InstanceLocation instance, String outcome) {
    }

    /** What {@code mosaic:check} found. */
    record CheckReport(int studies, int instances, List<InstanceLocation> missing,
                       List<InstanceLocation> unknownBackend, List<String> errors, int repaired,
                       long objects, List<Orphan> orphans, List<String> notListed, int orphansDeleted) {

        CheckReport(int studies, int instances, List<InstanceLocation> missing, List<InstanceLocation> unknownBackend,
                    List<String> errors, int repaired) {
            this(studies, instances, missing, unknownBackend, errors, repaired, 0, List.of(), List.of(), 0);
        }
    }

    /**
     * A stored object no index row points to.
     *
     * @param storageId the backend that holds it
     * @param object    its key, size and time
     * @param recent    whether it is younger than the grace period (an ingest may still be indexing it): never deleted
     * @param deleted   whether {@code --repair} deleted it
     */
    record Orphan(String storageId, ListedObject object, boolean recent, boolean deleted) {
    }

    private final ArchiveIndex index;
    private final Map<String, StorageBackend> backends = new HashMap<>();

    ArchiveMaintenance(ArchiveIndex index, Collection<StorageBackend> backends) {
        this.index = Objects.requireNonNull(index, "index");
        if (backends != null) {
            for (StorageBackend b : backends) {
                this.backends.put(b.id(), b);
            }
        }
    }

    /**
     * The studies matching the filters (each may be null or empty: no filter), skipping the first
     * {@code offset} matches and returning at most {@code limit} (all when {@code limit <= 0}).
     * The patient name matches without regard to case, with the wildcards {@code *} and {@code ?}.
     */
    List<StudyRow> studies(String patientID, String patientName, String dateRange, int offset, int limit)
            throws IndexException {
        Attributes keys = new Attributes();
        key(keys, Tag.StudyInstanceUID, "");
        key(keys, Tag.StudyDate, dateRange);
        key(keys, Tag.PatientID, patientID);
        key(keys, Tag.PatientName, patientName);
        key(keys, Tag.ModalitiesInStudy, "");
        key(keys, Tag.NumberOfStudyRelatedSeries, "");
        key(keys, Tag.NumberOfStudyRelatedInstances, "");
        List<StudyRow> rows = new ArrayList<>();
        int[] seen = {0};
        index.query(QueryRequest.of(QueryLevel.STUDY, keys).withCaseInsensitivePN(), match -> {
            if (seen[0]++ < offset) {
                return true;
            }
            rows.add(new StudyRow(s(match, Tag.StudyInstanceUID), s(match, Tag.StudyDate), s(match, Tag.PatientID),
                    s(match, Tag.PatientName), String.join("\\", strings(match, Tag.ModalitiesInStudy)),
                    s(match, Tag.NumberOfStudyRelatedSeries), s(match, Tag.NumberOfStudyRelatedInstances)));
            return limit <= 0 || rows.size() < limit;
        });
        return rows;
    }

    /** The Study Instance UIDs of the index, at most {@code limit} of them (all when {@code limit <= 0}). */
    List<String> studyUIDs(int limit) throws IndexException {
        Attributes keys = new Attributes();
        key(keys, Tag.StudyInstanceUID, "");
        List<String> uids = new ArrayList<>();
        index.query(QueryRequest.of(QueryLevel.STUDY, keys), match -> {
            String uid = match.getString(Tag.StudyInstanceUID);
            if (uid != null && !uid.isEmpty()) {
                uids.add(uid);
            }
            return limit <= 0 || uids.size() < limit;
        });
        return uids;
    }

    /**
     * Removes a study, a series of it or an instance of it from the index, then deletes the objects
     * of the removed instances from their backends. An object whose backend is not available, or whose
     * delete fails, stays where it is (an orphan, reported in the outcome).
     */
    List<Deleted> delete(String studyUID, String seriesUID, String sopInstanceUID) throws IndexException {
        if (sopInstanceUID != null && seriesUID == null) {
            throw new IllegalArgumentException("--instance needs --series");
        }
        List<Deleted> out = new ArrayList<>();
        for (InstanceLocation removed : index.delete(studyUID, seriesUID, sopInstanceUID)) {
            out.add(new Deleted(removed, deleteObject(removed)));
        }
        return out;
    }

    private String deleteObject(InstanceLocation instance) {
        StorageBackend backend = backends.get(instance.location().storageId());
        if (backend == null) {
            return "object kept: storage " + instance.location().storageId() + " not available";
        }
        try {
            return backend.delete(instance.location().key()) ? "object deleted" : "object was already gone";
        } catch (StorageException e) {
            return "object kept: " + e.getMessage();
        }
    }

    /**
     * Checks that the object of every indexed instance exists in its backend, without looking for orphans.
     * With {@code repair}, removes from the index the instances whose object is gone.
     */
    CheckReport check(boolean repair) throws IndexException {
        return check(repair, null, Instant.now());
    }

    /**
     * Checks index and storage against each other, both ways.
     *
     * <p>Index to storage: the object of every indexed instance must exist in its backend; with {@code
     * repair}, the instances whose object is gone are removed from the index (never those whose backend is
     * not available or could not be asked).
     *
     * <p>Storage to index, when {@code grace} is not null: every object a running backend lists
     * ({@link StorageBackend#list}) must be pointed to by an index row; the others are orphans. With {@code
     * repair}, orphans last modified more than {@code grace} before {@code now} are deleted, once the
     * index was asked again about them; younger ones are only reported, because an ingest in flight writes
     * its object before the index commits it.
     */
    CheckReport check(boolean repair, Duration grace, Instant now) throws IndexException {
        List<String> studies = studyUIDs(0);
        int instances = 0;
        int repaired = 0;
        List<InstanceLocation> missing = new ArrayList<>();
        List<InstanceLocation> unknown = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        KeySet indexed = new KeySet();
        for (String study : studies) {
            for (InstanceLocation instance : index.locate(study, null, null)) {
                instances++;
                indexed.add(instance.location().storageId(), instance.location().key());
                StorageBackend backend = backends.get(instance.location().storageId());
                if (backend == null) {
                    unknown.add(instance);
                    continue;
                }
                boolean exists;
                try {
                    exists = backend.exists(instance.location().key());
                } catch (StorageException e) {
                    errors.add(instance.sopInstanceUID() + ": " + e.getMessage());
                    continue;
                }
                if (!exists) {
                    missing.add(instance);
                    if (repair) {
                        repaired += index.delete(instance.studyInstanceUID(), instance.seriesInstanceUID(),
                                instance.sopInstanceUID()).size();
                    }
                }
            }
        }
        if (grace == null) {
            return new CheckReport(studies.size(), instances, missing, unknown, errors, repaired);
        }
        indexed.seal();
        long[] objects = {0};
        List<Orphan> orphans = new ArrayList<>();
        List<String> notListed = new ArrayList<>();
        int deleted = 0;
        Instant cutOff = now.minus(grace);
        for (StorageBackend backend : backends.values()) {
            List<ListedObject> found = new ArrayList<>();
            try {
                backend.list(o -> {
                    objects[0]++;
                    if (!indexed.contains(backend.id(), o.key())) {
                        found.add(o);
                    }
                    return true;
                });
            } catch (UnsupportedOperationException e) {
                notListed.add(backend.id() + ": cannot list its objects");
                continue;
            } catch (StorageException | RuntimeException e) {
                errors.add("listing " + backend.id() + ": " + e.getMessage());
                continue;
            }
            for (ListedObject o : found) {
                boolean recent = o.modified().isAfter(cutOff);
                boolean gone = false;
                if (repair && !recent) {
                    try {
                        if (!indexedNow(backend.id(), o.key())) {
                            gone = backend.delete(o.key());
                        }
                    } catch (StorageException | IndexException | RuntimeException e) {
                        errors.add("deleting " + backend.id() + ":" + o.key() + ": " + e.getMessage());
                    }
                }
                deleted += gone ? 1 : 0;
                orphans.add(new Orphan(backend.id(), o, recent, gone));
            }
        }
        return new CheckReport(studies.size(), instances, missing, unknown, errors, repaired, objects[0], orphans,
                notListed, deleted);
    }

    /**
     * Asks the index again, just before an orphan is deleted, whether it points to the key now: keys made
     * by {@link StorageKey#forInstance} name their study, series and instance.
     */
    private boolean indexedNow(String storageId, StorageKey key) throws IndexException {
        String[] parts = key.value().split("/");
        if (parts.length != 4) {
            return false;
        }
        String[] uids = new String[3];
        for (int i = 0; i < 3; i++) {
            uids[i] = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
        }
        return index.locate(uids[0], uids[1], uids[2]).stream()
                .anyMatch(l -> l.location().storageId().equals(storageId) && l.location().key().equals(key));
    }

    /**
     * The (storage id, key) pairs of the index as 64-bit digests in a sorted array: 8 bytes an instance,
     * so that a million instances take 8 MB. Two keys with the same digest would hide an orphan, never
     * make an indexed object look like one.
     */
    private static final class KeySet {
        private long[] digests = new long[1024];
        private int size;

        void add(String storageId, StorageKey key) {
            if (size == digests.length) {
                digests = Arrays.copyOf(digests, size * 2);
            }
            digests[size++] = digest(storageId, key);
        }

        void seal() {
            Arrays.sort(digests, 0, size);
        }

        boolean contains(String storageId, StorageKey key) {
            return Arrays.binarySearch(digests, 0, size, digest(storageId, key)) >= 0;
        }

        private static long digest(String storageId, StorageKey key) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(storageId.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                byte[] d = md.digest(key.value().getBytes(StandardCharsets.UTF_8));
                long v = 0;
                for (int i = 0; i < 8; i++) {
                    v = v << 8 | (d[i] & 0xFF);
                }
                return v;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-256", e);
            }
        }
    }

    private static void key(Attributes keys, int tag, String value) {
        if (value == null) {
            value = "";
        }
        keys.setString(tag, ElementDictionary.vrOf(tag, null), value.split("\\\\", -1));
    }

    private static String s(Attributes a, int tag) {
        String v = a.getString(tag);
        return v == null ? "" : v;
    }

    private static String[] strings(Attributes a, int tag) {
        String[] v = a.getStrings(tag);
        return v == null ? new String[0] : v;
    }
}
