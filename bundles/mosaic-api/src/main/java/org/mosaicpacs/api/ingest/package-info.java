/**
 * The archive's ingest pipeline: one entry point for every instance that arrives (C-STORE, STOW-RS),
 * and the listeners told of each instance stored.
 *
 * <p>0.2.0: {@code IngestResult.Outcome.REJECTED_BY_PLUGIN} and {@code IngestResult.status()} (the DICOM status a
 * plugin's interceptor refused an instance with).
 */
@Version("0.2.0")
package org.mosaicpacs.api.ingest;

import org.osgi.annotation.versioning.Version;
