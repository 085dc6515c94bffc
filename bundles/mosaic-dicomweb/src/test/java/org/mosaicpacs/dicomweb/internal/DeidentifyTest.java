package org.mosaicpacs.dicomweb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.deidentify.internal.AnnexEDeidentifier;
import org.mosaicpacs.deidentify.internal.MappingStore;
import org.mosaicpacs.deidentify.internal.StudyDeidentifierService;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;

/**
 * {@code POST /dicom-web/studies/{uid}/deidentify?profile=NAME} on the real Jetty, index, storage and ingest,
 * with the real study de-identification of mosaic-deidentify: the answer names a new study that QIDO finds,
 * holding only pseudonyms; the errors for a missing feature, an unknown profile and an unknown study.
 */
class DeidentifyTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Pattern NEW_UID = Pattern.compile("\"StudyInstanceUID\":\"([0-9.]+)\"");

    @TempDir
    Path temp;

    Fixture web;
    String mappingDatabase;

    @BeforeEach
    void start() throws Exception {
        web = new Fixture(temp);
        web.store(TestData.write(temp.resolve("in"), TestData.ct("1.2.9", "1.2.9.1", "1.2.9.1.1", "SECRETNAME^JOHN",
                "PID-SECRET", "20240105", 1, 1), UID.ExplicitVRLittleEndian));
        web.store(TestData.write(temp.resolve("in"), TestData.ct("1.2.9", "1.2.9.1", "1.2.9.1.2", "SECRETNAME^JOHN",
                "PID-SECRET", "20240105", 2, 1), UID.ExplicitVRLittleEndian));
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
        if (mappingDatabase != null) {
            // the suite shares one small heap (StowTest's big upload): give the in-memory database back
            EmbeddedDataSource drop = new EmbeddedDataSource();
            drop.setDatabaseName(mappingDatabase);
            drop.setConnectionAttributes("drop=true");
            try {
                drop.getConnection().close();
            } catch (java.sql.SQLException expected) {
                // 08006: dropped
            }
        }
    }

    /** The feature as DS would wire it: the Annex E engine with its mapping store, and the archive's services. */
    private void installFeature() throws Exception {
        EmbeddedDataSource ds = new EmbeddedDataSource();
        mappingDatabase = "memory:deid-web" + DATABASES.incrementAndGet();
        ds.setDatabaseName(mappingDatabase);
        ds.setCreateDatabase("create");
        AnnexEDeidentifier engine = new AnnexEDeidentifier();
        Method setStore = AnnexEDeidentifier.class.getDeclaredMethod("setStore", MappingStore.class);
        setStore.setAccessible(true);
        setStore.invoke(engine, new MappingStore(ds));
        StudyDeidentifierService service = new StudyDeidentifierService(web.index, web.ingest, engine);
        Method addBackend = StudyDeidentifierService.class.getDeclaredMethod("addBackend", StorageBackend.class);
        addBackend.setAccessible(true);
        addBackend.invoke(service, web.storage);
        web.deidentifier.set(service);
    }

    private HttpResponse<byte[]> post(String path) throws Exception {
        return web.send("POST", path, HttpRequest.BodyPublishers.noBody());
    }

    @Test
    void withoutTheFeatureTheAnswerIs503() throws Exception {
        HttpResponse<byte[]> r = post("/studies/1.2.9/deidentify?profile=basic");
        assertEquals(503, r.statusCode(), Fixture.text(r));
        assertTrue(Fixture.text(r).contains("mosaic-deidentify"), Fixture.text(r));
    }

    @Test
    void anUnknownOrMissingProfileIs400AndAnUnknownStudy404() throws Exception {
        installFeature();
        HttpResponse<byte[]> r = post("/studies/1.2.9/deidentify?profile=no-such");
        assertEquals(400, r.statusCode(), Fixture.text(r));
        assertTrue(Fixture.text(r).contains("unknown profile 'no-such'"), Fixture.text(r));
        assertEquals(400, post("/studies/1.2.9/deidentify").statusCode());
        r = post("/studies/1.2.999/deidentify?profile=basic");
        assertEquals(404, r.statusCode(), Fixture.text(r));
        assertEquals(2, web.index.locate("1.2.9", null, null).size(), "the study is still there, unchanged");
    }

    @Test
    void theAnswerNamesANewStudyThatQidoFindsWithOnlyPseudonyms() throws Exception {
        installFeature();
        HttpResponse<byte[]> r = post("/studies/1.2.9/deidentify?profile=basic");
        assertEquals(200, r.statusCode(), Fixture.text(r));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        String body = Fixture.text(r);
        assertTrue(body.contains("\"OriginalStudyInstanceUID\":\"1.2.9\""), body);
        assertTrue(body.contains("\"Instances\":2"), body);
        assertTrue(body.contains("\"Problems\":[]"), body);
        Matcher m = NEW_UID.matcher(body);
        assertTrue(m.find(), body);
        String study = m.group(1);
        assertNotEquals("1.2.9", study);

        HttpResponse<byte[]> q = web.get("/studies?StudyInstanceUID=" + study, "Accept", "application/dicom+json");
        assertEquals(200, q.statusCode(), Fixture.text(q));
        List<Attributes> found = Fixture.jsonArray(q.body());
        assertEquals(1, found.size());
        assertEquals(study, found.get(0).getString(Tag.StudyInstanceUID));
        assertTrue(found.get(0).getString(Tag.PatientID, "").startsWith("BASIC-"), found.get(0).toString());
        assertFalse(Fixture.text(q).contains("SECRETNAME") || Fixture.text(q).contains("PID-SECRET"), Fixture.text(q));
        HttpResponse<byte[]> instances = web.get("/studies/" + study + "/instances", "Accept", "application/dicom+json");
        assertEquals(2, Fixture.jsonArray(instances.body()).size());

        // the same project again: the same new study
        HttpResponse<byte[]> again = post("/studies/1.2.9/deidentify?profile=basic");
        Matcher m2 = NEW_UID.matcher(Fixture.text(again));
        assertTrue(m2.find(), Fixture.text(again));
        assertEquals(study, m2.group(1));
    }
}
