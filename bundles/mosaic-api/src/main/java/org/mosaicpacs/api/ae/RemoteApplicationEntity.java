package org.mosaicpacs.api.ae;

import java.util.Objects;

/**
 * A remote DICOM application entity (PS3.15 Annex H "Network AE" and its "Network Connection"): the AE
 * title the archive knows it by, where it listens, and whether it speaks TLS (PS3.15 Annex B).
 *
 * @param aeTitle     the AE title: 1 to 16 characters of the Default Character Repertoire, no backslash,
 *                    no leading or trailing space (PS3.5 Table 6.2-1, VR AE)
 * @param hostname    the host name or address it listens on
 * @param port        its TCP port, 1 to 65535
 * @param tls         whether associations to it use TLS (with the archive's key and trust material)
 * @param description a free text for the admin, never {@code null} (empty when none)
 * @param deidentifyOnRetrieve the de-identification profile applied to everything this AE retrieves (C-MOVE as
 *                    destination, C-GET as requester) or is sent by the forward plugin; empty (never {@code null})
 *                    when it gets the stored objects as they are
 * @param deidentifyOnStore the de-identification profile applied to everything this AE stores as calling AE,
 *                    before the archive keeps it; empty (never {@code null}) when stored as received
 */
public record RemoteApplicationEntity(String aeTitle, String hostname, int port, boolean tls, String description,
                                      String deidentifyOnRetrieve, String deidentifyOnStore) {

    /** Checks the values; see the parameters. */
    public RemoteApplicationEntity {
        aeTitle = checkAETitle(aeTitle);
        Objects.requireNonNull(hostname, "hostname");
        hostname = hostname.strip();
        if (hostname.isEmpty()) {
            throw new IllegalArgumentException("no host name for AE " + aeTitle);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of AE " + aeTitle + " is not 1..65535: " + port);
        }
        description = description == null ? "" : description;
        deidentifyOnRetrieve = deidentifyOnRetrieve == null ? "" : deidentifyOnRetrieve.strip();
        deidentifyOnStore = deidentifyOnStore == null ? "" : deidentifyOnStore.strip();
    }

    /** An AE whose objects are neither de-identified on retrieve nor on store. */
    public RemoteApplicationEntity(String aeTitle, String hostname, int port, boolean tls, String description) {
        this(aeTitle, hostname, port, tls, description, "", "");
    }

    /** A plain (not TLS) AE without description. */
    public RemoteApplicationEntity(String aeTitle, String hostname, int port) {
        this(aeTitle, hostname, port, false, "", "", "");
    }

    /**
     * Checks an AE title (VR AE): 1..16 characters, printable ASCII without backslash; leading and
     * trailing spaces are not significant and are removed.
     *
     * @return the AE title without surrounding spaces
     * @throws IllegalArgumentException when it is not a valid AE title
     */
    public static String checkAETitle(String aeTitle) {
        Objects.requireNonNull(aeTitle, "aeTitle");
        String s = aeTitle.strip();
        if (s.isEmpty() || s.length() > 16) {
            throw new IllegalArgumentException("an AE title has 1 to 16 characters: '" + aeTitle + "'");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '\\') {
                throw new IllegalArgumentException("AE title '" + aeTitle + "' has a character not allowed in an AE title");
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return aeTitle + "@" + hostname + ":" + port + (tls ? " (TLS)" : "")
                + (deidentifyOnRetrieve.isEmpty() ? "" : " (de-identified on retrieve: " + deidentifyOnRetrieve + ")")
                + (deidentifyOnStore.isEmpty() ? "" : " (de-identified on store: " + deidentifyOnStore + ")");
    }
}
