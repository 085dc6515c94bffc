package org.mosaicpacs.api.plugin;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Notification hook: a study is stable (no new instance in any of its series for {@code
 * studyStableSeconds}, configuration {@code org.mosaicpacs.plugins}).
 *
 * <ul>
 * <li><b>When:</b> as {@link SeriesStableHook}, for the study; survives restarts the same way.</li>
 * <li><b>May do:</b> anything, on the plugin's own thread.</li>
 * <li><b>Returns:</b> nothing. An exception is logged and counted; the event is not retried.</li>
 * </ul>
 */
@ConsumerType
@FunctionalInterface
public interface StudyStableHook {

    void studyStable(StudyStable event) throws Exception;
}
