package org.mosaicpacs.dicom.value;

/**
 * How much of a date, time or date-time was given. DICOM allows TM and DT values (and, in queries,
 * dates) to stop after any component; a value then stands for the whole interval it covers, so
 * "2024" as a DT is the whole year 2024 and "10" as a TM is the hour from 10:00 to 10:59:59.999999.
 */
public enum Precision {
    YEAR, MONTH, DAY, HOUR, MINUTE, SECOND,
    /** Seconds with 1 to 6 fractional digits; the number of digits is kept by the value. */
    FRACTION
}
