package org.mosaicpacs.plugins.internal;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plugin's isolation: a bounded queue and a thread of its own for its notification hooks, and the
 * counts that {@code mosaic:plugin-list} shows. {@link #submit} never blocks: a full queue drops the call.
 */
final class PluginWorker {

    /** A hook call. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PluginWorker.class);

    private final String name;
    private final String bundle;
    private final long slowNanos;
    private final ThreadPoolExecutor executor;
    private final Set<String> hooks = new ConcurrentSkipListSet<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong slow = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    PluginWorker(String name, String bundle, int queueCapacity, long slowMillis) {
        this.name = name;
        this.bundle = bundle;
        this.slowNanos = TimeUnit.MILLISECONDS.toNanos(slowMillis);
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queueCapacity)), r -> {
                    Thread t = new Thread(r, "mosaic-plugin-" + name);
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    String name() {
        return name;
    }

    String bundle() {
        return bundle;
    }

    Set<String> hooks() {
        return hooks;
    }

    /** Queues a call to the plugin; returns false (and counts a drop) when its queue is full or it is closed. */
    boolean submit(String hook, Call call) {
        try {
            executor.execute(() -> {
                timed(hook, call, true);
            });
            return true;
        } catch (RejectedExecutionException e) {
            dropped.incrementAndGet();
            return false;
        }
    }

    /**
     * Runs a call on the caller's thread, counting failures and slow calls, and the call as delivered when
     * {@code event} (HTTP requests to the plugin's endpoint are not events).
     */
    boolean timed(String hook, Call call, boolean event) {
        long start = System.nanoTime();
        try {
            call.run();
            if (event) {
                delivered.incrementAndGet();
            }
            return true;
        } catch (Exception | LinkageError | AssertionError e) {
            failures.incrementAndGet();
            LOG.warn("Plugin {} failed in {}", name, hook, e);
            return false;
        } finally {
            if (System.nanoTime() - start > slowNanos) {
                slow.incrementAndGet();
            }
        }
    }

    void countDelivered() {
        delivered.incrementAndGet();
    }

    void countFailure() {
        failures.incrementAndGet();
    }

    void countSlow() {
        slow.incrementAndGet();
    }

    /** What the table shows. */
    record Counts(int queued, long delivered, long failures, long slow, long dropped) {
    }

    Counts counts() {
        return new Counts(executor.getQueue().size() + executor.getActiveCount(), delivered.get(), failures.get(),
                slow.get(), dropped.get());
    }

    /** Stops taking calls; what waits is discarded and the running call is interrupted. */
    void close() {
        int discarded = executor.shutdownNow().size();
        if (discarded > 0) {
            LOG.info("Plugin {} left with {} events not delivered", name, discarded);
        }
    }
}
