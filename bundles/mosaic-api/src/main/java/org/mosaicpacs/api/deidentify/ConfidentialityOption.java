package org.mosaicpacs.api.deidentify;

/**
 * The options of the Basic Application Level Confidentiality Profile (PS3.15 E.3), each with its code of
 * CID 7050 "De-identification Method" (coding scheme {@code DCM}), as recorded in the De-identification
 * Method Code Sequence (0012,0064) of a de-identified instance.
 */
public enum ConfidentialityOption {
    /** Keep private attributes known to be safe (a whitelist); remove all others. */
    RETAIN_SAFE_PRIVATE("113111", "Retain Safe Private Option"),
    /** Keep the original UIDs instead of replacing them. */
    RETAIN_UIDS("113110", "Retain UIDs Option"),
    /** Keep the identity of the device (serial numbers, station names, AE titles). */
    RETAIN_DEVICE_IDENTITY("113109", "Retain Device Identity Option"),
    /** Keep the name and address of the institution. */
    RETAIN_INSTITUTION_IDENTITY("113112", "Retain Institution Identity Option"),
    /** Keep patient characteristics (age, sex, size, weight, ...). */
    RETAIN_PATIENT_CHARACTERISTICS("113108", "Retain Patient Characteristics Option"),
    /** Keep dates and times as they are. */
    RETAIN_LONGITUDINAL_FULL_DATES("113106", "Retain Longitudinal Temporal Information Full Dates Option"),
    /** Keep dates shifted by an offset per patient, so intervals are kept. */
    RETAIN_LONGITUDINAL_MODIFIED_DATES("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
    /** Keep descriptions and comments, cleaned of identifying text. */
    CLEAN_DESCRIPTORS("113105", "Clean Descriptors Option"),
    /** Keep structured content (SR content, acquisition context), cleaned of identifying text. */
    CLEAN_STRUCTURED_CONTENT("113104", "Clean Structured Content Option"),
    /** Keep graphics (annotations, overlays), cleaned of identifying text. */
    CLEAN_GRAPHICS("113103", "Clean Graphics Option"),
    /** Blank the regions of the pixel data that may hold burned-in identifying text. */
    CLEAN_PIXEL_DATA("113101", "Clean Pixel Data Option");

    /** CID 7050 code of the basic profile itself. */
    public static final String BASIC_PROFILE_CODE = "113100";
    /** CID 7050 meaning of the basic profile itself. */
    public static final String BASIC_PROFILE_MEANING = "Basic Application Confidentiality Profile";
    /** Coding scheme of the codes. */
    public static final String CODING_SCHEME = "DCM";

    private final String codeValue;
    private final String codeMeaning;

    ConfidentialityOption(String codeValue, String codeMeaning) {
        this.codeValue = codeValue;
        this.codeMeaning = codeMeaning;
    }

    /** The code value of CID 7050. */
    public String codeValue() {
        return codeValue;
    }

    /** The code meaning of CID 7050. */
    public String codeMeaning() {
        return codeMeaning;
    }
}
