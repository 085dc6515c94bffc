package org.mosaicpacs.api.plugin;

import org.mosaicpacs.api.event.InstanceStored;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Notification hook: an instance was stored or replaced.
 *
 * <ul>
 * <li><b>When:</b> after the instance is durable and its index rows are committed (its sender has
 * been or is being told so), once per stored or replaced instance; never for refused instances or
 * for a duplicate that was discarded. Events reach one plugin in the order they were stored, on the
 * plugin's own thread, never on the ingesting one.</li>
 * <li><b>May do:</b> anything, including slow work (read the instance back through {@code
 * ArchiveIndex.locate} and its {@code StorageBackend}, call another system). While it works, further
 * events wait in the plugin's bounded queue; when the queue is full, new events for this plugin are
 * dropped and counted ({@code mosaic:plugin-list}, column Dropped).</li>
 * <li><b>Returns:</b> nothing. An exception is logged and counted (column Failures); the event is not
 * retried and the archive is not affected.</li>
 * </ul>
 */
@ConsumerType
@FunctionalInterface
public interface InstanceStoredHook {

    void instanceStored(InstanceStored event) throws Exception;
}
