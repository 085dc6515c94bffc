/**
 * Remote application entities: the DICOM peers the archive knows by AE title (C-MOVE destinations,
 * Storage Commitment requestors, forward targets), and requests the archive sends them as a service
 * class user (C-ECHO, C-STORE). Since 0.2.0 an AE names the de-identification profiles applied to what it
 * retrieves and to what it stores. Since 0.3.0 archived instances are sent from storage
 * ({@link org.mosaicpacs.api.ae.ServiceClassUser#send}), de-identified for AEs marked so.
 * Since 0.3.0 an AE also names the addresses of the HTTP clients whose DICOMweb
 * requests count as its own ({@link org.mosaicpacs.api.ae.RemoteApplicationEntity#webClients()}).
 */
@Version("0.3.0")
package org.mosaicpacs.api.ae;

import org.osgi.annotation.versioning.Version;
