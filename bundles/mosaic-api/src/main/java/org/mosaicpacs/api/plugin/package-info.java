/**
 * The plugin API: the hooks a research plugin implements, each as an OSGi service on the whiteboard.
 *
 * <p>A plugin is a Declarative Services component that implements one or more of the hook interfaces
 * of this package and names itself with the service property {@link PluginConstants#PLUGIN_NAME}. The
 * plugin runtime ({@code mosaic-plugins}) finds it when its bundle starts and forgets it when its
 * bundle goes. Notification hooks ({@link InstanceStoredHook}, {@link SeriesStableHook},
 * {@link StudyStableHook}) are called on the plugin's own thread from a bounded queue: a slow or
 * failing plugin never slows or fails an ingest. Intervention hooks ({@link IngestInterceptor},
 * {@link QueryRetrieveHook}) are called while the archive waits, under a time budget. HTTP endpoints
 * ({@link PluginEndpoint}) are served under {@code /plugins/<name>/}. Since 0.2.0 a plugin may show counters of its
 * own in {@code mosaic:plugin-list} ({@link PluginMetrics}).
 *
 * <p>The reference, hook by hook (when it fires, what it may do, what it may return), is
 * {@code docs/plugin-guide.md}.
 *
 * <p>0.2.0: {@link QueryRetrieveInterception}, the service through which the query and retrieve services call
 * the {@link QueryRetrieveHook}s.
 */
@Version("0.2.0")
package org.mosaicpacs.api.plugin;

import org.osgi.annotation.versioning.Version;
