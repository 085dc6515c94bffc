package org.mosaicpacs.api.index;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ArchiveIndex#store} did.
 *
 * @param result  which case happened
 * @param indexed the instance as the index now holds it (the new one, or the first one when it was kept)
 * @param orphan  a stored object nothing points to any more, which the caller deletes from its backend:
 *                the replaced first copy ({@link Result#REPLACED}), or the new copy that was not indexed
 *                ({@link Result#KEPT_FIRST}, {@link Result#REJECTED}); empty for {@link Result#STORED}
 */
public record StoreOutcome(Result result, InstanceLocation indexed, Optional<StorageLocation> orphan) {

    /** Which case happened. */
    public enum Result {
        /** A new instance was indexed. */
        STORED,
        /** The instance was known; the new copy replaced it ({@link DuplicatePolicy#REPLACE}). */
        REPLACED,
        /** The instance was known; the first copy was kept and the store counts as a success ({@link DuplicatePolicy#KEEP_FIRST}). */
        KEPT_FIRST,
        /** The instance was known; the store is refused ({@link DuplicatePolicy#REJECT}). */
        REJECTED
    }

    public StoreOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(indexed, "indexed");
        Objects.requireNonNull(orphan, "orphan");
    }
}
