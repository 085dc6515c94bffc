package org.mosaicpacs.dimse.internal;

import java.util.ArrayList;
import java.util.List;

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
                configuration.deidentifyOnStore(), webClients(configuration.webClients())));
    }

    /** The list as configured: one value per entry, or (as `mosaic:ae-add` and .cfg files may give) commas inside. */
    static List<String> webClients(String[] configured) {
        List<String> list = new ArrayList<>();
        if (configured != null) {
            for (String v : configured) {
                for (String s : v.split(",")) {
                    if (!s.isBlank()) {
                        list.add(s.strip());
                    }
                }
            }
        }
        return list;
    }

    RemoteAEEntry(RemoteApplicationEntity ae) {
        this.ae = ae;
    }

    RemoteApplicationEntity ae() {
        return ae;
    }
}
