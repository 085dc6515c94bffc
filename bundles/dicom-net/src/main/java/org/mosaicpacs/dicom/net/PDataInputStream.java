package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A command set or data set as an {@link InputStream}, fed fragment by fragment from {@link
 * AssociationHandler#onPData}, so that another thread can parse it while it arrives. At most
 * {@code capacity} fragments wait in memory: when the reader falls behind, {@link #offer} blocks the
 * association's reader task, which stops reading the socket and lets TCP flow control slow the peer.
 *
 * <p>The stream ends after the fragment offered with {@code last = true}. {@link #fail} makes the
 * reader see the given exception (for example when the association is aborted); {@link #close} by
 * the reader discards the rest without blocking the producer.
 */
public final class PDataInputStream extends InputStream {

    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<ByteBuffer> fragments = new ArrayDeque<>();
    private ByteBuffer current = ByteBuffer.allocate(0);
    private boolean ended;
    private boolean lastOffered;
    private boolean closed;
    private IOException failure;

    /** @param capacity how many fragments may wait, at least 1 */
    public PDataInputStream(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Adds a fragment, waiting while {@code capacity} fragments are unread. The bytes are copied.
     *
     * @param fragment the fragment bytes
     * @param last whether it is the last fragment
     * @throws InterruptedIOException if interrupted while waiting
     * @throws IllegalStateException if the last fragment was already offered
     */
    public void offer(ByteBuffer fragment, boolean last) throws InterruptedIOException {
        byte[] copy = new byte[fragment.remaining()];
        fragment.get(copy);
        add(ByteBuffer.wrap(copy), last);
    }

    /**
     * Adds a fragment like {@link #offer}, but keeps a view of its bytes instead of a copy: for a producer that
     * never changes the bytes afterwards, such as an {@link Association}, whose fragments are not reused (see
     * {@link AssociationHandler#onPData}). Saves one copy of every byte received.
     *
     * @param fragment the fragment bytes, not changed by anyone afterwards; its position is not moved
     * @param last whether it is the last fragment
     * @throws InterruptedIOException if interrupted while waiting
     * @throws IllegalStateException if the last fragment was already offered
     */
    public void offerKept(ByteBuffer fragment, boolean last) throws InterruptedIOException {
        add(fragment.slice(), last);
    }

    private void add(ByteBuffer fragment, boolean last) throws InterruptedIOException {
        lock.lock();
        try {
            if (lastOffered) {
                throw new IllegalStateException("the last fragment was already offered");
            }
            lastOffered = last;
            while (fragments.size() >= capacity && !closed && failure == null) {
                notFull.await();
            }
            if (closed || failure != null) {
                return;
            }
            if (fragment.hasRemaining()) {
                fragments.add(fragment);
            }
            if (last) {
                fragments.add(END);
            }
            notEmpty.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while offering a P-DATA fragment");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the stream with an error: pending and future reads throw it.
     *
     * @param cause the error, e.g. an {@link AssociationAbortedException}
     */
    public void fail(IOException cause) {
        lock.lock();
        try {
            if (failure == null && !ended) {
                failure = cause;
            }
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the last fragment was offered */
    public boolean isComplete() {
        lock.lock();
        try {
            return lastOffered;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        if (!current.hasRemaining() && !next()) {
            return -1;
        }
        return current.get() & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!current.hasRemaining() && !next()) {
            return -1;
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return current.remaining();
    }

    /** Takes the next fragment; @return false at the end of the stream. */
    private boolean next() throws IOException {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IOException("stream closed");
                }
                if (ended) {
                    return false;
                }
                if (failure != null) {
                    throw failure;
                }
                ByteBuffer f = fragments.poll();
                if (f != null) {
                    notFull.signalAll();
                    if (f == END) {
                        ended = true;
                        return false;
                    }
                    current = f;
                    return true;
                }
                notEmpty.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a P-DATA fragment");
        } finally {
            lock.unlock();
        }
    }

    /** Discards unread fragments; later offers return at once. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            fragments.clear();
            notFull.signalAll();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
