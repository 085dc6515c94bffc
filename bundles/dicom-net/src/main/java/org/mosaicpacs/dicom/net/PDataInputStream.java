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

    private static final byte[] END = new byte[0];

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<byte[]> fragments = new ArrayDeque<>();
    private byte[] current = new byte[0];
    private int position;
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
            if (copy.length > 0) {
                fragments.add(copy);
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
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (position == current.length && !next()) {
            return -1;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return current.length - position;
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
                byte[] f = fragments.poll();
                if (f != null) {
                    notFull.signalAll();
                    if (f == END) {
                        ended = true;
                        return false;
                    }
                    current = f;
                    position = 0;
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
