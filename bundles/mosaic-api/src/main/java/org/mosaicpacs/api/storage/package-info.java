/**
 * Where the archive keeps the bytes of what it stores.
 *
 * <p>A {@link org.mosaicpacs.api.storage.StorageBackend} keeps opaque byte streams under
 * {@link org.mosaicpacs.api.storage.StorageKey}s. Backends are OSGi services with the properties
 * {@value org.mosaicpacs.api.storage.StorageBackend#BACKEND_PROPERTY} (the kind, e.g. {@code fs}) and
 * {@value org.mosaicpacs.api.storage.StorageBackend#ID_PROPERTY} (the configured id, e.g.
 * {@code default}); the index records the id and the key of each stored instance, so that a retrieve
 * finds the backend again by its id.
 *
 * <p>0.2.0: {@link org.mosaicpacs.api.storage.StorageBackend#list} and
 * {@link org.mosaicpacs.api.storage.ListedObject}, to find objects no index row points to.
 */
@Version("0.2.0")
package org.mosaicpacs.api.storage;

import org.osgi.annotation.versioning.Version;
