package org.mosaicpacs.deidentify.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.api.deidentify.DeidentifiedInstance;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;

/**
 * De-identified copies of archived studies: each instance of a study is read from its storage backend,
 * de-identified with a profile and ingested as a new instance (of a new study) through the
 * {@link IngestService}, so the copy is stored, indexed, findable and retrievable like any other.
 */
public final class StudyDeidentification {

    /** The calling AE title recorded as the origin of the copies. */
    public static final String ORIGIN = "DEIDENTIFY";

    /**
     * What became of one study.
     *
     * @param originalStudyInstanceUID the study asked for
     * @param studyInstanceUID         the new study, or empty when no instance was copied
     * @param copied                   instances de-identified and acknowledged by the ingest
     * @param problems                 one line per instance that was not copied
     */
    public record Outcome(String originalStudyInstanceUID, String studyInstanceUID, int copied, List<String> problems) {

        /** Whether the archive has no such study. */
        public boolean notFound() {
            return copied == 0 && problems.equals(List.of(NOT_FOUND));
        }
    }

    /** The problem of a study the archive does not have. */
    static final String NOT_FOUND = "no such study in the archive";

    private final ArchiveIndex index;
    private final Function<String, StorageBackend> backends;
    private final IngestService ingest;
    private final Deidentifier deidentifier;

    public StudyDeidentification(ArchiveIndex index, Function<String, StorageBackend> backends, IngestService ingest,
                                 Deidentifier deidentifier) {
        this.index = index;
        this.backends = backends;
        this.ingest = ingest;
        this.deidentifier = deidentifier;
    }

    public Outcome deidentify(String studyInstanceUID, String profile) {
        List<String> problems = new ArrayList<>();
        List<InstanceLocation> instances;
        try {
            instances = index.locate(studyInstanceUID, null, null);
        } catch (IndexException e) {
            return new Outcome(studyInstanceUID, "", 0, List.of("the index failed: " + e.getMessage()));
        }
        if (instances.isEmpty()) {
            return new Outcome(studyInstanceUID, "", 0, List.of(NOT_FOUND));
        }
        String newStudy = "";
        int copied = 0;
        for (InstanceLocation i : instances) {
            StorageBackend backend = backends.apply(i.location().storageId());
            if (backend == null) {
                problems.add(i.sopInstanceUID() + ": storage backend " + i.location().storageId() + " is not available");
                continue;
            }
            ByteArrayOutputStream copy = new ByteArrayOutputStream(64 * 1024);
            DeidentifiedInstance d;
            try (InputStream in = backend.read(i.location().key())) {
                d = deidentifier.deidentify(in, copy, profile);
            } catch (IOException e) {
                problems.add(i.sopInstanceUID() + ": cannot be read: " + e.getMessage());
                continue;
            } catch (DeidentificationException e) {
                problems.add(i.sopInstanceUID() + ": " + e.getMessage());
                continue;
            }
            IngestResult r = ingest.ingest(new ByteArrayInputStream(copy.toByteArray()), new Origin(ORIGIN, ORIGIN, ""));
            if (!r.outcome().isAcknowledged()) {
                problems.add(i.sopInstanceUID() + ": the archive did not store the copy: " + r.outcome() + " " + r.message());
                continue;
            }
            newStudy = d.studyInstanceUID();
            copied++;
        }
        return new Outcome(studyInstanceUID, newStudy, copied, problems);
    }
}
