package org.mosaicpacs.api.plugin;

import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.dicom.data.Attributes;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Intervention hook for queries and retrieves. <b>Defined, not yet called:</b> the archive's C-FIND,
 * C-MOVE, C-GET and DICOMweb services will call it (see {@code docs/plugin-guide.md}); until then a
 * registered hook is listed by {@code mosaic:plugin-list} and never called.
 *
 * <ul>
 * <li><b>When:</b> {@link #beforeQuery} before a C-FIND or QIDO-RS query runs against the index;
 * {@link #beforeRetrieve} before a C-MOVE, C-GET or WADO-RS sends anything. While the requester waits,
 * with the same time budget as {@link IngestInterceptor}.</li>
 * <li><b>May do:</b> read and change the identifier (query keys) in place, for example to restrict a
 * query to an institution; decide whether a requester may have a study.</li>
 * <li><b>Returns:</b> {@link Verdict#accept()}, {@link Verdict#coerced()} (keys changed in place) or
 * {@link Verdict#reject(int, String)} with a failure status ({@code 0xA700}, {@code 0xC000}, ...), which the
 * requester receives. An exception, {@code null} or a late answer count as a plugin failure and the request
 * goes on unchanged.</li>
 * </ul>
 */
@ConsumerType
public interface QueryRetrieveHook {

    /** Before a query: {@code keys} is the identifier as received. */
    default Verdict beforeQuery(QueryLevel level, Attributes keys, Origin origin) throws Exception {
        return Verdict.accept();
    }

    /**
     * Before a retrieve of a study (and, when not empty, one series or instance of it).
     *
     * @param destinationAETitle the C-MOVE destination, or empty for C-GET and WADO-RS
     */
    default Verdict beforeRetrieve(String studyInstanceUID, String seriesInstanceUID, String sopInstanceUID,
                                   Origin origin, String destinationAETitle) throws Exception {
        return Verdict.accept();
    }
}
