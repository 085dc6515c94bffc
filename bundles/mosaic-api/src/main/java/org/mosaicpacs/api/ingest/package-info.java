/**
 * The archive's ingest pipeline: one entry point for every instance that arrives (C-STORE, later
 * STOW-RS), and the listeners told of each instance stored.
 */
@Version("0.1.0")
package org.mosaicpacs.api.ingest;

import org.osgi.annotation.versioning.Version;
