package org.mosaicpacs.archive.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.mosaicpacs.api.event.InstanceStored;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.index.StoreOutcome;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestResult.Outcome;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.InstanceStoredListener;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.io.DicomParseException;
import org.mosaicpacs.dicom.io.DicomReadLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest pipeline, without OSGi: parse the header, validate, coerce, write to the storage backend
 * (durable when {@code write} returns), index with the duplicate policy, tell the listeners.
 *
 * <p>Order of the two halves and what a failure leaves: an intent is recorded in the journal, then the
 * bytes are written, then the index commits, then the intent is forgotten. If indexing fails the written
 * object is deleted. If the process dies between the write and the commit, the object is in storage
 * with no index row and the intent names it; {@link #reconcile} (run when the archive starts) deletes it.
 * The sender got no success for it, so nothing acknowledged is lost.
 */
final class IngestPipeline implements IngestService {

    private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);
    private static final Pattern UID_PATTERN = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    /** What the pipeline works with; the component passes its dynamic references. */
    record Settings(String storageId, DuplicatePolicy policy, boolean requirePatientID, List<Coercion> coercions) {
    }

    private final Settings settings;
    private final Supplier<ArchiveIndex> index;
    private final Function<String, StorageBackend> backends;
    private final Supplier<Collection<InstanceStoredListener>> listeners;
    private final IngestJournal journal;
    private final AtomicLong revision = new AtomicLong();

    IngestPipeline(Settings settings, Supplier<ArchiveIndex> index, Function<String, StorageBackend> backends,
                   Supplier<Collection<InstanceStoredListener>> listeners, IngestJournal journal) {
        this.settings = settings;
        this.index = index;
        this.backends = backends;
        this.listeners = listeners;
        this.journal = journal;
    }

    @Override
    public IngestResult ingest(InputStream part10Stream, Origin origin) {
        Path spool;
        try {
            spool = Files.createTempFile(journal.directory(), "stream-", ".part");
        } catch (IOException e) {
            return IngestResult.of(Outcome.STORAGE_UNAVAILABLE, "cannot spool: " + e.getMessage());
        }
        try {
            try {
                Files.copy(part10Stream, spool, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                return IngestResult.of(Outcome.CANNOT_UNDERSTAND, "cannot read the data: " + e.getMessage());
            }
            return ingest(spool, origin);
        } finally {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException e) {
                LOG.warn("cannot delete {}", spool);
            }
        }
    }

    @Override
    public IngestResult ingest(Path file, Origin origin) {
        // 1. parse the file meta information and the header (up to Pixel Data)
        Attributes fmi;
        Attributes header;
        String tsuid;
        try (DicomInputStream in = new DicomInputStream(file)) {
            in.setLimits(DicomReadLimits.DEFAULT);
            fmi = in.readFileMetaInformation();
            tsuid = in.getTransferSyntax();
            header = in.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
        } catch (DicomParseException e) {
            return IngestResult.of(Outcome.CANNOT_UNDERSTAND, "cannot parse: " + e.getMessage());
        } catch (IOException e) {
            return IngestResult.of(Outcome.CANNOT_UNDERSTAND, "cannot read: " + e.getMessage());
        }
        if (fmi == null || tsuid == null) {
            return IngestResult.of(Outcome.CANNOT_UNDERSTAND, "no file meta information");
        }
        // 2. validate
        String problem = validate(fmi, header);
        if (problem != null) {
            return IngestResult.of(Outcome.INVALID, problem);
        }
        // 3. coerce
        boolean coerced = false;
        for (Coercion c : settings.coercions()) {
            coerced |= c.apply(header);
        }
        ArchiveIndex idx = index.get();
        if (idx == null) {
            return IngestResult.of(Outcome.PROCESSING_FAILURE, "the index is not available");
        }
        StorageBackend backend = backends.apply(settings.storageId());
        if (backend == null) {
            return IngestResult.of(Outcome.STORAGE_UNAVAILABLE, "storage " + settings.storageId() + " is not available");
        }
        String study = header.getString(Tag.StudyInstanceUID);
        String series = header.getString(Tag.SeriesInstanceUID);
        String sop = header.getString(Tag.SOPInstanceUID);
        StorageKey key = StorageKey.forInstance(study, series, sop,
                System.currentTimeMillis() + "-" + revision.incrementAndGet());
        // 4. durable write, under a journal intent
        IngestJournal.Intent intent;
        try {
            intent = journal.begin(backend.id(), key.value(), study, series, sop);
        } catch (IOException e) {
            return IngestResult.of(Outcome.STORAGE_UNAVAILABLE, "cannot write the ingest journal: " + e.getMessage());
        }
        StoredObject stored;
        try (InputStream data = coerced ? coercedCopy(file, fmi, header, tsuid) : Files.newInputStream(file)) {
            stored = backend.write(key, data);
        } catch (IOException | RuntimeException e) {
            LOG.warn("storing {} in {} failed", sop, backend.id(), e);
            journal.end(intent);
            return IngestResult.of(Outcome.STORAGE_UNAVAILABLE, "storage failed: " + e.getMessage());
        }
        // 5. index; on failure delete what was written
        StoreOutcome outcome;
        try {
            outcome = idx.store(header, StorageLocation.of(stored, tsuid), settings.policy());
        } catch (IndexException | RuntimeException e) {
            LOG.warn("indexing {} failed; deleting its stored copy", sop, e);
            if (deleteQuietly(backend, key)) {
                journal.end(intent);
            }
            boolean invalid = e instanceof IndexException ie && ie.isInvalidRequest();
            return IngestResult.of(invalid ? Outcome.INVALID : Outcome.PROCESSING_FAILURE,
                    (invalid ? "" : "index failed: ") + e.getMessage());
        }
        journal.end(intent);
        // 6. the copy nothing points to any more
        outcome.orphan().ifPresent(o -> {
            StorageBackend b = o.storageId().equals(backend.id()) ? backend : backends.apply(o.storageId());
            if (b == null || !deleteQuietly(b, o.key())) {
                LOG.warn("orphan {} in {} not deleted", o.key(), o.storageId());
            }
        });
        InstanceLocation indexed = outcome.indexed();
        IngestResult result = switch (outcome.result()) {
            case STORED -> new IngestResult(Outcome.STORED, "", Optional.of(indexed));
            case REPLACED -> new IngestResult(Outcome.REPLACED, "replaced the copy stored before", Optional.of(indexed));
            case KEPT_FIRST -> new IngestResult(Outcome.KEPT_FIRST, "duplicate: the first copy was kept", Optional.of(indexed));
            case REJECTED -> IngestResult.of(Outcome.REJECTED_DUPLICATE, "duplicate SOP instance " + sop);
        };
        if (outcome.result() == StoreOutcome.Result.STORED || outcome.result() == StoreOutcome.Result.REPLACED) {
            publish(new InstanceStored(indexed, outcome.result(), origin.callingAETitle(), origin.calledAETitle()));
        }
        return result;
    }

    private String validate(Attributes fmi, Attributes header) {
        for (int tag : new int[] {Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.StudyInstanceUID, Tag.SeriesInstanceUID}) {
            String uid = header.getString(tag);
            if (uid == null || uid.isEmpty()) {
                return "missing " + Tag.toString(tag);
            }
            if (uid.length() > 64 || !UID_PATTERN.matcher(uid).matches()) {
                return "malformed UID in " + Tag.toString(tag);
            }
        }
        String mediaIuid = fmi.getString(Tag.MediaStorageSOPInstanceUID);
        if (mediaIuid != null && !mediaIuid.equals(header.getString(Tag.SOPInstanceUID))) {
            return "SOP Instance UID differs from the Affected SOP Instance UID";
        }
        String mediaCuid = fmi.getString(Tag.MediaStorageSOPClassUID);
        if (mediaCuid != null && !mediaCuid.equals(header.getString(Tag.SOPClassUID))) {
            return "SOP Class UID differs from the Affected SOP Class UID";
        }
        if (settings.requirePatientID()) {
            String pid = header.getString(Tag.PatientID);
            if (pid == null || pid.isBlank()) {
                return "missing Patient ID";
            }
        }
        return null;
    }

    /** The file with coerced attributes: the whole data set read and written again in its transfer syntax. */
    private static InputStream coercedCopy(Path file, Attributes fmi, Attributes coercedHeader, String tsuid)
            throws IOException {
        Attributes full;
        try (DicomInputStream in = new DicomInputStream(file)) {
            in.setLimits(DicomReadLimits.DEFAULT);
            in.readFileMetaInformation();
            full = in.readDataset();
        }
        full.addAll(coercedHeader);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DicomOutputStream dos = new DicomOutputStream(out, tsuid)) {
            dos.writeFileMetaInformation(fmi);
            dos.writeDataset(full);
            dos.finish();
        }
        return new ByteArrayInputStream(out.toByteArray());
    }

    private static boolean deleteQuietly(StorageBackend backend, StorageKey key) {
        try {
            backend.delete(key);
            return true;
        } catch (StorageException | RuntimeException e) {
            LOG.warn("cannot delete {} from {}", key, backend.id(), e);
            return false;
        }
    }

    private void publish(InstanceStored event) {
        for (InstanceStoredListener l : listeners.get()) {
            try {
                l.instanceStored(event);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("listener {} failed on {}", l, event.instance().sopInstanceUID(), e);
            }
        }
    }

    /**
     * Deletes the objects that earlier runs wrote but never indexed (the intents they left). Intents
     * whose backend is absent stay for a later call.
     *
     * @return the number of intents settled
     */
    int reconcile(List<IngestJournal.Intent> intents) {
        ArchiveIndex idx = index.get();
        if (idx == null) {
            return 0;
        }
        int settled = 0;
        for (IngestJournal.Intent intent : intents) {
            if (!Files.exists(intent.file())) {
                continue;
            }
            StorageBackend backend = backends.apply(intent.storageId());
            if (backend == null) {
                continue;
            }
            try {
                boolean indexed = idx.locate(intent.studyUID(), intent.seriesUID(), intent.sopUID()).stream()
                        .anyMatch(l -> l.location().storageId().equals(intent.storageId())
                                && l.location().key().value().equals(intent.key()));
                if (!indexed && backend.delete(new StorageKey(intent.key()))) {
                    LOG.info("deleted {} from {}: written before a crash, never indexed", intent.key(), intent.storageId());
                }
                journal.end(intent);
                settled++;
            } catch (IndexException | StorageException | RuntimeException e) {
                LOG.warn("cannot reconcile {}", intent.file(), e);
            }
        }
        return settled;
    }
}
