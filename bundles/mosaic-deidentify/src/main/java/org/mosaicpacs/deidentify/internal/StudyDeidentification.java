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
        if (deidentifier instanceof AnnexEDeidentifier annexE) {
            return batched(studyInstanceUID, profile, instances, annexE);
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

    /** The most instances, and bytes of de-identified copies, held in memory for one commit of their mappings. */
    static final int BATCH_INSTANCES = 100;
    static final long BATCH_BYTES = 64L * 1024 * 1024;

    /**
     * The study in batches (at most {@value #BATCH_INSTANCES} instances or {@value #BATCH_BYTES} bytes): each batch
     * is de-identified in memory, its mappings are committed in one transaction, and only then are its copies
     * ingested. A crash before the commit leaves nothing recorded and nothing stored, and a new run gives the same
     * UIDs (they depend only on the project's secret, committed before the first batch); a crash after it leaves
     * mappings of copies not stored yet, which the next run finds already recorded.
     */
    private Outcome batched(String studyInstanceUID, String profile, List<InstanceLocation> instances,
                            AnnexEDeidentifier annexE) {
        List<String> problems = new ArrayList<>();
        AnnexEDeidentifier.Batch batch;
        try {
            batch = annexE.batch(profile);
        } catch (DeidentificationException e) {
            return new Outcome(studyInstanceUID, "", 0, List.of(e.getMessage()));
        }
        String newStudy = "";
        int copied = 0;
        List<Object[]> pending = new ArrayList<>(); // {original SOP Instance UID, copy bytes, DeidentifiedInstance}
        long pendingBytes = 0;
        for (int k = 0; k < instances.size(); k++) {
            InstanceLocation i = instances.get(k);
            StorageBackend backend = backends.apply(i.location().storageId());
            if (backend == null) {
                problems.add(i.sopInstanceUID() + ": storage backend " + i.location().storageId() + " is not available");
            } else {
                ByteArrayOutputStream copy = new ByteArrayOutputStream(64 * 1024);
                try (InputStream in = backend.read(i.location().key())) {
                    DeidentifiedInstance d = batch.deidentify(in, copy);
                    pending.add(new Object[] {i.sopInstanceUID(), copy.toByteArray(), d});
                    pendingBytes += copy.size();
                } catch (IOException e) {
                    problems.add(i.sopInstanceUID() + ": cannot be read: " + e.getMessage());
                } catch (DeidentificationException e) {
                    problems.add(i.sopInstanceUID() + ": " + e.getMessage());
                }
            }
            boolean last = k == instances.size() - 1;
            if (!pending.isEmpty() && (last || pending.size() >= BATCH_INSTANCES || pendingBytes >= BATCH_BYTES)) {
                try {
                    batch.commit();
                } catch (DeidentificationException e) {
                    for (Object[] p : pending) {
                        problems.add(p[0] + ": " + e.getMessage());
                    }
                    pending.clear();
                    pendingBytes = 0;
                    continue;
                }
                for (Object[] p : pending) {
                    IngestResult r = ingest.ingest(new ByteArrayInputStream((byte[]) p[1]), new Origin(ORIGIN, ORIGIN, ""));
                    if (!r.outcome().isAcknowledged()) {
                        problems.add(p[0] + ": the archive did not store the copy: " + r.outcome() + " " + r.message());
                        continue;
                    }
                    newStudy = ((DeidentifiedInstance) p[2]).studyInstanceUID();
                    copied++;
                }
                pending.clear();
                pendingBytes = 0;
            }
        }
        return new Outcome(studyInstanceUID, newStudy, copied, problems);
    }
}
