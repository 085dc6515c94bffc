package org.mosaicpacs.api.index;

/** What the index does with an instance whose SOP Instance UID it already holds. */
public enum DuplicatePolicy {
    /** Keep the first, refuse the new one: {@link StoreOutcome.Result#REJECTED}. */
    REJECT,
    /** Index the new one instead of the first: {@link StoreOutcome.Result#REPLACED}. */
    REPLACE,
    /** Keep the first and report success without indexing the new one: {@link StoreOutcome.Result#KEPT_FIRST}. */
    KEEP_FIRST
}
