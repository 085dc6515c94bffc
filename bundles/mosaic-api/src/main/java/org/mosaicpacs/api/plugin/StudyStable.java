package org.mosaicpacs.api.plugin;

import java.time.Instant;
import java.util.Objects;

/**
 * A study received no new instance for the configured time ({@code studyStableSeconds}).
 *
 * @param studyInstanceUID the study
 * @param lastStored       when its last instance was stored
 * @param instancesStored  how many instances were stored into it since it last became stable (at least 1)
 */
public record StudyStable(String studyInstanceUID, Instant lastStored, int instancesStored) {

    public StudyStable {
        Objects.requireNonNull(studyInstanceUID, "studyInstanceUID");
        Objects.requireNonNull(lastStored, "lastStored");
    }
}
