package org.mosaicpacs.deidentify.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.mosaicpacs.api.deidentify.ConfidentialityOption;

/**
 * One de-identification profile (a project): its options and how it makes replacements.
 *
 * @param name                  the profile's name, also the project the mappings are kept under
 * @param options               the options chosen on top of the basic profile
 * @param key                   the secret key of the project: replacements are keyed hashes of the originals
 * @param patientIdPrefix       what pseudonymous Patient IDs and Names start with
 * @param pseudonymLength       how many hex digits of the keyed hash follow the prefix
 * @param maxDateShiftDays      dates move back by 1 to this many days, per patient (Modified Dates)
 * @param safePrivate           private attributes kept by Retain Safe Private, as {@code creator|ggggxxee}
 * @param rectangles            regions blanked by Clean Pixel Data
 * @param refuseBurnedInAnnotation whether an instance with Burned In Annotation YES and no region to blank is refused
 */
record Profile(String name, Set<ConfidentialityOption> options, byte[] key, String patientIdPrefix, int pseudonymLength,
               int maxDateShiftDays, Set<String> safePrivate, List<PixelCleaner.Rule> rectangles,
               boolean refuseBurnedInAnnotation) {

    Profile {
        Objects.requireNonNull(name, "name");
        options = options.isEmpty() ? EnumSet.noneOf(ConfidentialityOption.class) : EnumSet.copyOf(options);
        if (options.contains(ConfidentialityOption.RETAIN_LONGITUDINAL_FULL_DATES)
                && options.contains(ConfidentialityOption.RETAIN_LONGITUDINAL_MODIFIED_DATES)) {
            throw new IllegalArgumentException("profile " + name
                    + ": Retain Longitudinal Full Dates and Modified Dates cannot both be chosen");
        }
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("profile " + name + ": the key needs at least 16 bytes");
        }
        if (pseudonymLength < 6 || pseudonymLength > 32) {
            throw new IllegalArgumentException("profile " + name + ": pseudonym length must be 6 to 32 hex digits");
        }
        if (maxDateShiftDays < 1) {
            throw new IllegalArgumentException("profile " + name + ": the maximum date shift must be at least 1 day");
        }
        safePrivate = Set.copyOf(safePrivate);
        rectangles = List.copyOf(rectangles);
    }

    boolean has(ConfidentialityOption option) {
        return options.contains(option);
    }

    /** A profile with defaults for everything but the name, options and key. */
    static Profile of(String name, Set<ConfidentialityOption> options, byte[] key) {
        return new Profile(name, options, key, name.toUpperCase(java.util.Locale.ROOT), 10, 365, Set.of(), List.of(), true);
    }
}
