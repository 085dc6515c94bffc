package org.mosaicpacs.dicom.net.dimse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.io.DicomReadLimits;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.AssociationAbortedException;
import org.mosaicpacs.dicom.net.AssociationHandler;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.MessageWriter;
import org.mosaicpacs.dicom.net.PDataInputStream;
import org.mosaicpacs.dicom.net.State;
import org.mosaicpacs.dicom.net.pdu.AAssociateRQ;
import org.mosaicpacs.dicom.net.pdu.AsyncOperationsWindow;
import org.mosaicpacs.dicom.net.pdu.ExtendedNegotiation;
import org.mosaicpacs.dicom.net.pdu.PresentationContextAC;
import org.mosaicpacs.dicom.net.pdu.PresentationContextRQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DIMSE over one established {@link Association}, in both directions: it sends requests and matches
 * their responses (by Message ID Being Responded To), and it hands incoming requests to a
 * {@link DicomServiceRegistry} on worker threads. Created by {@link #connect} (requestor) or by
 * {@link DicomServer} (acceptor); the {@link Association} carries it as its attachment.
 *
 * <p>Enforced here: the negotiated asynchronous operations window in both directions (requests wait
 * for a free slot before they are sent; a peer that invokes more operations than negotiated gets an
 * A-ABORT), the response timeout (restarted by each pending response; when it expires the request fails
 * with {@link DimseTimeoutException} and the association is aborted), C-CANCEL (incoming: the
 * running operation sees {@link #isCancelRequested(int)}; outgoing: {@link DimseFuture#cancelOperation()}).
 *
 * <p>Incoming data sets of requests are streamed to the service ({@link PDataInputStream}, at most about
 * 1 MiB waiting (2 to 16 PDUs), so a slow service slows the peer); data sets of responses (identifiers) are read into memory, at most
 * {@link #MAX_RESPONSE_DATASET} bytes. Thread safe: requests may be sent from any thread.
 */
public final class DimseAssociation implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DimseAssociation.class);

    /** The largest data set of a response (e.g. a C-FIND identifier) accepted: 16 MiB. */
    public static final int MAX_RESPONSE_DATASET = 16 << 20;
    /** About how many bytes of an incoming data set may wait for a slow service: 1 MiB. */
    private static final int STREAM_BUFFER = 1 << 20;

    private final Association association;
    private final DicomServiceRegistry registry;
    private final Connection connection;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Map<Integer, DimseFuture> outstanding = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicBoolean> performing = new ConcurrentHashMap<>();
    private final Semaphore invokeSlots;
    private final int maxInvoked;
    private final int maxPerformed;
    private final Object idLock = new Object();
    private int lastMessageId;
    private volatile int responseTimeout;
    private final int streamCapacity;

    // reader-thread state
    private final Map<Integer, ByteArrayOutputStream> commandFragments = new HashMap<>();
    private final Map<Integer, Incoming> incoming = new HashMap<>();

    private record Incoming(Attributes command, PDataInputStream stream, ByteArrayOutputStream buffer) {
    }

    DimseAssociation(Association association, DicomServiceRegistry registry, Connection connection,
            Executor executor, ScheduledExecutorService scheduler) {
        this.association = association;
        this.registry = registry != null ? registry : new DicomServiceRegistry();
        this.connection = connection;
        this.executor = executor;
        this.scheduler = scheduler;
        this.responseTimeout = connection.getResponseTimeout();
        AsyncOperationsWindow w = association.associateAC().userInformation().asyncOperationsWindow();
        // The A-ASSOCIATE-AC values are seen from the requestor.
        int inv = w == null ? 1 : association.isRequestor() ? w.maxOperationsInvoked() : w.maxOperationsPerformed();
        int perf = w == null ? 1 : association.isRequestor() ? w.maxOperationsPerformed() : w.maxOperationsInvoked();
        this.maxInvoked = inv;
        this.maxPerformed = perf;
        this.invokeSlots = inv == 0 ? null : new Semaphore(inv, true);
        long ourMax = association.isRequestor() ? association.associateRQ().userInformation().maxLength()
                : association.associateAC().userInformation().maxLength();
        this.streamCapacity = (int) Math.max(2, Math.min(16, STREAM_BUFFER / Math.max(ourMax == 0 ? 1 << 20 : ourMax, 1)));
    }

    /**
     * Requests an association and returns it ready for DIMSE.
     *
     * @param local local connection: timeouts (response timeout included), TLS settings
     * @param remote the peer's host and port (and TLS flag)
     * @param rq the A-ASSOCIATE-RQ, e.g. from {@link AssociateRQBuilder}
     * @param registry services for requests the peer sends us (C-STORE of a C-GET), or {@code null}
     * @param executor runs the reader task and the services; must allow blocking tasks
     * @param scheduler runs the timers
     * @return the association
     * @throws org.mosaicpacs.dicom.net.AssociationRejectedException if rejected
     * @throws IOException if the connection fails, is aborted or times out
     */
    public static DimseAssociation connect(Connection local, Connection remote, AAssociateRQ rq,
            DicomServiceRegistry registry, Executor executor, ScheduledExecutorService scheduler) throws IOException {
        Association as = Association.connect(local, remote, rq, handler(registry, local, executor, scheduler),
                executor, scheduler);
        return (DimseAssociation) as.attachment();
    }

    /**
     * @return an {@link AssociationHandler} that runs DIMSE on each association it is given (used by
     *     {@link DicomServer}; for a custom {@link org.mosaicpacs.dicom.net.AssociationServer})
     */
    public static AssociationHandler handler(DicomServiceRegistry registry, Connection connection, Executor executor,
            ScheduledExecutorService scheduler) {
        Objects.requireNonNull(connection, "connection");
        return new AssociationHandler() {
            @Override
            public void onEstablished(Association as) {
                as.setAttachment(new DimseAssociation(as, registry, connection, executor, scheduler));
            }

            @Override
            public void onPData(Association as, int pcid, boolean command, boolean last, ByteBuffer fragment)
                    throws IOException {
                ((DimseAssociation) as.attachment()).onPData(pcid, command, last, fragment);
            }

            @Override
            public void onReleaseRequest(Association as) throws IOException {
                // Let the operations in progress send their final responses first (bounded).
                if (as.attachment() instanceof DimseAssociation d) {
                    d.awaitIdle(d.performing::isEmpty);
                }
                as.releaseResponse();
            }

            @Override
            public void onClosed(Association as) {
                if (as.attachment() instanceof DimseAssociation d) {
                    d.onClosed();
                }
            }
        };
    }

    // ---------------------------------------------------------------- properties

    /** @return the upper-layer association */
    public Association association() {
        return association;
    }

    /** @return the calling AE title of the A-ASSOCIATE-RQ */
    public String callingAETitle() {
        return association.associateRQ().callingAETitle();
    }

    /** @return the called AE title of the A-ASSOCIATE-RQ */
    public String calledAETitle() {
        return association.associateRQ().calledAETitle();
    }

    /** @return our AE title on this association */
    public String localAETitle() {
        return association.isRequestor() ? callingAETitle() : calledAETitle();
    }

    /** @return the peer's AE title on this association */
    public String remoteAETitle() {
        return association.isRequestor() ? calledAETitle() : callingAETitle();
    }

    /** @return the local connection configuration (timeouts, TLS) */
    public Connection connection() {
        return connection;
    }

    /** @return the executor given at creation */
    public Executor executor() {
        return executor;
    }

    /** @return the scheduler given at creation */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** @return the negotiated number of operations we may invoke at once, 0 unlimited */
    public int maxOperationsInvoked() {
        return maxInvoked;
    }

    /** @return the negotiated number of operations the peer may invoke at once, 0 unlimited */
    public int maxOperationsPerformed() {
        return maxPerformed;
    }

    /** @return the response timeout in ms, 0 none */
    public int getResponseTimeout() {
        return responseTimeout;
    }

    /** @param ms the response timeout for requests sent from now on (0: none); restarted by pending responses */
    public void setResponseTimeout(int ms) {
        this.responseTimeout = ms;
    }

    /** @return whether the association is established or releasing (P-DATA possible) */
    public boolean isOpen() {
        State s = association.state();
        return s != State.Sta1 && s != State.Sta13 && s.ordinal() >= State.Sta6.ordinal();
    }

    /** @return the accepted transfer syntax of a presentation context, or {@code null} */
    public String transferSyntax(int pcid) {
        PresentationContextAC pc = association.presentationContext(pcid);
        return pc == null || !pc.isAccepted() ? null : pc.transferSyntax();
    }

    /** @return the abstract syntax of a presentation context, or {@code null} */
    public String abstractSyntax(int pcid) {
        PresentationContextRQ pc = association.associateRQ().presentationContext(pcid);
        return pc == null ? null : pc.abstractSyntax();
    }

    /**
     * @param sopClass an abstract syntax
     * @param transferSyntax a transfer syntax, or {@code null} for any
     * @return the ID of the first accepted presentation context for both, or -1
     */
    public int presentationContext(String sopClass, String transferSyntax) {
        for (PresentationContextAC pc : association.associateAC().presentationContexts()) {
            if (pc.isAccepted() && sopClass.equals(abstractSyntax(pc.id()))
                    && (transferSyntax == null || transferSyntax.equals(pc.transferSyntax()))) {
                return pc.id();
            }
        }
        return -1;
    }

    /**
     * @param sopClass a SOP class UID
     * @return the SOP Class Extended Negotiation options of the A-ASSOCIATE-AC for it (what both sides
     *     agreed, e.g. byte 0 = relational queries for a Query/Retrieve FIND model), or an empty array
     */
    public byte[] extendedNegotiation(String sopClass) {
        for (ExtendedNegotiation en : association.associateAC().userInformation().extendedNegotiations()) {
            if (en.sopClassUid().equals(sopClass)) {
                return en.serviceClassApplicationInformation();
            }
        }
        return new byte[0];
    }

    /** @return the accepted transfer syntaxes for a SOP class, in presentation context order */
    public List<String> acceptedTransferSyntaxes(String sopClass) {
        List<String> list = new ArrayList<>();
        for (PresentationContextAC pc : association.associateAC().presentationContexts()) {
            if (pc.isAccepted() && sopClass.equals(abstractSyntax(pc.id()))) {
                list.add(pc.transferSyntax());
            }
        }
        return list;
    }

    private int requirePresentationContext(String sopClass, String transferSyntax) throws NoPresentationContextException {
        int pcid = presentationContext(sopClass, transferSyntax);
        if (pcid < 0) {
            throw new NoPresentationContextException(sopClass, transferSyntax);
        }
        return pcid;
    }

    // ---------------------------------------------------------------- invoking (SCU)

    private int nextMessageId() {
        synchronized (idLock) {
            do {
                lastMessageId = lastMessageId == 0xFFFF ? 1 : lastMessageId + 1;
            } while (outstanding.containsKey(lastMessageId));
            return lastMessageId;
        }
    }

    /**
     * Sends a request and registers for its responses. Waits first for a free slot of the asynchronous
     * operations window (at most the response timeout, when set).
     *
     * @param pcid the presentation context
     * @param command the request command set; its Message ID and Command Data Set Type are set here
     * @param data writes the data set, or {@code null}
     * @param onPending receives pending responses on the reader thread (must not block), or {@code null}
     * @return the future of the final response
     * @throws IOException if the window stays full, or sending fails
     */
    public DimseFuture invoke(int pcid, Attributes command, DataWriter data, Consumer<DimseResponse> onPending)
            throws IOException {
        if (transferSyntax(pcid) == null) {
            throw new IllegalArgumentException("presentation context " + pcid + " not accepted");
        }
        acquireSlot();
        int msgId = nextMessageId();
        command.setInt(Tag.MessageID, org.mosaicpacs.dicom.data.VR.US, msgId);
        Commands.setDataset(command, data != null);
        DimseFuture f = new DimseFuture(this, msgId, pcid, onPending);
        outstanding.put(msgId, f);
        try {
            send(pcid, command, data);
        } catch (IOException | RuntimeException e) {
            finish(msgId, f);
            f.completeExceptionally(e);
            throw e;
        }
        // The response timeout counts from the end of the request (a large data set takes its time).
        if (!f.isDone()) {
            startTimer(f);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: sent {}", this, Commands.toString(command));
        }
        return f;
    }

    private void acquireSlot() throws IOException {
        if (invokeSlots == null) {
            return;
        }
        try {
            int t = responseTimeout;
            if (t > 0) {
                if (!invokeSlots.tryAcquire(t, TimeUnit.MILLISECONDS)) {
                    throw new IOException("asynchronous operations window (" + maxInvoked + ") still full after "
                            + t + " ms");
                }
            } else {
                while (!invokeSlots.tryAcquire(1, TimeUnit.SECONDS)) {
                    if (!isOpen()) {
                        throw new AssociationAbortedException("association closed", null);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the operations window");
        }
    }

    private void finish(int msgId, DimseFuture f) {
        if (outstanding.remove(msgId, f)) {
            if (f.timer != null) {
                f.timer.cancel(false);
            }
            if (invokeSlots != null) {
                invokeSlots.release();
            }
        }
    }

    private void startTimer(DimseFuture f) {
        if (f.timer != null) {
            f.timer.cancel(false);
        }
        int t = responseTimeout;
        if (t > 0) {
            f.timer = scheduler.schedule(() -> {
                if (outstanding.get(f.messageId()) == f) {
                    LOG.info("{}: no response to message {} within {} ms", this, f.messageId(), t);
                    finish(f.messageId(), f);
                    f.completeExceptionally(new DimseTimeoutException(f.messageId(), t));
                    // The peer still counts the operation as outstanding: going on would break the
                    // asynchronous operations window and mismatch late responses, so abort (as PS3.7
                    // leaves no other way to end an operation without its response).
                    abort();
                }
            }, t, TimeUnit.MILLISECONDS);
        }
    }

    /** Sends a C-CANCEL-RQ for an outstanding request. */
    void ccancel(int pcid, int msgId) throws IOException {
        send(pcid, Commands.ccancelRQ(msgId), null);
    }

    /**
     * Sends a C-CANCEL-RQ.
     *
     * @param future the outstanding C-FIND, C-MOVE or C-GET
     * @throws IOException if sending fails
     */
    public void ccancel(DimseFuture future) throws IOException {
        future.cancelOperation();
    }

    /**
     * C-ECHO: sends a C-ECHO-RQ on the Verification context and waits for the response.
     *
     * @return the response (status 0000 expected)
     * @throws NoPresentationContextException if Verification was not accepted
     * @throws IOException if no response came (timeout, association closed)
     */
    public DimseResponse cecho() throws IOException {
        int pcid = requirePresentationContext(UID.Verification, null);
        return invoke(pcid, Commands.cechoRQ(0, UID.Verification), null, null).await();
    }

    /**
     * C-STORE of a data set the caller encodes.
     *
     * @param cuid SOP Class UID
     * @param iuid SOP Instance UID
     * @param priority {@link Commands#MEDIUM}, {@link Commands#HIGH} or {@link Commands#LOW}
     * @param data writes the data set in the transfer syntax it is given
     * @param tsuid the transfer syntax {@code data} writes, or {@code null} if it can write any accepted one
     * @return the future of the C-STORE-RSP; returns once the data set is sent
     * @throws NoPresentationContextException if no context for the SOP class (and transfer syntax) was accepted
     * @throws IOException if sending fails
     */
    public DimseFuture cstore(String cuid, String iuid, int priority, DataWriter data, String tsuid)
            throws IOException {
        return cstore(cuid, iuid, priority, data, tsuid, null, 0);
    }

    /** C-STORE as a C-MOVE sub-operation: as {@link #cstore(String, String, int, DataWriter, String)}. */
    public DimseFuture cstore(String cuid, String iuid, int priority, DataWriter data, String tsuid,
            String moveOriginatorAET, int moveOriginatorMsgId) throws IOException {
        int pcid = requirePresentationContext(cuid, tsuid);
        return invoke(pcid, Commands.cstoreRQ(0, cuid, iuid, priority, moveOriginatorAET, moveOriginatorMsgId),
                data, null);
    }

    /**
     * C-STORE of a Part 10 file. Sent as is when a context with the file's transfer syntax was
     * accepted; otherwise an uncompressed or deflated file is re-encoded (dicom-core, pixel data read
     * from the file as it is sent) in an accepted uncompressed or deflated syntax. Encapsulated
     * (compressed) files are only sent as they are.
     *
     * @param file a Part 10 file with file meta information
     * @param priority the priority
     * @return the future of the C-STORE-RSP; returns once the data set is sent
     * @throws NoPresentationContextException if no usable context was accepted
     * @throws IOException if the file cannot be read or sending fails
     */
    public DimseFuture cstore(Path file, int priority) throws IOException {
        return cstore(file, priority, null, 0);
    }

    /**
     * C-STORE of a stored instance, read from its source while it is sent (nothing is copied): as it is when a
     * context with its stored transfer syntax was accepted, otherwise a native one converted into an accepted
     * native syntax (Explicit VR LE first); propose with {@link AssociateRQBuilder#addStorageContextsFor}.
     *
     * @param instance the instance
     * @param priority the priority
     * @return the future of the C-STORE-RSP; returns once the data set is sent
     * @throws NoPresentationContextException if no usable context was accepted (the association stays usable)
     * @throws IOException if the source cannot be read or sending fails
     * @since 0.3.0
     */
    public DimseFuture cstore(RetrieveSCP.Instance instance, int priority) throws IOException {
        return RetrieveSender.send(this, instance, priority, null, 0);
    }

    /**
     * As {@link #cstore(RetrieveSCP.Instance, int)}, and an instance stored compressed goes decompressed by
     * {@code decompression} when the association accepted only uncompressed syntaxes for its SOP class; propose
     * with {@link AssociateRQBuilder#addStorageContextsFor(Iterable, PixelDataDecompression)}.
     *
     * @param decompression what can be decompressed, or null for nothing
     */
    public DimseFuture cstore(RetrieveSCP.Instance instance, int priority, PixelDataDecompression decompression)
            throws IOException {
        return RetrieveSender.send(this, instance, priority, null, 0, decompression);
    }

    /** C-STORE of a file as a C-MOVE sub-operation: as {@link #cstore(Path, int)}. */
    public DimseFuture cstore(Path file, int priority, String moveOriginatorAET, int moveOriginatorMsgId)
            throws IOException {
        StoreFile sf = StoreFile.probe(file);
        int pcid = presentationContext(sf.cuid(), sf.tsuid());
        DataWriter writer;
        if (pcid >= 0 && sf.datasetOffset() >= 0) {
            writer = sf.verbatim();
        } else {
            if (TransferSyntax.of(sf.tsuid()).isEncapsulated()) {
                throw new NoPresentationContextException(sf.cuid(), sf.tsuid());
            }
            pcid = -1;
            for (String ts : acceptedTransferSyntaxes(sf.cuid())) {
                if (!TransferSyntax.of(ts).isEncapsulated()) {
                    pcid = presentationContext(sf.cuid(), ts);
                    break;
                }
            }
            if (pcid < 0) {
                throw new NoPresentationContextException(sf.cuid(), null);
            }
            writer = DataWriter.of(sf.readDataset());
        }
        return invoke(pcid, Commands.cstoreRQ(0, sf.cuid(), sf.iuid(), priority, moveOriginatorAET,
                moveOriginatorMsgId), writer, null);
    }

    /**
     * C-FIND: sends the query and passes each pending identifier to {@code onMatch} (on the reader
     * thread, in order; it must not block).
     *
     * @param cuid the information model, e.g. Study Root Query/Retrieve Information Model - FIND
     * @param priority the priority
     * @param keys the identifier
     * @param onMatch receives the matches
     * @return the future of the final response (Success, Cancel or a failure)
     * @throws NoPresentationContextException if the information model was not accepted
     * @throws IOException if sending fails
     */
    public DimseFuture cfind(String cuid, int priority, Attributes keys, Consumer<Attributes> onMatch)
            throws IOException {
        int pcid = requirePresentationContext(cuid, null);
        return invoke(pcid, Commands.cfindRQ(0, cuid, priority), DataWriter.of(keys),
                rsp -> {
                    if (rsp.dataset() != null && onMatch != null) {
                        onMatch.accept(rsp.dataset());
                    }
                });
    }

    /**
     * C-FIND, collecting the matches.
     *
     * @return the matches
     * @throws DicomServiceException if the final status is neither Success nor Cancel
     * @throws IOException if no final response came
     */
    public List<Attributes> cfind(String cuid, Attributes keys) throws IOException {
        List<Attributes> matches = java.util.Collections.synchronizedList(new ArrayList<>());
        DimseResponse rsp = cfind(cuid, Commands.MEDIUM, keys, matches::add).await();
        if (!Status.isSuccess(rsp.status()) && !Status.isCancel(rsp.status())) {
            throw new DicomServiceException(rsp.status(), rsp.errorComment());
        }
        return new ArrayList<>(matches);
    }

    /**
     * C-MOVE: asks the peer to send the matching instances to {@code destination}.
     *
     * @param onPending receives pending responses (sub-operation counts), or {@code null}
     * @return the future of the final response (its counts and, after failures, the Failed SOP Instance
     *     UID List in its data set)
     * @throws NoPresentationContextException if the information model was not accepted
     * @throws IOException if sending fails
     */
    public DimseFuture cmove(String cuid, int priority, Attributes keys, String destination,
            Consumer<DimseResponse> onPending) throws IOException {
        int pcid = requirePresentationContext(cuid, null);
        return invoke(pcid, Commands.cmoveRQ(0, cuid, priority, destination), DataWriter.of(keys), onPending);
    }

    /**
     * C-GET: asks the peer to send the matching instances on this association. They arrive as
     * C-STORE requests handled by the registry given to {@link #connect} (for example a
     * {@link CStoreSCP}); the A-ASSOCIATE-RQ must propose their storage SOP classes with the SCP role
     * ({@link AssociateRQBuilder#addStorageForGet}).
     *
     * @return the future of the final response
     * @throws NoPresentationContextException if the information model was not accepted
     * @throws IOException if sending fails
     */
    public DimseFuture cget(String cuid, int priority, Attributes keys, Consumer<DimseResponse> onPending)
            throws IOException {
        int pcid = requirePresentationContext(cuid, null);
        return invoke(pcid, Commands.cgetRQ(0, cuid, priority), DataWriter.of(keys), onPending);
    }

    /**
     * Releases the association (A-RELEASE): first waits for the responses to our outstanding requests
     * (at most the response timeout, 60 s if none), then for the A-RELEASE-RP (at most the release timeout).
     * On the acceptor side an A-RELEASE-RQ is answered once the operations in progress have sent their
     * final responses (same bound).
     *
     * @throws IOException if the release fails (the association is then aborted)
     */
    public void release() throws IOException {
        awaitIdle(outstanding::isEmpty);
        association.release();
    }

    /** The longest wait for operations to end before a release: the response timeout, else 60 s. */
    private void awaitIdle(java.util.function.BooleanSupplier idle) {
        long limit = TimeUnit.MILLISECONDS.toNanos(responseTimeout > 0 ? responseTimeout : 60_000);
        long start = System.nanoTime();
        while (!idle.getAsBoolean() && isOpen() && System.nanoTime() - start < limit) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Aborts the association (A-ABORT). */
    public void abort() {
        association.abort();
    }

    /** Releases; aborts if the release fails. */
    @Override
    public void close() {
        if (isOpen()) {
            try {
                release();
            } catch (IOException | RuntimeException e) {
                abort();
            }
        }
    }

    // ---------------------------------------------------------------- performing (SCP)

    /**
     * Sends a response to a request we perform. Sending a final (non-pending) response ends the operation.
     *
     * @param pcid the presentation context of the request
     * @param rsp the response command set, e.g. from {@link Commands#mkRSP}
     * @param data the data set (identifier), or {@code null}
     * @throws IOException if sending fails
     */
    public void writeResponse(int pcid, Attributes rsp, DataWriter data) throws IOException {
        writeResponse(pcid, rsp, data, true);
    }

    /**
     * Sends a response, at once or left in the association's send buffer for the messages that follow (see
     * {@link MessageWriter#close(boolean)}): pending responses written in a burst, e.g. the matches of a C-FIND,
     * leave in a few socket writes instead of one each, and the peer reads them in a few reads. A final
     * response is always sent at once.
     *
     * @param pcid the presentation context of the request
     * @param rsp the response command set
     * @param data the data set (identifier), or {@code null}
     * @param flush false to leave a pending response buffered until the next message sent at once
     * @throws IOException if sending fails
     */
    public void writeResponse(int pcid, Attributes rsp, DataWriter data, boolean flush) throws IOException {
        Commands.setDataset(rsp, data != null);
        boolean pending = Status.isPending(Commands.status(rsp));
        if (!pending) {
            // Free the window slot before the peer can see the response and invoke the next operation.
            endPerforming(Commands.messageIdBeingRespondedTo(rsp));
        }
        send(pcid, rsp, data, flush || !pending);
        if (LOG.isDebugEnabled()) {
            // the text of a command costs as much as its encoding: only when it is logged
            LOG.debug("{}: sent {}", this, Commands.toString(rsp));
        }
    }

    /** @return whether a request with this message ID is being performed (no final response yet) */
    public boolean isPerforming(int msgId) {
        return performing.containsKey(msgId);
    }

    /** @return whether the peer sent a C-CANCEL-RQ for the operation (or the association closed) */
    public boolean isCancelRequested(int msgId) {
        AtomicBoolean c = performing.get(msgId);
        return c != null && c.get() || !isOpen();
    }

    void endPerforming(int msgId) {
        performing.remove(msgId);
    }

    private void send(int pcid, Attributes command, DataWriter data) throws IOException {
        send(pcid, command, data, true);
    }

    /** @param flush false: the last fragment waits in the socket's buffer for the next message (see writeResponse) */
    private void send(int pcid, Attributes command, DataWriter data, boolean flush) throws IOException {
        byte[] cmd = Commands.encode(command);
        boolean dataStarted = false;
        MessageWriter w = association.beginMessage(pcid);
        try {
            w.command().write(cmd);
            if (data != null) {
                CountingOutputStream out = new CountingOutputStream(w.dataSet());
                dataStarted = true;
                data.writeTo(out, transferSyntax(pcid));
                if ((out.count & 1) != 0) {
                    // PS3.5 A.5: a deflated data set of odd length gets a trailing zero byte; PDVs are even
                    out.write(0);
                }
            }
            w.close(flush);
        } catch (IOException | RuntimeException e) {
            try {
                w.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (dataStarted && isOpen()) {
                // A data set cut in the middle cannot be recovered: the peer would read garbage.
                LOG.warn("{}: writing the data set failed, aborting", this, e);
                abort();
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- receiving (reader thread)

    private void onPData(int pcid, boolean command, boolean last, ByteBuffer fragment) throws IOException {
        if (command) {
            ByteArrayOutputStream b = commandFragments.computeIfAbsent(pcid, k -> new ByteArrayOutputStream(256));
            if (b.size() + fragment.remaining() > Commands.MAX_COMMAND_LENGTH) {
                throw new IOException("command set longer than " + Commands.MAX_COMMAND_LENGTH + " bytes");
            }
            write(b, fragment);
            if (last) {
                commandFragments.remove(pcid);
                onCommand(pcid, Commands.decode(b.toByteArray()));
            }
            return;
        }
        Incoming in = incoming.get(pcid);
        if (in == null) {
            throw new IOException("data set fragment without a command announcing it on context " + pcid);
        }
        if (in.stream() != null) {
            in.stream().offerKept(fragment, last); // the association's fragments are never reused
        } else {
            if (in.buffer().size() + fragment.remaining() > MAX_RESPONSE_DATASET) {
                throw new IOException("response data set longer than " + MAX_RESPONSE_DATASET + " bytes");
            }
            write(in.buffer(), fragment);
        }
        if (last) {
            incoming.remove(pcid);
            if (in.buffer() != null) {
                onResponse(in.command(), readDataset(in.buffer().toByteArray(), transferSyntax(pcid)));
            }
        }
    }

    private static void write(ByteArrayOutputStream b, ByteBuffer fragment) {
        if (fragment.hasArray()) {
            b.write(fragment.array(), fragment.arrayOffset() + fragment.position(), fragment.remaining());
        } else {
            byte[] copy = new byte[fragment.remaining()];
            fragment.get(copy);
            b.write(copy, 0, copy.length);
        }
    }

    private static Attributes readDataset(byte[] bytes, String tsuid) throws IOException {
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes), tsuid);
        in.setLimits(DicomReadLimits.DEFAULT);
        return in.readDataset();
    }

    private void onCommand(int pcid, Attributes cmd) throws IOException {
        Dimse dimse = Commands.dimseOf(cmd);
        if (dimse == null) {
            throw new IOException("unknown command field " + cmd.getInt(Tag.CommandField, -1));
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: received {}", this, Commands.toString(cmd));
        }
        if (dimse.isResponse()) {
            if (Commands.hasDataset(cmd)) {
                incoming.put(pcid, new Incoming(cmd, null, new ByteArrayOutputStream(1024)));
            } else {
                onResponse(cmd, null);
            }
            return;
        }
        if (dimse == Dimse.C_CANCEL_RQ) {
            AtomicBoolean c = performing.get(Commands.messageIdBeingRespondedTo(cmd));
            if (c != null) {
                c.set(true);
            }
            return;
        }
        int msgId = Commands.messageId(cmd);
        if (maxPerformed > 0 && performing.size() >= maxPerformed) {
            throw new IOException("peer exceeded the asynchronous operations window (" + maxPerformed + ")");
        }
        if (performing.putIfAbsent(msgId, new AtomicBoolean()) != null) {
            throw new IOException("duplicate message ID " + msgId + " of an operation in progress");
        }
        PDataInputStream data = null;
        if (Commands.hasDataset(cmd)) {
            data = new PDataInputStream(streamCapacity);
            incoming.put(pcid, new Incoming(cmd, data, null));
        }
        PDataInputStream stream = data;
        try {
            executor.execute(() -> registry.dispatch(this, pcid, cmd, stream));
        } catch (RejectedExecutionException e) {
            throw new IOException("no worker for " + Commands.toString(cmd), e);
        }
    }

    private void onResponse(Attributes cmd, Attributes data) {
        int id = Commands.messageIdBeingRespondedTo(cmd);
        DimseFuture f = outstanding.get(id);
        if (f == null) {
            LOG.warn("{}: {} answers no outstanding request, ignored", this, Commands.toString(cmd));
            return;
        }
        DimseResponse rsp = new DimseResponse(cmd, data);
        if (Status.isPending(rsp.status())) {
            startTimer(f);
            if (f.onPending != null) {
                try {
                    f.onPending.accept(rsp);
                } catch (RuntimeException e) {
                    LOG.warn("{}: pending response handler failed", this, e);
                }
            }
        } else {
            finish(id, f);
            f.complete(rsp);
        }
    }

    private void onClosed() {
        Throwable cause = association.closeCause();
        IOException e = cause instanceof IOException io ? io : new AssociationAbortedException(
                "association closed", null);
        for (Incoming in : incoming.values()) {
            if (in.stream() != null) {
                in.stream().fail(e);
            }
        }
        incoming.clear();
        performing.values().forEach(c -> c.set(true));
        for (DimseFuture f : List.copyOf(outstanding.values())) {
            finish(f.messageId(), f);
            f.completeExceptionally(new IOException("association closed before the response to message "
                    + f.messageId() + (cause == null ? "" : ": " + cause.getMessage()), e));
        }
    }

    @Override
    public String toString() {
        return association.toString();
    }

    /** Counts the bytes of a data set to pad it to an even length. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // the message writer closes the P-DATA stream
        }
    }

    /** A Part 10 file about to be sent. */
    record StoreFile(Path path, String cuid, String iuid, String tsuid, long datasetOffset) {

        static StoreFile probe(Path file) throws IOException {
            Attributes fmi;
            try (DicomInputStream in = new DicomInputStream(file)) {
                fmi = in.readFileMetaInformation();
            }
            if (fmi == null) {
                throw new IOException(file + " has no file meta information");
            }
            String cuid = fmi.getString(Tag.MediaStorageSOPClassUID);
            String iuid = fmi.getString(Tag.MediaStorageSOPInstanceUID);
            String ts = fmi.getString(Tag.TransferSyntaxUID);
            if (cuid == null || iuid == null || ts == null) {
                throw new IOException(file + ": file meta information without SOP class, instance or transfer syntax");
            }
            long offset = -1;
            byte[] head = new byte[144];
            try (InputStream in = Files.newInputStream(file)) {
                if (in.readNBytes(head, 0, 144) == 144 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C'
                        && head[131] == 'M' && head[132] == 2 && head[133] == 0 && head[134] == 0 && head[135] == 0
                        && head[136] == 'U' && head[137] == 'L') {
                    long len = (head[140] & 0xFFL) | (head[141] & 0xFFL) << 8 | (head[142] & 0xFFL) << 16
                            | (head[143] & 0xFFL) << 24;
                    offset = 144 + len;
                }
            }
            return new StoreFile(file, cuid, iuid, ts, offset);
        }

        DataWriter verbatim() {
            return (out, ts) -> {
                try (InputStream in = Files.newInputStream(path)) {
                    in.skipNBytes(datasetOffset);
                    in.transferTo(out);
                }
            };
        }

        Attributes readDataset() throws IOException {
            try (DicomInputStream in = new DicomInputStream(path)) {
                in.setBulkDataThreshold(64 * 1024);
                in.readFileMetaInformation();
                return in.readDataset();
            }
        }
    }
}
