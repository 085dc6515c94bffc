package org.mosaicpacs.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mosaicpacs.plugins.internal.TestSupport.config;
import static org.mosaicpacs.plugins.internal.TestSupport.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.QueryRetrieveHook;
import org.mosaicpacs.api.plugin.QueryRetrieveInterception;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.osgi.framework.Constants;

/** The query/retrieve hooks as the DIMSE and DICOMweb services meet them through {@link QueryRetrieveInterception}. */
class QueryRetrieveInterceptionTest {

    private static final Origin VIEWER = new Origin("VIEWER", "MOSAIC", "");
    private static final Origin BROWSER = new Origin("", "", "10.0.0.9");

    @TempDir
    Path temp;

    private PluginRuntime runtime;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() {
        runtime = new PluginRuntime(null, config(temp.resolve("pending.txt"), 10, 300), new TestSupport.MovableClock(), false);
    }

    @AfterEach
    void stop() {
        release.countDown();
        runtime.deactivate();
    }

    private static Attributes keys() {
        Attributes a = new Attributes();
        a.setString(Tag.PatientID, VR.LO, "P-*");
        a.setNull(Tag.StudyInstanceUID, VR.UI);
        return a;
    }

    private static Map<String, Object> ranked(String name, int ranking) {
        Map<String, Object> p = plugin(name);
        p.put(Constants.SERVICE_RANKING, ranking);
        return p;
    }

    private PluginWorker.Counts counts(String name) {
        return runtime.plugins().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().counts();
    }

    @Test
    void withoutHooksQueriesAndRetrievesGoOnUnchanged() {
        Attributes keys = keys();
        QueryRetrieveInterception.QueryResult q = runtime.beforeQuery(QueryLevel.STUDY, keys, VIEWER);
        assertEquals(Verdict.Decision.ACCEPT, q.verdict().decision());
        assertSame(keys, q.keys());
        assertFalse(runtime.beforeRetrieve("1.2.3", "", "", VIEWER, "WS").rejected());
    }

    @Test
    void queryKeysAreCoercedInRankingOrderOnACopy() {
        runtime.bindQueryRetrieveHook(new QueryRetrieveHook() {
            @Override
            public Verdict beforeQuery(QueryLevel level, Attributes k, Origin origin) {
                k.setString(Tag.InstitutionName, VR.LO, k.getString(Tag.PatientID) + " for " + origin.remoteHost());
                return Verdict.coerced();
            }
        }, ranked("second", 1));
        runtime.bindQueryRetrieveHook(new QueryRetrieveHook() {
            @Override
            public Verdict beforeQuery(QueryLevel level, Attributes k, Origin origin) {
                k.setString(Tag.PatientID, VR.LO, "SITE-" + k.getString(Tag.PatientID));
                return Verdict.coerced();
            }
        }, ranked("first", 10));
        Attributes keys = keys();

        QueryRetrieveInterception.QueryResult q = runtime.beforeQuery(QueryLevel.STUDY, keys, BROWSER);

        assertEquals(Verdict.Decision.COERCED, q.verdict().decision());
        assertEquals("SITE-P-*", q.keys().getString(Tag.PatientID));
        assertEquals("SITE-P-* for 10.0.0.9", q.keys().getString(Tag.InstitutionName));
        assertNotSame(keys, q.keys());
        assertEquals("P-*", keys.getString(Tag.PatientID), "the caller's identifier is never changed");
    }

    @Test
    void aRejectionCarriesItsStatusAndNamesThePlugin() {
        List<String> asked = new CopyOnWriteArrayList<>();
        runtime.bindQueryRetrieveHook(new QueryRetrieveHook() {
            @Override
            public Verdict beforeQuery(QueryLevel level, Attributes k, Origin origin) {
                return level == QueryLevel.PATIENT ? Verdict.reject(0x0124, "no patient-level queries") : Verdict.accept();
            }

            @Override
            public Verdict beforeRetrieve(String study, String series, String sop, Origin origin, String destination) {
                asked.add(study + "|" + series + "|" + sop + "|" + destination);
                return "WS".equals(destination) ? Verdict.reject(0xA801, "WS may not receive " + study) : Verdict.accept();
            }
        }, plugin("policy"));

        QueryRetrieveInterception.QueryResult q = runtime.beforeQuery(QueryLevel.PATIENT, keys(), VIEWER);
        assertEquals(Verdict.Decision.REJECT, q.verdict().decision());
        assertEquals(0x0124, q.verdict().status());
        assertEquals("policy", q.plugin());
        assertEquals(Verdict.Decision.ACCEPT, runtime.beforeQuery(QueryLevel.STUDY, keys(), VIEWER).verdict().decision());

        QueryRetrieveInterception.RetrieveResult r = runtime.beforeRetrieve("1.2.3", "1.2.3.4", null, VIEWER, "WS");
        assertTrue(r.rejected());
        assertEquals(0xA801, r.verdict().status());
        assertEquals("WS may not receive 1.2.3", r.verdict().comment());
        assertEquals("policy", r.plugin());
        assertFalse(runtime.beforeRetrieve("1.2.3", "", "", BROWSER, "").rejected());
        assertEquals(List.of("1.2.3|1.2.3.4||WS", "1.2.3|||"), asked, "null UIDs arrive as empty");
        assertEquals(4, counts("policy").delivered());
    }

    @Test
    void aThrowingHangingOrSilentHookNeverRefusesNorHoldsTheRequest() {
        runtime.bindQueryRetrieveHook(new QueryRetrieveHook() {
            @Override
            public Verdict beforeQuery(QueryLevel level, Attributes k, Origin origin) {
                k.setString(Tag.PatientID, VR.LO, "HALF-DONE");
                throw new IllegalStateException("broken");
            }

            @Override
            public Verdict beforeRetrieve(String study, String series, String sop, Origin origin, String destination) {
                throw new IllegalStateException("broken");
            }
        }, ranked("broken", 3));
        runtime.bindQueryRetrieveHook(new QueryRetrieveHook() {
            @Override
            public Verdict beforeQuery(QueryLevel level, Attributes k, Origin origin) throws InterruptedException {
                release.await();
                return Verdict.reject(0xA700, "too late to count");
            }

            @Override
            public Verdict beforeRetrieve(String study, String series, String sop, Origin origin, String destination)
                    throws InterruptedException {
                release.await();
                return Verdict.reject(0xA700, "too late to count");
            }
        }, ranked("hanging", 2));
        runtime.bindQueryRetrieveHook(new QueryRetrieveHook() {
            @Override
            public Verdict beforeQuery(QueryLevel level, Attributes k, Origin origin) {
                return null;
            }
        }, ranked("silent", 1));
        Attributes keys = keys();

        QueryRetrieveInterception.QueryResult q = runtime.beforeQuery(QueryLevel.STUDY, keys, VIEWER);
        QueryRetrieveInterception.RetrieveResult r = runtime.beforeRetrieve("1.2.3", "", "", VIEWER, "");

        assertEquals(Verdict.Decision.ACCEPT, q.verdict().decision());
        assertSame(keys, q.keys());
        assertEquals("P-*", keys.getString(Tag.PatientID));
        assertFalse(r.rejected());
        assertEquals(2, counts("broken").failures());
        assertEquals(2, counts("hanging").slow());
        assertEquals(1, counts("silent").failures());
        assertEquals(1, counts("silent").delivered(), "its default beforeRetrieve accepts");
        assertEquals(List.of("query-retrieve"), List.copyOf(runtime.plugins().get(0).hooks()));
    }
}
