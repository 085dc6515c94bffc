/**
 * DIMSE (PS3.7) on top of the upper layer: command sets ({@link org.mosaicpacs.dicom.net.dimse.Commands},
 * {@link org.mosaicpacs.dicom.net.dimse.Dimse}, {@link org.mosaicpacs.dicom.net.dimse.Status}), the
 * per-association message exchange ({@link org.mosaicpacs.dicom.net.dimse.DimseAssociation}: message IDs,
 * response matching, the asynchronous operations window, response timeout, cancel), the SCP side
 * ({@link org.mosaicpacs.dicom.net.dimse.DicomServiceRegistry} and the service bases) and the SCU calls.
 */
@Version("0.4.0")
package org.mosaicpacs.dicom.net.dimse;

import org.osgi.annotation.versioning.Version;
