/**
 * Specific Character Set (0008,0005): decoding and encoding of DICOM string values in every
 * character repertoire of PS3.5 section 6.1, including ISO 2022 code extensions with escape
 * sequences (Japanese, Korean, Chinese and the single-byte sets), UTF-8, GB18030 and GBK.
 *
 * <p>The entry point is {@link org.mosaicpacs.dicom.charset.SpecificCharacterSet}; it never throws
 * on a wrong declaration or on invalid bytes.
 */
@Version("0.2.0")
package org.mosaicpacs.dicom.charset;

import org.osgi.annotation.versioning.Version;
