package org.mosaicpacs.api.health;

import org.osgi.annotation.versioning.ProviderType;

/** Makes {@link HealthReport}s. Offered by the {@code mosaic-health} bundle. */
@ProviderType
public interface HealthService {

    /** A fresh report; calls every registered {@link HealthIndicator}. */
    HealthReport report();
}
