package org.mosaicpacs.storage.fs.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.mosaicpacs.api.storage.ListedObject;
import org.mosaicpacs.api.storage.ObjectExistsException;
import org.mosaicpacs.api.storage.ObjectNotFoundException;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-system storage itself, without OSGi: objects are files under {@code root}, named by the
 * SHA-256 of their key (so no key, however hostile, names a path outside {@code root}), in
 * {@code depth} levels of directories named by the first hex digits of that hash.
 *
 * <p>A write goes to a temporary file in the object's directory; once all its bytes are there, it is
 * linked to its final name (which fails if the name exists: objects are never overwritten), the temporary
 * name is removed, and only then are the object's bytes flushed to the device ({@code fdatasync}) and the
 * directory flushed. The write returns (and the object may be acknowledged) only after both flushes. Naming
 * before flushing lets a journaling file system commit the bytes and every name in one journal commit (the
 * directory flush then finds nothing left); the price is that after a power cut an object that was named
 * but never acknowledged may be incomplete under its final name: it has no index row (the index is written
 * after the write returns), so it is an orphan that the archive's ingest journal or {@code mosaic:check}
 * removes, like any write interrupted before its acknowledgement. While the process runs, a final name
 * always holds complete bytes. Directory flushes go through a {@link DirectorySync}: concurrent writes into
 * the same directory share one flush (group sync). The first write into a directory since the start also
 * flushes its parent (and so on up, while a directory is not yet known durable, never above {@code root}), so
 * that a directory created for it (by this write, a concurrent one or one that crashed before its flush) is
 * durable in its parent before the write returns.
 *
 * <p>Beside each object, {@code <hash>.key} holds the key's text (UTF-8), named before the object gets
 * its name, so that {@link #list} can give the keys back (a hash cannot be reversed). A key
 * file without its object (a crash between the two names) is harmless and removed by {@link #cleanUp}.
 */
final class FsStorage {

    private static final Logger LOG = LoggerFactory.getLogger(FsStorage.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final String TEMP_SUFFIX = ".tmp";
    static final String KEY_SUFFIX = ".key";

    private final String id;
    private final Path root;
    private final boolean fsync;
    private final int depth;
    private final Clock clock = Clock.systemUTC();
    private final DirectorySync directories;
    private final boolean hardLinks;
    /** Directories whose name is known durable in their parent (flushed since the start); bounded. */
    private final java.util.Set<Path> durablePaths = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int MAX_DURABLE_PATHS = 1 << 17;

    FsStorage(String id, Path root, boolean fsync, int depth) throws IOException {
        this(id, root, fsync, depth, FsStorage::forceDirectory);
    }

    /** With the directory flush given (tests count them). */
    FsStorage(String id, Path root, boolean fsync, int depth, DirectorySync.Flusher flusher) throws IOException {
        this(id, root, fsync, depth, flusher, true);
    }

    /** With hard links used or not (tests take the path of file systems without them). */
    FsStorage(String id, Path root, boolean fsync, int depth, DirectorySync.Flusher flusher, boolean hardLinks)
            throws IOException {
        if (depth < 0 || depth > 8) {
            throw new IllegalArgumentException("depth must be 0 to 8: " + depth);
        }
        this.id = Objects.requireNonNull(id, "id");
        this.root = root.toAbsolutePath().normalize();
        this.fsync = fsync;
        this.depth = depth;
        this.directories = new DirectorySync(flusher);
        this.hardLinks = hardLinks;
        Files.createDirectories(this.root);
    }

    String id() {
        return id;
    }

    Path root() {
        return root;
    }

    /** The file of {@code key}: always {@code root}/hh/hh/&lt;64 hex digits&gt;. */
    Path pathOf(StorageKey key) {
        String hash = sha256Hex(key.value().getBytes(StandardCharsets.UTF_8));
        Path p = root;
        for (int i = 0; i < depth; i++) {
            p = p.resolve(hash.substring(2 * i, 2 * i + 2));
        }
        return p.resolve(hash);
    }

    StoredObject write(StorageKey key, InputStream data) throws StorageException {
        Path target = pathOf(key);
        Path dir = target.getParent();
        String prefix = "." + target.getFileName() + "." + UUID.randomUUID();
        Path temp = dir.resolve(prefix + TEMP_SUFFIX);
        Path keyFile = dir.resolve(target.getFileName() + KEY_SUFFIX);
        boolean published = false;
        boolean keyWritten = false;
        boolean tempGone = false;
        try {
            if (Files.exists(target)) {
                throw new ObjectExistsException(key);
            }
            Files.createDirectories(dir);
            MessageDigest digest = sha256();
            long size = 0;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = data.read(buf)) > 0; ) {
                    digest.update(buf, 0, n);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    size += n;
                }
                // every name first (key file, object, temporary name gone), then one flush of the object's bytes
                // and one of its folder: on a journaling file system the first flush commits the names with the
                // bytes, and the folder flush finds nothing left to write. Before 2026-11-30 the object was
                // flushed before it was named, which cost a second journal commit per object.
                // The key file first: an object never has a name without its key file. It is not flushed on
                // its own: the folder flush makes its name durable (see the class comment for its bytes). It is
                // written under its own name at once (no reader looks at it before the object has its name; a
                // stray one that a crash left between the two names is overwritten).
                writeKeyFile(keyFile, key.value().getBytes(StandardCharsets.UTF_8));
                keyWritten = true;
                publish(key, temp, target, hardLinks);
                published = true;
                Files.deleteIfExists(temp); // gone already when the name was given by a rename
                tempGone = true;
                if (fsync) {
                    // the bytes and the size of a new file: fdatasync is enough (the name is the folder's)
                    out.force(false);
                }
            }
            if (fsync) {
                directories.sync(dir);
                makePathDurable(dir);
            }
            return new StoredObject(id, key, size, HEX.formatHex(digest.digest()), clock.instant());
        } catch (StorageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // named or not, not known durable: a failed write leaves nothing under its key (and never deletes the
            // key file of an object that another write of the same key named)
            try {
                if (published) {
                    Files.deleteIfExists(target);
                    Files.deleteIfExists(keyFile);
                } else if (keyWritten && !Files.exists(target)) {
                    Files.deleteIfExists(keyFile);
                }
            } catch (IOException ignored) {
                // left for the archive's journal, which names the key (never acknowledged), or for cleanUp
            }
            throw new StorageException("cannot store " + key + " in " + id + ": " + e, e);
        } finally {
            try {
                if (!tempGone) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException ignored) {
                // a stray temporary file: harmless, named *.tmp, removed at the next start
            }
        }
    }

    /**
     * Makes the name of {@code dir} (and of the directories above it) durable in its parent: flushes the
     * parent of each directory not yet known durable, from {@code dir} up, and stops at the first one known
     * durable (flushed in its parent since the start), or at {@code root}.
     */
    private void makePathDurable(Path dir) throws IOException {
        for (Path d = dir; !d.equals(root) && !durablePaths.contains(d); d = d.getParent()) {
            directories.sync(d.getParent());
            if (durablePaths.size() >= MAX_DURABLE_PATHS) {
                durablePaths.clear(); // costs some flushes again, never a missing one
            }
            durablePaths.add(d);
        }
    }

    private static void writeKeyFile(Path file, byte[] bytes) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            while (bb.hasRemaining()) {
                out.write(bb);
            }
        }
    }

    /** Gives the temporary file its final name without ever replacing an existing object. */
    private static void publish(StorageKey key, Path temp, Path target, boolean hardLinks) throws IOException {
        try {
            if (!hardLinks) {
                throw new UnsupportedOperationException("hard links not used");
            }
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw new ObjectExistsException(key);
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof FileSystemException fse && Files.exists(target)) {
                throw new ObjectExistsException(key);
            }
            // no hard links here: an atomic rename, after a last check
            if (Files.exists(target)) {
                throw new ObjectExistsException(key);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    InputStream read(StorageKey key) throws StorageException {
        return read(key, 0, Long.MAX_VALUE);
    }

    InputStream read(StorageKey key, long offset, long length) throws StorageException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        try {
            FileChannel ch = FileChannel.open(pathOf(key), StandardOpenOption.READ);
            try {
                ch.position(Math.min(offset, ch.size()));
                return new Bounded(Channels.newInputStream(ch), length);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new StorageException("cannot read " + key + " from " + id + ": " + e, e);
        }
    }

    boolean exists(StorageKey key) {
        return Files.isRegularFile(pathOf(key));
    }

    boolean delete(StorageKey key) throws StorageException {
        Path file = pathOf(key);
        try {
            boolean deleted = Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + KEY_SUFFIX));
            if (deleted && fsync) {
                directories.sync(file.getParent());
            }
            return deleted;
        } catch (IOException e) {
            throw new StorageException("cannot delete " + key + " from " + id + ": " + e, e);
        }
    }

    /**
     * Gives {@code visitor} every object whose key file names it (see {@link
     * org.mosaicpacs.api.storage.StorageBackend#list}). Objects without a readable key file (stored before
     * key files existed, or a damaged one) cannot be named: they are counted and logged, not listed.
     */
    long list(Predicate<ListedObject> visitor) throws StorageException {
        long listed = 0;
        long unnamed = 0;
        Path firstUnnamed = null;
        try (Stream<Path> files = Files.walk(root, depth + 1)) {
            for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
                Path p = it.next();
                String name = p.getFileName().toString();
                if (!isObjectName(name)) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue; // deleted meanwhile
                }
                if (!attributes.isRegularFile()) {
                    continue;
                }
                StorageKey key = readKey(p);
                if (key == null) {
                    if (Files.exists(p) && unnamed++ == 0) {
                        firstUnnamed = p;
                    }
                    continue;
                }
                listed++;
                if (!visitor.test(new ListedObject(key, attributes.size(), attributes.lastModifiedTime().toInstant()))) {
                    break;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new StorageException("cannot list " + id + ": " + e, e);
        }
        if (unnamed > 0) {
            LOG.warn("storage {}: {} objects have no readable key file and cannot be listed, e.g. {}", id, unnamed,
                    firstUnnamed);
        }
        return listed;
    }

    /** The key in the key file of {@code object}, when it is there and hashes to the object's name. */
    private static StorageKey readKey(Path object) {
        Path keyFile = object.resolveSibling(object.getFileName() + KEY_SUFFIX);
        try {
            byte[] bytes = Files.readAllBytes(keyFile);
            if (bytes.length == 0 || bytes.length > 4 * StorageKey.MAX_LENGTH
                    || !sha256Hex(bytes).equals(object.getFileName().toString())) {
                return null;
            }
            return new StorageKey(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isObjectName(String name) {
        if (name.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = name.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** What {@link #cleanUp} removed. */
    record CleanUp(int temporaryFiles, int keyFiles) {
    }

    /**
     * Removes what writes interrupted by a stop or crash left: temporary files ({@code .*.tmp}) and key
     * files without their object, when last modified before {@code before} (so that writes started since
     * are never touched). Run once when the backend starts.
     */
    CleanUp cleanUp(Instant before) throws IOException {
        int[] removed = new int[2];
        cleanUp(root, depth, before, removed);
        return new CleanUp(removed[0], removed[1]);
    }

    private static void cleanUp(Path dir, int levels, Instant before, int[] removed) throws IOException {
        java.util.Set<String> names = new java.util.HashSet<>();
        java.util.List<Path> subdirectories = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                names.add(p.getFileName().toString());
                if (levels > 0 && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    subdirectories.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return;
        }
        for (String name : names) {
            boolean temp = name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
            boolean strayKey = name.endsWith(KEY_SUFFIX) && name.length() == 64 + KEY_SUFFIX.length()
                    && isObjectName(name.substring(0, 64)) && !names.contains(name.substring(0, 64));
            if (temp || strayKey) {
                Path p = dir.resolve(name);
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(before)
                            && Files.deleteIfExists(p)) {
                        removed[temp ? 0 : 1]++;
                    }
                } catch (NoSuchFileException e) {
                    // gone meanwhile
                }
            }
        }
        for (Path sub : subdirectories) {
            cleanUp(sub, levels - 1, before, removed);
        }
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some platforms (Windows) cannot open a directory: the rename is then as durable as it gets
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }

    static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** At most {@code remaining} bytes of a stream. */
    private static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, remaining));
            remaining -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }
    }
}
