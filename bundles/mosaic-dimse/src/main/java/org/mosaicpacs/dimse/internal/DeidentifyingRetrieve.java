package org.mosaicpacs.dimse.internal;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.api.deidentify.DeidentificationException;
import org.mosaicpacs.api.deidentify.DeidentifiedInstance;
import org.mosaicpacs.api.deidentify.Deidentifier;
import org.mosaicpacs.dicom.net.dimse.RetrieveSCP.Instance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * De-identification of what a marked remote AE retrieves ({@link RemoteApplicationEntity#deidentifyOnRetrieve()}):
 * the instances of a C-MOVE or C-GET as a list that de-identifies each one when its sub-operation asks for it,
 * into a spool file (one at a time, deleted once sent or when the next one is asked for), so the C-STORE
 * sub-operation carries the new SOP Instance UID and the de-identified data set. An instance that cannot be
 * de-identified (no {@link Deidentifier}, unknown profile, refused data) gets a source that fails: its
 * sub-operation fails and nothing identified is sent (fail closed).
 */
final class DeidentifyingRetrieve extends AbstractList<Instance> {

    private static final Logger LOG = LoggerFactory.getLogger(DeidentifyingRetrieve.class);

    private final List<Instance> originals;
    private final String profile;
    private final String aeTitle;
    private final Supplier<Deidentifier> deidentifier;
    private final Path spool;

    private int currentIndex = -1;
    private Instance current;
    private Path currentFile;

    DeidentifyingRetrieve(List<Instance> originals, String aeTitle, String profile, Supplier<Deidentifier> deidentifier,
                          Path spool) {
        this.originals = originals;
        this.aeTitle = aeTitle;
        this.profile = profile;
        this.deidentifier = deidentifier;
        this.spool = spool;
    }

    /**
     * The de-identification profile for what {@code aeTitle} retrieves, if it is a remote AE marked so.
     */
    static Optional<String> profileOf(Supplier<RemoteApplicationEntities> remoteAEs, String aeTitle) {
        RemoteApplicationEntities aes = remoteAEs.get();
        if (aes == null || aeTitle == null) {
            return Optional.empty();
        }
        return aes.lookup(aeTitle).map(RemoteApplicationEntity::deidentifyOnRetrieve).filter(p -> !p.isEmpty());
    }

    /** The instances as stored (same SOP classes and transfer syntaxes): what the presentation contexts need. */
    List<Instance> originals() {
        return originals;
    }

    @Override
    public int size() {
        return originals.size();
    }

    @Override
    public synchronized Instance get(int i) {
        if (i == currentIndex) {
            return current;
        }
        deleteCurrent();
        currentIndex = i;
        current = deidentify(originals.get(i));
        return current;
    }

    private Instance deidentify(Instance original) {
        Deidentifier d = deidentifier.get();
        if (d == null) {
            return refused(original, "the de-identification feature is not available");
        }
        Path file = null;
        try {
            file = Files.createTempFile(spool, "deid-retrieve-", ".dcm");
            DeidentifiedInstance result;
            try (InputStream in = original.source().open();
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
                result = d.deidentify(in, out, profile);
            }
            currentFile = file;
            Path sent = file;
            return new Instance(original.sopClassUid(), result.sopInstanceUID(), original.transferSyntaxUid(),
                    () -> new FilterInputStream(Files.newInputStream(sent)) {
                        @Override
                        public void close() throws IOException {
                            super.close();
                            Files.deleteIfExists(sent);
                        }
                    });
        } catch (DeidentificationException | IOException e) {
            delete(file);
            return refused(original, e.getMessage());
        }
    }

    private Instance refused(Instance original, String reason) {
        String message = "not sent to " + aeTitle + ": it must be de-identified with profile '" + profile
                + "', which failed: " + reason;
        LOG.warn("retrieve of {}: {}", original.sopInstanceUid(), message);
        return new Instance(original.sopClassUid(), original.sopInstanceUid(), original.transferSyntaxUid(), () -> {
            throw new IOException(message);
        });
    }

    /** Deletes the spool file of the last instance (normally already gone once it was sent). */
    synchronized void deleteCurrent() {
        delete(currentFile);
        currentFile = null;
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete {}", file);
            }
        }
    }
}
