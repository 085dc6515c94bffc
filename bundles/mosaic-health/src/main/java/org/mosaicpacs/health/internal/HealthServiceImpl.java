package org.mosaicpacs.health.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.karaf.features.BootFinished;
import org.mosaicpacs.api.health.ComponentHealth;
import org.mosaicpacs.api.health.Health;
import org.mosaicpacs.api.health.HealthIndicator;
import org.mosaicpacs.api.health.HealthReport;
import org.mosaicpacs.api.health.HealthService;
import org.mosaicpacs.api.health.HealthState;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Builds the health report from three sources: whether Karaf has finished its boot features (the
 * {@link BootFinished} service), the Declarative Services state of every component of a Mosaic bundle
 * (a bundle whose {@code Bundle-Vendor} is {@value #VENDOR}), and the registered
 * {@link HealthIndicator}s.
 */
@Component(service = HealthService.class, configurationPid = HealthServiceImpl.PID)
@Designate(ocd = HealthConfiguration.class)
public final class HealthServiceImpl implements HealthService {

    static final String PID = "org.mosaicpacs.health";
    static final String VENDOR = "Mosaic PACS";

    private final ServiceComponentRuntime runtime;
    private final BundleContext context;
    private final HealthConfiguration configuration;
    private final Clock clock = Clock.systemUTC();
    private final List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();
    private volatile BootFinished bootFinished;

    @Activate
    public HealthServiceImpl(@Reference ServiceComponentRuntime runtime, BundleContext context,
                             HealthConfiguration configuration) {
        this.runtime = runtime;
        this.context = context;
        this.configuration = configuration;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBootFinished(BootFinished service) {
        bootFinished = service;
    }

    void unbindBootFinished(BootFinished service) {
        if (bootFinished == service) {
            bootFinished = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addIndicator(HealthIndicator indicator) {
        indicators.add(indicator);
    }

    void removeIndicator(HealthIndicator indicator) {
        indicators.remove(indicator);
    }

    @Override
    public HealthReport report() {
        boolean booted = bootFinished != null || !configuration.requireBootFinished();
        List<String> problems = new ArrayList<>();
        List<ComponentHealth> lines = new ArrayList<>();

        for (Bundle bundle : mosaicBundles()) {
            if (bundle.getState() != Bundle.ACTIVE && !isFragment(bundle)) {
                problems.add("bundle " + bundle.getSymbolicName() + " is " + bundleState(bundle));
            }
        }
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(mosaicBundles())) {
            lines.addAll(ComponentStates.of(description,
                    List.copyOf(runtime.getComponentConfigurationDTOs(description)),
                    runtime.isComponentEnabled(description)));
        }
        for (HealthIndicator indicator : indicators) {
            lines.add(ask(indicator));
        }
        lines.sort(Comparator.comparing(ComponentHealth::bundle).thenComparing(ComponentHealth::name));
        for (ComponentHealth line : lines) {
            if (!line.state().isHealthy()) {
                problems.add(line.name() + ": " + line.detail());
            }
        }

        HealthState state;
        if (!booted) {
            problems.add(0, "Karaf has not finished installing its boot features");
            state = HealthState.STARTING;
        } else {
            state = problems.isEmpty() ? HealthState.UP : HealthState.DOWN;
        }
        return new HealthReport(state, booted, lines, problems, clock.instant());
    }

    private static ComponentHealth ask(HealthIndicator indicator) {
        String bundle = "";
        String name = indicator.getClass().getName();
        try {
            name = indicator.name();
            bundle = bundleOf(indicator);
            Health health = indicator.health();
            return new ComponentHealth(name, bundle, health.state(), health.detail());
        } catch (RuntimeException | LinkageError e) {
            return new ComponentHealth(name, bundle, HealthState.DOWN, "health check failed: " + e);
        }
    }

    private static String bundleOf(Object service) {
        Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(service.getClass());
        return bundle == null ? "" : bundle.getSymbolicName();
    }

    private Bundle[] mosaicBundles() {
        List<Bundle> mosaic = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (VENDOR.equals(bundle.getHeaders("").get(Constants.BUNDLE_VENDOR))) {
                mosaic.add(bundle);
            }
        }
        return mosaic.toArray(new Bundle[0]);
    }

    private static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }

    private static String bundleState(Bundle bundle) {
        switch (bundle.getState()) {
            case Bundle.INSTALLED: return "installed but not resolved";
            case Bundle.RESOLVED: return "resolved but not started";
            case Bundle.STARTING: return "starting";
            case Bundle.STOPPING: return "stopping";
            default: return "in state " + bundle.getState();
        }
    }
}
