package org.mosaicpacs.dimse.internal;

import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One remote AE: a component per factory configuration {@value RemoteApplicationEntities#FACTORY_PID}, registered
 * so that {@link RemoteAEDirectory} collects it. An invalid configuration fails activation (logged by DS, and
 * shown as DOWN by the health report with the reason).
 */
@Component(service = RemoteAEEntry.class, configurationPid = RemoteApplicationEntities.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RemoteAEConfiguration.class, factory = true)
public final class RemoteAEEntry {

    private final RemoteApplicationEntity ae;

    @Activate
    public RemoteAEEntry(RemoteAEConfiguration configuration) {
        this(new RemoteApplicationEntity(configuration.aeTitle(), configuration.hostname(), configuration.port(),
                configuration.tls(), configuration.description(), configuration.deidentifyOnRetrieve(),
                configuration.deidentifyOnStore()));
    }

    RemoteAEEntry(RemoteApplicationEntity ae) {
        this.ae = ae;
    }

    RemoteApplicationEntity ae() {
        return ae;
    }
}
