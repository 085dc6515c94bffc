/**
 * Events the archive publishes (OSGi Event Admin topics under {@code org/mosaicpacs/archive/}), as
 * records. Study and series "stable" events come later.
 */
@Version("0.1.0")
package org.mosaicpacs.api.event;

import org.osgi.annotation.versioning.Version;
