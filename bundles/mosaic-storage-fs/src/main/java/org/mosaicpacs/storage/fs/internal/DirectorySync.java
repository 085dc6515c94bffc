package org.mosaicpacs.storage.fs.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Group sync of directories: the writers that need the same directory flushed share one flush.
 *
 * <p>A caller's change (a new name in the directory) is made before it calls {@link #sync}; it is durable
 * once a flush that <em>started after</em> the call has completed. So per directory there is at most one
 * flush running and one group waiting: a caller joins the waiting group (or opens it and leads it); the
 * leader waits for the running flush to end, then flushes once for everyone in its group. Callers that
 * arrive while a flush runs never count on it: they wait for the next one. Every caller gets the outcome of
 * its own group's flush, a failure included.
 */
final class DirectorySync {

    /** The flush itself (fsync of a directory). */
    @FunctionalInterface
    interface Flusher {
        void flush(Path directory) throws IOException;
    }

    private static final class Group {
        int members = 1;
        boolean done;
        IOException failure;
    }

    private static final class State {
        Group running;
        Group waiting;
    }

    private final Flusher flusher;
    private final Map<Path, State> states = new HashMap<>();

    DirectorySync(Flusher flusher) {
        this.flusher = flusher;
    }

    /** How many callers are in the group waiting to flush {@code directory} (for tests). */
    synchronized int waiting(Path directory) {
        State state = states.get(directory);
        return state == null || state.waiting == null ? 0 : state.waiting.members;
    }

    /** Returns once {@code directory} was flushed by a flush that started after this call. */
    void sync(Path directory) throws IOException {
        Group group;
        boolean interrupted = false;
        try {
            synchronized (this) {
                State state = states.computeIfAbsent(directory, d -> new State());
                if (state.waiting != null) {
                    group = state.waiting;
                    group.members++;
                    while (!group.done) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            interrupted = true; // the change must still be made durable before returning
                        }
                    }
                    if (group.failure != null) {
                        throw new IOException("cannot flush " + directory + ": " + group.failure.getMessage(), group.failure);
                    }
                    return;
                }
                group = new Group();
                state.waiting = group;
                while (state.running != null) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                state.waiting = null;
                state.running = group;
            }
            IOException failure = null;
            try {
                flusher.flush(directory);
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e);
            } finally {
                synchronized (this) {
                    group.failure = failure;
                    group.done = true;
                    State state = states.get(directory);
                    state.running = null;
                    if (state.waiting == null) {
                        states.remove(directory);
                    }
                    notifyAll();
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
