package org.mosaicpacs.api.ae;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Requests the archive sends to a configured remote AE as a service class user, with its own AE title as
 * calling AE title and, for AEs marked TLS, its key and trust material. Each call opens one association
 * and releases it. Thread safe.
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
     * @param file           the file
     * @param sopInstanceUID its SOP Instance UID, or {@code null} when it could not be read
     * @param status         the C-STORE-RSP status, or {@link #NOT_SENT}
     * @param errorComment   the Error Comment of the response, or why it was not sent; empty when none
     */
    record StoreResult(Path file, String sopInstanceUID, int status, String errorComment) {

        /** The status of a file that was not sent (unreadable, not DICOM, no accepted context). */
        public static final int NOT_SENT = -1;

        /** @return whether the remote AE answered Success (0000) */
        public boolean isSuccess() {
            return status == 0;
        }
    }
}
