package org.mosaicpacs.api.health;

import java.util.Objects;

/**
 * One line of the health report: a Mosaic component (a Declarative Services component of a Mosaic
 * bundle) or a {@link HealthIndicator}.
 *
 * @param name   component name or indicator name
 * @param bundle symbolic name of the bundle that provides it
 * @param state  its state
 * @param detail what an admin should know (the DS state, a missing reference, a failure message)
 */
public record ComponentHealth(String name, String bundle, HealthState state, String detail) {

    public ComponentHealth {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        bundle = bundle == null ? "" : bundle;
        detail = detail == null ? "" : detail;
    }
}
