package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.event.InstanceStored;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.index.StoreOutcome;
import org.mosaicpacs.api.plugin.EndpointRequest;
import org.mosaicpacs.api.plugin.EndpointResponse;
import org.mosaicpacs.api.storage.StorageKey;

/** The plugin on its own: the hooks called as the archive calls them. */
class ${pluginClass}Test {

    private static InstanceStored stored(String sopInstanceUID) {
        return new InstanceStored(new InstanceLocation("1.2.3", "1.2.3.4", sopInstanceUID, "1.2.840.10008.5.1.4.1.1.7",
                new StorageLocation("default", new StorageKey("k/" + sopInstanceUID), "1.2.840.10008.1.2.1", 100, "00"),
                Instant.EPOCH), StoreOutcome.Result.STORED, "STORESCU", "MOSAIC");
    }

    private static String get(${pluginClass} plugin, String path) {
        EndpointResponse response = plugin.handle(new EndpointRequest("GET", path, Map.of(), null));
        return response.status() + " " + new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void countsEveryStoredInstance() {
        ${pluginClass} plugin = new ${pluginClass}();
        assertEquals("200 {\"count\":0}", get(plugin, "/count"));

        plugin.instanceStored(stored("1.2.3.4.1"));
        plugin.instanceStored(stored("1.2.3.4.2"));

        assertEquals("200 {\"count\":2}", get(plugin, "/count"));
    }

    @Test
    void answersNothingElse() {
        assertEquals(404, new ${pluginClass}().handle(new EndpointRequest("GET", "/other", Map.of(), null)).status());
    }
}
