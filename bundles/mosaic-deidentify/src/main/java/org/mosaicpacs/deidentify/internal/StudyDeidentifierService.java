package org.mosaicpacs.deidentify.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.api.deidentify.StudyDeidentifier;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.storage.StorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@link StudyDeidentifier} service: {@link StudyDeidentification} with the archive's index, ingest service
 * and storage backends and the Annex E {@link Deidentifier}; registered while those are present (what
 * {@code mosaic:deidentify} and the DICOMweb endpoint use).
 */
@Component(service = StudyDeidentifier.class)
public final class StudyDeidentifierService implements StudyDeidentifier {

    private final ArchiveIndex index;
    private final IngestService ingest;
    private final Deidentifier deidentifier;
    private final List<StorageBackend> backends = new CopyOnWriteArrayList<>();

    @Activate
    public StudyDeidentifierService(@Reference ArchiveIndex index, @Reference IngestService ingest,
                                    @Reference(target = "(" + Deidentifier.TYPE_PROPERTY + "=annex-e)")
                                    Deidentifier deidentifier) {
        this.index = index;
        this.ingest = ingest;
        this.deidentifier = deidentifier;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addBackend(StorageBackend backend) {
        backends.add(backend);
    }

    void removeBackend(StorageBackend backend) {
        backends.remove(backend);
    }

    @Override
    public Set<String> profiles() {
        return deidentifier.profiles();
    }

    @Override
    public Optional<StudyCopy> deidentifyStudy(String studyInstanceUID, String profile)
            throws DeidentificationException {
        if (!deidentifier.profiles().contains(profile)) {
            throw new DeidentificationException("unknown profile '" + profile + "'; profiles: " + profiles());
        }
        StudyDeidentification.Outcome o = new StudyDeidentification(index, this::backend, ingest, deidentifier)
                .deidentify(studyInstanceUID.strip(), profile);
        if (o.notFound()) {
            return Optional.empty();
        }
        return Optional.of(new StudyCopy(o.originalStudyInstanceUID(), o.studyInstanceUID(), o.copied(), o.problems()));
    }

    private StorageBackend backend(String id) {
        for (StorageBackend b : backends) {
            if (b.id().equals(id)) {
                return b;
            }
        }
        return null;
    }
}
