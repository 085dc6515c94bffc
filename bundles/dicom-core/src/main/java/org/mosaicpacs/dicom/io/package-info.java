/**
 * Reading and writing DICOM data sets and Part 10 files: {@link org.mosaicpacs.dicom.io.DicomInputStream},
 * {@link org.mosaicpacs.dicom.io.DicomOutputStream}, the limits that protect the reader from hostile input
 * and the one exception type that reports a malformed stream.
 */
@Version("0.2.0")
package org.mosaicpacs.dicom.io;

import org.osgi.annotation.versioning.Version;
