package ${package};

import java.util.concurrent.atomic.AtomicLong;

import org.mosaicpacs.api.event.InstanceStored;
import org.mosaicpacs.api.plugin.EndpointRequest;
import org.mosaicpacs.api.plugin.EndpointResponse;
import org.mosaicpacs.api.plugin.InstanceStoredHook;
import org.mosaicpacs.api.plugin.PluginConstants;
import org.mosaicpacs.api.plugin.PluginEndpoint;
import org.osgi.service.component.annotations.Component;

/**
 * A Mosaic PACS plugin: a Declarative Services component that implements hooks of the Mosaic plugin API.
 *
 * <p>This one counts the instances the archive stores ({@link InstanceStoredHook}: called on this plugin's own
 * thread after each instance is durable and indexed) and answers {@code GET /plugins/${artifactId}/count} with
 * that number as JSON ({@link PluginEndpoint}). Replace the bodies with your own work; the hooks are described
 * in the Mosaic PACS plugin guide (docs/plugin-guide.md).
 */
@Component(service = {InstanceStoredHook.class, PluginEndpoint.class},
        property = PluginConstants.PLUGIN_NAME + "=${artifactId}")
public class ${pluginClass} implements InstanceStoredHook, PluginEndpoint {

    private final AtomicLong stored = new AtomicLong();

    @Override
    public void instanceStored(InstanceStored event) {
        stored.incrementAndGet();
    }

    @Override
    public EndpointResponse handle(EndpointRequest request) {
        if (request.method().equals("GET") && request.path().equals("/count")) {
            return EndpointResponse.json("{\"count\":" + stored.get() + "}");
        }
        return EndpointResponse.notFound("GET /plugins/${artifactId}/count is all this plugin answers");
    }
}
