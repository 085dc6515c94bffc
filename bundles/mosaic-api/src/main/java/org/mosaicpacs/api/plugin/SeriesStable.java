package org.mosaicpacs.api.plugin;

import java.time.Instant;
import java.util.Objects;

/**
 * A series received no new instance for the configured time ({@code seriesStableSeconds}).
 *
 * @param studyInstanceUID  its study
 * @param seriesInstanceUID the series
 * @param lastStored        when its last instance was stored
 * @param instancesStored   how many instances were stored into it since it last became stable (at least 1);
 *                          use the index for the series' full content
 */
public record SeriesStable(String studyInstanceUID, String seriesInstanceUID, Instant lastStored, int instancesStored) {

    public SeriesStable {
        Objects.requireNonNull(studyInstanceUID, "studyInstanceUID");
        Objects.requireNonNull(seriesInstanceUID, "seriesInstanceUID");
        Objects.requireNonNull(lastStored, "lastStored");
    }
}
