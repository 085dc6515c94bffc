/**
 * Specific Character Set (0008,0005) support: decoding and encoding of DICOM text values.
 */
@Version("0.1.0")
package org.mosaicpacs.dicom.charset;

import org.osgi.annotation.versioning.Version;
