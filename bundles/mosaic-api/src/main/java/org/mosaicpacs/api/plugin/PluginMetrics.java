package org.mosaicpacs.api.plugin;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Status hook: a plugin's own counters, which {@code mosaic:plugin-list} shows beside the runtime's (column
 * Metrics). For work the plugin does on threads of its own, which the runtime cannot count: a forward plugin's
 * instances pending and failed, say.
 *
 * <ul>
 * <li><b>When:</b> each time an admin lists the plugins, on the console's thread.</li>
 * <li><b>May do:</b> read the plugin's own state; keep it quick (no I/O, no network).</li>
 * <li><b>Returns:</b> counters by name, shown in the map's order as {@code name=value}, e.g. {@code pending=3,
 * failed=1}. An exception or {@code null} shows as {@code ?} and counts as a failure of the plugin.</li>
 * </ul>
 *
 * @since 0.2.0
 */
@ConsumerType
@FunctionalInterface
public interface PluginMetrics {

    Map<String, Long> metrics() throws Exception;
}
