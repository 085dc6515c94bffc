package org.mosaicpacs.api.plugin;

import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.dicom.data.Attributes;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Intervention hook: sees each received instance's header before anything is written, and may coerce
 * attributes or refuse the instance.
 *
 * <ul>
 * <li><b>When:</b> for every instance that arrives (C-STORE, STOW-RS), after the archive's own validation
 * and before the bytes are written, on a thread of the plugin runtime while the sender waits. Several
 * interceptors run one after the other in the order of their {@code service.ranking} (highest first), each
 * seeing what the previous one made.</li>
 * <li><b>May do:</b> read the data set (everything up to Pixel Data: Pixel Data itself is not there) and
 * change attributes in place (fix a Patient ID, add an Institution Name). It must not keep the data set
 * after it returns, and should not change Study, Series or SOP Instance UIDs (the archive validates them
 * again). It has {@code interceptorTimeoutMillis} (configuration {@code org.mosaicpacs.plugins}) to
 * answer; a slower answer is ignored and counted as slow, the instance goes on as it was.</li>
 * <li><b>Returns:</b> {@link Verdict#accept()} (unchanged), {@link Verdict#coerced()} (changed in place), or
 * {@link Verdict#reject(int, String)} with a DICOM failure status, which the sender receives (C-STORE
 * status, STOW-RS failure reason). An exception or {@code null} counts as a failure of the plugin and the
 * instance goes on unchanged: a broken plugin never refuses images.</li>
 * </ul>
 */
@ConsumerType
@FunctionalInterface
public interface IngestInterceptor {

    Verdict intercept(Attributes dataset, Origin origin) throws Exception;
}
