package org.mosaicpacs.dimse.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.ServiceClassUser;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.api.health.Health;
import org.mosaicpacs.api.health.HealthIndicator;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.plugin.QueryRetrieveInterception;
import org.mosaicpacs.api.storage.StorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOM services of the archive AE (PID {@value #PID}). Listens from activation to deactivation; a
 * configuration change deactivates and activates it again (the port is released and bound anew).
 *
 * <p>The archive's services are dynamic, optional references, bound before activation: while one is
 * missing the AE keeps answering (C-ECHO works, the others answer with a failure status) instead of
 * closing its port. That is why this component activates with a method rather than a constructor: the
 * listener must start after the references are bound. Also a {@link HealthIndicator}: UP while listening; and
 * the archive's {@link ServiceClassUser} towards the remote AEs (with its AE title and TLS key material).
 */
@Component(service = {HealthIndicator.class, ServiceClassUser.class}, configurationPid = DimseServices.PID)
@Designate(ocd = DimseConfiguration.class)
public final class DimseServices implements HealthIndicator, ServiceClassUser {

    static final String PID = "org.mosaicpacs.dimse";
    private static final Logger LOG = LoggerFactory.getLogger(DimseServices.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile IngestService ingest;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ArchiveIndex index;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<StorageBackend> storage;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RemoteApplicationEntities remoteAEs;

    /** For remote AEs marked to have what they retrieve or store de-identified; while absent, those fail. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Deidentifier deidentifier;

    /** The plugin runtime's query/retrieve hooks; while absent, queries and retrieves go on without them. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile QueryRetrieveInterception queryRetrieve;

    private volatile Requester requester;

    private volatile ArchiveAE ae;
    private volatile String problem = "not started";
    private volatile String description = "";

    @Activate
    void activate(DimseConfiguration configuration) {
        ArchiveAE.Settings settings;
        NetworkSettings network;
        try {
            settings = ArchiveAE.settings(configuration, () -> remoteAEs);
            network = NetworkSettings.of(configuration);
        } catch (RuntimeException e) {
            problem = "invalid configuration: " + e.getMessage();
            LOG.error("DICOM services not started: {}", problem);
            return;
        }
        description = ArchiveAE.describe(settings) + (network.tlsPort() < 0 ? "" : ", TLS port " + network.tlsPort())
                + (network.acceptOnlyRemoteAEs() ? ", only configured remote AEs may call" : "");
        requester = new Requester(settings.aeTitle(), () -> remoteAEs, network.sslContext(), network.tlsProtocols(),
                settings.responseTimeoutMillis(), this::backend, () -> deidentifier, settings.spoolDirectory());
        try {
            ae = new ArchiveAE(settings, network, () -> ingest, () -> index, this::backend, () -> remoteAEs,
                    () -> deidentifier, () -> queryRetrieve);
            problem = null;
        } catch (Exception e) {
            problem = "cannot listen on port " + settings.port() + ": " + e;
            LOG.error("DICOM AE {} not started: {}", settings.aeTitle(), problem);
        }
    }

    @Deactivate
    void deactivate() {
        ArchiveAE a = ae;
        ae = null;
        problem = "stopped";
        if (a != null) {
            a.close();
        }
        Requester r = requester;
        requester = null;
        if (r != null) {
            r.close();
        }
    }

    private Requester requester() {
        Requester r = requester;
        if (r == null) {
            throw new IllegalStateException("the DICOM services are not configured: " + problem);
        }
        return r;
    }

    @Override
    public VerificationResult verify(String aeTitle) throws IOException {
        return requester().verify(aeTitle);
    }

    @Override
    public List<StoreResult> store(String aeTitle, List<Path> files) throws IOException {
        return requester().store(aeTitle, files);
    }

    @Override
    public List<StoreResult> send(String aeTitle, List<InstanceLocation> instances) throws IOException {
        return requester().send(aeTitle, instances);
    }

    private StorageBackend backend(String id) {
        List<StorageBackend> list = storage;
        if (list != null) {
            for (StorageBackend b : list) {
                if (b.id().equals(id)) {
                    return b;
                }
            }
        }
        return null;
    }

    @Override
    public String name() {
        return "dicom";
    }

    @Override
    public Health health() {
        ArchiveAE a = ae;
        if (a == null) {
            return Health.down(problem == null ? "not listening" : problem);
        }
        String listening = "AE " + description + " (listening on " + a.port()
                + (a.tlsPort() < 0 ? "" : ", TLS on " + a.tlsPort()) + ")";
        // Listening is not serving: without the index or the ingest service C-STORE and C-FIND answer
        // failures, so the AE is not UP (a restart or a swapped DataSource shows here until they are bound).
        if (index == null || ingest == null) {
            return Health.down(listening + ", but the " + (index == null ? "index" : "ingest service")
                    + " is not available: C-STORE, C-FIND and retrieves fail");
        }
        return Health.up(listening);
    }
}
