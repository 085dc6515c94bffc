package ${package};

import java.io.File;

import org.mosaicpacs.api.health.Health;
import org.mosaicpacs.api.health.HealthIndicator;
import org.mosaicpacs.api.health.HealthState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A Mosaic PACS plugin: one class implementing one interface of the Mosaic API.
 *
 * <p>This one is a {@link HealthIndicator}: it reports DOWN in {@code GET /health} and
 * {@code mosaic:health} when a folder has less free space than configured. Replace the body with
 * your own work; the DS annotations make it a component that the archive finds on its own.
 */
@Component(service = HealthIndicator.class)
@Designate(ocd = ${pluginClass}.Config.class)
public class ${pluginClass} implements HealthIndicator {

    @ObjectClassDefinition(name = "${artifactId}", description = "Free space check of one folder")
    public @interface Config {

        @AttributeDefinition(name = "Folder", description = "The folder whose file system is checked")
        String folder() default ".";

        @AttributeDefinition(name = "Minimum free MiB", description = "Below this, the check reports DOWN")
        long minimumFreeMiB() default 1024;
    }

    private final File folder;
    private final long minimumFreeBytes;

    @Activate
    public ${pluginClass}(Config config) {
        this.folder = new File(config.folder());
        this.minimumFreeBytes = config.minimumFreeMiB() * 1024 * 1024;
    }

    @Override
    public String name() {
        return "free space of " + folder.getAbsolutePath();
    }

    @Override
    public Health health() {
        long free = folder.getUsableSpace();
        String detail = (free / (1024 * 1024)) + " MiB free, " + (minimumFreeBytes / (1024 * 1024)) + " MiB needed";
        return new Health(free >= minimumFreeBytes ? HealthState.UP : HealthState.DOWN, detail);
    }
}
