package org.mosaicpacs.shell.internal;

import java.util.ArrayList;
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
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
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
                       List<InstanceLocation> unknownBackend, List<String> errors, int repaired) {
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
     * Checks that the object of every indexed instance exists in its backend. With {@code repair},
     * removes from the index the instances whose object is gone (never those whose backend is not
     * available or could not be asked).
     */
    CheckReport check(boolean repair) throws IndexException {
        List<String> studies = studyUIDs(0);
        int instances = 0;
        int repaired = 0;
        List<InstanceLocation> missing = new ArrayList<>();
        List<InstanceLocation> unknown = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String study : studies) {
            for (InstanceLocation instance : index.locate(study, null, null)) {
                instances++;
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
        return new CheckReport(studies.size(), instances, missing, unknown, errors, repaired);
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
