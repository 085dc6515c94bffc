package org.mosaicpacs.api.ingest;

import java.io.InputStream;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one way into the archive: stores and indexes a received instance. Offered as an OSGi service by
 * {@code mosaic-archive}. Thread safe.
 *
 * <p>An outcome that {@linkplain IngestResult.Outcome#isAcknowledged() acknowledges} the instance is
 * returned only after its bytes are durable in the storage backend and its index rows are committed.
 * Any other outcome leaves neither half behind. Data problems, a missing backend or a failing index
 * are outcomes, never exceptions.
 */
@ProviderType
public interface IngestService {

    /**
     * Ingests one instance from a Part 10 file (preamble, file meta information with the transfer
     * syntax, data set). The file is only read; the caller deletes it afterwards.
     */
    IngestResult ingest(Path part10File, Origin origin);

    /**
     * Ingests one instance from a Part 10 stream (read to its end, not closed).
     */
    IngestResult ingest(InputStream part10Stream, Origin origin);
}
