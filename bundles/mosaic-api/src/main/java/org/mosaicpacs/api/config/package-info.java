/**
 * Helpers for the typed configurations of Mosaic components.
 */
@Version("0.1.0")
package org.mosaicpacs.api.config;

import org.osgi.annotation.versioning.Version;
