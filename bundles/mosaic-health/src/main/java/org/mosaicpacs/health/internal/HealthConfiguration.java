package org.mosaicpacs.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Mosaic PACS health",
        description = "How the health report (GET /health, mosaic:health) decides that the archive is up.")
public @interface HealthConfiguration {

    @AttributeDefinition(
            name = "Wait for boot",
            description = "Report STARTING (HTTP 503) until Karaf has installed and started every boot feature. "
                    + "Turn off only when running outside a Karaf distribution.")
    boolean requireBootFinished() default true;
}
