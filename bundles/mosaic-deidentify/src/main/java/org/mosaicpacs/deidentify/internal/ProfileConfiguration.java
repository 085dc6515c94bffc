package org.mosaicpacs.deidentify.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** One de-identification profile (a research project): factory configuration {@value ProfileDefinition#PID}. */
@ObjectClassDefinition(name = "Mosaic PACS de-identification profile",
        description = "A project's de-identification: the PS3.15 Annex E basic profile with the chosen options, "
                + "and how pseudonyms, UIDs and dates are replaced (consistently within the project).")
public @interface ProfileConfiguration {

    @AttributeDefinition(name = "Name", description = "The profile's name, as given to mosaic:deidentify --profile; "
            + "also the project its mappings are kept under")
    String name();

    @AttributeDefinition(name = "Options", description = "Options of the basic profile (PS3.15 E.3), comma separated",
            required = false,
            options = {
                @Option(label = "Retain Safe Private", value = "RETAIN_SAFE_PRIVATE"),
                @Option(label = "Retain UIDs", value = "RETAIN_UIDS"),
                @Option(label = "Retain Device Identity", value = "RETAIN_DEVICE_IDENTITY"),
                @Option(label = "Retain Institution Identity", value = "RETAIN_INSTITUTION_IDENTITY"),
                @Option(label = "Retain Patient Characteristics", value = "RETAIN_PATIENT_CHARACTERISTICS"),
                @Option(label = "Retain Longitudinal Temporal Information with Full Dates", value = "RETAIN_LONGITUDINAL_FULL_DATES"),
                @Option(label = "Retain Longitudinal Temporal Information with Modified Dates", value = "RETAIN_LONGITUDINAL_MODIFIED_DATES"),
                @Option(label = "Clean Descriptors", value = "CLEAN_DESCRIPTORS"),
                @Option(label = "Clean Structured Content", value = "CLEAN_STRUCTURED_CONTENT"),
                @Option(label = "Clean Graphics", value = "CLEAN_GRAPHICS"),
                @Option(label = "Clean Pixel Data", value = "CLEAN_PIXEL_DATA"),
            })
    String[] options() default {};

    @AttributeDefinition(name = "Secret", type = AttributeType.PASSWORD, required = false,
            description = "The project's secret: replacements are keyed hashes of the originals. Empty: a random "
                    + "secret is made once and kept in the mapping store. Changing it changes every replacement.")
    String secret() default "";

    @AttributeDefinition(name = "Patient ID prefix", required = false,
            description = "What pseudonymous Patient IDs and Patient Names start with (PREFIX-3F9A0C11D2). "
                    + "Empty: the profile's name in capitals")
    String patientIdPrefix() default "";

    @AttributeDefinition(name = "Pseudonym length", description = "Hex digits of the keyed hash after the prefix (6 to 32)")
    int pseudonymLength() default 10;

    @AttributeDefinition(name = "Maximum date shift (days)",
            description = "Retain Longitudinal Modified Dates: each patient's dates move back by 1 to this many days")
    int maxDateShiftDays() default 365;

    @AttributeDefinition(name = "Safe private attributes", required = false,
            description = "Retain Safe Private: the private attributes to keep, as CREATOR|ggggxxee, comma separated "
                    + "(e.g. ACME 1.1|0019xx10)")
    String[] safePrivateAttributes() default {};

    @AttributeDefinition(name = "Clean Pixel Data rectangles", required = false,
            description = "Clean Pixel Data: rules MODALITY|Manufacturer|COLUMNSxROWS: x y w h; x y w h, comma separated "
                    + "(* for any; e.g. US|*|640x480: 0 0 640 40). Uncompressed pixel data only")
    String[] cleanPixelRectangles() default {};

    @AttributeDefinition(name = "Refuse burned-in annotation",
            description = "Refuse an instance whose Burned In Annotation is YES when no rectangle above applies to it")
    boolean refuseBurnedInAnnotation() default true;
}
