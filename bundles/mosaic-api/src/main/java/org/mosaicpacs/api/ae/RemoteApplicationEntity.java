package org.mosaicpacs.api.ae;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
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
 * @param webClients  (since 0.3.0) the addresses of HTTP clients whose DICOMweb requests count as requests of this
 *                    AE (so that {@code deidentifyOnRetrieve} applies to their WADO retrievals): IPv4 or IPv6
 *                    literals, or CIDR ranges such as {@code 10.1.2.0/24}; no host names (they are not resolved).
 *                    Never {@code null}; empty when no HTTP client is this AE
 */
public record RemoteApplicationEntity(String aeTitle, String hostname, int port, boolean tls, String description,
                                      String deidentifyOnRetrieve, String deidentifyOnStore, List<String> webClients) {

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
        webClients = webClients == null ? List.of()
                : webClients.stream().map(String::strip).filter(c -> !c.isEmpty()).toList();
        for (String c : webClients) {
            parseRange(c, aeTitle);
        }
    }

    /** An AE with de-identification marks and no web clients (the constructor of 0.2.0). */
    public RemoteApplicationEntity(String aeTitle, String hostname, int port, boolean tls, String description,
                                   String deidentifyOnRetrieve, String deidentifyOnStore) {
        this(aeTitle, hostname, port, tls, description, deidentifyOnRetrieve, deidentifyOnStore, List.of());
    }

    /** An AE whose objects are neither de-identified on retrieve nor on store. */
    public RemoteApplicationEntity(String aeTitle, String hostname, int port, boolean tls, String description) {
        this(aeTitle, hostname, port, tls, description, "", "", List.of());
    }

    /** A plain (not TLS) AE without description. */
    public RemoteApplicationEntity(String aeTitle, String hostname, int port) {
        this(aeTitle, hostname, port, false, "", "", "", List.of());
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

    /**
     * Whether an HTTP client at {@code address} (an IP literal, as {@code ServletRequest.getRemoteAddr()} gives
     * it) is one of {@link #webClients()}. An IPv4 address also matches as its IPv4-mapped IPv6 form.
     *
     * @since 0.3.0
     */
    public boolean isWebClient(String address) {
        if (address == null || webClients.isEmpty()) {
            return false;
        }
        byte[] a = literal(address.strip());
        if (a == null) {
            return false;
        }
        for (String c : webClients) {
            Object[] range = parseRange(c, aeTitle);
            byte[] net = (byte[]) range[0];
            int bits = (Integer) range[1];
            byte[] x = a;
            if (x.length != net.length) {
                x = x.length == 16 ? unmapped(x) : null;
                if (x == null || x.length != net.length) {
                    continue;
                }
            }
            if (prefixMatches(x, net, bits)) {
                return true;
            }
        }
        return false;
    }

    /** {network bytes, prefix bits}; IllegalArgumentException when not an address or CIDR range. */
    private static Object[] parseRange(String range, String aeTitle) {
        int slash = range.indexOf('/');
        String host = slash < 0 ? range : range.substring(0, slash);
        byte[] net = literal(host);
        if (net == null) {
            throw new IllegalArgumentException("web client '" + range + "' of AE " + aeTitle
                    + " is not an IP address or CIDR range (e.g. 10.1.2.3, 10.1.2.0/24, fd00::/8)");
        }
        int bits = net.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(range.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > net.length * 8) {
                throw new IllegalArgumentException("web client '" + range + "' of AE " + aeTitle
                        + ": the prefix length is 0 to " + net.length * 8);
            }
        }
        return new Object[] {net, bits};
    }

    /** The bytes of an IPv4 or IPv6 literal, or null for anything else (host names are not resolved). */
    private static byte[] literal(String s) {
        if (s.isEmpty()) {
            return null;
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        boolean ipv4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = s.contains(":") && s.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        if (ipv4) {
            for (String part : s.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        try {
            return InetAddress.getByName(s).getAddress(); // a literal: no name lookup
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static byte[] unmapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return null;
            }
        }
        if (v6[10] != (byte) 0xFF || v6[11] != (byte) 0xFF) {
            return null;
        }
        return new byte[] {v6[12], v6[13], v6[14], v6[15]};
    }

    private static boolean prefixMatches(byte[] a, byte[] net, int bits) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != net[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (net[full] & mask);
    }

    @Override
    public String toString() {
        return aeTitle + "@" + hostname + ":" + port + (tls ? " (TLS)" : "")
                + (deidentifyOnRetrieve.isEmpty() ? "" : " (de-identified on retrieve: " + deidentifyOnRetrieve + ")")
                + (deidentifyOnStore.isEmpty() ? "" : " (de-identified on store: " + deidentifyOnStore + ")")
                + (webClients.isEmpty() ? "" : " (web clients: " + String.join(", ", webClients) + ")");
    }
}
