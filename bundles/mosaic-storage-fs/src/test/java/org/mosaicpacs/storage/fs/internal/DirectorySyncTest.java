package org.mosaicpacs.storage.fs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.storage.StorageKey;

class DirectorySyncTest {

    @TempDir
    Path temp;

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void spinUntil(java.util.function.BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void callersArrivingDuringAFlushShareTheNextOne() throws Exception {
        Path dir = Path.of("/d");
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger flushes = new AtomicInteger();
        DirectorySync sync = new DirectorySync(d -> {
            if (flushes.incrementAndGet() == 1) {
                firstStarted.countDown();
                await(releaseFirst);
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            Future<?> first = pool.submit(() -> {
                sync.sync(dir);
                return null;
            });
            await(firstStarted);
            List<Future<?>> group = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                group.add(pool.submit(() -> {
                    sync.sync(dir);
                    return null;
                }));
            }
            spinUntil(() -> sync.waiting(dir) == 8);
            // none of them counts on the flush that started before they came
            for (Future<?> f : group) {
                assertFalse(f.isDone());
            }
            releaseFirst.countDown();
            first.get();
            for (Future<?> f : group) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, flushes.get(), "one flush for the first caller, one shared by the 8 that came during it");
        assertEquals(0, sync.waiting(dir));
    }

    @Test
    void everyMemberOfAGroupGetsItsFailure() throws Exception {
        Path dir = Path.of("/d");
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger flushes = new AtomicInteger();
        DirectorySync sync = new DirectorySync(d -> {
            if (flushes.incrementAndGet() == 1) {
                firstStarted.countDown();
                await(releaseFirst);
                return;
            }
            throw new IOException("device gone");
        });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?> first = pool.submit(() -> {
                sync.sync(dir);
                return null;
            });
            await(firstStarted);
            List<Future<?>> group = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                group.add(pool.submit(() -> {
                    sync.sync(dir);
                    return null;
                }));
            }
            spinUntil(() -> sync.waiting(dir) == 3);
            releaseFirst.countDown();
            first.get();
            for (Future<?> f : group) {
                java.util.concurrent.ExecutionException e =
                        assertThrows(java.util.concurrent.ExecutionException.class, f::get);
                assertTrue(e.getCause() instanceof IOException, e.toString());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, flushes.get());
        // the next caller flushes again (and succeeds or fails on its own)
        assertThrows(IOException.class, () -> sync.sync(dir));
        assertEquals(3, flushes.get());
    }

    @Test
    void differentDirectoriesAreFlushedEachOnItsOwn() throws IOException {
        List<Path> flushed = Collections.synchronizedList(new ArrayList<>());
        DirectorySync sync = new DirectorySync(flushed::add);
        sync.sync(Path.of("/a"));
        sync.sync(Path.of("/b"));
        sync.sync(Path.of("/a"));
        assertEquals(List.of(Path.of("/a"), Path.of("/b"), Path.of("/a")), flushed);
    }

    @Test
    void aWriteFlushesItsFolderAndOnceTheFoldersAboveIt() throws IOException {
        List<Path> flushed = Collections.synchronizedList(new ArrayList<>());
        FsStorage s = new FsStorage("fs-test", temp.resolve("root"), true, 2, flushed::add);
        StorageKey first = StorageKey.forInstance("1.2.3", "1.2.3.4", "1.2.3.4.5", "1");
        Path leaf = s.pathOf(first).getParent();

        s.write(first, new ByteArrayInputStream(new byte[] {1, 2, 3}));

        assertEquals(List.of(leaf, leaf.getParent(), s.root()), flushed,
                "the object's folder, then the new folders' names in their parents");
        assertTrue(Files.isDirectory(leaf));
        assertEquals(s.root(), leaf.getParent().getParent());

        // a second object in the same folder: only the folder (its path is durable already)
        flushed.clear();
        StorageKey second = sameFolder(s, first);
        s.write(second, new ByteArrayInputStream(new byte[] {4}));
        assertEquals(List.of(leaf), flushed);

        // an object in a new folder under the same first-level folder: that folder's parent is known durable
        flushed.clear();
        StorageKey third = sameFirstLevelOtherFolder(s, first);
        s.write(third, new ByteArrayInputStream(new byte[] {5}));
        Path otherLeaf = s.pathOf(third).getParent();
        assertEquals(List.of(otherLeaf, leaf.getParent()), flushed);

        // a delete flushes the folder
        flushed.clear();
        assertTrue(s.delete(second));
        assertEquals(List.of(leaf), flushed);
    }

    @Test
    void noFlushWithoutFsync() throws IOException {
        List<Path> flushed = new ArrayList<>();
        FsStorage s = new FsStorage("fs-test", temp.resolve("root"), false, 2, flushed::add);
        s.write(StorageKey.forInstance("1.2.3", "1.2.3.4", "1.2.3.4.5", "1"), new ByteArrayInputStream(new byte[] {1}));
        assertEquals(List.of(), flushed);
    }

    /** A key whose object lands in another folder under the same first-level folder as {@code other}'s. */
    private static StorageKey sameFirstLevelOtherFolder(FsStorage s, StorageKey other) {
        Path folder = s.pathOf(other).getParent();
        for (int i = 2; ; i++) {
            StorageKey k = StorageKey.forInstance("1.2.3", "1.2.3.4", "1.2.3.4.6", Integer.toString(i));
            Path f = s.pathOf(k).getParent();
            if (!f.equals(folder) && f.getParent().equals(folder.getParent())) {
                return k;
            }
        }
    }

    /** A key whose object lands in the same folder as {@code other}'s (found by trying revisions). */
    private static StorageKey sameFolder(FsStorage s, StorageKey other) {
        Path folder = s.pathOf(other).getParent();
        for (int i = 2; ; i++) {
            StorageKey k = StorageKey.forInstance("1.2.3", "1.2.3.4", "1.2.3.4.5", Integer.toString(i));
            if (s.pathOf(k).getParent().equals(folder)) {
                return k;
            }
        }
    }
}
