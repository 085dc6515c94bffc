package org.mosaicpacs.api.plugin;

import java.util.Objects;

/**
 * What an intervention hook ({@link IngestInterceptor}, {@link QueryRetrieveHook}) decided.
 *
 * @param decision what happens next
 * @param status   the DICOM status to answer with when {@link Decision#REJECT}: a failure status such as
 *                 {@code 0xA700} (out of resources), {@code 0xA900} (data set does not match SOP class),
 *                 {@code 0xC000} (cannot understand) or {@code 0x0124} (refused: not authorized); see {@link
 *                 #isFailure(int)}; 0 otherwise
 * @param comment  a short text for the sender (an Error Comment: at most 64 characters are sent), or empty
 */
public record Verdict(Decision decision, int status, String comment) {

    /** The decisions. */
    public enum Decision {
        /** Go on with the data set unchanged. */
        ACCEPT,
        /** Go on with the data set as the hook changed it (attributes coerced). */
        COERCED,
        /** Stop: answer with {@link Verdict#status()}; nothing is stored. */
        REJECT
    }

    private static final Verdict ACCEPTED = new Verdict(Decision.ACCEPT, 0, "");
    private static final Verdict COERCION = new Verdict(Decision.COERCED, 0, "");

    public Verdict {
        Objects.requireNonNull(decision, "decision");
        comment = comment == null ? "" : comment;
        if (decision == Decision.REJECT && !isFailure(status)) {
            throw new IllegalArgumentException("a rejection needs a failure status, not 0x" + Integer.toHexString(status));
        }
    }

    /**
     * Whether a status is a DICOM failure (PS3.7 Annex C): {@code Axxx}, {@code Cxxx}, or a general failure
     * {@code 01xx}/{@code 02xx} (but not the warnings {@code 0107} and {@code 0116}). Warning ({@code Bxxx},
     * {@code 0001}), pending, cancel and success statuses would tell the sender its request succeeded, so they
     * cannot reject.
     */
    public static boolean isFailure(int status) {
        int category = status & 0xF000;
        if (category == 0xA000 || category == 0xC000) {
            return true;
        }
        return status >= 0x0100 && status <= 0x02FF && status != 0x0107 && status != 0x0116;
    }

    /** Go on unchanged. */
    public static Verdict accept() {
        return ACCEPTED;
    }

    /** Go on with the data set as changed in place by the hook. */
    public static Verdict coerced() {
        return COERCION;
    }

    /** Refuse with a DICOM failure status and a comment. */
    public static Verdict reject(int status, String comment) {
        return new Verdict(Decision.REJECT, status, comment);
    }
}
