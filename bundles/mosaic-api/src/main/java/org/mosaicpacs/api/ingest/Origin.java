package org.mosaicpacs.api.ingest;

/**
 * Who sent an instance.
 *
 * @param callingAETitle the calling AE title (DIMSE), or the user / {@code "STOW-RS"} for HTTP; never null
 * @param calledAETitle  the archive AE title it was sent to; never null
 * @param remoteHost     the peer's address, or empty when unknown
 */
public record Origin(String callingAETitle, String calledAETitle, String remoteHost) {

    public Origin {
        callingAETitle = callingAETitle == null ? "" : callingAETitle;
        calledAETitle = calledAETitle == null ? "" : calledAETitle;
        remoteHost = remoteHost == null ? "" : remoteHost;
    }
}
