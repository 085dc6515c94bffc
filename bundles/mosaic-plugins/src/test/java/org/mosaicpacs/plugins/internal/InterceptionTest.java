package org.mosaicpacs.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mosaicpacs.plugins.internal.TestSupport.config;
import static org.mosaicpacs.plugins.internal.TestSupport.plugin;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.IngestInterception;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.osgi.framework.Constants;

/** The ingest interceptors as the pipeline meets them through {@link IngestInterception}. */
class InterceptionTest {

    private static final Origin CT = new Origin("CT_SCANNER", "MOSAIC", "10.0.0.7");

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

    private static Attributes header() {
        Attributes a = new Attributes();
        a.setString(Tag.PatientID, VR.LO, "P-1");
        a.setString(Tag.PatientName, VR.PN, "DOE^JANE");
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
    void withoutInterceptorsTheHeaderGoesOnUnchanged() {
        Attributes header = header();
        IngestInterception.Result result = runtime.intercept(header, CT);
        assertEquals(Verdict.Decision.ACCEPT, result.verdict().decision());
        assertSame(header, result.dataset());
    }

    @Test
    void coercionsApplyInRankingOrderOnACopy() {
        runtime.bindIngestInterceptor((ds, origin) -> {
            ds.setString(Tag.InstitutionName, VR.LO, ds.getString(Tag.PatientID) + " at " + origin.callingAETitle());
            return Verdict.coerced();
        }, ranked("second", 1));
        runtime.bindIngestInterceptor((ds, origin) -> {
            ds.setString(Tag.PatientID, VR.LO, "SITE-" + ds.getString(Tag.PatientID));
            return Verdict.coerced();
        }, ranked("first", 10));
        Attributes header = header();

        IngestInterception.Result result = runtime.intercept(header, CT);

        assertEquals(Verdict.Decision.COERCED, result.verdict().decision());
        assertEquals("SITE-P-1", result.dataset().getString(Tag.PatientID));
        assertEquals("SITE-P-1 at CT_SCANNER", result.dataset().getString(Tag.InstitutionName));
        assertNotSame(header, result.dataset());
        assertEquals("P-1", header.getString(Tag.PatientID), "the caller's header is never changed");
    }

    @Test
    void aRejectionStopsWithItsStatusAndNamesThePlugin() {
        runtime.bindIngestInterceptor((ds, origin) -> "P-1".equals(ds.getString(Tag.PatientID))
                ? Verdict.reject(0xA700, "quota of P-1 exhausted") : Verdict.accept(), plugin("quota"));

        IngestInterception.Result result = runtime.intercept(header(), CT);

        assertEquals(Verdict.Decision.REJECT, result.verdict().decision());
        assertEquals(0xA700, result.verdict().status());
        assertEquals("quota of P-1 exhausted", result.verdict().comment());
        assertEquals("quota", result.plugin());
    }

    @Test
    void aThrowingOrHangingInterceptorNeverRefusesNorHoldsTheInstance() {
        runtime.bindIngestInterceptor((ds, origin) -> {
            ds.setString(Tag.PatientID, VR.LO, "HALF-DONE");
            throw new IllegalStateException("broken");
        }, ranked("broken", 3));
        runtime.bindIngestInterceptor((ds, origin) -> {
            ds.setString(Tag.PatientID, VR.LO, "LATE");
            release.await();
            return Verdict.reject(0xA700, "too late to count");
        }, ranked("hanging", 2));
        runtime.bindIngestInterceptor((ds, origin) -> null, ranked("silent", 1));
        Attributes header = header();

        IngestInterception.Result result = runtime.intercept(header, CT);

        assertEquals(Verdict.Decision.ACCEPT, result.verdict().decision());
        assertSame(header, result.dataset());
        assertEquals("P-1", header.getString(Tag.PatientID));
        assertEquals(1, counts("broken").failures());
        assertEquals(1, counts("hanging").slow());
        assertEquals(1, counts("silent").failures());
    }
}
