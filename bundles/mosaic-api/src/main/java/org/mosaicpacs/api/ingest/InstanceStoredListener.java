package org.mosaicpacs.api.ingest;

import org.mosaicpacs.api.event.InstanceStored;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: register a service of this type to be told of every instance the archive stored or
 * replaced. Called after the instance is durable and indexed, on the ingesting thread: return quickly
 * (hand long work to your own executor). An exception is logged and never fails the ingest.
 */
@ConsumerType
@FunctionalInterface
public interface InstanceStoredListener {

    void instanceStored(InstanceStored event);
}
