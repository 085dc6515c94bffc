package org.mosaicpacs.api.index;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.mosaicpacs.dicom.data.Attributes;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The index of the archive: patients, studies, series and instances, and where each instance is
 * stored. Offered as an OSGi service by an index bundle (embedded: {@code mosaic-index-derby}).
 * Thread safe; each method is one database transaction.
 */
@ProviderType
public interface ArchiveIndex {

    /**
     * Records one instance that a storage backend has made durable.
     *
     * <p>When it is called: by the archive's C-STORE (and STOW) handling, after
     * {@link org.mosaicpacs.api.storage.StorageBackend#write} returned. What it does, in one transaction:
     * finds or creates the patient (by Patient ID and Issuer of Patient ID), the study and the series,
     * then applies {@code policy} if the SOP Instance UID is known, records the instance and keeps the
     * study and series aggregates (numbers of related series and instances, Modalities in Study, SOP
     * Classes in Study) current. Concurrent stores into the same study are safe.
     *
     * @param dataset  the instance's data set (bulk data such as Pixel Data is not kept; pass it
     *                 read with {@code STOP_BEFORE_PIXEL_DATA} when you can); needs Study, Series and SOP
     *                 Instance UID and SOP Class UID
     * @param location where its bytes are
     * @param policy   what to do when the instance is already indexed
     * @return which case happened, and the stored object the caller should delete, if any
     * @throws IndexException when a required UID is missing or malformed ({@link IndexException#isInvalidRequest()}),
     *                        or the database failed (nothing was recorded)
     */
    StoreOutcome store(Attributes dataset, StorageLocation location, DuplicatePolicy policy) throws IndexException;

    /**
     * Answers a C-FIND-style query, one match at a time.
     *
     * <p>When it is called: by C-FIND (and QIDO-RS) handling. What it does: matches the keys of
     * {@code request} at its level as PS3.4 C.2.2.2 says (single value, wildcards {@code *} and
     * {@code ?}, ranges on DA, TM and DT, lists of UIDs, universal matching, sequence matching on the
     * items of one-item sequences), and gives {@code sink} one data set per match, holding every key of
     * the request (with the stored value, or empty when there is none), the Query/Retrieve Level and
     * the Specific Character Set of the values. {@code sink} returns {@code false} to stop (a C-CANCEL);
     * it runs on the calling thread, inside the read transaction, so it should hand matches on quickly.
     *
     * @return the number of matches given to {@code sink}
     * @throws IndexException when the request is not acceptable (hierarchical query without the unique keys
     *                        above its level, a malformed range) or the database failed
     */
    int query(QueryRequest request, Predicate<Attributes> sink) throws IndexException;

    /**
     * Finds the instances to retrieve.
     *
     * <p>When it is called: by C-MOVE, C-GET and WADO handling, with the unique keys of the request.
     *
     * @param studyInstanceUID  the study (required)
     * @param seriesInstanceUID a series of it, or {@code null} for all
     * @param sopInstanceUID    an instance of it, or {@code null} for all
     * @return the matching instances, ordered by series then instance number; empty when none
     * @throws IndexException when the database failed
     */
    List<InstanceLocation> locate(String studyInstanceUID, String seriesInstanceUID, String sopInstanceUID)
            throws IndexException;

    /**
     * Removes a study, a series of it, or an instance of it from the index, in one transaction; removes
     * series, studies and patients left empty and updates the aggregates.
     *
     * <p>The stored objects are not touched: the caller deletes the returned locations from their backends
     * after this returns.
     *
     * @param studyInstanceUID  the study (required)
     * @param seriesInstanceUID a series of it, or {@code null} for the whole study
     * @param sopInstanceUID    an instance of that series, or {@code null} for the whole series
     * @return the instances removed (empty when there was none)
     * @throws IndexException when the database failed (nothing was removed)
     */
    List<InstanceLocation> delete(String studyInstanceUID, String seriesInstanceUID, String sopInstanceUID)
            throws IndexException;

    /**
     * Points an instance at another copy of its bytes, if it still points at {@code from}.
     *
     * <p>When it is called: by a migration between storage backends ({@code mosaic:storage-migrate}),
     * after the copy at {@code to} was written and read back with the same SHA-256 as {@code from}. What
     * it does, in one transaction: when the instance {@code sopInstanceUID} is indexed with the storage id
     * and key of {@code from}, records {@code to} instead (storage id, key, size, digest; the transfer
     * syntax stays). When the instance was deleted or replaced meanwhile, nothing changes and the caller
     * must not delete {@code from}'s object on the strength of this call.
     *
     * <p>The default says the index cannot re-point (indexes written before 0.2.0 of this package).
     *
     * @return whether the instance now points at {@code to}
     * @throws IndexException when the database failed (nothing changed)
     * @since 0.2.0
     */
    default boolean relocate(String sopInstanceUID, StorageLocation from, StorageLocation to) throws IndexException {
        throw new UnsupportedOperationException("this index cannot re-point instances");
    }

    /**
     * How many indexed instances each storage backend holds, and their bytes.
     *
     * <p>When it is called: by {@code mosaic:storage-list}, and before a backend is removed
     * ({@code mosaic:storage-remove} is refused while the index records objects in it).
     *
     * @return per storage id (the ids the index records, running or not), the number of instances and the
     *         sum of their sizes; storage ids without instances are absent
     * @throws IndexException when the database failed
     * @since 0.2.0
     */
    default Map<String, StorageUsage> storageUsage() throws IndexException {
        throw new UnsupportedOperationException("this index cannot count objects per storage");
    }
}
