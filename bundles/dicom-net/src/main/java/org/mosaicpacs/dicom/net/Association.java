package org.mosaicpacs.dicom.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.mosaicpacs.dicom.net.pdu.AAbort;
import org.mosaicpacs.dicom.net.pdu.AAssociateAC;
import org.mosaicpacs.dicom.net.pdu.AAssociateRJ;
import org.mosaicpacs.dicom.net.pdu.AAssociateRQ;
import org.mosaicpacs.dicom.net.pdu.AReleaseRP;
import org.mosaicpacs.dicom.net.pdu.AReleaseRQ;
import org.mosaicpacs.dicom.net.pdu.PDataTF;
import org.mosaicpacs.dicom.net.pdu.Pdu;
import org.mosaicpacs.dicom.net.pdu.PduDecoder;
import org.mosaicpacs.dicom.net.pdu.PduEncoder;
import org.mosaicpacs.dicom.net.pdu.PduException;
import org.mosaicpacs.dicom.net.pdu.PresentationContextAC;
import org.mosaicpacs.dicom.net.pdu.PresentationDataValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DICOM association over one TCP connection, driven by the PS3.8 state machine ({@link State},
 * {@link Event}, {@link StateTable}). Created by {@link #connect} on the requestor side and by
 * {@link AssociationServer} on the acceptor side.
 *
 * <p>Threads: a reader task on the caller's {@link Executor} reads PDUs for the life of the association
 * and calls the {@link AssociationHandler}; ARTIM and idle timers run on the caller's
 * {@link ScheduledExecutorService}. Messages may be sent from any thread with {@link #beginMessage} or
 * {@link #sendMessage}; one message is written at a time, and several may be outstanding.
 */
public final class Association {

    private static final Logger LOG = LoggerFactory.getLogger(Association.class);
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private static final int IDLE = 0;
    private static final int COMMAND_IN_PROGRESS = 1;
    private static final int DATA_IN_PROGRESS = 2;

    private final boolean requestor;
    private final Connection connection;
    private final AssociationHandler handler;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final AssociationAcceptor acceptor;
    private final IntSupplier otherAssociations;
    private final int serial = SERIAL.incrementAndGet();

    private final Object stateLock = new Object();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Semaphore messageSlot = new Semaphore(1, true);
    private final CompletableFuture<AAssociateAC> established = new CompletableFuture<>();
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Map<Integer, Integer> receiving = new HashMap<>();

    private volatile State state = State.Sta1;
    private volatile Socket socket;
    private volatile InputStream in;
    private volatile OutputStream out;
    private volatile PduDecoder decoder;
    private volatile AAssociateRQ associateRQ;
    private volatile AAssociateAC associateAC;
    private volatile int maxPduLengthSend;
    private volatile Throwable closeCause;
    private volatile Object attachment;
    private volatile long lastActivityNanos = System.nanoTime();
    private ScheduledFuture<?> artim;
    private ScheduledFuture<?> idleCheck;
    private boolean closedNotified;

    private Association(boolean requestor, Connection connection, AssociationHandler handler, Executor executor,
            ScheduledExecutorService scheduler, AssociationAcceptor acceptor, IntSupplier otherAssociations) {
        this.requestor = requestor;
        this.connection = Objects.requireNonNull(connection, "connection");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.acceptor = acceptor;
        this.otherAssociations = otherAssociations;
    }

    /**
     * Requests an association (PS3.8 A-ASSOCIATE request) and waits until it is established.
     *
     * @param local the local connection: timeouts and our cap on the PDU length we send
     * @param remote host and port of the acceptor
     * @param rq the request; its Maximum Length is the largest P-DATA-TF we accept (0: {@link
     *     PduDecoder#DEFAULT_MAX_PDATA_LENGTH})
     * @param handler receives P-DATA and events
     * @param executor runs the reader task of the association
     * @param scheduler runs the timers
     * @return the established association
     * @throws AssociationRejectedException if the acceptor rejected the request
     * @throws AssociationAbortedException if the association was aborted or the connection closed
     * @throws IOException if the connection fails or the accept timeout expires
     */
    public static Association connect(Connection local, Connection remote, AAssociateRQ rq,
            AssociationHandler handler, Executor executor, ScheduledExecutorService scheduler) throws IOException {
        Association as = new Association(true, local, handler, executor, scheduler, null, null);
        as.associateRQ = rq;
        long max = rq.userInformation().maxLength();
        as.decoder = new PduDecoder(max == 0 || max > PduDecoder.DEFAULT_MAX_PDATA_LENGTH
                ? PduDecoder.DEFAULT_MAX_PDATA_LENGTH : Math.max(max, 8), PduDecoder.DEFAULT_MAX_ASSOCIATE_LENGTH);
        as.fire(Event.Evt1, null);
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(remote.getHostname(), remote.getPort()), local.getConnectTimeout());
        } catch (IOException e) {
            closeQuietly(s);
            as.closeCause = e;
            as.fire(Event.Evt17, null);
            as.finish();
            throw e;
        }
        if (remote.isTls()) {
            try {
                s = Tls.handshakeClient(s, remote.getHostname(), remote.getPort(), local, local.getConnectTimeout());
            } catch (IOException e) {
                closeQuietly(s);
                as.closeCause = e;
                as.fire(Event.Evt17, null);
                as.finish();
                throw e;
            }
        }
        as.attach(s);
        executor.execute(as::readLoop);
        as.fire(Event.Evt2, null);
        try {
            as.established.get(local.getAcceptTimeout() > 0 ? local.getAcceptTimeout() : Long.MAX_VALUE,
                    TimeUnit.MILLISECONDS);
            return as;
        } catch (TimeoutException e) {
            as.abort();
            throw new IOException("no A-ASSOCIATE-AC/RJ within " + local.getAcceptTimeout() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            as.abort();
            throw new InterruptedIOException("interrupted while waiting for A-ASSOCIATE-AC");
        } catch (ExecutionException e) {
            throw asIOException(e.getCause());
        }
    }

    /** Creates an acceptor-side association on an accepted socket (Evt5); {@link #startReading()} starts it. */
    static Association accept(Socket s, Connection connection, AssociationAcceptor acceptor,
            IntSupplier otherAssociations, AssociationHandler handler, Executor executor,
            ScheduledExecutorService scheduler) throws IOException {
        Association as = new Association(false, connection, handler, executor, scheduler, acceptor, otherAssociations);
        as.decoder = new PduDecoder(connection.getMaxPduLengthReceive(), PduDecoder.DEFAULT_MAX_ASSOCIATE_LENGTH);
        s.setTcpNoDelay(true);
        as.attach(s);
        as.fire(Event.Evt5, null);
        return as;
    }

    /** Starts the reader task of an acceptor-side association. */
    void startReading() {
        executor.execute(this::readLoop);
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        this.in = new BufferedInputStream(s.getInputStream(), 65536);
        this.out = new BufferedOutputStream(s.getOutputStream(), 65536);
    }

    // ---------------------------------------------------------------- public API

    /** @return whether the local side requested the association */
    public boolean isRequestor() {
        return requestor;
    }

    /** @return the current PS3.8 state */
    public State state() {
        return state;
    }

    /** @return the A-ASSOCIATE-RQ sent or received, or {@code null} before it */
    public AAssociateRQ associateRQ() {
        return associateRQ;
    }

    /** @return the A-ASSOCIATE-AC sent or received, or {@code null} before it */
    public AAssociateAC associateAC() {
        return associateAC;
    }

    /**
     * @param id a presentation context ID
     * @return the negotiated answer for that context, or {@code null}
     */
    public PresentationContextAC presentationContext(int id) {
        AAssociateAC ac = associateAC;
        return ac == null ? null : ac.presentationContext(id);
    }

    /**
     * @param abstractSyntax an abstract syntax UID
     * @return the ID of the first accepted presentation context for it, or -1
     */
    public int acceptedPresentationContextId(String abstractSyntax) {
        AAssociateAC ac = associateAC;
        if (ac == null) {
            return -1;
        }
        for (PresentationContextAC pc : ac.presentationContexts()) {
            var proposed = associateRQ.presentationContext(pc.id());
            if (pc.isAccepted() && proposed != null && proposed.abstractSyntax().equals(abstractSyntax)) {
                return pc.id();
            }
        }
        return -1;
    }

    /** @return the effective largest P-DATA-TF length we send: the peer's maximum capped by ours */
    public int maxPduLengthSend() {
        return maxPduLengthSend;
    }

    /** @return why the association closed ({@code null} for a normal release or while open) */
    public Throwable closeCause() {
        return closeCause;
    }

    /** @return an object the upper layer attached, or {@code null} */
    public Object attachment() {
        return attachment;
    }

    /** @param attachment per-association state of the upper layer */
    public void setAttachment(Object attachment) {
        this.attachment = attachment;
    }

    /**
     * Starts a message on a presentation context, waiting while another message is being written.
     *
     * @param presentationContextId an accepted presentation context
     * @return the writer; close it to free the message slot
     * @throws IOException if interrupted or the association is not established
     */
    public MessageWriter beginMessage(int presentationContextId) throws IOException {
        PresentationContextAC pc = presentationContext(presentationContextId);
        if (pc == null || !pc.isAccepted()) {
            throw new IllegalArgumentException("presentation context " + presentationContextId + " not accepted");
        }
        try {
            messageSlot.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to send");
        }
        return new MessageWriter(this, presentationContextId);
    }

    /**
     * Sends a message: the command set and, if not {@code null}, the data set, streamed from the
     * given inputs and fragmented to the peer's maximum PDU length.
     *
     * @param presentationContextId an accepted presentation context
     * @param command the encoded command set
     * @param dataSet the encoded data set, or {@code null}
     * @throws IOException if sending fails or the association is no longer established
     */
    public void sendMessage(int presentationContextId, InputStream command, InputStream dataSet) throws IOException {
        try (MessageWriter w = beginMessage(presentationContextId)) {
            command.transferTo(w.command());
            if (dataSet != null) {
                dataSet.transferTo(w.dataSet());
            }
        }
    }

    /**
     * A-RELEASE request: asks the peer to release and waits for the confirmation (including a release
     * collision, answered automatically).
     *
     * @throws IOException if the release timeout expires (the association is then aborted) or the
     *     association is aborted meanwhile
     */
    public void release() throws IOException {
        Action a = fire(Event.Evt11, null);
        if (a == null) {
            throw new IllegalStateException("cannot release in " + state);
        }
        try {
            released.get(connection.getReleaseTimeout() > 0 ? connection.getReleaseTimeout() : Long.MAX_VALUE,
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abort();
            throw new IOException("no A-RELEASE-RP within " + connection.getReleaseTimeout() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new InterruptedIOException("interrupted while releasing");
        } catch (ExecutionException e) {
            throw asIOException(e.getCause());
        }
    }

    /**
     * A-RELEASE response: answers an A-RELEASE indication ({@link AssociationHandler#onReleaseRequest}).
     *
     * @throws IllegalStateException if no release indication is pending
     */
    public void releaseResponse() {
        if (fire(Event.Evt14, null) == null) {
            throw new IllegalStateException("no A-RELEASE indication pending in " + state);
        }
    }

    /** A-ABORT request: aborts the association (service-user source). Does nothing once it has ended. */
    public void abort() {
        if (fire(Event.Evt15, AAbort.byUser()) == null && state == State.Sta2) {
            closeSocket();
        }
    }

    /**
     * Waits until the association ended and its socket is closed.
     *
     * @param timeout the longest wait
     * @param unit the unit of the timeout
     * @return whether it ended within the time
     * @throws InterruptedException if interrupted
     */
    public boolean awaitClose(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            closed.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    @Override
    public String toString() {
        AAssociateRQ rq = associateRQ;
        String peers = rq == null ? "?" : requestor
                ? rq.callingAETitle() + "->" + rq.calledAETitle()
                : rq.calledAETitle() + "<-" + rq.callingAETitle();
        return "Association[" + serial + " " + peers + " " + state + "]";
    }

    // ---------------------------------------------------------------- state machine

    /**
     * Applies an event: looks up the action in PS3.8 Table 9-10, moves to the next state under the
     * state lock, then performs the action's side effects outside it.
     *
     * @return the action, or {@code null} if the event is not valid in the current state
     */
    private Action fire(Event event, Object arg) {
        Action action;
        State from;
        synchronized (stateLock) {
            from = state;
            action = StateTable.action(from, event);
            if (action == null) {
                LOG.debug("{}: {} ignored in {}", this, event, from);
                return null;
            }
            state = action.next(requestor);
            updateArtim(action);
        }
        LOG.debug("{}: {} {} in {} -> {}", this, event, action.ps38Name(), from, state);
        perform(action, arg);
        return action;
    }

    private void updateArtim(Action action) {
        switch (action) {
            case AE_5, AE_8, AR_4, AA_1, AA_7, AA_8 -> startArtim();
            case AE_6, AR_5, AA_2, AA_5 -> stopArtim();
            default -> {
            }
        }
    }

    private void perform(Action action, Object arg) {
        switch (action) {
            case AE_1, AE_5, AA_6 -> {
                // transport connect is done by connect(); ARTIM handled in updateArtim; AA-6 ignores the PDU
            }
            case AE_2 -> writeControl(associateRQ);
            case AE_3 -> onEstablished((AAssociateAC) arg, ((AAssociateAC) arg).userInformation().maxLength());
            case AE_4 -> {
                AssociationRejectedException e = new AssociationRejectedException((AAssociateRJ) arg);
                closeCause = e;
                established.completeExceptionally(e);
                closeSocket();
            }
            case AE_6 -> negotiate((AAssociateRQ) arg);
            case AE_7 -> {
                AAssociateAC ac = (AAssociateAC) arg;
                if (writeControl(ac)) {
                    onEstablished(ac, associateRQ.userInformation().maxLength());
                }
            }
            case AE_8 -> {
                closeCause = new AssociationRejectedException((AAssociateRJ) arg);
                writeControl((AAssociateRJ) arg);
            }
            case DT_1, AR_7 -> {
                // P-DATA is written by writePData() under the write lock
            }
            case DT_2, AR_6 -> deliver((PDataTF) arg);
            case AR_1 -> writeControl(AReleaseRQ.INSTANCE);
            case AR_2 -> {
                try {
                    handler.onReleaseRequest(this);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("{}: release indication failed", this, e);
                    abort();
                }
            }
            case AR_3 -> {
                released.complete(null);
                closeSocket();
            }
            case AR_4 -> {
                released.complete(null);
                writeControl(AReleaseRP.INSTANCE);
            }
            case AR_9 -> writeControl(AReleaseRP.INSTANCE);
            case AR_5, AA_2, AA_5 -> closeSocket();
            case AR_8 -> {
                // Release collision: both sides want to release, so answer on the user's behalf.
                if (requestor) {
                    fire(Event.Evt14, null);
                }
            }
            case AR_10 -> {
                released.complete(null);
                fire(Event.Evt14, null);
            }
            case AA_1, AA_7, AA_8 -> {
                // A-ABORT requested (Evt15) or protocol error (Evt19) carry the A-ABORT to send; any other
                // PDU arriving where PS3.8 expects none is answered with reason "unexpected PDU".
                AAbort abort = arg instanceof AAbort a ? a : AAbort.byProvider(AAbort.UNEXPECTED_PDU);
                if (closeCause == null) {
                    closeCause = new AssociationAbortedException(action == Action.AA_1 && abort.source() == 0
                            ? "aborted locally" : "protocol error, sent", abort);
                }
                failPending();
                writeAbort(abort);
            }
            case AA_3 -> {
                closeCause = new AssociationAbortedException("aborted by peer", (AAbort) arg);
                failPending();
                closeSocket();
            }
            case AA_4 -> {
                if (closeCause == null) {
                    closeCause = new AssociationAbortedException("transport connection closed", null);
                }
                failPending();
                closeSocket();
            }
        }
    }

    private void onEstablished(AAssociateAC ac, long peerMaxLength) {
        associateAC = ac;
        long cap = connection.getMaxPduLengthSend();
        maxPduLengthSend = (int) (peerMaxLength == 0 ? cap : Math.min(Math.max(peerMaxLength, 8), cap));
        scheduleIdleCheck(connection.getIdleTimeout());
        try {
            handler.onEstablished(this);
        } catch (RuntimeException e) {
            LOG.warn("{}: handler failed on establishment", this, e);
        }
        established.complete(ac);
    }

    private void negotiate(AAssociateRQ rq) {
        associateRQ = rq;
        try {
            AAssociateAC ac = acceptor.negotiate(rq, otherAssociations.getAsInt());
            LOG.info("{}: accepted", this);
            fire(Event.Evt7, ac);
        } catch (AssociationRejectedException e) {
            LOG.info("{}: rejected: {}", this, e.rejection());
            fire(Event.Evt8, e.rejection());
        } catch (RuntimeException e) {
            LOG.warn("{}: negotiation failed", this, e);
            fire(Event.Evt8, new AAssociateRJ(AAssociateRJ.REJECTED_TRANSIENT, AAssociateRJ.SOURCE_SERVICE_USER,
                    AAssociateRJ.USER_NO_REASON_GIVEN));
        }
    }

    private void failPending() {
        Throwable cause = closeCause;
        established.completeExceptionally(cause);
        released.completeExceptionally(cause);
    }

    // ---------------------------------------------------------------- receiving

    private void readLoop() {
        try {
            while (true) {
                Pdu pdu;
                try {
                    pdu = decoder.read(in);
                } catch (PduException e) {
                    LOG.warn("{}: {}", this, e.getMessage());
                    fire(Event.Evt19, e.toAbort());
                    drain();
                    break;
                }
                if (pdu == null) {
                    break;
                }
                lastActivityNanos = System.nanoTime();
                LOG.trace("{}: received {}", this, pdu);
                dispatch(pdu);
            }
        } catch (IOException e) {
            if (state != State.Sta1 && state != State.Sta13) {
                LOG.debug("{}: read failed: {}", this, e.toString());
            }
        } catch (RuntimeException e) {
            LOG.error("{}: reader failed", this, e);
            abort();
        } finally {
            fire(Event.Evt17, null);
            closeSocket();
            finish();
        }
    }

    /** After a protocol error the stream is out of sync: discard input until the peer or ARTIM closes. */
    private void drain() throws IOException {
        byte[] skip = new byte[8192];
        while (in.read(skip) >= 0) {
            // discard
        }
    }

    private void dispatch(Pdu pdu) {
        Event event = switch (pdu.type()) {
            case Pdu.A_ASSOCIATE_RQ -> Event.Evt6;
            case Pdu.A_ASSOCIATE_AC -> Event.Evt3;
            case Pdu.A_ASSOCIATE_RJ -> Event.Evt4;
            case Pdu.P_DATA_TF -> Event.Evt10;
            case Pdu.A_RELEASE_RQ -> Event.Evt12;
            case Pdu.A_RELEASE_RP -> Event.Evt13;
            default -> Event.Evt16;
        };
        fire(event, pdu);
    }

    private void deliver(PDataTF pdata) {
        for (PresentationDataValue pdv : pdata.values()) {
            int pcid = pdv.presentationContextId();
            PresentationContextAC pc = presentationContext(pcid);
            if (pc == null || !pc.isAccepted()) {
                protocolError("P-DATA on presentation context " + pcid + " which was not accepted");
                return;
            }
            int progress = receiving.getOrDefault(pcid, IDLE);
            if (pdv.command() ? progress == DATA_IN_PROGRESS : progress == COMMAND_IN_PROGRESS) {
                protocolError((pdv.command() ? "command" : "data") + " fragment inside a "
                        + (pdv.command() ? "data set" : "command set") + " on presentation context " + pcid);
                return;
            }
            receiving.put(pcid, pdv.last() ? IDLE : pdv.command() ? COMMAND_IN_PROGRESS : DATA_IN_PROGRESS);
            try {
                handler.onPData(this, pcid, pdv.command(), pdv.last(), ByteBuffer.wrap(pdv.data()).asReadOnlyBuffer());
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: P-DATA indication failed, aborting", this, e);
                abort();
                return;
            }
        }
    }

    private void protocolError(String message) {
        LOG.warn("{}: {}", this, message);
        fire(Event.Evt19, AAbort.byProvider(AAbort.INVALID_PDU_PARAMETER_VALUE));
    }

    // ---------------------------------------------------------------- sending

    /** @return the largest PDV data length we send */
    int maxPdvDataLength() {
        int max = maxPduLengthSend;
        if (max == 0) {
            throw new IllegalStateException("association not established");
        }
        return max - PresentationDataValue.OVERHEAD;
    }

    void endMessage() {
        messageSlot.release();
    }

    /** The bytes of a P-DATA-TF PDU before the data of its one PDV: PDU type and length, item length, context, flags. */
    static final int PDATA_HEADER = 12;

    /**
     * Writes one P-DATA-TF PDU with one PDV (Evt9: DT-1 in Sta6, AR-7 in Sta8), its header filled into the first
     * {@link #PDATA_HEADER} bytes of {@code pdu} and its data after them, in one write.
     *
     * @param length the length of the data, at {@code pdu[PDATA_HEADER]}
     * @param flush whether to send it now; {@code false} leaves it in the socket buffer (64 KiB) for what follows:
     *     the fragments of a data set before its last, and the last fragment of a command set whose data set comes
     *     next (both then leave in one TCP segment instead of two writes, which a small C-FIND or C-STORE response
     *     otherwise pays twice)
     */
    void writePData(int pcid, boolean command, boolean last, byte[] pdu, int length, boolean flush)
            throws IOException {
        writeLock.lock();
        try {
            if (fire(Event.Evt9, null) == null) {
                Throwable cause = closeCause;
                throw cause instanceof IOException io ? new AssociationAbortedException(io.getMessage(), null)
                        : new IOException("cannot send P-DATA in " + state);
            }
            OutputStream o = out;
            long pduLength = PresentationDataValue.OVERHEAD + (long) length;
            int itemLength = length + 2;
            pdu[0] = Pdu.P_DATA_TF;
            pdu[1] = 0;
            pdu[2] = (byte) (pduLength >> 24);
            pdu[3] = (byte) (pduLength >> 16);
            pdu[4] = (byte) (pduLength >> 8);
            pdu[5] = (byte) pduLength;
            pdu[6] = (byte) (itemLength >> 24);
            pdu[7] = (byte) (itemLength >> 16);
            pdu[8] = (byte) (itemLength >> 8);
            pdu[9] = (byte) itemLength;
            pdu[10] = (byte) pcid;
            pdu[11] = (byte) ((command ? 1 : 0) | (last ? 2 : 0));
            o.write(pdu, 0, PDATA_HEADER + length);
            if (flush) {
                o.flush();
            }
            lastActivityNanos = System.nanoTime();
        } catch (IOException e) {
            closeSocket();
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    private boolean writeControl(Pdu pdu) {
        writeLock.lock();
        try {
            return writeNow(pdu);
        } finally {
            writeLock.unlock();
        }
    }

    private void writeAbort(AAbort abort) {
        boolean locked = false;
        try {
            // A writer stuck on a full socket must not keep the abort from closing the connection.
            locked = writeLock.tryLock(1, TimeUnit.SECONDS);
            if (locked) {
                writeNow(abort);
            } else {
                closeSocket();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeSocket();
        } finally {
            if (locked) {
                writeLock.unlock();
            }
        }
    }

    private boolean writeNow(Pdu pdu) {
        try {
            LOG.trace("{}: sending {}", this, pdu);
            PduEncoder.write(pdu, out);
            out.flush();
            lastActivityNanos = System.nanoTime();
            return true;
        } catch (IOException e) {
            LOG.debug("{}: sending {} failed: {}", this, pdu, e.toString());
            closeSocket();
            return false;
        }
    }

    // ---------------------------------------------------------------- timers and closing

    private void startArtim() {
        stopArtim();
        int timeout = connection.getArtimTimeout();
        if (timeout > 0) {
            artim = scheduler.schedule(() -> fire(Event.Evt18, null), timeout, TimeUnit.MILLISECONDS);
        }
    }

    private void stopArtim() {
        if (artim != null) {
            artim.cancel(false);
            artim = null;
        }
    }

    private void scheduleIdleCheck(long delayMillis) {
        int timeout = connection.getIdleTimeout();
        if (timeout <= 0) {
            return;
        }
        synchronized (stateLock) {
            if (state == State.Sta1) {
                return;
            }
            idleCheck = scheduler.schedule(() -> {
                long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivityNanos);
                if (idle >= timeout && state == State.Sta6) {
                    LOG.info("{}: idle for {} ms, aborting", this, idle);
                    abort();
                } else if (state != State.Sta1 && state != State.Sta13) {
                    scheduleIdleCheck(Math.max(1, timeout - idle));
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void closeSocket() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }

    private void finish() {
        synchronized (stateLock) {
            if (closedNotified) {
                return;
            }
            closedNotified = true;
            stopArtim();
            if (idleCheck != null) {
                idleCheck.cancel(false);
            }
            if (state != State.Sta1) {
                state = State.Sta1;
            }
        }
        if (closeCause == null && !released.isDone()) {
            closeCause = new AssociationAbortedException("transport connection closed", null);
        }
        if (closeCause != null) {
            failPending();
        }
        LOG.debug("{}: closed{}", this, closeCause == null ? "" : ": " + closeCause.getMessage());
        try {
            handler.onClosed(this);
        } catch (RuntimeException e) {
            LOG.warn("{}: handler failed on close", this, e);
        }
        closed.complete(null);
    }

    private static IOException asIOException(Throwable t) {
        if (t instanceof AssociationRejectedException e) {
            return new AssociationRejectedException(e.rejection());
        }
        if (t instanceof AssociationAbortedException e) {
            return new AssociationAbortedException(e.getMessage(), e.abort());
        }
        return t instanceof IOException io ? io : new IOException(t);
    }
}
