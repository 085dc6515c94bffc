package org.mosaicpacs.api.index;

import java.time.Instant;
import java.util.Objects;

/**
 * One indexed instance and where its bytes are: what a retrieve (C-MOVE, C-GET, WADO) needs.
 *
 * @param studyInstanceUID  its study
 * @param seriesInstanceUID its series
 * @param sopInstanceUID    the instance
 * @param sopClassUID       its SOP class
 * @param location          where its bytes are
 * @param received          when the index recorded it
 */
public record InstanceLocation(String studyInstanceUID, String seriesInstanceUID, String sopInstanceUID,
                               String sopClassUID, StorageLocation location, Instant received) {

    public InstanceLocation {
        Objects.requireNonNull(studyInstanceUID, "studyInstanceUID");
        Objects.requireNonNull(seriesInstanceUID, "seriesInstanceUID");
        Objects.requireNonNull(sopInstanceUID, "sopInstanceUID");
        Objects.requireNonNull(sopClassUID, "sopClassUID");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(received, "received");
    }
}
