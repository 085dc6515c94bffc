package org.mosaicpacs.dimse.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.api.health.HealthState;

/**
 * The component as DS drives it: a wrong TLS setting leaves the AE stopped with the reason in /health; the
 * archive's C-ECHO SCU reaches a remote AE through the remote AEs service, and says why when it cannot.
 */
class DimseServicesTest {

    @TempDir
    Path temp;

    private DimseConfiguration config(Map<String, Object> more) {
        Map<String, Object> values = new HashMap<>(Map.of("aeTitle", "MOSAIC", "port", "0", "bindAddress", "127.0.0.1",
                "spoolDirectory", temp.resolve("spool").toString()));
        values.putAll(more);
        return RealArchive.config(DimseConfiguration.class, values);
    }

    private static void inject(DimseServices services, String field, Object value) throws Exception {
        Field f = DimseServices.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(services, value);
    }

    @Test
    void wrongTlsSettingsAreReportedInTheHealth() throws Exception {
        DimseServices noKey = new DimseServices();
        noKey.activate(config(Map.of("tlsPort", "0")));
        assertEquals(HealthState.DOWN, noKey.health().state());
        assertTrue(noKey.health().detail().contains("a TLS port needs a TLS key store"), noKey.health().detail());
        assertThrows(IllegalStateException.class, () -> noKey.verify("ANY"));
        noKey.deactivate();

        Files.writeString(temp.resolve("not-a-keystore.p12"), "garbage");
        DimseServices badStore = new DimseServices();
        badStore.activate(config(Map.of("tlsPort", "0", "tlsKeyStore", temp.resolve("not-a-keystore.p12").toString(),
                "tlsKeyStorePassword", "x")));
        assertTrue(badStore.health().detail().contains("cannot load the TLS key or trust store"),
                badStore.health().detail());
        badStore.deactivate();

        DimseServices missing = new DimseServices();
        missing.activate(config(Map.of("tlsKeyStore", temp.resolve("missing.p12").toString())));
        assertTrue(missing.health().detail().contains("cannot read the TLS store"), missing.health().detail());
        missing.deactivate();
    }

    @Test
    void echoesARemoteAEFromTheArchiveAE() throws Exception {
        RealArchive.MapRemoteAEs remoteAEs = new RealArchive.MapRemoteAEs();
        DimseServices services = new DimseServices();
        services.activate(config(Map.of()));
        try {
            assertEquals(HealthState.DOWN, services.health().state(), "listening, but no index yet");
            assertTrue(services.health().detail().contains("the index is not available"), services.health().detail());
            assertThrows(IllegalStateException.class, () -> services.verify("MOSAIC"), "no remote AEs service yet");
            inject(services, "remoteAEs", remoteAEs);
            int port = Integer.parseInt(services.health().detail().replaceAll(".*listening on (\\d+).*", "$1"));
            remoteAEs.add(new RemoteApplicationEntity("MOSAIC", "127.0.0.1", port));
            assertEquals(0, services.verify("MOSAIC").status(), "the archive echoes itself");
            RealArchive archive = new RealArchive(temp.resolve("archive"));
            inject(services, "index", archive.index);
            assertEquals(HealthState.DOWN, services.health().state(), "no ingest service yet");
            assertTrue(services.health().detail().contains("the ingest service is not available"),
                    services.health().detail());
            inject(services, "ingest", archive.ingest);
            assertEquals(HealthState.UP, services.health().state(), services.health().detail());
            assertThrows(IllegalArgumentException.class, () -> services.verify("UNKNOWN"));
        } finally {
            services.deactivate();
        }
        assertThrows(IllegalStateException.class, () -> services.verify("MOSAIC"), "stopped");
    }
}
