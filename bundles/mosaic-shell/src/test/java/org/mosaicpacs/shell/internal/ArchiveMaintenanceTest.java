package org.mosaicpacs.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.index.StoreOutcome;
import org.mosaicpacs.api.storage.ObjectNotFoundException;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

class ArchiveMaintenanceTest {

    /** An index of instances in a list; STUDY-level queries return every study, in order of first store. */
    static final class ListIndex implements ArchiveIndex {
        final List<InstanceLocation> rows = new ArrayList<>();
        QueryRequest lastQuery;

        void add(String study, String series, String sop, String storageId) {
            rows.add(new InstanceLocation(study, series, sop, "1.2.840.10008.5.1.4.1.1.7",
                    new StorageLocation(storageId, StorageKey.of(study, series, sop), "1.2.840.10008.1.2.1", 1, ""),
                    Instant.EPOCH));
        }

        @Override
        public StoreOutcome store(Attributes dataset, StorageLocation location, DuplicatePolicy policy) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int query(QueryRequest request, Predicate<Attributes> sink) {
            assertEquals(QueryLevel.STUDY, request.level());
            lastQuery = request;
            Map<String, Integer> studies = new LinkedHashMap<>();
            for (InstanceLocation r : rows) {
                studies.merge(r.studyInstanceUID(), 1, Integer::sum);
            }
            int n = 0;
            for (Map.Entry<String, Integer> e : studies.entrySet()) {
                Attributes a = new Attributes();
                a.setString(Tag.StudyInstanceUID, VR.UI, e.getKey());
                a.setString(Tag.PatientID, VR.LO, "P-" + e.getKey());
                a.setString(Tag.ModalitiesInStudy, VR.CS, "CT", "SR");
                a.setString(Tag.NumberOfStudyRelatedInstances, VR.IS, String.valueOf(e.getValue()));
                n++;
                if (!sink.test(a)) {
                    break;
                }
            }
            return n;
        }

        @Override
        public List<InstanceLocation> locate(String study, String series, String sop) {
            return rows.stream().filter(r -> matches(r, study, series, sop)).toList();
        }

        @Override
        public List<InstanceLocation> delete(String study, String series, String sop) {
            List<InstanceLocation> out = locate(study, series, sop);
            rows.removeAll(out);
            return out;
        }

        private static boolean matches(InstanceLocation r, String study, String series, String sop) {
            return r.studyInstanceUID().equals(study) && (series == null || r.seriesInstanceUID().equals(series))
                    && (sop == null || r.sopInstanceUID().equals(sop));
        }
    }

    /** A backend that only knows which keys it holds. */
    static final class KeySetBackend implements StorageBackend {
        final String id;
        final Set<StorageKey> keys = new HashSet<>();

        KeySetBackend(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public StoredObject write(StorageKey key, InputStream data) {
            keys.add(key);
            return new StoredObject(id, key, 0, "", Instant.EPOCH);
        }

        @Override
        public InputStream read(StorageKey key) throws ObjectNotFoundException {
            if (!keys.contains(key)) {
                throw new ObjectNotFoundException(key);
            }
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public InputStream read(StorageKey key, long offset, long length) throws ObjectNotFoundException {
            return read(key);
        }

        @Override
        public boolean exists(StorageKey key) {
            return keys.contains(key);
        }

        @Override
        public boolean delete(StorageKey key) {
            return keys.remove(key);
        }
    }

    private final ListIndex index = new ListIndex();
    private final KeySetBackend fs = new KeySetBackend("fs-main");

    private void stored(String study, String series, String sop) {
        index.add(study, series, sop, fs.id());
        fs.keys.add(StorageKey.of(study, series, sop));
    }

    @Test
    void studiesPagesWithOffsetAndLimitAndPassesTheFilters() throws Exception {
        for (int i = 1; i <= 5; i++) {
            stored("1.2." + i, "1.3." + i, "1.4." + i);
        }
        ArchiveMaintenance m = new ArchiveMaintenance(index, List.of(fs));
        List<ArchiveMaintenance.StudyRow> rows = m.studies("P*", "doe^*", "20240101-20241231", 1, 2);
        assertEquals(List.of("1.2.2", "1.2.3"), rows.stream().map(ArchiveMaintenance.StudyRow::studyInstanceUID).toList());
        assertEquals("P-1.2.2", rows.get(0).patientID());
        assertEquals("CT\\SR", rows.get(0).modalities());
        assertEquals("1", rows.get(0).instances());
        Attributes keys = index.lastQuery.keys();
        assertEquals("P*", keys.getString(Tag.PatientID));
        assertEquals("doe^*", keys.getString(Tag.PatientName));
        assertEquals("20240101-20241231", keys.getString(Tag.StudyDate));
        assertTrue(index.lastQuery.caseInsensitivePN());
        assertEquals(5, m.studies(null, null, null, 0, 0).size());
        assertEquals(List.of("1.2.1", "1.2.2", "1.2.3"), m.studyUIDs(3));
    }

    @Test
    void deleteRemovesFromTheIndexThenFromStorage() throws Exception {
        stored("1.2.1", "1.3.1", "1.4.1");
        stored("1.2.1", "1.3.1", "1.4.2");
        stored("1.2.1", "1.3.2", "1.4.3");
        index.add("1.2.1", "1.3.2", "1.4.4", "s3-gone");
        ArchiveMaintenance m = new ArchiveMaintenance(index, List.of(fs));

        List<ArchiveMaintenance.Deleted> one = m.delete("1.2.1", "1.3.1", "1.4.2");
        assertEquals(1, one.size());
        assertEquals("object deleted", one.get(0).outcome());
        assertFalse(fs.keys.contains(StorageKey.of("1.2.1", "1.3.1", "1.4.2")));

        List<ArchiveMaintenance.Deleted> rest = m.delete("1.2.1", null, null);
        assertEquals(3, rest.size());
        assertEquals("object kept: storage s3-gone not available", rest.get(2).outcome());
        assertTrue(index.rows.isEmpty());
        assertTrue(fs.keys.isEmpty());
        assertEquals(List.of(), m.delete("1.2.1", null, null));
        assertThrows(IllegalArgumentException.class, () -> m.delete("1.2.1", null, "1.4.1"));
    }

    @Test
    void checkReportsMissingObjectsAndRepairRemovesOnlyThose() throws Exception {
        stored("1.2.1", "1.3.1", "1.4.1");
        stored("1.2.1", "1.3.1", "1.4.2");
        stored("1.2.2", "1.3.2", "1.4.3");
        index.add("1.2.2", "1.3.2", "1.4.4", "s3-gone");
        fs.keys.remove(StorageKey.of("1.2.1", "1.3.1", "1.4.2"));
        ArchiveMaintenance m = new ArchiveMaintenance(index, List.of(fs));

        ArchiveMaintenance.CheckReport report = m.check(false);
        assertEquals(2, report.studies());
        assertEquals(4, report.instances());
        assertEquals(List.of("1.4.2"), report.missing().stream().map(InstanceLocation::sopInstanceUID).toList());
        assertEquals(List.of("1.4.4"), report.unknownBackend().stream().map(InstanceLocation::sopInstanceUID).toList());
        assertEquals(0, report.repaired());
        assertEquals(4, index.rows.size());

        ArchiveMaintenance.CheckReport repaired = m.check(true);
        assertEquals(1, repaired.repaired());
        assertEquals(3, index.rows.size());
        assertEquals(0, m.check(false).missing().size());
    }
}
