package org.mosaicpacs.api.event;

import java.util.Objects;

import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.StoreOutcome;

/**
 * An instance was received and indexed ({@link StoreOutcome.Result#STORED} or
 * {@link StoreOutcome.Result#REPLACED}).
 *
 * @param instance       the instance as indexed
 * @param result         whether it was new or replaced a copy
 * @param callingAETitle who sent it (the calling AE title, or {@code "STOW-RS"} / a user for HTTP)
 * @param calledAETitle  the archive AE title it was sent to
 */
public record InstanceStored(InstanceLocation instance, StoreOutcome.Result result, String callingAETitle,
                             String calledAETitle) {

    /** The Event Admin topic of this event. */
    public static final String TOPIC = "org/mosaicpacs/archive/INSTANCE_STORED";

    public InstanceStored {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(result, "result");
        callingAETitle = callingAETitle == null ? "" : callingAETitle;
        calledAETitle = calledAETitle == null ? "" : calledAETitle;
    }
}
