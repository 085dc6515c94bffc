package org.mosaicpacs.storage.fs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.mosaicpacs.api.config.SystemProperties;
import org.mosaicpacs.api.health.Health;
import org.mosaicpacs.api.health.HealthIndicator;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One file-system storage backend per factory configuration of {@value #PID}; registered as a
 * {@link StorageBackend} with {@code storage.backend=fs} and {@code storage.id} from the configuration,
 * and as a {@link HealthIndicator} reporting whether its root is writable and how much space is free.
 */
@Component(service = {StorageBackend.class, HealthIndicator.class}, configurationPid = FsStorageBackend.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = StorageBackend.BACKEND_PROPERTY + "=fs")
@Designate(ocd = FsStorageConfiguration.class, factory = true)
public final class FsStorageBackend implements StorageBackend, HealthIndicator {

    static final String PID = "org.mosaicpacs.storage.fs";
    private static final long MIB = 1024 * 1024;

    private final FsStorage storage;
    private final long minFree;

    @Activate
    public FsStorageBackend(FsStorageConfiguration configuration) throws IOException {
        this.storage = new FsStorage(configuration.storage_id(), Path.of(SystemProperties.expand(configuration.root())),
                configuration.fsync(), configuration.depth());
        this.minFree = Math.max(0, configuration.minFreeMiB()) * MIB;
    }

    @Override
    public String id() {
        return storage.id();
    }

    @Override
    public StoredObject write(StorageKey key, InputStream data) throws StorageException {
        return storage.write(key, data);
    }

    @Override
    public InputStream read(StorageKey key) throws StorageException {
        return storage.read(key);
    }

    @Override
    public InputStream read(StorageKey key, long offset, long length) throws StorageException {
        return storage.read(key, offset, length);
    }

    @Override
    public boolean exists(StorageKey key) {
        return storage.exists(key);
    }

    @Override
    public boolean delete(StorageKey key) throws StorageException {
        return storage.delete(key);
    }

    @Override
    public String name() {
        return "storage " + storage.id();
    }

    @Override
    public Health health() {
        Path root = storage.root();
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            return Health.down(root + " is not a writable directory");
        }
        try {
            long free = Files.getFileStore(root).getUsableSpace();
            String detail = root + ": " + free / MIB + " MiB free";
            return free < minFree ? Health.down(detail + ", below the minimum of " + minFree / MIB + " MiB")
                    : Health.up(detail);
        } catch (IOException e) {
            return Health.down("cannot read the free space of " + root + ": " + e.getMessage());
        }
    }
}
