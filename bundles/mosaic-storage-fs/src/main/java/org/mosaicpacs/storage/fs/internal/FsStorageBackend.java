package org.mosaicpacs.storage.fs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Predicate;

import org.mosaicpacs.api.config.SystemProperties;
import org.mosaicpacs.api.health.Health;
import org.mosaicpacs.api.health.HealthIndicator;
import org.mosaicpacs.api.storage.ListedObject;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file-system storage backend per factory configuration of {@value #PID}; registered as a
 * {@link StorageBackend} with {@code storage.backend=fs} and {@code storage.id} from the configuration,
 * and as a {@link HealthIndicator} reporting whether its root is writable and how much space is free.
 *
 * <p>At activation, a background thread removes what writes interrupted by a stop or crash left
 * (temporary files, key files without their object) that are older than the activation: writes that
 * start afterwards are never touched.
 */
@Component(service = {StorageBackend.class, HealthIndicator.class}, configurationPid = FsStorageBackend.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = StorageBackend.BACKEND_PROPERTY + "=fs")
@Designate(ocd = FsStorageConfiguration.class, factory = true)
public final class FsStorageBackend implements StorageBackend, HealthIndicator {

    static final String PID = "org.mosaicpacs.storage.fs";
    private static final Logger LOG = LoggerFactory.getLogger(FsStorageBackend.class);
    private static final long MIB = 1024 * 1024;

    private final FsStorage storage;
    private final long minFree;

    @Activate
    public FsStorageBackend(FsStorageConfiguration configuration) throws IOException {
        this.storage = new FsStorage(configuration.storage_id(), Path.of(SystemProperties.expand(configuration.root())),
                configuration.fsync(), configuration.depth());
        this.minFree = Math.max(0, configuration.minFreeMiB()) * MIB;
        // 2 s of margin: file times come from a coarser clock than Instant.now()
        Instant started = Instant.now().minusSeconds(2);
        Thread cleaner = new Thread(() -> cleanUp(started), "mosaic-storage-" + storage.id() + "-cleanup");
        cleaner.setDaemon(true);
        cleaner.start();
    }

    private void cleanUp(Instant before) {
        try {
            FsStorage.CleanUp c = storage.cleanUp(before);
            if (c.temporaryFiles() + c.keyFiles() > 0) {
                LOG.info("storage {}: removed {} temporary files and {} key files left by writes interrupted by a "
                        + "stop or crash", storage.id(), c.temporaryFiles(), c.keyFiles());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("storage {}: cannot remove what interrupted writes left in {}", storage.id(), storage.root(), e);
        }
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
    public long list(Predicate<ListedObject> visitor) throws StorageException {
        return storage.list(visitor);
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
