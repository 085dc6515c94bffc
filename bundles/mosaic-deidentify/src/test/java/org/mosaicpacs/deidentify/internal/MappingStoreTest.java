package org.mosaicpacs.deidentify.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;

/** The mapping store on a real (in-memory) Derby database: its schema, the project secrets and the mappings. */
class MappingStoreTest {

    @Test
    void migratesOnceAndKeepsItsOwnTables() throws Exception {
        EmbeddedDataSource db = Configs.memoryDatabase("store");
        MappingStore first = new MappingStore(db);
        MappingStore again = new MappingStore(db);
        assertEquals(1, again.schemaVersion());
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM deid_schema_version")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the migration ran once");
        }
        assertArrayEquals(first.projectSecret("a"), again.projectSecret("a"), "one secret per project, kept");
        assertFalse(java.util.Arrays.equals(first.projectSecret("a"), first.projectSecret("b")));
    }

    @Test
    void theServiceMakesNoCopyWithoutAStoreForItsMapping() throws Exception {
        AnnexEDeidentifier service = new AnnexEDeidentifier();
        service.addProfile(new ProfileDefinition("p", new String[0], "a secret", "", 10, 365, new String[0], new String[0], true));
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.mosaicpacs.api.deidentify.DeidentificationException.class,
                () -> service.deidentify(EngineTest.image("1.2.3", "1.2.3.4", "1.2.3.4.5"), "p"));
        assertTrue(e.getMessage().contains("mapping store"), e.getMessage());
        service.setStore(new MappingStore(Configs.memoryDatabase("store")));
        assertEquals("YES", service.deidentify(EngineTest.image("1.2.3", "1.2.3.4", "1.2.3.4.5"), "p")
                .getString(Tag.PatientIdentityRemoved));
    }

    @Test
    void keepsWhatWasReplacedForReidentification() throws Exception {
        MappingStore store = new MappingStore(Configs.memoryDatabase("store"));
        AnnexEDeidentifier service = new AnnexEDeidentifier(store);
        Attributes in = EngineTest.image("1.2.3", "1.2.3.4", "1.2.3.4.5");
        Attributes out = service.deidentify(in, "basic");
        Attributes again = service.deidentify(in, "basic");
        assertEquals(out.getString(Tag.StudyInstanceUID), again.getString(Tag.StudyInstanceUID),
                "the basic profile's secret is kept in the store: same replacements");

        String pseudonym = out.getString(Tag.PatientID);
        assertTrue(pseudonym.startsWith("BASIC-"), pseudonym);
        List<MappingStore.Mapping> patient = store.mappings("basic", pseudonym, 10);
        assertEquals(1, patient.size());
        assertEquals("id:|PID-12345", patient.get(0).original());
        assertEquals("patient", patient.get(0).kind());

        List<MappingStore.Mapping> study = store.mappings(null, out.getString(Tag.StudyInstanceUID), 10);
        assertEquals(1, study.size());
        assertEquals("1.2.3", study.get(0).original(), "the new Study Instance UID leads back to the original");
        assertEquals(4, store.mappings("basic", null, 100).stream().filter(m -> m.kind().equals("uid")).count(),
                "study, series, instance and frame of reference UIDs, each once");

        MappingStore other = new MappingStore(Configs.memoryDatabase("store"));
        Attributes elsewhere = new AnnexEDeidentifier(other).deidentify(in, "basic");
        assertNotEquals(out.getString(Tag.StudyInstanceUID), elsewhere.getString(Tag.StudyInstanceUID),
                "another installation's basic profile has another secret");
    }
}
