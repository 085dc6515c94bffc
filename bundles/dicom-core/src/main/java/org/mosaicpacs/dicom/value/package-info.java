/**
 * Immutable value types for the string Value Representations of PS3.5 section 6.2: dates, times
 * and date-times with their precision (DA, TM, DT) and the ranges used for matching, person names
 * (PN), ages (AS), decimal and integer strings (DS, IS) and attribute tags (AT).
 *
 * <p>Parsing is tolerant of the junk found in real archives. Each type offers a {@code tryParse}
 * that never throws and returns an empty {@code Optional} for a value it cannot make sense of, and
 * a {@code parse} whose only failure is the checked
 * {@link org.mosaicpacs.dicom.value.DicomValueException}.
 */
@Version("0.1.0")
package org.mosaicpacs.dicom.value;

import org.osgi.annotation.versioning.Version;
