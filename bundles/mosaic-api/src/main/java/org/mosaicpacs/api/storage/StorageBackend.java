package org.mosaicpacs.api.storage;

import java.io.InputStream;
import java.util.function.Predicate;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps byte streams under keys. Offered as an OSGi service with the properties
 * {@value #BACKEND_PROPERTY} and {@value #ID_PROPERTY}; several backends may run at once (each with
 * its own id). Implementations are thread safe: different keys may be written, read and deleted
 * concurrently.
 *
 * <p>Objects are immutable: a key is written once ({@link #write}) and then only read or deleted. To
 * replace what is stored, write under a new key (see {@link StorageKey#forInstance}) and delete the old
 * one once the index no longer points to it.
 */
@ProviderType
public interface StorageBackend {

    /** Service property: the kind of backend, e.g. {@code fs}. */
    String BACKEND_PROPERTY = "storage.backend";

    /** Service property: the configured id of this backend, e.g. {@code default}; what the index records. */
    String ID_PROPERTY = "storage.id";

    /** The configured id of this backend (the value of {@value #ID_PROPERTY}). */
    String id();

    /**
     * Stores the bytes of {@code data} under {@code key}.
     *
     * <p>When it is called: by the archive, once per received object, before the index records it.
     * What it does: reads {@code data} to its end (it does not close it), computes the size and the
     * SHA-256 digest, and makes the object durable (on a file system: written to a temporary file,
     * flushed to the device, renamed into place, directory flushed) before returning. A failed or
     * interrupted write leaves nothing under {@code key}.
     *
     * @return the size and digest of what is now durable under {@code key}
     * @throws ObjectExistsException when an object is already stored under {@code key} (it is left as it was)
     * @throws StorageException      when the bytes could not be made durable, or {@code data} failed
     */
    StoredObject write(StorageKey key, InputStream data) throws StorageException;

    /**
     * Opens the object stored under {@code key} for reading, from its first byte to its last.
     * The caller closes the stream.
     *
     * @throws ObjectNotFoundException when nothing is stored under {@code key}
     * @throws StorageException        when the backend cannot be read
     */
    InputStream read(StorageKey key) throws StorageException;

    /**
     * Opens {@code length} bytes of the object stored under {@code key} from {@code offset} (fewer when
     * the object ends first; none when {@code offset} is at or past its end). Used for bulk data and
     * HTTP range requests. The caller closes the stream.
     *
     * @throws IllegalArgumentException when {@code offset} or {@code length} is negative
     * @throws ObjectNotFoundException  when nothing is stored under {@code key}
     * @throws StorageException         when the backend cannot be read
     */
    InputStream read(StorageKey key, long offset, long length) throws StorageException;

    /**
     * Whether an object is stored under {@code key}.
     *
     * @throws StorageException when the backend cannot be asked
     */
    boolean exists(StorageKey key) throws StorageException;

    /**
     * Deletes the object stored under {@code key}, durably.
     *
     * <p>When it is called: after the index has stopped pointing to the object (a deleted instance, a
     * replaced duplicate, a copy kept out by the duplicate policy).
     *
     * @return whether there was an object to delete
     * @throws StorageException when the object could not be deleted
     */
    boolean delete(StorageKey key) throws StorageException;

    /**
     * Lists the objects stored here, one at a time, in no particular order, until {@code visitor} returns
     * {@code false}.
     *
     * <p>When it is called: by consistency checks ({@code mosaic:check}), to find objects that no index
     * row points to. What it does: gives {@code visitor} the key, size and modification time of each
     * complete object; objects still being written are never listed, objects written or deleted while the
     * listing runs may or may not be. {@code visitor} runs on the calling thread and may call
     * {@link #delete} on what it was given.
     *
     * <p>The default says the backend cannot list (backends written before 0.2.0 of this package).
     *
     * @return the number of objects given to {@code visitor}
     * @throws UnsupportedOperationException when the backend cannot list its objects
     * @throws StorageException              when the backend cannot be read
     * @since 0.2.0
     */
    default long list(Predicate<ListedObject> visitor) throws StorageException {
        throw new UnsupportedOperationException("storage " + id() + " cannot list its objects");
    }
}
