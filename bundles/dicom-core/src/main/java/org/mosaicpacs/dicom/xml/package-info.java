/**
 * The Native DICOM Model (PS3.19 Annex A) with the JDK's StAX:
 * {@link org.mosaicpacs.dicom.xml.DicomXmlWriter} writes a data set,
 * {@link org.mosaicpacs.dicom.xml.DicomXmlParser} reads one back (no DTDs, no external entities,
 * limited depth).
 */
@Version("0.1.0")
package org.mosaicpacs.dicom.xml;

import org.osgi.annotation.versioning.Version;
