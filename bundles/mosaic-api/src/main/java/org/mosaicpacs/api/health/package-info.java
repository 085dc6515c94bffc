/**
 * Health of the running archive.
 *
 * <p>Any bundle may register a {@link org.mosaicpacs.api.health.HealthIndicator} service to report on
 * something it owns (a database, a storage backend, a network listener). The health bundle collects
 * them, together with the state of every Mosaic component, into a
 * {@link org.mosaicpacs.api.health.HealthReport} offered by the
 * {@link org.mosaicpacs.api.health.HealthService}; {@code GET /health} and {@code mosaic:health}
 * show that report.
 */
@Version("0.1.0")
package org.mosaicpacs.api.health;

import org.osgi.annotation.versioning.Version;
