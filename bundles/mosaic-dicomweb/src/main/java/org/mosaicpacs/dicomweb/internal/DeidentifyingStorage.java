package org.mosaicpacs.dicomweb.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageKey;
import org.mosaicpacs.api.storage.StoredObject;

/**
 * A read-only view of a storage backend for one request of a client marked for de-identification: every object
 * read through it is the de-identified Part 10 object (the {@link Deidentifier} with the AE's profile, the same
 * call C-MOVE and C-GET to a marked AE make), so that everything WADO builds from it (instances, frames, bulk
 * data, metadata, rendered images) comes from de-identified data. The last object is kept, so that ranged reads
 * of one instance (frames, bulk data) de-identify it once per request. Not thread safe: one per request.
 */
final class DeidentifyingStorage implements StorageBackend {

    private final StorageBackend stored;
    private final Deidentifier deidentifier;
    private final String profile;
    private final String aeTitle;
    private StorageKey lastKey;
    private byte[] last;

    DeidentifyingStorage(StorageBackend stored, Deidentifier deidentifier, String profile, String aeTitle) {
        this.stored = stored;
        this.deidentifier = deidentifier;
        this.profile = profile;
        this.aeTitle = aeTitle;
    }

    @Override
    public String id() {
        return stored.id();
    }

    /** The de-identified object; a refusal of the de-identifier is a 403 for this client, with its reason. */
    byte[] deidentified(StorageKey key) throws StorageException {
        if (key.equals(lastKey)) {
            return last;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] read = {0};
        try (InputStream in = new java.io.FilterInputStream(stored.read(key)) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                count(Math.max(0, n));
                return n;
            }

            private void count(int n) throws IOException {
                read[0] += n;
                if (read[0] > Wado.MAX_CONVERTED_BYTES) {
                    throw new IOException("larger than " + Wado.MAX_CONVERTED_BYTES + " bytes");
                }
            }
        }) {
            deidentifier.deidentify(in, out, profile);
        } catch (DeidentificationException e) {
            if (read[0] > Wado.MAX_CONVERTED_BYTES) {
                throw new WebException(406, "an instance larger than " + Wado.MAX_CONVERTED_BYTES + " bytes is not "
                        + "de-identified for DICOMweb (it is done in memory): retrieve it by C-MOVE or C-GET");
            }
            throw new WebException(403, "this client (remote AE " + aeTitle + ") gets de-identified data only, and "
                    + "de-identification with profile " + profile + " refused an instance: " + e.getMessage());
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException("cannot read " + key.value() + " from " + stored.id() + ": " + e.getMessage(), e);
        }
        lastKey = key;
        last = out.toByteArray();
        return last;
    }

    @Override
    public InputStream read(StorageKey key) throws StorageException {
        return new ByteArrayInputStream(deidentified(key));
    }

    @Override
    public InputStream read(StorageKey key, long offset, long length) throws StorageException {
        byte[] b = deidentified(key);
        if (offset < 0 || length < 0 || offset + length > b.length) {
            throw new WebException(404, "bytes " + offset + "-" + (offset + length) + " lie outside the de-identified "
                    + "instance (" + b.length + " bytes)");
        }
        return new ByteArrayInputStream(b, (int) offset, (int) length);
    }

    @Override
    public boolean exists(StorageKey key) throws StorageException {
        return stored.exists(key);
    }

    @Override
    public StoredObject write(StorageKey key, InputStream data) throws StorageException {
        throw new StorageException("a de-identifying view of storage " + stored.id() + " is read only");
    }

    @Override
    public boolean delete(StorageKey key) throws StorageException {
        throw new StorageException("a de-identifying view of storage " + stored.id() + " is read only");
    }
}
