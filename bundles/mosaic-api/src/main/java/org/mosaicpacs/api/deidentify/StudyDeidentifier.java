package org.mosaicpacs.api.deidentify;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes de-identified copies of archived studies: each instance of the study is read from the archive,
 * de-identified with a profile and stored as an instance of a new study, findable and retrievable like any
 * other (what {@code mosaic:deidentify} and {@code POST /dicom-web/studies/{uid}/deidentify} do). Offered by
 * {@code mosaic-deidentify} while the archive (index, ingest, storage) and a {@link Deidentifier} are
 * present. Thread safe.
 */
@ProviderType
public interface StudyDeidentifier {

    /** The names of the profiles a copy can be made with now. */
    Set<String> profiles();

    /**
     * Copies one study, de-identified with {@code profile}. Run twice with one profile it gives the same new
     * study (the archive's duplicate policy decides about the repeated instances).
     *
     * @return what was copied, or empty when the archive has no such study
     * @throws DeidentificationException when the profile is unknown or the archive is not available
     */
    Optional<StudyCopy> deidentifyStudy(String studyInstanceUID, String profile) throws DeidentificationException;

    /**
     * What became of one study.
     *
     * @param originalStudyInstanceUID the study asked for
     * @param studyInstanceUID         the new study, empty when no instance was copied
     * @param instances                instances de-identified and stored
     * @param problems                 one line per instance that was not copied (never {@code null})
     */
    record StudyCopy(String originalStudyInstanceUID, String studyInstanceUID, int instances, List<String> problems) {

        public StudyCopy {
            Objects.requireNonNull(originalStudyInstanceUID, "originalStudyInstanceUID");
            studyInstanceUID = studyInstanceUID == null ? "" : studyInstanceUID;
            problems = problems == null ? List.of() : List.copyOf(problems);
        }
    }
}
