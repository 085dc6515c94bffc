package org.mosaicpacs.dimse.internal;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.dicom.net.Connection;

/**
 * The peers the archive connects to by AE title (C-MOVE destinations, Storage Commitment reports on a new
 * association), as a read-only map view: first the configured remote AEs, asked at each call (so a change
 * is seen by the next association), then the fixed {@code moveDestinations} setting as a fallback.
 */
final class MoveDestinations extends AbstractMap<String, Connection> {

    private final Map<String, Connection> fixed;
    private final Supplier<RemoteApplicationEntities> remoteAEs;

    MoveDestinations(Map<String, Connection> fixed, Supplier<RemoteApplicationEntities> remoteAEs) {
        this.fixed = Map.copyOf(fixed);
        this.remoteAEs = remoteAEs;
    }

    static Connection connection(RemoteApplicationEntity ae) {
        return new Connection(ae.hostname(), ae.port()).setTls(ae.tls());
    }

    @Override
    public Connection get(Object key) {
        if (!(key instanceof String aet)) {
            return null;
        }
        RemoteApplicationEntities dir = remoteAEs.get();
        if (dir != null) {
            Optional<RemoteApplicationEntity> ae;
            try {
                ae = dir.lookup(aet);
            } catch (IllegalArgumentException e) {
                ae = Optional.empty();
            }
            if (ae.isPresent()) {
                return connection(ae.get());
            }
        }
        return fixed.get(aet.strip());
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, Connection>> entrySet() {
        Map<String, Connection> all = new LinkedHashMap<>(fixed);
        RemoteApplicationEntities dir = remoteAEs.get();
        if (dir != null) {
            for (RemoteApplicationEntity ae : dir.list()) {
                all.put(ae.aeTitle(), connection(ae));
            }
        }
        return java.util.Collections.unmodifiableMap(all).entrySet();
    }
}
