package org.mosaicpacs.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.mosaicpacs.api.ae.RemoteApplicationEntities;
import org.mosaicpacs.api.ae.RemoteApplicationEntity;
import org.mosaicpacs.api.ae.ServiceClassUser;
import org.mosaicpacs.api.ae.ServiceClassUser.StoreResult;
import org.mosaicpacs.api.ae.ServiceClassUser.VerificationResult;

/**
 * What the {@code mosaic:ae-*}, {@code mosaic:echo} and {@code mosaic:store} commands do, without the shell:
 * the remote AEs through {@link RemoteApplicationEntities}, C-ECHO and C-STORE through {@link ServiceClassUser}.
 */
final class RemoteAEConsole {

    /** The counts of a {@code mosaic:store} run. */
    record StoreSummary(int files, int success, int warning, int failure, int notSent) {

        @Override
        public String toString() {
            return files + " file(s): " + success + " stored, " + warning + " with a warning, " + failure + " refused, "
                    + notSent + " not sent";
        }
    }

    private final RemoteApplicationEntities remoteAEs;
    private final ServiceClassUser scu;

    RemoteAEConsole(RemoteApplicationEntities remoteAEs, ServiceClassUser scu) {
        this.remoteAEs = remoteAEs;
        this.scu = scu;
    }

    List<RemoteApplicationEntity> list() {
        return remoteAEs.list();
    }

    List<String> aeTitles() {
        return list().stream().map(RemoteApplicationEntity::aeTitle).toList();
    }

    /** Adds or replaces a remote AE; the message says which. @throws IllegalArgumentException for invalid values */
    String add(String aeTitle, String host, int port, boolean tls, String description) throws IOException {
        return add(aeTitle, host, port, tls, description, "", "");
    }

    /**
     * Adds or replaces a remote AE whose retrieves and stores are de-identified with these profiles (empty: not).
     *
     * @throws IllegalArgumentException for invalid values
     */
    String add(String aeTitle, String host, int port, boolean tls, String description, String deidentifyOnRetrieve,
               String deidentifyOnStore) throws IOException {
        return add(aeTitle, host, port, tls, description, deidentifyOnRetrieve, deidentifyOnStore, List.of());
    }

    /**
     * Adds or replaces a remote AE with de-identification profiles and the addresses (IP or CIDR, commas allowed
     * inside a value) of the HTTP clients that count as it.
     *
     * @throws IllegalArgumentException for invalid values
     */
    String add(String aeTitle, String host, int port, boolean tls, String description, String deidentifyOnRetrieve,
               String deidentifyOnStore, List<String> webClients) throws IOException {
        List<String> clients = new ArrayList<>();
        for (String v : webClients == null ? List.<String>of() : webClients) {
            for (String c : v.split(",")) {
                if (!c.isBlank()) {
                    clients.add(c.strip());
                }
            }
        }
        RemoteApplicationEntity ae = new RemoteApplicationEntity(aeTitle, host, port, tls, description,
                deidentifyOnRetrieve, deidentifyOnStore, clients);
        boolean replaced = remoteAEs.add(ae);
        return (replaced ? "Replaced " : "Added ") + "remote AE " + ae;
    }

    /** @throws IllegalArgumentException when no remote AE has that title */
    String remove(String aeTitle) throws IOException {
        if (!remoteAEs.remove(aeTitle)) {
            throw new IllegalArgumentException("no remote AE " + aeTitle + " is configured");
        }
        return "Removed remote AE " + aeTitle.strip();
    }

    /** @throws IOException when the association fails, with the reason */
    String echo(String aeTitle) throws IOException {
        VerificationResult r = scu.verify(aeTitle);
        return "C-ECHO " + r.ae() + ": status " + status(r.status()) + ", round trip " + r.roundTripMillis() + " ms";
    }

    /** The regular files of a file or folder (its tree), in name order; hidden files are skipped. */
    static List<Path> files(Path fileOrFolder) throws IOException {
        if (Files.isRegularFile(fileOrFolder)) {
            return List.of(fileOrFolder);
        }
        if (!Files.isDirectory(fileOrFolder)) {
            throw new IllegalArgumentException("no such file or folder: " + fileOrFolder);
        }
        try (Stream<Path> walk = Files.walk(fileOrFolder)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    List<StoreResult> store(Path fileOrFolder, String aeTitle) throws IOException {
        List<Path> files = files(fileOrFolder);
        if (files.isEmpty()) {
            return List.of();
        }
        return scu.store(aeTitle, files);
    }

    static StoreSummary summary(List<StoreResult> results) {
        int ok = 0;
        int warn = 0;
        int fail = 0;
        int notSent = 0;
        for (StoreResult r : results) {
            if (r.status() == StoreResult.NOT_SENT) {
                notSent++;
            } else if (r.status() == 0) {
                ok++;
            } else if (isWarning(r.status())) {
                warn++;
            } else {
                fail++;
            }
        }
        return new StoreSummary(results.size(), ok, warn, fail, notSent);
    }

    /** PS3.7 C.1: 0001, 0107, 0116 and Bxxx are warnings. */
    static boolean isWarning(int status) {
        return status == 0x0001 || status == 0x0107 || status == 0x0116 || (status & 0xF000) == 0xB000;
    }

    /** A status as four hexadecimal digits with its category, e.g. {@code A700 (failure)}. */
    static String status(int status) {
        if (status == StoreResult.NOT_SENT) {
            return "not sent";
        }
        String category = status == 0 ? "success" : isWarning(status) ? "warning" : "failure";
        return String.format(Locale.ROOT, "%04X (%s)", status, category);
    }

    /** The rows of the {@code mosaic:store} table. */
    static List<String[]> rows(List<StoreResult> results) {
        List<String[]> rows = new ArrayList<>();
        for (StoreResult r : results) {
            rows.add(new String[] {r.file().toString(), r.sopInstanceUID() == null ? "" : r.sopInstanceUID(),
                status(r.status()), r.errorComment()});
        }
        return rows;
    }
}
