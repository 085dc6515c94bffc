/**
 * Remote application entities: the DICOM peers the archive knows by AE title (C-MOVE destinations,
 * Storage Commitment requestors, forward targets), and requests the archive sends them as a service
 * class user (C-ECHO, C-STORE).
 */
@Version("0.1.0")
package org.mosaicpacs.api.ae;

import org.osgi.annotation.versioning.Version;
