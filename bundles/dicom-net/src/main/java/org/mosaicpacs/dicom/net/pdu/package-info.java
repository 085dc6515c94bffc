/**
 * Protocol data units of the DICOM upper layer (PS3.8 section 9.3) and their binary codec.
 *
 * <p>Every PDU is an immutable value ({@link org.mosaicpacs.dicom.net.pdu.Pdu}); {@link
 * org.mosaicpacs.dicom.net.pdu.PduEncoder} writes them and {@link org.mosaicpacs.dicom.net.pdu.PduDecoder}
 * reads them with strict length limits. Malformed input raises a {@link
 * org.mosaicpacs.dicom.net.pdu.PduException} that carries the A-ABORT reason to answer with.
 */
@Version("0.1.0")
package org.mosaicpacs.dicom.net.pdu;

import org.osgi.annotation.versioning.Version;
