package org.mosaicpacs.deidentify.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.archive.internal.ArchiveConfiguration;
import org.mosaicpacs.archive.internal.ArchiveIngestService;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/**
 * What mosaic:deidentify does, with the real parts: the Derby index and the mapping store in one in-memory
 * database, the file storage in a temporary folder and the real ingest pipeline of mosaic-archive.
 */
class StudyDeidentificationTest {

    @TempDir
    Path temp;

    private ArchiveIndex index;
    private StorageBackend storage;
    private IngestService ingest;
    private MappingStore store;
    private final Map<String, StorageBackend> backends = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        var db = Configs.memoryDatabase("archive");
        index = new DerbyArchiveIndex(db, Configs.config(DerbyIndexConfiguration.class, Map.of()));
        storage = new FsStorageBackend(Configs.config(FsStorageConfiguration.class,
                Map.of("root", temp.resolve("storage").toString(), "fsync", false)));
        backends.put(storage.id(), storage);
        ArchiveIngestService archive = new ArchiveIngestService(Configs.config(ArchiveConfiguration.class,
                Map.of("journalDirectory", temp.resolve("journal").toString())));
        Configs.bind(archive, "bindIndex", ArchiveIndex.class, index);
        Configs.bind(archive, "bindStorage", StorageBackend.class, storage);
        ingest = archive;
        store = new MappingStore(db);
    }

    private void receive(Attributes ds) throws Exception {
        IngestResult r = ingest.ingest(new ByteArrayInputStream(Part10PeerTest.part10(ds, UID.ExplicitVRLittleEndian)),
                new Origin("CT01", "MOSAIC", "127.0.0.1"));
        assertTrue(r.outcome().isAcknowledged(), r.outcome() + " " + r.message());
    }

    @Test
    void aDeidentifiedCopyIsANewStudyFindableAndRetrievable() throws Exception {
        String study = "1.2.826.0.1.3680043.2.1143.50";
        for (int i = 1; i <= 3; i++) {
            receive(EngineTest.image(study, study + ".1", study + ".1." + i));
        }
        AnnexEDeidentifier service = new AnnexEDeidentifier(store,
                new ProfileDefinition("research-a", new String[] {"RETAIN_LONGITUDINAL_MODIFIED_DATES"}, "", "", 10, 365,
                        new String[0], new String[0], true));
        StudyDeidentification job = new StudyDeidentification(index, backends::get, ingest, service);

        StudyDeidentification.Outcome o = job.deidentify(study, "research-a");
        assertEquals(List.of(), o.problems());
        assertEquals(3, o.copied());
        assertNotEquals(study, o.studyInstanceUID());

        List<InstanceLocation> copies = index.locate(o.studyInstanceUID(), null, null);
        assertEquals(3, copies.size(), "the copy is indexed");
        for (InstanceLocation l : copies) {
            try (InputStream in = storage.read(l.location().key()); DicomInputStream dis = new DicomInputStream(in)) {
                dis.readFileMetaInformation();
                Attributes ds = dis.readDataset();
                assertEquals("YES", ds.getString(Tag.PatientIdentityRemoved));
                assertTrue(ds.getString(Tag.PatientID).startsWith("RESEARCH-A-"));
                assertNotEquals("20210315", ds.getString(Tag.StudyDate));
            }
        }
        Attributes keys = new Attributes();
        keys.setString(Tag.PatientID, VR.LO, copies.isEmpty() ? "" : readPatientId(copies.get(0)));
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        List<String> found = new ArrayList<>();
        index.query(QueryRequest.of(QueryLevel.STUDY, keys), a -> found.add(a.getString(Tag.StudyInstanceUID)));
        assertEquals(List.of(o.studyInstanceUID()), found, "findable by its pseudonymous Patient ID");
        assertEquals(3, index.locate(study, null, null).size(), "the original study is untouched");

        StudyDeidentification.Outcome again = job.deidentify(study, "research-a");
        assertEquals(o.studyInstanceUID(), again.studyInstanceUID(), "the same project gives the same new study");
        assertEquals(3, index.locate(o.studyInstanceUID(), null, null).size(), "and no second copy");
        assertEquals(study, store.mappings("research-a", o.studyInstanceUID(), 10).get(0).original(),
                "the mapping store leads back to the original study");

        StudyDeidentification.Outcome missing = job.deidentify("1.2.3.999", "research-a");
        assertEquals(0, missing.copied());
        assertEquals(List.of("no such study in the archive"), missing.problems());
    }

    private String readPatientId(InstanceLocation l) throws Exception {
        try (InputStream in = storage.read(l.location().key()); DicomInputStream dis = new DicomInputStream(in)) {
            dis.readFileMetaInformation();
            return dis.readDataset().getString(Tag.PatientID);
        }
    }
}
