/**
 * De-identification (PS3.15 Annex E): the {@link org.mosaicpacs.api.deidentify.Deidentifier} service that
 * applies a named profile (the Basic Application Level Confidentiality Profile and the options it
 * chooses) to a data set or to a Part 10 stream, and the names of the profile options. Offered by
 * {@code mosaic-deidentify}; other de-identifiers can be plugged in as services of the same interface.
 * Since 0.2.0 the {@link org.mosaicpacs.api.deidentify.StudyDeidentifier} service makes de-identified copies of
 * archived studies.
 */
@Version("0.2.0")
package org.mosaicpacs.api.deidentify;

import org.osgi.annotation.versioning.Version;
