package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.health.HealthState;

class ${pluginClass}Test {

    private static ${pluginClass}.Config config(long minimumFreeMiB) {
        return new ${pluginClass}.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ${pluginClass}.Config.class;
            }

            @Override
            public String folder() {
                return ".";
            }

            @Override
            public long minimumFreeMiB() {
                return minimumFreeMiB;
            }
        };
    }

    @Test
    void upWhenEnoughSpaceIsFree() {
        assertEquals(HealthState.UP, new ${pluginClass}(config(0)).health().state());
    }

    @Test
    void downWhenLessSpaceIsFreeThanNeeded() {
        assertEquals(HealthState.DOWN, new ${pluginClass}(config(Long.MAX_VALUE / (1024 * 1024))).health().state());
    }
}
