package org.mosaicpacs.api.health;

/** The state of one part of the archive, or of the whole. */
public enum HealthState {
    /** Working. */
    UP,
    /** Not working yet: still starting, or waiting for something it needs. */
    STARTING,
    /** Deliberately not running (for example waiting for a configuration); does not make the archive unhealthy. */
    INACTIVE,
    /** Broken: the archive cannot do what this part is for. */
    DOWN;

    /** Whether a part in this state lets the archive as a whole count as healthy. */
    public boolean isHealthy() {
        return this == UP || this == INACTIVE;
    }
}
