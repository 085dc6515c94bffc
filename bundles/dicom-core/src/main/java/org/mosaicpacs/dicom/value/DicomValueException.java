package org.mosaicpacs.dicom.value;

/**
 * A string value that cannot be read as the Value Representation asked for. This checked exception
 * is the only failure of the {@code parse} methods of this package; the {@code tryParse} methods
 * return an empty {@code Optional} instead.
 */
public class DicomValueException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String vr;
    private final String value;

    /**
     * @param vr the Value Representation, such as "DA"
     * @param value the offending value (may be null)
     * @param reason what is wrong with it
     */
    public DicomValueException(String vr, String value, String reason) {
        super("Invalid " + vr + " value \"" + value + "\": " + reason);
        this.vr = vr;
        this.value = value;
    }

    /** The Value Representation that was being parsed, such as "DA". */
    public String vr() {
        return vr;
    }

    /** The value that could not be parsed, as given (may be null). */
    public String value() {
        return value;
    }
}
