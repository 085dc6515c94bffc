package org.mosaicpacs.dicomweb.internal;

import java.util.Optional;
import java.util.function.Supplier;

import javax.servlet.http.HttpServletRequest;

import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;

/**
 * Which remote AE an HTTP client is. DICOMweb has no authenticated users (no login, no Authorization header is
 * read), so a client is known by its address only: a remote AE whose {@link RemoteApplicationEntity#webClients()}
 * holds the request's remote address (an IP literal or a CIDR range) is that client. Behind a reverse proxy every
 * client has the proxy's address: then mark the proxy's address, or none.
 *
 * <p>Fail closed: without the remote AE configuration ({@code mosaic-dimse} absent or stopping) nobody can tell
 * whether a client must get de-identified data, so retrievals are answered 503.
 */
final class WebClients {

    /** For the tests and embedders without remote AEs: no client is marked. */
    static final WebClients NONE = new WebClients(null);

    private final Supplier<RemoteApplicationEntities> aes;

    /** @param aes the remote AEs as they are now (null inside: absent); null: no AE configuration at all */
    WebClients(Supplier<RemoteApplicationEntities> aes) {
        this.aes = aes;
    }

    /**
     * The remote AE marked {@code deidentifyOnRetrieve} this client counts as, if any (with several, the first by
     * AE title: a client that is one marked AE is marked, whatever other AEs it also is).
     *
     * @throws WebException 503 when the remote AE configuration is not available
     */
    Optional<RemoteApplicationEntity> markedForRetrieve(HttpServletRequest request) {
        return find(request, true);
    }

    /** The remote AE marked {@code deidentifyOnStore} this client counts as, if any. */
    Optional<RemoteApplicationEntity> markedForStore(HttpServletRequest request) {
        return find(request, false);
    }

    private Optional<RemoteApplicationEntity> find(HttpServletRequest request, boolean retrieve) {
        if (aes == null) {
            return Optional.empty();
        }
        RemoteApplicationEntities directory = aes.get();
        if (directory == null) {
            throw WebException.unavailable("the remote AE configuration (mosaic-dimse) is not available: it cannot be "
                    + "told whether this client gets de-identified data, so nothing is sent now");
        }
        String address = request.getRemoteAddr();
        for (RemoteApplicationEntity ae : directory.list()) {
            String profile = retrieve ? ae.deidentifyOnRetrieve() : ae.deidentifyOnStore();
            if (!profile.isEmpty() && ae.isWebClient(address)) {
                return Optional.of(ae);
            }
        }
        return Optional.empty();
    }
}
