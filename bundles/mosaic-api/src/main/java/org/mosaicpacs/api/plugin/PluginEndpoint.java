package org.mosaicpacs.api.plugin;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * HTTP hook: the plugin answers requests under {@code /plugins/<name>/} on the archive's HTTP port, where
 * {@code <name>} is its {@link PluginConstants#PLUGIN_NAME}.
 *
 * <ul>
 * <li><b>When:</b> for every request whose path starts with {@code /plugins/<name>}, on the HTTP server's
 * thread, while the client waits. Registered and removed with the plugin's service: no restart.</li>
 * <li><b>May do:</b> read the request, answer from the plugin's own state or from the archive's services;
 * keep it short (the client and an HTTP thread wait).</li>
 * <li><b>Returns:</b> an {@link EndpointResponse} (status, media type, body). An exception or {@code null}
 * answers 500 and counts as a failure of the plugin.</li>
 * </ul>
 */
@ConsumerType
@FunctionalInterface
public interface PluginEndpoint {

    EndpointResponse handle(EndpointRequest request) throws Exception;
}
