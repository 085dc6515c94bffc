package org.mosaicpacs.api.plugin;

import java.util.Objects;

import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.dicom.data.Attributes;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Offered by the plugin runtime ({@code mosaic-plugins}) to the archive's query and retrieve services (C-FIND,
 * C-MOVE, C-GET in {@code mosaic-dimse}; QIDO-RS, WADO-RS and WADO-URI in {@code mosaic-dicomweb}): runs every
 * registered {@link QueryRetrieveHook} with the time budget and failure isolation of {@link IngestInterception}.
 * When no such service is registered, nothing intervenes: queries and retrieves go on as requested.
 *
 * <p>The hooks run one after the other, highest {@code service.ranking} first; the first rejection ends the
 * round. A hook that throws, answers {@code null} or answers after {@code interceptorTimeoutMillis} is counted
 * (failure or slow call, {@code mosaic:plugin-list}) and the request goes on as if it had accepted: a broken
 * plugin never refuses a request.
 *
 * <p>The {@link Origin} of a DIMSE request carries the calling and called AE titles (its address is empty: the
 * association does not tell it); of an HTTP request (QIDO-RS, WADO-RS, WADO-URI) only the client's address
 * ({@code remoteHost}), both AE titles empty.
 */
@ProviderType
public interface QueryRetrieveInterception {

    /**
     * Runs {@link QueryRetrieveHook#beforeQuery} of every hook on a copy of {@code keys}; {@code keys} itself is
     * never changed.
     *
     * @return the combined verdict and the identifier to query with
     */
    QueryResult beforeQuery(QueryLevel level, Attributes keys, Origin origin);

    /**
     * Runs {@link QueryRetrieveHook#beforeRetrieve} of every hook for one item of a retrieve.
     *
     * @param seriesInstanceUID  the series, or empty for a whole study
     * @param sopInstanceUID     the instance, or empty for a whole series or study
     * @param destinationAETitle the C-MOVE destination, or empty (C-GET, WADO)
     * @return ACCEPT or REJECT (a {@code coerced()} answer counts as ACCEPT: there is nothing to coerce)
     */
    RetrieveResult beforeRetrieve(String studyInstanceUID, String seriesInstanceUID, String sopInstanceUID,
                                  Origin origin, String destinationAETitle);

    /**
     * @param verdict ACCEPT (query with the identifier as received), COERCED (query with {@link #keys()}) or
     *                REJECT (answer with the verdict's status, query nothing)
     * @param keys    the identifier to go on with: the caller's when nothing was coerced, a coerced copy otherwise
     * @param plugin  the name of the plugin that rejected, or empty
     */
    record QueryResult(Verdict verdict, Attributes keys, String plugin) {

        public QueryResult {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(keys, "keys");
            plugin = plugin == null ? "" : plugin;
        }
    }

    /**
     * @param verdict ACCEPT (send it) or REJECT (refuse with the verdict's status)
     * @param plugin  the name of the plugin that rejected, or empty
     */
    record RetrieveResult(Verdict verdict, String plugin) {

        public RetrieveResult {
            Objects.requireNonNull(verdict, "verdict");
            plugin = plugin == null ? "" : plugin;
        }

        /** Whether the retrieve was refused. */
        public boolean rejected() {
            return verdict.decision() == Verdict.Decision.REJECT;
        }
    }
}
