package org.mosaicpacs.api.ingest;

/**
 * Who sent an instance, or a query or retrieve (what the plugins' hooks are told).
 *
 * @param callingAETitle the calling AE title (DIMSE), or {@code "STOW-RS"} for a STOW-RS store, empty for the
 *                       other HTTP requests (QIDO-RS, WADO-RS, WADO-URI); never null
 * @param calledAETitle  the archive AE title it was sent to (DIMSE), empty for HTTP; never null
 * @param remoteHost     the peer's address, or empty when unknown
 */
public record Origin(String callingAETitle, String calledAETitle, String remoteHost) {

    public Origin {
        callingAETitle = callingAETitle == null ? "" : callingAETitle;
        calledAETitle = calledAETitle == null ? "" : calledAETitle;
        remoteHost = remoteHost == null ? "" : remoteHost;
    }
}
