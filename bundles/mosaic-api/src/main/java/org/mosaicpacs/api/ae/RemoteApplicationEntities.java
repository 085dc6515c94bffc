package org.mosaicpacs.api.ae;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The remote AEs the archive knows, as configured by the admin (one factory configuration each, PID
 * {@value #FACTORY_PID}). A change is seen by the next call: nothing caches them.
 *
 * <p>Who uses it: the DICOM services (C-MOVE destinations, Storage Commitment reports on a new
 * association, calling AE titles to accept), the console ({@code mosaic:ae-*}), and later DICOMweb,
 * forwarding and de-identification. Thread safe.
 */
@ProviderType
public interface RemoteApplicationEntities {

    /** The factory PID of the configurations, one per remote AE. */
    String FACTORY_PID = "org.mosaicpacs.dimse.ae";

    /** @return every configured remote AE, ordered by AE title */
    List<RemoteApplicationEntity> list();

    /**
     * @param aeTitle an AE title (surrounding spaces are not significant; case is)
     * @return the remote AE with that title, if configured
     */
    Optional<RemoteApplicationEntity> lookup(String aeTitle);

    /**
     * Adds a remote AE, or replaces the one with the same AE title, as a factory configuration (so that
     * {@code config:list} and the web console show it). Returns once {@link #lookup} sees it, or after a
     * few seconds at the latest.
     *
     * @return whether an AE of that title was replaced
     * @throws IOException when the configuration cannot be written
     */
    boolean add(RemoteApplicationEntity ae) throws IOException;

    /**
     * Removes the configuration of a remote AE.
     *
     * @return whether there was one
     * @throws IOException when the configuration cannot be deleted
     */
    boolean remove(String aeTitle) throws IOException;
}
