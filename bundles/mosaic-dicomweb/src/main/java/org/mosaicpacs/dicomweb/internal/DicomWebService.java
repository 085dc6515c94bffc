package org.mosaicpacs.dicomweb.internal;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.servlet.Servlet;

import org.mosaicpacs.api.config.SystemProperties;
import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.api.deidentify.StudyDeidentifier;
import org.mosaicpacs.api.event.InstanceStored;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.InstanceStoredListener;
import org.mosaicpacs.api.plugin.QueryRetrieveInterception;
import org.mosaicpacs.api.storage.StorageBackend;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.http.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOMweb service: registers the {@link DicomWebServlet} with the HTTP whiteboard under the configured
 * path prefix, and listens to stored instances to drop the metadata of their series. The index, the ingest
 * service and the storage backends are dynamic references: while one is missing, the requests that need
 * it are answered 503 and the others keep working.
 */
@RequireHttpWhiteboard
@Component(service = InstanceStoredListener.class, configurationPid = DicomWebService.PID, immediate = true)
@Designate(ocd = DicomWebConfiguration.class)
public final class DicomWebService implements InstanceStoredListener {

    static final String PID = "org.mosaicpacs.dicomweb";
    private static final Logger LOG = LoggerFactory.getLogger(DicomWebService.class);

    private final Map<String, StorageBackend> backends = new ConcurrentHashMap<>();
    private volatile ArchiveIndex index;
    private volatile IngestService ingest;
    private volatile StudyDeidentifier studyDeidentifier;
    private volatile QueryRetrieveInterception queryRetrieve;
    private volatile Deidentifier deidentifier;
    private volatile RemoteApplicationEntities remoteAEs;

    private final MetadataStore metadata;
    private final ServiceRegistration<Servlet> registration;

    @Activate
    public DicomWebService(BundleContext context, DicomWebConfiguration configuration) {
        String prefix = configuration.pathPrefix().trim();
        if (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("*")) {
            throw new IllegalArgumentException("pathPrefix must start with '/' and not end with '/': " + prefix);
        }
        Set<String> origins = new LinkedHashSet<>();
        for (String o : configuration.corsOrigins()) {
            for (String s : o.split(",")) {
                if (!s.isBlank()) {
                    origins.add(s.trim());
                }
            }
        }
        this.metadata = new MetadataStore(Path.of(SystemProperties.expand(configuration.metadataCacheDirectory())),
                configuration.bulkDataThreshold());
        Archive archive = new Archive(() -> index, () -> ingest, backends::get, () -> queryRetrieve);
        DicomWebServlet servlet = new DicomWebServlet(archive, new DicomWebServlet.Settings(
                Math.max(1, configuration.maxResults()), Set.copyOf(origins), configuration.bulkDataThreshold()),
                metadata, () -> studyDeidentifier, new WebClients(() -> remoteAEs), () -> deidentifier);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, prefix + "/*");
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "mosaic-dicomweb");
        this.registration = context.registerService(Servlet.class, servlet, properties);
        LOG.info("DICOMweb at {}", prefix);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindIndex(ArchiveIndex index) {
        this.index = index;
    }

    void unbindIndex(ArchiveIndex index) {
        if (this.index == index) {
            this.index = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindIngest(IngestService ingest) {
        this.ingest = ingest;
    }

    void unbindIngest(IngestService ingest) {
        if (this.ingest == ingest) {
            this.ingest = null;
        }
    }

    /** The optional feature mosaic-deidentify: POST .../studies/{uid}/deidentify answers 503 while it is absent. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStudyDeidentifier(StudyDeidentifier s) {
        this.studyDeidentifier = s;
    }

    void unbindStudyDeidentifier(StudyDeidentifier s) {
        if (this.studyDeidentifier == s) {
            this.studyDeidentifier = null;
        }
    }

    /** The plugin runtime's query/retrieve hooks (QIDO-RS, WADO-RS, WADO-URI); while absent, no hook is asked. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindQueryRetrieve(QueryRetrieveInterception q) {
        this.queryRetrieve = q;
    }

    void unbindQueryRetrieve(QueryRetrieveInterception q) {
        if (this.queryRetrieve == q) {
            this.queryRetrieve = null;
        }
    }

    /**
     * The de-identifier of mosaic-deidentify: what clients marked for de-identification retrieve goes through it;
     * while it is absent they are answered 503 (nothing identified is sent to them).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDeidentifier(Deidentifier d) {
        this.deidentifier = d;
    }

    void unbindDeidentifier(Deidentifier d) {
        if (this.deidentifier == d) {
            this.deidentifier = null;
        }
    }

    /**
     * The remote AEs of mosaic-dimse: a client whose address is one of a marked AE's web clients gets de-identified
     * data; while the configuration is absent, retrievals are answered 503 (it cannot be told who is marked).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRemoteAEs(RemoteApplicationEntities aes) {
        this.remoteAEs = aes;
    }

    void unbindRemoteAEs(RemoteApplicationEntities aes) {
        if (this.remoteAEs == aes) {
            this.remoteAEs = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStorage(StorageBackend backend) {
        backends.put(backend.id(), backend);
    }

    void unbindStorage(StorageBackend backend) {
        backends.remove(backend.id(), backend);
    }

    @Override
    public void instanceStored(InstanceStored event) {
        metadata.invalidate(event.instance().studyInstanceUID(), event.instance().seriesInstanceUID());
    }
}
