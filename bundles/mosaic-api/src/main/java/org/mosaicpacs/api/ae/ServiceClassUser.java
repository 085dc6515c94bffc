package org.mosaicpacs.api.ae;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.mosaicpacs.api.index.InstanceLocation;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Requests the archive sends to a configured remote AE as a service class user, with its own AE title as
 * calling AE title and, for AEs marked TLS, its key and trust material. Each call opens one association
 * and releases it (a batch of instances shares it). Thread safe.
 */
@ProviderType
public interface ServiceClassUser {

    /**
     * C-ECHO (Verification SOP Class) to a remote AE.
     *
     * @param aeTitle a configured remote AE
     * @return the status and the time the association and the echo took
     * @throws IllegalArgumentException when no remote AE has that title
     * @throws IOException when the association cannot be established (refused, rejected, TLS handshake
     *                     failed) or the response does not come
     */
    VerificationResult verify(String aeTitle) throws IOException;

    /**
     * C-STORE of Part 10 files to a remote AE, on one association proposing each file's SOP class in its
     * transfer syntax (and Explicit/Implicit VR Little Endian to convert to). A file that cannot be read
     * or sent gets a result with status {@link StoreResult#NOT_SENT} and the reason; the others go on.
     *
     * @param aeTitle a configured remote AE
     * @param files   Part 10 files
     * @return one result per file, in order
     * @throws IllegalArgumentException when no remote AE has that title
     * @throws IOException when the association cannot be established or breaks (files not sent yet
     *                     are then reported with {@link StoreResult#NOT_SENT})
     */
    List<StoreResult> store(String aeTitle, List<Path> files) throws IOException;

    /**
     * C-STORE of archived instances to a remote AE, on one association, each read from its storage backend
     * while it is sent (no copy is made): in its stored transfer syntax when the AE accepts it, otherwise a
     * native one converted to Explicit or Implicit VR Little Endian.
     *
     * <p>When the AE is marked {@link RemoteApplicationEntity#deidentifyOnRetrieve()}, each instance is
     * de-identified with that profile before it is sent (a spool copy of one instance at a time) and the AE
     * receives the de-identified SOP Instance UID; when that is not possible (no de-identifier installed,
     * unknown profile, refused data) the instance is not sent (fail closed): a marked AE never receives
     * identified data.
     *
     * <p>An instance whose storage backend is absent, that cannot be read, or for whose SOP class and syntax
     * no presentation context was accepted gets {@link StoreResult#NOT_SENT} and the reason; the others go on.
     *
     * @param aeTitle   a configured remote AE
     * @param instances archived instances, as {@code ArchiveIndex.locate} gives them
     * @return one result per instance, in order; {@link StoreResult#file()} is {@code null}, {@link
     *         StoreResult#sopInstanceUID()} the archived instance's, {@link StoreResult#sentSOPInstanceUID()}
     *         the one the AE received (another one when de-identified)
     * @throws IllegalArgumentException when no remote AE has that title
     * @throws IOException when the association cannot be established or breaks before the first instance
     *                     (later ones not sent yet are then reported with {@link StoreResult#NOT_SENT})
     * @since 0.3.0
     */
    default List<StoreResult> send(String aeTitle, List<InstanceLocation> instances) throws IOException {
        throw new UnsupportedOperationException("this service class user cannot send archived instances");
    }

    /**
     * The outcome of a C-ECHO.
     *
     * @param ae               the remote AE
     * @param status           the C-ECHO-RSP status (0000: success)
     * @param roundTripMillis  milliseconds from opening the association to the response
     */
    record VerificationResult(RemoteApplicationEntity ae, int status, long roundTripMillis) {
    }

    /**
     * The outcome of one C-STORE.
     *
     * @param file               the file, or {@code null} for an archived instance ({@link #send})
     * @param sopInstanceUID     its SOP Instance UID, or {@code null} when it could not be read
     * @param status             the C-STORE-RSP status, or {@link #NOT_SENT}
     * @param errorComment       the Error Comment of the response, or why it was not sent; empty when none
     * @param sentSOPInstanceUID the SOP Instance UID the remote AE received: {@code sopInstanceUID}, or the
     *                           new one of a de-identified copy; {@code null} when nothing was sent
     */
    record StoreResult(Path file, String sopInstanceUID, int status, String errorComment, String sentSOPInstanceUID) {

        /** The status of a file that was not sent (unreadable, not DICOM, no accepted context). */
        public static final int NOT_SENT = -1;

        /** The result of a file sent as it is ({@code sentSOPInstanceUID} is {@code sopInstanceUID} when sent). */
        public StoreResult(Path file, String sopInstanceUID, int status, String errorComment) {
            this(file, sopInstanceUID, status, errorComment, status == NOT_SENT ? null : sopInstanceUID);
        }

        /** @return whether the remote AE answered Success (0000) */
        public boolean isSuccess() {
            return status == 0;
        }
    }
}
