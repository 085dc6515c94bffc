/**
 * The archive's index: what is stored, where, and the queries over it.
 *
 * <p>The {@link org.mosaicpacs.api.index.ArchiveIndex} records each stored instance (its attributes
 * and its {@link org.mosaicpacs.api.index.StorageLocation}) in one transaction, answers C-FIND-style
 * queries ({@link org.mosaicpacs.api.index.QueryRequest}) with the matching of PS3.4 C.2.2.2, finds the
 * instances to retrieve ({@link org.mosaicpacs.api.index.ArchiveIndex#locate}) and deletes.
 */
@Version("0.2.0")
package org.mosaicpacs.api.index;

import org.osgi.annotation.versioning.Version;
