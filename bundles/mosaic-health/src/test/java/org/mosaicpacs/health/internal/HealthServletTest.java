package org.mosaicpacs.health.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.health.ComponentHealth;
import org.mosaicpacs.api.health.HealthReport;
import org.mosaicpacs.api.health.HealthState;

class HealthServletTest {

    @Test
    void reportIsWrittenAsJsonWithEscapedText() {
        HealthReport report = new HealthReport(HealthState.DOWN, true,
                List.of(new ComponentHealth("index", "mosaic-index", HealthState.DOWN, "failed: \"disk\"\nfull")),
                List.of("index: failed"), Instant.parse("2026-01-02T03:04:05Z"));

        assertEquals("{\"status\":\"DOWN\",\"bootFinished\":true,\"time\":\"2026-01-02T03:04:05Z\","
                + "\"components\":[{\"name\":\"index\",\"bundle\":\"mosaic-index\",\"state\":\"DOWN\","
                + "\"detail\":\"failed: \\\"disk\\\"\\nfull\"}],\"problems\":[\"index: failed\"]}",
                HealthServlet.toJson(report));
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("\"a\\u0001b\\\\c\"", HealthServlet.quote("a\u0001b\\c"));
    }
}
