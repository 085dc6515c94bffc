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
 */
public record IngestResult(Outcome outcome, String message, Optional<InstanceLocation> instance) {

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
        PROCESSING_FAILURE(false);

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
    }

    /** A result without an instance. */
    public static IngestResult of(Outcome outcome, String message) {
        return new IngestResult(outcome, message, Optional.empty());
    }
}
