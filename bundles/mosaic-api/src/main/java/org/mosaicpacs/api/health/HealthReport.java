package org.mosaicpacs.api.health;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The health of the archive at one instant.
 *
 * @param state        {@link HealthState#UP} when the boot features are all installed and active and
 *                     every part is healthy; {@link HealthState#STARTING} while booting;
 *                     {@link HealthState#DOWN} when a part is down
 * @param bootFinished whether the container has finished installing its boot features
 * @param components   every Mosaic component and health indicator, sorted by bundle then name
 * @param problems     one line per reason the archive is not {@link HealthState#UP}
 * @param time         when the report was made
 */
public record HealthReport(HealthState state, boolean bootFinished, List<ComponentHealth> components,
                           List<String> problems, Instant time) {

    public HealthReport {
        Objects.requireNonNull(state, "state");
        components = List.copyOf(components);
        problems = List.copyOf(problems);
        Objects.requireNonNull(time, "time");
    }

    /** Whether the archive is ready to serve. */
    public boolean isUp() {
        return state == HealthState.UP;
    }
}
