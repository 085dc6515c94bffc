package org.mosaicpacs.api.ingest;

import java.util.Objects;
import java.util.Optional;

import org.mosaicpacs.api.index.InstanceLocation;

/**
 * What {@link IngestService#ingest} did with one instance.
 *
 * @param outcome  which case happened
 * @param message  a short text for the sender (an Error Comment, at most 64 characters is best), or empty
 * @param instance the instance as the index now holds it, when the outcome is {@link Outcome#isAcknowledged()}
 * @param status   the DICOM failure status a plugin refused the instance with (outcome {@link
 *                 Outcome#REJECTED_BY_PLUGIN}, e.g. {@code 0xA700}, {@code 0xC000}, {@code 0x0124}); 0 for every
 *                 other outcome, whose status the caller derives from the outcome
 */
public record IngestResult(Outcome outcome, String message, Optional<InstanceLocation> instance, int status) {

    /** The cases of an ingest. */
    public enum Outcome {
        /** A new instance: durable and indexed. */
        STORED(true),
        /** A known instance, replaced by the new copy (duplicate policy REPLACE): durable and indexed. */
        REPLACED(true),
        /** A known instance, the first copy kept and the new one discarded (duplicate policy KEEP_FIRST). */
        KEPT_FIRST(true),
        /** A known instance, the new copy refused (duplicate policy REJECT). Nothing changed. */
        REJECTED_DUPLICATE(false),
        /** The data set could not be parsed. Nothing stored. */
        CANNOT_UNDERSTAND(false),
        /** A required attribute is missing or malformed (UIDs, patient identity). Nothing stored. */
        INVALID(false),
        /** No storage backend with the configured id is present, or it failed to write. Nothing stored. */
        STORAGE_UNAVAILABLE(false),
        /** The index is absent or failed. Nothing stored (the written copy was deleted). */
        PROCESSING_FAILURE(false),
        /**
         * A plugin's {@code IngestInterceptor} refused the instance: nothing stored. {@link #status()} is the
         * plugin's DICOM failure status and {@link #message()} its comment.
         */
        REJECTED_BY_PLUGIN(false);

        private final boolean acknowledged;

        Outcome(boolean acknowledged) {
            this.acknowledged = acknowledged;
        }

        /** Whether the archive holds the instance durably after this outcome (the sender may forget it). */
        public boolean isAcknowledged() {
            return acknowledged;
        }
    }

    public IngestResult {
        Objects.requireNonNull(outcome, "outcome");
        message = message == null ? "" : message;
        Objects.requireNonNull(instance, "instance");
        if ((outcome == Outcome.REJECTED_BY_PLUGIN) != (status != 0)) {
            throw new IllegalArgumentException(outcome == Outcome.REJECTED_BY_PLUGIN
                    ? "a plugin's rejection needs its DICOM status" : "only a plugin's rejection carries a status");
        }
    }

    /** A result whose status follows from its outcome (every outcome but {@link Outcome#REJECTED_BY_PLUGIN}). */
    public IngestResult(Outcome outcome, String message, Optional<InstanceLocation> instance) {
        this(outcome, message, instance, 0);
    }

    /** A result without an instance. */
    public static IngestResult of(Outcome outcome, String message) {
        return new IngestResult(outcome, message, Optional.empty());
    }

    /**
     * A plugin refused the instance.
     *
     * @param status  its DICOM failure status
     * @param message its comment, best prefixed with the plugin's name
     */
    public static IngestResult rejectedByPlugin(int status, String message) {
        return new IngestResult(Outcome.REJECTED_BY_PLUGIN, message, Optional.empty(), status);
    }
}
