/**
 * The DICOM data model: tags, value representations, the data dictionary and data sets.
 */
@Version("0.1.0")
package org.mosaicpacs.dicom.data;

import org.osgi.annotation.versioning.Version;
