package org.mosaicpacs.archive.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;

/**
 * Which storage backend a received instance is written to: the first rule that matches, else the default
 * target. A rule is {@code Criterion=Value -> storageId}, where the criterion is {@code CallingAETitle}
 * (the AE title of the sender, case sensitive), {@code Modality} or {@code SOPClassUID} (from the received
 * header, after coercion), e.g. {@code Modality=MR -> s3-main}. Immutable; a configuration change makes a
 * new one, so an ingest that has chosen its target keeps it.
 */
record StorageRules(String defaultTarget, List<Rule> rules) {

    /** The attribute a rule looks at, named as in the standard. */
    enum Criterion {
        CallingAETitle, Modality, SOPClassUID
    }

    /** One rule: instances whose {@code criterion} equals {@code value} go to {@code storageId}. */
    record Rule(Criterion criterion, String value, String storageId) {
        @Override
        public String toString() {
            return criterion + "=" + value + " -> " + storageId;
        }
    }

    StorageRules {
        Objects.requireNonNull(defaultTarget, "defaultTarget");
        rules = List.copyOf(rules);
    }

    /** Only a default target. */
    static StorageRules only(String defaultTarget) {
        return new StorageRules(defaultTarget, List.of());
    }

    /**
     * Parses the rules of the configuration.
     *
     * @throws IllegalArgumentException naming the rule that cannot be read
     */
    static StorageRules parse(String defaultTarget, String[] specs) {
        if (defaultTarget == null || defaultTarget.isBlank()) {
            throw new IllegalArgumentException("storageId (the default write target) is empty");
        }
        List<Rule> rules = new ArrayList<>();
        for (String spec : specs == null ? new String[0] : specs) {
            if (spec == null || spec.isBlank()) {
                continue;
            }
            int arrow = spec.indexOf("->");
            int eq = spec.indexOf('=');
            if (arrow < 0 || eq < 0 || eq > arrow) {
                throw new IllegalArgumentException("storage rule '" + spec.strip()
                        + "': expected Criterion=Value -> storageId, e.g. Modality=MR -> s3-main");
            }
            String name = spec.substring(0, eq).strip();
            String value = spec.substring(eq + 1, arrow).strip();
            String target = spec.substring(arrow + 2).strip();
            Criterion criterion;
            try {
                criterion = Criterion.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("storage rule '" + spec.strip() + "': unknown criterion '" + name
                        + "' (CallingAETitle, Modality or SOPClassUID)");
            }
            if (value.isEmpty() || target.isEmpty()) {
                throw new IllegalArgumentException("storage rule '" + spec.strip() + "': empty value or storage id");
            }
            rules.add(new Rule(criterion, value, target));
        }
        return new StorageRules(defaultTarget.strip(), rules);
    }

    /** The storage id an instance from {@code callingAETitle} with this (coerced) header is written to. */
    String target(String callingAETitle, Attributes header) {
        for (Rule r : rules) {
            String actual = switch (r.criterion()) {
                case CallingAETitle -> callingAETitle == null ? "" : callingAETitle.strip();
                case Modality -> header.getString(Tag.Modality, "");
                case SOPClassUID -> header.getString(Tag.SOPClassUID, "");
            };
            if (r.value().equals(actual)) {
                return r.storageId();
            }
        }
        return defaultTarget;
    }
}
