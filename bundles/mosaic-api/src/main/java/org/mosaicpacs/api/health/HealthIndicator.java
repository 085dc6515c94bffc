package org.mosaicpacs.api.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service that reports on one thing a bundle owns. Register it as an OSGi service (a DS
 * {@code @Component} implementing this interface is enough); it appears in the health report while
 * registered.
 *
 * <p>When it is called: each time someone asks for the report ({@code GET /health},
 * {@code mosaic:health}). What it may do: a cheap check (a connection validity check, a file
 * system free-space look-up) that returns within a second; it must not block on the network for
 * longer. What it may return: a {@link Health}; an exception counts as {@link HealthState#DOWN}
 * with the exception's message.
 */
@ConsumerType
public interface HealthIndicator {

    /** The name shown in the report, e.g. {@code "datasource mosaic"}; stable and unique. */
    String name();

    /** The current health of the thing watched. */
    Health health();
}
