package org.mosaicpacs.api.plugin;

import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.dicom.data.Attributes;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Intervention hook for queries and retrieves, called through {@link QueryRetrieveInterception} by the
 * archive's C-FIND, C-MOVE, C-GET, QIDO-RS, WADO-RS and WADO-URI services (see {@code docs/plugin-guide.md}).
 *
 * <ul>
 * <li><b>When:</b> {@link #beforeQuery} before a C-FIND or QIDO-RS query runs against the index (after the
 * request was checked, once per request); {@link #beforeRetrieve} before a C-MOVE, C-GET, WADO-RS or WADO-URI
 * sends anything, once per item the request names (C-MOVE/C-GET: each Study, Series or SOP Instance UID
 * combination of the identifier; WADO: the study, series or instance of the URL). While the requester waits,
 * with the same time budget as {@link IngestInterceptor}, on a thread of the plugin runtime.</li>
 * <li><b>May do:</b> read and change the identifier (query keys) in place, for example to restrict a
 * query to an institution (its changes count only if it answers {@code coerced()} in time); decide whether a
 * requester may have a study. It must not keep the identifier after it returns.</li>
 * <li><b>Returns:</b> {@link Verdict#accept()}, {@link Verdict#coerced()} (keys changed in place; for a
 * retrieve the same as accept) or {@link Verdict#reject(int, String)} with a failure status ({@code 0x0124}
 * refused: not authorized, {@code 0xA700}, {@code 0xC000}, ...). A rejected C-FIND, C-MOVE or C-GET is answered
 * with that status and the comment as Error Comment, and nothing is matched or sent; a rejected QIDO-RS,
 * WADO-RS or WADO-URI request is answered 403 with the comment. An exception, {@code null} or a late answer
 * count as a plugin failure (or slow call) and the request goes on unchanged.</li>
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
