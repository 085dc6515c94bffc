package org.mosaicpacs.health.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.health.ComponentHealth;
import org.mosaicpacs.api.health.HealthState;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

class ComponentStatesTest {

    private static ComponentDescriptionDTO description(String policy) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = "org.mosaicpacs.Example";
        d.configurationPolicy = policy;
        d.configurationPid = new String[] {"org.mosaicpacs.example"};
        d.bundle = new BundleDTO();
        d.bundle.symbolicName = "mosaic-example";
        return d;
    }

    private static ComponentConfigurationDTO configuration(int state) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        return c;
    }

    @Test
    void activeComponentIsUp() {
        List<ComponentHealth> lines = ComponentStates.of(description("optional"),
                List.of(configuration(ComponentConfigurationDTO.ACTIVE)), true);
        assertEquals(List.of(new ComponentHealth("org.mosaicpacs.Example", "mosaic-example", HealthState.UP, "active")),
                lines);
    }

    @Test
    void missingReferenceIsDownAndNamesWhatIsMissing() {
        ComponentConfigurationDTO c = configuration(ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        UnsatisfiedReferenceDTO ref = new UnsatisfiedReferenceDTO();
        ref.name = "dataSource";
        ref.target = "(dataSourceName=mosaic)";
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {ref};

        ComponentHealth line = ComponentStates.of(description("optional"), List.of(c), true).get(0);

        assertEquals(HealthState.DOWN, line.state());
        assertEquals("missing dataSource (dataSourceName=mosaic)", line.detail());
    }

    @Test
    void failedActivationIsDownWithTheFailure() {
        ComponentConfigurationDTO c = configuration(ComponentConfigurationDTO.FAILED_ACTIVATION);
        c.failure = "java.io.IOException: disk full";

        ComponentHealth line = ComponentStates.of(description("optional"), List.of(c), true).get(0);

        assertEquals(HealthState.DOWN, line.state());
        assertEquals("failed to activate: java.io.IOException: disk full", line.detail());
    }

    @Test
    void componentWaitingForItsConfigurationIsInactiveNotDown() {
        ComponentHealth line = ComponentStates.of(description("require"), List.of(), true).get(0);

        assertEquals(HealthState.INACTIVE, line.state());
        assertEquals("waiting for configuration org.mosaicpacs.example", line.detail());
    }

    @Test
    void disabledComponentIsInactive() {
        assertEquals(HealthState.INACTIVE,
                ComponentStates.of(description("optional"), List.of(), false).get(0).state());
    }
}
