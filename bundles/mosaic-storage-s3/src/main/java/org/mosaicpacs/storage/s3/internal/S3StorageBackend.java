package org.mosaicpacs.storage.s3.internal;

import java.io.InputStream;
import java.util.function.Predicate;

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
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One S3 storage backend per factory configuration of {@value #PID}; registered as a {@link StorageBackend}
 * with {@code storage.backend=s3} and {@code storage.id} from the configuration, and as a
 * {@link HealthIndicator} ({@code storage <id>}) that says whether the bucket answers.
 *
 * <p>A configuration that cannot work (no bucket, a malformed endpoint, parts under 5 MiB) fails the
 * activation with a message that says so; a store that cannot be reached does not: the backend starts,
 * its health says DOWN, and it works as soon as the store answers.
 */
@Component(service = {StorageBackend.class, HealthIndicator.class}, configurationPid = S3StorageBackend.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = StorageBackend.BACKEND_PROPERTY + "=s3")
@Designate(ocd = S3StorageConfiguration.class, factory = true)
public final class S3StorageBackend implements StorageBackend, HealthIndicator {

    static final String PID = "org.mosaicpacs.storage.s3";
    private static final Logger LOG = LoggerFactory.getLogger(S3StorageBackend.class);

    /** How long a deactivation waits for the writes in progress before it closes the client. */
    static final long DRAIN_MILLIS = 120_000;

    private final S3Storage storage;
    /** Writes in progress: a deactivation (configuration deleted, bundle stopped) lets them finish. */
    private int writing;

    @Activate
    public S3StorageBackend(S3StorageConfiguration configuration) {
        this.storage = new S3Storage(S3Settings.of(configuration));
        LOG.info("storage {}: objects in {}", storage.id(), storage.settings().location());
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        // the service is already unregistered: no new caller finds it; an ingest that started writing
        // here finishes here (its object is acknowledged by S3 before the client is closed)
        long until = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
        synchronized (this) {
            while (writing > 0 && System.nanoTime() < until) {
                wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            }
            if (writing > 0) {
                LOG.warn("storage {}: closing with {} writes still in progress", storage.id(), writing);
            }
        }
        storage.close();
    }

    @Override
    public String id() {
        return storage.id();
    }

    @Override
    public StoredObject write(StorageKey key, InputStream data) throws StorageException {
        synchronized (this) {
            writing++;
        }
        try {
            return storage.write(key, data);
        } finally {
            synchronized (this) {
                writing--;
                notifyAll();
            }
        }
    }

    @Override
    public InputStream read(StorageKey key) throws StorageException {
        return storage.read(key, 0, Long.MAX_VALUE);
    }

    @Override
    public InputStream read(StorageKey key, long offset, long length) throws StorageException {
        return storage.read(key, offset, length);
    }

    @Override
    public boolean exists(StorageKey key) throws StorageException {
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
        return storage.health();
    }
}
