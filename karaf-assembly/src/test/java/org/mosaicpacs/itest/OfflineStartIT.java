package org.mosaicpacs.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The distribution archive as a user gets it: unpacked and started with {@code bin/start}, with no
 * network (Maven offline) and an empty home folder (no ~/.m2), on ports set by MOSAIC_* variables.
 * Everything it boots must come from its own system/ folder.
 */
class OfflineStartIT {

    private static final Duration BOOT = Duration.ofSeconds(120);

    /** Kept after the run (under target/) so that its karaf.log can be read when the test fails. */
    private final Path work = Path.of("target", "offline-start").toAbsolutePath();

    private Path home;
    private Map<String, String> environment;

    @BeforeEach
    void unpack() throws Exception {
        if (Files.exists(work)) {
            run(List.of("rm", "-rf", work.toString()), Map.of(), Duration.ofSeconds(60));
        }
        Files.createDirectories(work);
        Path archive = Path.of(System.getProperty("mosaic.distribution"));
        run(List.of("tar", "xzf", archive.toString(), "-C", work.toString()), Map.of(), Duration.ofSeconds(60));
        try (Stream<Path> entries = Files.list(work)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        // Free ports for everything that listens, so the test never meets another Karaf.
        Ports.editCfg(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(Ports.freePort()));
        Ports.editCfg(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort", Integer.toString(Ports.freePort()));
        Ports.editCfg(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort", Integer.toString(Ports.freePort()));
        Path emptyHome = Files.createDirectories(work.resolve("empty-home"));
        environment = Map.of(
                "HOME", emptyHome.toString(),
                "MOSAIC_HTTP_PORT", Integer.toString(Ports.freePort()),
                "MOSAIC_DICOM_PORT", Integer.toString(Ports.freePort()),
                "MOSAIC_DATA", work.resolve("archive-data").toString(),
                "EXTRA_JAVA_OPTS", "-Duser.home=" + emptyHome + " -Dorg.ops4j.pax.url.mvn.offline=true");
    }

    @AfterEach
    void stop() throws Exception {
        if (home != null && Files.exists(home.resolve("data/port"))) {
            run(List.of(home.resolve("bin/stop").toString()), environment, Duration.ofSeconds(60));
            // bin/stop only asks; wait until bin/status says it is gone.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                Process status = new ProcessBuilder(home.resolve("bin/status").toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (status.waitFor() != 0) {
                    return;
                }
                Thread.sleep(500);
            }
            fail("Mosaic PACS did not stop within 60 s");
        }
    }

    @Test
    void startsHealthyFromItsOwnSystemFolderWithNoNetworkAndNoLocalMavenRepository() throws Exception {
        run(List.of(home.resolve("bin/start").toString()), environment, Duration.ofSeconds(60));

        int status = -1;
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (status != 200 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            status = Ports.httpStatus("http://127.0.0.1:" + environment.get("MOSAIC_HTTP_PORT") + "/health");
        }

        String log = Files.readString(home.resolve("data/log/karaf.log"));
        assertEquals(200, status, () -> "GET /health after " + BOOT.toSeconds() + " s; errors in karaf.log:\n" + errors(log));
        assertTrue(errors(log).isEmpty(), () -> "karaf.log has errors:\n" + errors(log));
        try (Stream<Path> files = Files.list(Path.of(environment.get("HOME")))) {
            assertEquals(List.of(), files.collect(Collectors.toList()), "nothing is written to the user's home");
        }
    }

    private static String errors(String log) {
        return log.lines().filter(l -> l.contains("| ERROR |")).collect(Collectors.joining("\n"));
    }

    private static void run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(command + " did not finish in " + timeout);
        }
        assertEquals(0, process.exitValue(), () -> command + " failed:\n" + new String(output, StandardCharsets.UTF_8));
    }

}
