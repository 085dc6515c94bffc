package org.mosaicpacs.api.deidentify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;

import org.mosaicpacs.dicom.data.Attributes;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * De-identifies DICOM instances with named profiles (PS3.15 Annex E). Offered as an OSGi service by
 * {@code mosaic-deidentify} (service property {@value #TYPE_PROPERTY}{@code =annex-e}); another
 * implementation registers the same interface with its own type, and callers choose one with a target
 * filter. Thread safe.
 *
 * <p>Where it is called: on demand ({@code mosaic:deidentify}, later a DICOMweb endpoint), and later on
 * the way out (C-MOVE, C-GET, WADO to a marked AE) and on the way in (C-STORE from a marked calling AE):
 * those call {@link #deidentify(InputStream, OutputStream, String)} between the stored bytes and the
 * network, or between the network and the {@code IngestService}.
 *
 * <p>A profile is a project: the same original UID, patient or date gives the same replacement every
 * time within one profile, and a different one in another profile.
 */
@ConsumerType
public interface Deidentifier {

    /** Service property naming the kind of de-identifier, e.g. {@code annex-e}. */
    String TYPE_PROPERTY = "deidentifier.type";

    /** The names of the profiles this de-identifier offers now (configured profiles come and go). */
    Set<String> profiles();

    /**
     * Returns a de-identified copy of {@code dataset}; {@code dataset} is not changed. Pixel data held
     * as bulk data is read when a profile must clean it.
     *
     * @throws DeidentificationException when the profile is unknown or the instance must be refused
     */
    Attributes deidentify(Attributes dataset, String profile) throws DeidentificationException;

    /**
     * Reads one Part 10 instance from {@code part10} (to its end, not closed), de-identifies it and writes
     * it as Part 10, in the same transfer syntax, to {@code out} (not closed). Nothing is written to
     * {@code out} when an exception is thrown.
     *
     * @throws DeidentificationException when the profile is unknown, the input is not DICOM or the
     *                                   instance must be refused
     * @throws IOException               when {@code out} fails
     */
    DeidentifiedInstance deidentify(InputStream part10, OutputStream out, String profile)
            throws DeidentificationException, IOException;
}
