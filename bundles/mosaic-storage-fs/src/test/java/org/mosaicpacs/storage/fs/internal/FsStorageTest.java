package org.mosaicpacs.storage.fs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.health.HealthState;
import org.mosaicpacs.api.storage.ObjectExistsException;
import org.mosaicpacs.api.storage.ObjectNotFoundException;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;

class FsStorageTest {

    @TempDir
    Path dir;

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private FsStorage storage() throws IOException {
        return new FsStorage("fs-test", dir.resolve("root"), true, 2);
    }

    @Test
    void aFileSystemWithoutHardLinksGetsItsObjectsByRename() throws Exception {
        FsStorage s = new FsStorage("fs-test", dir.resolve("root"), true, 2, d -> { }, false);
        StorageKey key = StorageKey.forInstance("1.2.3", "1.2.3.4", "1.2.3.4.5", "1");
        byte[] data = bytes(100_000);

        StoredObject stored = s.write(key, new ByteArrayInputStream(data));

        assertEquals(100_000, stored.size());
        try (InputStream in = s.read(key)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        List<StorageKey> listed = new ArrayList<>();
        assertEquals(1, s.list(o -> listed.add(o.key())));
        assertEquals(List.of(key), listed);
        try (Stream<Path> files = Files.walk(dir.resolve("root"))) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
                    "no temporary file left");
        }
        assertThrows(ObjectExistsException.class, () -> s.write(key, new ByteArrayInputStream(bytes(20))));
        assertEquals(1, s.list(o -> true), "the refused write left the first object listable");
    }

    @Test
    void writesReadsReadsARangeAndDeletes() throws IOException {
        FsStorage s = storage();
        StorageKey key = StorageKey.forInstance("1.2.3", "1.2.3.4", "1.2.3.4.5", "1");
        byte[] data = bytes(200_000);

        StoredObject stored = s.write(key, new ByteArrayInputStream(data));

        assertEquals("fs-test", stored.storageId());
        assertEquals(200_000, stored.size());
        assertEquals(FsStorage.sha256Hex(data), stored.sha256());
        assertTrue(s.exists(key));
        try (InputStream in = s.read(key)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        try (InputStream in = s.read(key, 1000, 10)) {
            byte[] expected = new byte[10];
            System.arraycopy(data, 1000, expected, 0, 10);
            assertArrayEquals(expected, in.readAllBytes());
        }
        try (InputStream in = s.read(key, 199_995, 100)) {
            assertEquals(5, in.readAllBytes().length, "a range past the end stops at the end");
        }
        try (InputStream in = s.read(key, 500_000, 100)) {
            assertEquals(0, in.readAllBytes().length);
        }
        assertTrue(s.delete(key));
        assertFalse(s.exists(key));
        assertFalse(s.delete(key));
        assertThrows(ObjectNotFoundException.class, () -> s.read(key));
    }

    @Test
    void neverOverwritesAndLeavesNoTemporaryFiles() throws IOException {
        FsStorage s = storage();
        StorageKey key = StorageKey.of("1.2.840.1");
        s.write(key, new ByteArrayInputStream(bytes(10)));

        assertThrows(ObjectExistsException.class, () -> s.write(key, new ByteArrayInputStream(bytes(20))));

        try (InputStream in = s.read(key)) {
            assertEquals(10, in.readAllBytes().length, "the first object is untouched");
        }
        try (Stream<Path> files = Files.walk(s.root())) {
            assertEquals(List.of(s.pathOf(key), keyFileOf(s.pathOf(key))),
                    files.filter(Files::isRegularFile).sorted().toList());
        }
    }

    @Test
    void failedWriteLeavesNothing() throws IOException {
        FsStorage s = storage();
        StorageKey key = StorageKey.of("1.2.840.2");
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 5000) {
                    throw new IOException("association aborted");
                }
                return 1;
            }
        };

        assertThrows(StorageException.class, () -> s.write(key, failing));

        assertFalse(s.exists(key));
        try (Stream<Path> files = Files.walk(s.root())) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "no temporary file left");
        }
    }

    @Test
    void objectIsNamedWhenItsFolderIsFlushedAndAFailedFlushLeavesNothing() throws IOException {
        StorageKey key = StorageKey.of("1.2.840.4");
        List<List<String>> seenAtFlush = new ArrayList<>();
        FsStorage s = new FsStorage("fs-test", dir.resolve("root"), true, 2, folder -> {
            try (Stream<Path> files = Files.list(folder)) {
                seenAtFlush.add(files.map(f -> f.getFileName().toString()).sorted().toList());
            }
            throw new IOException("device gone");
        });
        Path target = s.pathOf(key);

        assertThrows(StorageException.class, () -> s.write(key, new ByteArrayInputStream(bytes(300))));

        assertEquals(List.of(target.getFileName().toString(), keyFileOf(target).getFileName().toString()),
                seenAtFlush.get(0), "the folder flush covers the object's and the key file's names, no temporary name");
        assertFalse(s.exists(key), "a write whose flush failed is not left under its key");
        try (Stream<Path> files = Files.walk(s.root())) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "nothing left");
        }
    }

    @Test
    void bytesGoToATemporaryFileInTheTargetFolderUntilTheyAreComplete() throws IOException {
        FsStorage s = storage();
        StorageKey key = StorageKey.of("1.2.840.3");
        Path target = s.pathOf(key);
        List<List<String>> seenWhileWriting = new ArrayList<>();
        InputStream watched = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n == 100) {
                    try (Stream<Path> files = Files.list(target.getParent())) {
                        seenWhileWriting.add(files.map(f -> f.getFileName().toString()).toList());
                    }
                }
                return n++ < 200 ? 42 : -1;
            }
        };

        s.write(key, watched);

        List<String> during = seenWhileWriting.get(0);
        assertEquals(1, during.size());
        assertTrue(during.get(0).startsWith("." + target.getFileName() + ".") && during.get(0).endsWith(".tmp"), during.get(0));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(List.of(target, keyFileOf(target)), files.sorted().toList(),
                    "after the write only the object and its key file are there");
        }
        assertEquals(200, Files.size(target));
    }

    @Test
    void fileIsNamedByAHashInHashNamedDirectories() throws IOException {
        FsStorage s = storage();
        Path p = s.pathOf(StorageKey.of("1.2.3"));
        assertEquals(s.root(), p.getParent().getParent().getParent());
        assertTrue(p.getFileName().toString().matches("[0-9a-f]{64}"));
        assertTrue(p.getFileName().toString().startsWith(p.getParent().getParent().getFileName().toString()
                + p.getParent().getFileName()));
    }

    @Test
    void hostileUidsStayInsideTheRoot() throws IOException {
        FsStorage s = storage();
        Path outside = dir.resolve("outside");
        Files.createDirectories(outside);
        String[] hostile = {"../../outside/x", "..", ".", "/etc/passwd", "..\\..\\outside\\x", "1.2\u00003",
            "a/b/../../../..", "%2e%2e%2f", "\u202e1.2", "C:\\Windows", "~root", " ", "*", "a".repeat(200)};
        List<StorageKey> keys = new ArrayList<>();
        for (String h : hostile) {
            keys.add(StorageKey.of(h));
            keys.add(StorageKey.forInstance(h, h, h, h));
        }
        for (StorageKey key : keys) {
            Path p = s.pathOf(key);
            assertTrue(p.normalize().startsWith(s.root()), key + " -> " + p);
            s.write(key, new ByteArrayInputStream(key.value().getBytes()));
        }
        for (StorageKey key : keys) {
            try (InputStream in = s.read(key)) {
                assertArrayEquals(key.value().getBytes(), in.readAllBytes());
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.filter(Files::isRegularFile).allMatch(f -> f.startsWith(s.root())));
        }
        try (Stream<Path> files = Files.list(outside)) {
            assertEquals(0, files.count());
        }
    }

    private static Path keyFileOf(Path object) {
        return object.resolveSibling(object.getFileName() + FsStorage.KEY_SUFFIX);
    }

    @Test
    void listGivesBackEveryKeyHostileOnesToo() throws IOException {
        FsStorage s = storage();
        java.util.Set<StorageKey> written = new java.util.HashSet<>();
        for (String uid : new String[] {"1.2.3", "../../etc/passwd", "a/b\\c", "\u00e9\u4e2d", "x".repeat(300)}) {
            StorageKey key = StorageKey.forInstance(uid, uid + ".1", uid + ".1.1", "7");
            s.write(key, new ByteArrayInputStream(bytes(10 + written.size())));
            written.add(key);
        }
        StorageKey deleted = StorageKey.of("1.2.840.9");
        s.write(deleted, new ByteArrayInputStream(bytes(3)));
        s.delete(deleted);
        assertFalse(Files.exists(keyFileOf(s.pathOf(deleted))), "delete removes the key file too");

        List<org.mosaicpacs.api.storage.ListedObject> listed = new ArrayList<>();
        assertEquals(5, s.list(listed::add));
        assertEquals(written, listed.stream().map(org.mosaicpacs.api.storage.ListedObject::key)
                .collect(java.util.stream.Collectors.toSet()));
        for (org.mosaicpacs.api.storage.ListedObject o : listed) {
            assertEquals(Files.size(s.pathOf(o.key())), o.size());
            assertFalse(o.modified().isAfter(java.time.Instant.now().plusSeconds(5)));
        }
        // the visitor stops the listing, and may delete what it is given
        assertEquals(1, s.list(o -> {
            try {
                s.delete(o.key());
            } catch (StorageException e) {
                throw new IllegalStateException(e);
            }
            return false;
        }));
        assertEquals(4, s.list(o -> true));
    }

    @Test
    void objectsWithoutAKeyFileAreNotListedAndTamperedKeyFilesAreIgnored() throws IOException {
        FsStorage s = storage();
        StorageKey a = StorageKey.of("1.2.1");
        StorageKey b = StorageKey.of("1.2.2");
        StorageKey c = StorageKey.of("1.2.3");
        for (StorageKey k : List.of(a, b, c)) {
            s.write(k, new ByteArrayInputStream(bytes(5)));
        }
        Files.delete(keyFileOf(s.pathOf(a)));                          // stored before key files existed
        Files.writeString(keyFileOf(s.pathOf(b)), "../../something/else"); // does not hash to the name
        List<StorageKey> listed = new ArrayList<>();
        assertEquals(1, s.list(o -> listed.add(o.key())));
        assertEquals(List.of(c), listed);
        assertTrue(s.exists(a), "an object without key file can still be read by its key");
    }

    @Test
    void cleanUpRemovesWhatInterruptedWritesLeftButNothingNewer() throws IOException {
        FsStorage s = storage();
        StorageKey kept = StorageKey.of("1.2.1");
        s.write(kept, new ByteArrayInputStream(bytes(5)));
        Path dir = s.pathOf(kept).getParent();
        Path staleTemp = dir.resolve("." + s.pathOf(kept).getFileName() + ".dead.tmp");
        Path staleKeyTemp = dir.resolve(".abc.dead.key.tmp");
        StorageKey lost = StorageKey.of("1.2.2");
        Path strayKey = keyFileOf(s.pathOf(lost));
        Files.createDirectories(strayKey.getParent());
        for (Path p : List.of(staleTemp, staleKeyTemp, strayKey)) {
            Files.write(p, bytes(7));
        }
        java.time.Instant cutOff = java.time.Instant.now().plusSeconds(60);
        Path freshTemp = dir.resolve(".fresh.tmp");
        Files.write(freshTemp, bytes(7));
        Files.setLastModifiedTime(freshTemp, java.nio.file.attribute.FileTime.from(cutOff.plusSeconds(1)));

        FsStorage.CleanUp cleaned = s.cleanUp(cutOff);

        assertEquals(2, cleaned.temporaryFiles());
        assertEquals(1, cleaned.keyFiles());
        assertFalse(Files.exists(staleTemp));
        assertFalse(Files.exists(staleKeyTemp));
        assertFalse(Files.exists(strayKey));
        assertTrue(Files.exists(freshTemp), "a write started after the cut-off is never touched");
        assertTrue(s.exists(kept));
        assertTrue(Files.exists(keyFileOf(s.pathOf(kept))), "the key file of a stored object stays");
        assertEquals(1, s.list(o -> true));
    }

    @Test
    void keyPartsCannotBeConfused() {
        assertFalse(StorageKey.of("1/2", "3").equals(StorageKey.of("1", "2/3")));
        assertThrows(IllegalArgumentException.class, () -> StorageKey.of("1", ""));
    }

    @Test
    void concurrentWritesOfDifferentKeys() throws Exception {
        FsStorage s = storage();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<StoredObject>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                results.add(pool.submit(() -> s.write(StorageKey.of("1.2." + n), new ByteArrayInputStream(bytes(1000 + n)))));
            }
            for (int i = 0; i < 64; i++) {
                assertEquals(1000 + i, results.get(i).get().size());
                try (InputStream in = s.read(StorageKey.of("1.2." + i))) {
                    assertArrayEquals(bytes(1000 + i), in.readAllBytes());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentWritesOfTheSameKeyLeaveExactlyOneWinner() throws Exception {
        FsStorage s = storage();
        StorageKey key = StorageKey.of("1.2.99");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    try {
                        s.write(key, new ByteArrayInputStream(bytes(100 + n)));
                        return true;
                    } catch (ObjectExistsException e) {
                        return false;
                    }
                }));
            }
            int winners = 0;
            for (Future<Boolean> f : results) {
                winners += f.get() ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void healthReportsFreeSpaceAndUnwritableRoots() throws IOException {
        System.setProperty("mosaic.test.root", dir.toString());
        FsStorageBackend backend = new FsStorageBackend(config("${mosaic.test.root}/store", 0));
        assertEquals("storage fs-main", backend.name());
        assertEquals(HealthState.UP, backend.health().state(), backend.health().detail());
        assertTrue(Files.isDirectory(dir.resolve("store")));

        FsStorageBackend greedy = new FsStorageBackend(config(dir.resolve("store2").toString(), Long.MAX_VALUE / (1 << 21)));
        assertEquals(HealthState.DOWN, greedy.health().state());

        Files.delete(dir.resolve("store2"));
        assertEquals(HealthState.DOWN, greedy.health().state());
    }

    private static FsStorageConfiguration config(String root, long minFree) {
        return new FsStorageConfiguration() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return FsStorageConfiguration.class;
            }

            @Override
            public String storage_id() {
                return "fs-main";
            }

            @Override
            public String root() {
                return root;
            }

            @Override
            public boolean fsync() {
                return false;
            }

            @Override
            public int depth() {
                return 2;
            }

            @Override
            public long minFreeMiB() {
                return minFree;
            }
        };
    }
}
