package org.mosaicpacs.plugin.forward.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.mosaicpacs.api.ae.ServiceClassUser;
import org.mosaicpacs.api.ae.ServiceClassUser.StoreResult;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the forward queue: per destination, batches of due entries on one association each ({@link
 * ServiceClassUser#send}, read from storage, de-identified for marked AEs). An association that fails puts the whole
 * destination on back-off (its entries are not tried one by one against a peer that is down); a refused instance
 * waits on its own back-off. After {@code maxAttempts} attempts or {@code maxAge} an entry moves to the failed list.
 * An instance deleted from the archive meanwhile is dropped from the queue. An unconfirmed entry (queued while its
 * instance was being received, see {@link ForwardQueue}) whose instance is not in the index waits for it, in steps of
 * {@code unconfirmedGrace}, and is dropped when {@code unconfirmedTimeout} after it was queued the instance is still
 * not there (the archive refused it or its ingest failed). Runs on one thread of its own ({@link
 * #start}); {@link #runOnce} is one pass, for tests with a clock of their own.
 */
final class ForwardSender {

    /** The settings of delivery. */
    record Settings(Backoff backoff, int maxAttempts, Duration maxAge, int batchSize, Duration unconfirmedGrace,
                    Duration unconfirmedTimeout) {
    }

    /** What is known of one destination. */
    static final class DestinationState {
        volatile int failuresInARow;
        volatile Instant notBefore = Instant.EPOCH;
        volatile String lastError = "";
        volatile Instant lastErrorAt;
        volatile Instant lastSent;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failedAttempts = new AtomicLong();
    }

    private static final Logger LOG = LoggerFactory.getLogger(ForwardSender.class);
    private static final Duration IDLE = Duration.ofSeconds(30);
    private static final Duration NO_SERVICES = Duration.ofSeconds(1);

    private final ForwardQueue queue;
    private final Settings settings;
    private final Clock clock;
    private final Supplier<ServiceClassUser> scu;
    private final Supplier<ArchiveIndex> index;
    private final Map<String, DestinationState> destinations = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong gaveUp = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private boolean signalled;
    private volatile boolean running;
    private Thread thread;

    ForwardSender(ForwardQueue queue, Settings settings, Clock clock, Supplier<ServiceClassUser> scu,
                  Supplier<ArchiveIndex> index) {
        this.queue = queue;
        this.settings = settings;
        this.clock = clock;
        this.scu = scu;
        this.index = index;
    }

    /** Starts the delivery thread. */
    synchronized void start(String name) {
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the delivery thread and waits for it (an association in progress is ended by the interrupt). */
    synchronized void stop() {
        running = false;
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Something was queued or requeued: look now. */
    void wakeUp() {
        lock.lock();
        try {
            signalled = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (running) {
            Duration wait;
            try {
                wait = runOnce();
            } catch (RuntimeException e) {
                LOG.warn("forward: delivery pass failed; trying again", e);
                wait = NO_SERVICES;
            }
            lock.lock();
            try {
                if (!signalled && running && !wait.isZero()) {
                    work.awaitNanos(wait.toNanos());
                }
                signalled = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * One pass: sends one batch to each destination that has due entries and is not on back-off.
     *
     * @return how long to wait before the next pass ({@link Duration#ZERO}: at once, more is due)
     */
    Duration runOnce() {
        Instant now = clock.instant();
        Instant next = now.plus(IDLE);
        boolean more = false;
        for (String destination : queue.destinations()) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            DestinationState state = state(destination);
            if (state.notBefore.isAfter(now)) {
                next = min(next, state.notBefore);
                continue;
            }
            List<ForwardQueue.Entry> batch = queue.due(destination, now, Math.max(1, settings.batchSize()));
            if (batch.isEmpty()) {
                Instant due = queue.nextDue(destination);
                if (due != null) {
                    next = min(next, due);
                }
                continue;
            }
            ServiceClassUser user = scu.get();
            ArchiveIndex idx = index.get();
            if (user == null || idx == null) {
                return NO_SERVICES; // the DICOM services or the index are not (yet) there
            }
            send(destination, state, batch, user, idx, now);
            more = true;
        }
        if (more) {
            return Duration.ZERO;
        }
        Duration wait = Duration.between(clock.instant(), next);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    DestinationState state(String destination) {
        return destinations.computeIfAbsent(destination, d -> new DestinationState());
    }

    private void send(String destination, DestinationState state, List<ForwardQueue.Entry> batch, ServiceClassUser user,
                      ArchiveIndex idx, Instant now) {
        List<ForwardQueue.Entry> entries = new ArrayList<>();
        List<InstanceLocation> locations = new ArrayList<>();
        for (ForwardQueue.Entry e : batch) {
            try {
                List<InstanceLocation> found = idx.locate(e.studyInstanceUID(), e.seriesInstanceUID(), e.sopInstanceUID());
                if (found.isEmpty() && !e.confirmed()) {
                    if (now.isBefore(e.queued().plus(settings.unconfirmedTimeout()))) {
                        queue.postpone(e, now.plus(settings.unconfirmedGrace())); // still being received
                    } else {
                        LOG.info("forward to {}: {} was queued while it was received but the archive never stored it;"
                                + " dropped from the queue", destination, e.sopInstanceUID());
                        queue.remove(e);
                        dropped.incrementAndGet();
                    }
                } else if (found.isEmpty()) {
                    LOG.info("forward to {}: {} was deleted from the archive; dropped from the queue", destination,
                            e.sopInstanceUID());
                    queue.remove(e);
                    dropped.incrementAndGet();
                } else {
                    entries.add(e);
                    locations.add(found.get(0));
                }
            } catch (IndexException | IOException ex) {
                failed(state, e, "cannot locate it: " + ex.getMessage(), now, settings.backoff().delay(e.attempts() + 1));
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        List<StoreResult> results;
        try {
            results = user.send(destination, locations);
        } catch (IOException | RuntimeException ex) {
            // the association failed (peer down, AE not configured, DICOM services stopped): the destination waits
            state.failuresInARow++;
            Duration delay = settings.backoff().delay(state.failuresInARow);
            state.notBefore = now.plus(delay);
            String error = "association failed: " + ex.getMessage();
            LOG.warn("forward to {}: {}; {} instance(s) wait, next try in {} s", destination, error, entries.size(),
                    delay.toSeconds());
            for (ForwardQueue.Entry e : entries) {
                failed(state, e, error, now, delay);
            }
            return;
        }
        state.failuresInARow = 0;
        state.notBefore = Instant.EPOCH;
        for (int i = 0; i < entries.size(); i++) {
            ForwardQueue.Entry e = entries.get(i);
            StoreResult r = i < results.size() ? results.get(i) : null;
            if (r != null && delivered(r.status())) {
                try {
                    queue.remove(e);
                } catch (IOException ex) {
                    LOG.warn("forward to {}: {} was delivered but its queue entry cannot be removed (it may be sent "
                            + "again): {}", destination, e.sopInstanceUID(), ex.getMessage());
                }
                sent.incrementAndGet();
                state.sent.incrementAndGet();
                state.lastSent = now;
            } else {
                String error = r == null ? "no result" : r.status() == StoreResult.NOT_SENT
                        ? "not sent: " + r.errorComment()
                        : String.format("C-STORE status %04X%s", r.status(),
                        r.errorComment().isEmpty() ? "" : ": " + r.errorComment());
                failed(state, e, error, now, settings.backoff().delay(e.attempts() + 1));
            }
        }
    }

    /** Success (0000) and warnings (B000-BFFF, 0001, 0107, 0116) mean the peer keeps the instance. */
    static boolean delivered(int status) {
        return status == 0 || (status & 0xF000) == 0xB000 || status == 0x0001 || status == 0x0107 || status == 0x0116;
    }

    private void failed(DestinationState state, ForwardQueue.Entry e, String error, Instant now, Duration delay) {
        failedAttempts.incrementAndGet();
        state.failedAttempts.incrementAndGet();
        state.lastError = error;
        state.lastErrorAt = now;
        try {
            boolean tooMany = settings.maxAttempts() > 0 && e.attempts() + 1 >= settings.maxAttempts();
            boolean tooOld = !settings.maxAge().isZero() && e.queued().plus(settings.maxAge()).isBefore(now);
            if (tooMany || tooOld) {
                queue.giveUp(e, error, now);
                gaveUp.incrementAndGet();
                LOG.warn("forward to {}: {} moved to the failed list after {} attempt(s){}: {}", e.destination(),
                        e.sopInstanceUID(), e.attempts() + 1, tooOld ? " (too old)" : "", error);
            } else {
                queue.retryLater(e, error, now.plus(delay));
            }
        } catch (IOException ex) {
            LOG.error("forward to {}: cannot record the failed attempt of {} ({}); it is tried again", e.destination(),
                    e.sopInstanceUID(), ex.getMessage());
        }
    }

    long sent() {
        return sent.get();
    }

    long failedAttempts() {
        return failedAttempts.get();
    }

    long gaveUp() {
        return gaveUp.get();
    }

    long dropped() {
        return dropped.get();
    }
}
