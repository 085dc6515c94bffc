package org.mosaicpacs.health.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.mosaicpacs.api.health.ComponentHealth;
import org.mosaicpacs.api.health.HealthState;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/** Turns the Declarative Services runtime's view of a component into report lines. */
final class ComponentStates {

    private ComponentStates() {
    }

    /**
     * @param description    the component's description
     * @param configurations its configurations (empty when none exists)
     * @param enabled        whether the component is enabled
     * @return one line per configuration, or one line for a component without any
     */
    static List<ComponentHealth> of(ComponentDescriptionDTO description,
                                    List<ComponentConfigurationDTO> configurations, boolean enabled) {
        String bundle = description.bundle == null ? "" : description.bundle.symbolicName;
        if (!enabled) {
            return List.of(new ComponentHealth(description.name, bundle, HealthState.INACTIVE, "disabled"));
        }
        if (configurations.isEmpty()) {
            String why = "require".equals(description.configurationPolicy)
                    ? "waiting for configuration " + String.join(", ", description.configurationPid)
                    : "not yet activated";
            return List.of(new ComponentHealth(description.name, bundle, HealthState.INACTIVE, why));
        }
        List<ComponentHealth> lines = new ArrayList<>(configurations.size());
        for (ComponentConfigurationDTO configuration : configurations) {
            lines.add(new ComponentHealth(description.name, bundle, stateOf(configuration), detailOf(configuration)));
        }
        return lines;
    }

    static HealthState stateOf(ComponentConfigurationDTO configuration) {
        switch (configuration.state) {
            case ComponentConfigurationDTO.ACTIVE:
            case ComponentConfigurationDTO.SATISFIED:
                return HealthState.UP;
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return HealthState.INACTIVE;
            default: // UNSATISFIED_REFERENCE, FAILED_ACTIVATION
                return HealthState.DOWN;
        }
    }

    static String detailOf(ComponentConfigurationDTO configuration) {
        switch (configuration.state) {
            case ComponentConfigurationDTO.ACTIVE:
                return "active";
            case ComponentConfigurationDTO.SATISFIED:
                return "satisfied";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return "waiting for configuration";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                UnsatisfiedReferenceDTO[] missing = configuration.unsatisfiedReferences;
                return "missing "
                        + (missing == null ? "references" : Arrays.stream(missing)
                                .map(r -> r.name + (r.target == null ? "" : " " + r.target))
                                .collect(Collectors.joining(", ")));
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return "failed to activate: " + configuration.failure;
            default:
                return "state " + configuration.state;
        }
    }
}
