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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

import org.mosaicpacs.api.storage.ObjectExistsException;
import org.mosaicpacs.api.storage.ObjectNotFoundException;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;

/**
 * The file-system storage itself, without OSGi: objects are files under {@code root}, named by the
 * SHA-256 of their key (so no key, however hostile, names a path outside {@code root}), in
 * {@code depth} levels of directories named by the first hex digits of that hash.
 *
 * <p>A write goes to a temporary file in the object's directory, is flushed to the device, linked to
 * its final name (which fails if the name exists: objects are never overwritten), and the directory is
 * flushed too.
 */
final class FsStorage {

    private static final HexFormat HEX = HexFormat.of();
    private static final String TEMP_SUFFIX = ".tmp";

    private final String id;
    private final Path root;
    private final boolean fsync;
    private final int depth;
    private final Clock clock = Clock.systemUTC();

    FsStorage(String id, Path root, boolean fsync, int depth) throws IOException {
        if (depth < 0 || depth > 8) {
            throw new IllegalArgumentException("depth must be 0 to 8: " + depth);
        }
        this.id = Objects.requireNonNull(id, "id");
        this.root = root.toAbsolutePath().normalize();
        this.fsync = fsync;
        this.depth = depth;
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
        Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
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
                if (fsync) {
                    out.force(true);
                }
            }
            publish(key, temp, target);
            if (fsync) {
                forceDirectory(dir);
            }
            return new StoredObject(id, key, size, HEX.formatHex(digest.digest()), clock.instant());
        } catch (StorageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new StorageException("cannot store " + key + " in " + id + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a stray temporary file: harmless, named *.tmp
            }
        }
    }

    /** Gives the temporary file its final name without ever replacing an existing object. */
    private static void publish(StorageKey key, Path temp, Path target) throws IOException {
        try {
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
            if (deleted && fsync) {
                forceDirectory(file.getParent());
            }
            return deleted;
        } catch (IOException e) {
            throw new StorageException("cannot delete " + key + " from " + id + ": " + e, e);
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
