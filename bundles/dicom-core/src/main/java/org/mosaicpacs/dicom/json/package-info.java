/**
 * DICOM JSON (PS3.18 Annex F): {@link org.mosaicpacs.dicom.json.DicomJsonWriter} and
 * {@link org.mosaicpacs.dicom.json.DicomJsonArrayWriter} write data sets, streaming;
 * {@link org.mosaicpacs.dicom.json.DicomJsonParser} reads them back. No JSON library: a small strict
 * streaming JSON reader and writer are part of this package (not exported as API).
 */
@Version("0.1.0")
package org.mosaicpacs.dicom.json;

import org.osgi.annotation.versioning.Version;
