package org.mosaicpacs.archive.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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
import org.mosaicpacs.api.plugin.IngestInterception;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.api.storage.ObjectExistsException;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.mosaicpacs.dicom.io.DicomParseException;
import org.mosaicpacs.dicom.io.DicomReadLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest pipeline, without OSGi: parse the header, judge it (validate, apply the configured coercions, let
 * the plugins' interceptors coerce or refuse it), write to the storage backend (durable when {@code write}
 * returns), index with the duplicate policy, tell the listeners.
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
    record Settings(String storageId, DuplicatePolicy policy, boolean requirePatientID, List<Coercion> coercions,
                    long maxHeaderBytes, boolean validateContent) {

        /** The default header limit of a received stream: 16 MiB. */
        static final long MAX_HEADER_BYTES = 16L << 20;

        Settings(String storageId, DuplicatePolicy policy, boolean requirePatientID, List<Coercion> coercions) {
            this(storageId, policy, requirePatientID, coercions, MAX_HEADER_BYTES);
        }

        Settings(String storageId, DuplicatePolicy policy, boolean requirePatientID, List<Coercion> coercions,
                 long maxHeaderBytes) {
            this(storageId, policy, requirePatientID, coercions, maxHeaderBytes, true);
        }
    }

    private volatile Settings settings;
    private volatile StorageRules rules;
    private final Supplier<ArchiveIndex> index;
    private final Function<String, StorageBackend> backends;
    private final Supplier<Collection<InstanceStoredListener>> listeners;
    private final Supplier<IngestInterception> interception;
    private final IngestJournal journal;
    private final AtomicLong revision = new AtomicLong();

    IngestPipeline(Settings settings, Supplier<ArchiveIndex> index, Function<String, StorageBackend> backends,
                   Supplier<Collection<InstanceStoredListener>> listeners, IngestJournal journal) {
        this(settings, index, backends, listeners, () -> null, journal);
    }

    /**
     * @param interception the plugin runtime's interceptors, or {@code null} while it is absent (then nothing
     *                     intercepts)
     */
    IngestPipeline(Settings settings, Supplier<ArchiveIndex> index, Function<String, StorageBackend> backends,
                   Supplier<Collection<InstanceStoredListener>> listeners, Supplier<IngestInterception> interception,
                   IngestJournal journal) {
        this.settings = settings;
        this.rules = StorageRules.only(settings.storageId());
        this.index = index;
        this.backends = backends;
        this.listeners = listeners;
        this.interception = interception;
        this.journal = journal;
    }

    /**
     * Takes new settings and write-target rules, for the ingests that start from now on; an ingest in
     * progress keeps the storage backend it chose.
     */
    void reconfigure(Settings settings, StorageRules rules) {
        this.rules = rules;
        this.settings = settings;
    }

    /** The rules that choose the write target now. */
    StorageRules rules() {
        return rules;
    }

    /** The file meta information and header of a received instance, as parsed. */
    private record Header(Attributes fmi, Attributes dataset, String tsuid, long end, long fmiEnd) {

        /** The same header with another data set (what the plugins coerced). */
        Header with(Attributes coerced) {
            return new Header(fmi, coerced, tsuid, end, fmiEnd);
        }
    }

    /**
     * What the judge step decided: refused (with the result to answer), or the header to store and whether it
     * differs from the received one (then it is encoded again).
     */
    private record Judged(Header header, boolean coerced, IngestResult refused) {
    }

    /**
     * Ingests a received stream, writing its bytes once: the header (everything before Pixel Data) is read
     * and kept in memory (at most {@code maxHeaderBytes}), judged, and only then is the object written to
     * storage: the kept bytes, then the rest of the stream as it arrives, checked on the way ({@link
     * TailCheck}). A coercion re-encodes the header and appends the rest unchanged. Spooled to a file
     * first (then {@link #ingest(Path, Origin)}): a header longer than the limit, and a coercion of a
     * deflated data set. The stream is read to its end whatever the outcome.
     */
    @Override
    public IngestResult ingest(InputStream part10Stream, Origin origin) {
        try {
            return ingestStream(part10Stream, origin);
        } finally {
            drain(part10Stream);
        }
    }

    private IngestResult ingestStream(InputStream stream, Origin origin) {
        HeaderRecorder recorder = new HeaderRecorder(stream, settings.maxHeaderBytes());
        Header header;
        try {
            // not closed: that would close the caller's stream
            header = readHeader(new DicomInputStream(recorder));
        } catch (HeaderRecorder.TooLargeException e) {
            LOG.debug("header longer than {} bytes: spooling", settings.maxHeaderBytes());
            return spooled(recorder, stream, origin, null);
        } catch (DicomParseException e) {
            return IngestResult.of(Outcome.CANNOT_UNDERSTAND, "cannot parse: " + e.getMessage());
        } catch (IOException e) {
            return IngestResult.of(Outcome.CANNOT_UNDERSTAND, "cannot read: " + e.getMessage());
        }
        Judged judged = judge(header, origin);
        if (judged.refused() != null) {
            return judged.refused();
        }
        header = judged.header();
        boolean coerced = judged.coerced();
        TransferSyntax ts = TransferSyntax.of(header.tsuid());
        if (coerced && (ts.isDeflated() || !coercionsInHeader())) {
            return spooled(recorder, stream, origin, judged);
        }
        Header h = header;
        int read = recorder.count();
        // where the header ends in the received bytes; a deflated stream is stored verbatim (its parse
        // position counts inflated bytes), so it is cut where the reading stopped
        int end = ts.isDeflated() ? read : (int) header.end();
        return store(h, origin, () -> {
            InputStream tail = new TailCheck(new SequenceInputStream(recorder.recorded(end, read), stream), ts,
                    pixels(h, ts));
            InputStream head = coerced ? encode(h) : recorder.recorded(0, end);
            InputStream whole = new SequenceInputStream(head, tail);
            // a deflated data set is checked by inflating it on the way (TailCheck cannot follow it)
            return ts.isDeflated() && settings.validateContent() ? new DeflateCheck(whole, h.fmiEnd()) : whole;
        });
    }

    /** Whether every coercion is of an element before Pixel Data (the part that is parsed and re-encoded). */
    private boolean coercionsInHeader() {
        return settings.coercions().stream().noneMatch(c -> DicomInputStream.STOP_BEFORE_PIXEL_DATA.test(c.tag()));
    }

    /**
     * The received bytes read so far, then the rest of the stream, into a spool file, ingested from there: judged
     * there when {@code judged} is null (a header above the limit), else stored as already judged (coerced; so the
     * interceptors are not asked twice) by writing the whole data set again.
     */
    private IngestResult spooled(HeaderRecorder recorder, InputStream rest, Origin origin, Judged judged) {
        Path spool;
        try {
            spool = Files.createTempFile(journal.directory(), journal.spoolPrefix(), ".part");
        } catch (IOException e) {
            return IngestResult.of(Outcome.STORAGE_UNAVAILABLE, "cannot spool: " + e.getMessage());
        }
        try {
            try (OutputStream out = Files.newOutputStream(spool)) {
                recorder.recorded(0, recorder.count()).transferTo(out);
                rest.transferTo(out);
            } catch (IOException e) {
                return IngestResult.of(Outcome.CANNOT_UNDERSTAND, "cannot read the data: " + e.getMessage());
            }
            if (judged == null) {
                return ingest(spool, origin);
            }
            Header h = judged.header();
            return store(h, origin, () -> coercedCopy(spool, h.fmi(), h.dataset(), h.tsuid()));
        } finally {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException e) {
                LOG.warn("cannot delete {}", spool);
            }
        }
    }

    /** The file meta information and the coerced header, encoded as received (file meta, transfer syntax). */
    private static InputStream encode(Header header) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        DicomOutputStream dos = new DicomOutputStream(out);
        dos.writeFileMetaInformation(header.fmi());
        dos.writeDataset(header.dataset());
        dos.finish();
        return new ByteArrayInputStream(out.toByteArray());
    }

    /** Reads the rest of a stream, so that its sender (an association, a request body) can go on. */
    private static void drain(InputStream in) {
        byte[] buf = new byte[64 * 1024];
        try {
            while (in.read(buf) >= 0) {
                // discarded
            }
        } catch (IOException e) {
            // the sender went away: nothing left to drain
        }
    }

    private static Header readHeader(DicomInputStream in) throws IOException {
        in.setLimits(DicomReadLimits.DEFAULT);
        Attributes fmi = in.readFileMetaInformation();
        long fmiEnd = in.position();
        String tsuid = in.getTransferSyntax();
        Attributes dataset = in.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
        return new Header(fmi, dataset, tsuid, in.position(), fmiEnd);
    }

    /**
     * The judge step, before anything is written: validates the header, applies the configured coercions, then
     * asks the plugins' interceptors (once per instance), which may coerce (the coerced header is validated
     * again; a coercion that breaks it, or touches Pixel Data or what follows, is ignored and logged) or refuse
     * with their DICOM status. An interception service that fails is logged and the instance goes on.
     */
    private Judged judge(Header header, Origin origin) {
        if (header.fmi() == null || header.tsuid() == null) {
            return new Judged(header, false, IngestResult.of(Outcome.CANNOT_UNDERSTAND, "no file meta information"));
        }
        String problem = validate(header.fmi(), header.dataset());
        if (problem != null) {
            return new Judged(header, false, IngestResult.of(Outcome.INVALID, problem));
        }
        boolean coerced = coerce(header.dataset());
        IngestInterception plugins = interception.get();
        if (plugins == null) {
            return new Judged(header, coerced, null);
        }
        String sop = header.dataset().getString(Tag.SOPInstanceUID);
        IngestInterception.Result r;
        try {
            r = plugins.intercept(header.dataset(), origin);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("{}: the plugins' interception failed; the instance goes on without it", sop, e);
            return new Judged(header, coerced, null);
        }
        Verdict v = r.verdict();
        switch (v.decision()) {
            case REJECT -> {
                String comment = v.comment().isBlank() ? "refused by plugin " + r.plugin() : v.comment();
                LOG.info("{} from {} refused by plugin {}: {} {}", sop, origin.callingAETitle(), r.plugin(),
                        String.format("%04X", v.status()), comment);
                return new Judged(header, false, IngestResult.rejectedByPlugin(v.status(), comment));
            }
            case COERCED -> {
                Attributes ds = r.dataset();
                for (int tag : ds.tags()) {
                    if (DicomInputStream.STOP_BEFORE_PIXEL_DATA.test(tag)) {
                        LOG.warn("{}: a plugin set {} (at or after Pixel Data); that change is ignored", sop,
                                Tag.toString(tag));
                        ds.remove(tag);
                    }
                }
                String broken = validate(header.fmi(), ds);
                if (broken != null) {
                    LOG.warn("{}: the plugins' coercion is ignored, it made the header invalid: {}", sop, broken);
                    return new Judged(header, coerced, null);
                }
                return new Judged(header.with(ds), coerced || !ds.equals(header.dataset()), null);
            }
            default -> {
                return new Judged(header, coerced, null);
            }
        }
    }

    private boolean coerce(Attributes dataset) {
        boolean coerced = false;
        for (Coercion c : settings.coercions()) {
            coerced |= c.apply(dataset);
        }
        return coerced;
    }

    /** Opens the bytes to store; called once, after the journal intent is recorded. */
    @FunctionalInterface
    private interface Data {
        InputStream open() throws IOException;
    }

    @Override
    public IngestResult ingest(Path file, Origin origin) {
        // 1. parse the file meta information and the header (up to Pixel Data)
        Header header;
        try (DicomInputStream in = new DicomInputStream(file)) {
            header = readHeader(in);
        } catch (DicomParseException e) {
            return IngestResult.of(Outcome.CANNOT_UNDERSTAND, "cannot parse: " + e.getMessage());
        } catch (IOException e) {
            return IngestResult.of(Outcome.CANNOT_UNDERSTAND, "cannot read: " + e.getMessage());
        }
        // 2. validate, 3. coerce (configuration, then plugins)
        Judged judged = judge(header, origin);
        if (judged.refused() != null) {
            return judged.refused();
        }
        Header h = judged.header();
        boolean coerced = judged.coerced();
        TransferSyntax ts = TransferSyntax.of(h.tsuid());
        if (coerced && (ts.isDeflated() || !coercionsInHeader())) {
            return store(h, origin, () -> coercedCopy(file, h.fmi(), h.dataset(), h.tsuid()));
        }
        if (ts.isDeflated()) {
            return store(h, origin, () -> settings.validateContent()
                    ? new DeflateCheck(Files.newInputStream(file), h.fmiEnd()) : Files.newInputStream(file));
        }
        return store(h, origin, () -> {
            InputStream tail = new TailCheck(Channels.newInputStream(FileChannel.open(file).position(h.end())), ts,
                    pixels(h, ts));
            InputStream head = coerced ? encode(h) : new BoundedInputStream(Files.newInputStream(file), h.end());
            return new SequenceInputStream(head, tail);
        });
    }

    /** The first {@code remaining} bytes of a stream. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }

    /** Steps 4 to 6: the durable write under a journal intent, the index, the listeners. */
    private IngestResult store(Header h, Origin origin, Data data) {
        Attributes header = h.dataset();
        String tsuid = h.tsuid();
        ArchiveIndex idx = index.get();
        if (idx == null) {
            return IngestResult.of(Outcome.PROCESSING_FAILURE, "the index is not available");
        }
        // chosen once: this ingest writes there to its end, whatever the configuration does meanwhile
        String target = rules.target(origin.callingAETitle(), header);
        StorageBackend backend = backends.apply(target);
        if (backend == null) {
            return IngestResult.of(Outcome.STORAGE_UNAVAILABLE, "storage " + target + " is not available");
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
        SourceWatch source = null;
        try (InputStream in = data.open()) {
            source = new SourceWatch(in);
            stored = backend.write(key, source);
        } catch (IOException | RuntimeException e) {
            // a failed write leaves nothing under the key (the backend's contract); make sure of it
            if (e instanceof ObjectExistsException || deleteQuietly(backend, key)) {
                journal.end(intent);
            } else {
                journal.keep(intent); // for the next start's reconciliation
            }
            if (source != null && source.failure != null) {
                LOG.info("{}: the received data failed while it was stored: {}", sop, source.failure.getMessage());
                return IngestResult.of(Outcome.CANNOT_UNDERSTAND, "cannot read the data: " + source.failure.getMessage());
            }
            LOG.warn("storing {} in {} failed", sop, backend.id(), e);
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
            } else {
                journal.keep(intent); // for the next start's reconciliation
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
        return settings.validateContent() ? ContentValidator.problem(header) : null;
    }

    /** What Pixel Data must be, checked while it streams past, when content validation is on. */
    private TailCheck.Pixels pixels(Header header, TransferSyntax ts) {
        return settings.validateContent() ? TailCheck.Pixels.of(header.dataset(), ts) : TailCheck.Pixels.NONE;
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
        try (DicomOutputStream dos = new DicomOutputStream(out)) {
            dos.writeFileMetaInformation(fmi);
            dos.writeDataset(full);
            dos.finish();
        }
        return new ByteArrayInputStream(out.toByteArray());
    }

    /** Remembers whether reading the received data failed (not the storage). */
    private static final class SourceWatch extends FilterInputStream {
        IOException failure;

        SourceWatch(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
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
