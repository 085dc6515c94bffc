package org.mosaicpacs.api.plugin;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Notification hook: a series is stable (no new instance for {@code seriesStableSeconds}, configuration
 * {@code org.mosaicpacs.plugins}).
 *
 * <ul>
 * <li><b>When:</b> within about a second after the quiet time has passed since the series' last stored
 * instance. The pending series are kept in a file under {@code ${mosaic.data}/plugins}, so a restart does
 * not lose them: a series whose time passed while the archive was down is reported soon after the start.
 * When a new instance arrives after the event, the series becomes pending again and is reported again.</li>
 * <li><b>May do:</b> anything, including slow work (query the index for the series, read its instances),
 * on the plugin's own thread, as for {@link InstanceStoredHook}.</li>
 * <li><b>Returns:</b> nothing. An exception is logged and counted; the event is not retried.</li>
 * </ul>
 */
@ConsumerType
@FunctionalInterface
public interface SeriesStableHook {

    void seriesStable(SeriesStable event) throws Exception;
}
