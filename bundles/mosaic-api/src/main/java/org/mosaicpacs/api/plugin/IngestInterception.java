package org.mosaicpacs.api.plugin;

import java.util.Objects;

import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.dicom.data.Attributes;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Offered by the plugin runtime ({@code mosaic-plugins}) to the ingest pipeline: runs every registered
 * {@link IngestInterceptor} on a received header, with their time budget and failure isolation. The
 * pipeline calls it once per instance, after its validation and before it writes; when no such service is
 * registered, nothing intercepts.
 */
@ProviderType
public interface IngestInterception {

    /**
     * Runs the interceptors on a copy of {@code dataset}; {@code dataset} itself is never changed.
     *
     * @return the combined verdict and the data set to go on with
     */
    Result intercept(Attributes dataset, Origin origin);

    /**
     * @param verdict ACCEPT (store {@code dataset} as received), COERCED (store {@link #dataset()}, re-encoded)
     *                or REJECT (answer with the verdict's status, store nothing)
     * @param dataset the data set to go on with: the caller's when nothing was coerced, a coerced copy otherwise
     * @param plugin  the name of the plugin that rejected, or empty
     */
    record Result(Verdict verdict, Attributes dataset, String plugin) {

        public Result {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(dataset, "dataset");
            plugin = plugin == null ? "" : plugin;
        }
    }
}
