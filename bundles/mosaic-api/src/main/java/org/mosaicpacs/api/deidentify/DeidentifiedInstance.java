package org.mosaicpacs.api.deidentify;

import java.util.Objects;

/**
 * What a de-identification of a Part 10 stream produced: the UIDs before and after.
 *
 * @param originalStudyInstanceUID the Study Instance UID of the input
 * @param studyInstanceUID         the Study Instance UID of the output
 * @param originalSOPInstanceUID   the SOP Instance UID of the input
 * @param sopInstanceUID           the SOP Instance UID of the output
 */
public record DeidentifiedInstance(String originalStudyInstanceUID, String studyInstanceUID,
                                   String originalSOPInstanceUID, String sopInstanceUID) {

    public DeidentifiedInstance {
        Objects.requireNonNull(originalStudyInstanceUID, "originalStudyInstanceUID");
        Objects.requireNonNull(studyInstanceUID, "studyInstanceUID");
        Objects.requireNonNull(originalSOPInstanceUID, "originalSOPInstanceUID");
        Objects.requireNonNull(sopInstanceUID, "sopInstanceUID");
    }
}
