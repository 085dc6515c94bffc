package org.mosaicpacs.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class PDataInputStreamTest {

    @Test
    void streamsFragmentsAcrossThreadsWithABoundedQueue() throws Exception {
        byte[] data = new byte[200_000];
        new Random(1).nextBytes(data);
        PDataInputStream in = new PDataInputStream(2);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                for (int off = 0; off < data.length; off += 1000) {
                    in.offer(ByteBuffer.wrap(data, off, 1000), off + 1000 == data.length);
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertArrayEquals(data, in.readAllBytes());
        assertEquals(-1, in.read());
        producer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void offerCopiesTheBytesAndOfferKeptReadsThemWhereTheyAre() throws Exception {
        byte[] copied = {1, 2, 3};
        byte[] kept = {4, 5, 6, 7};
        PDataInputStream in = new PDataInputStream(4);
        in.offer(ByteBuffer.wrap(copied), false);
        // a view of bytes 5 and 6, offered read-only as the association does
        in.offerKept(ByteBuffer.wrap(kept, 1, 2).asReadOnlyBuffer(), true);
        copied[0] = 9; // after offer: not seen
        kept[2] = 8; // after offerKept: seen (the caller promised not to do this; here it shows no copy was made)
        assertEquals(1, in.read());
        byte[] rest = new byte[4];
        assertEquals(2, in.read(rest, 0, 4));
        assertEquals(2, in.read(rest, 2, 2));
        assertArrayEquals(new byte[] {2, 3, 5, 8}, rest);
        assertEquals(-1, in.read());
    }

    @Test
    void emptyLastFragmentEndsTheStream() throws Exception {
        PDataInputStream in = new PDataInputStream(4);
        in.offer(ByteBuffer.wrap(new byte[] {1, 2}), false);
        in.offer(ByteBuffer.allocate(0), true);
        assertArrayEquals(new byte[] {1, 2}, in.readAllBytes());
        assertThrows(IllegalStateException.class, () -> in.offer(ByteBuffer.allocate(1), false));
    }

    @Test
    void failureReachesTheReader() throws Exception {
        PDataInputStream in = new PDataInputStream(4);
        in.offer(ByteBuffer.wrap(new byte[] {1}), false);
        assertEquals(1, in.read());
        IOException cause = new AssociationAbortedException("aborted", null);
        CompletableFuture.runAsync(() -> in.fail(cause));
        assertSame(cause, assertThrows(IOException.class, in::read));
    }

    @Test
    void closingTheReaderReleasesABlockedProducer() throws Exception {
        PDataInputStream in = new PDataInputStream(1);
        in.offer(ByteBuffer.wrap(new byte[] {1}), false);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                in.offer(ByteBuffer.wrap(new byte[] {2}), false); // blocks: queue full
                in.offer(ByteBuffer.wrap(new byte[] {3}), true);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        in.close();
        producer.get(10, TimeUnit.SECONDS);
        assertThrows(IOException.class, () -> in.read(new byte[1]));
    }
}
