package org.mosaicpacs.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One unpacked distribution for the tests that drive it from outside, as a user does: unpacked under
 * {@code target/<name>}, on free ports, with a console user for {@code bin/client}, started with
 * {@code bin/start}, stopped with {@code bin/stop} (or killed), and the dcmtk and Karaf commands run against it.
 */
final class Distribution {

    static final Duration BOOT = Duration.ofSeconds(180);
    static final Duration TOOL = Duration.ofSeconds(300);
    static final String AET = "MOSAIC";
    private static final String CONSOLE_USER = "itest";
    private static final String CONSOLE_PASSWORD = "itest-password";

    final Path work;
    final Path home;
    final Path data;
    final int dicomPort;
    final int httpPort;
    final int sshPort;
    private final Map<String, String> environment;

    /** Unpacks the distribution into {@code target/<name>} (emptied first) and gives it free ports. */
    Distribution(String name) throws Exception {
        work = Path.of("target", name).toAbsolutePath();
        if (Files.exists(work)) {
            exec(List.of("rm", "-rf", work.toString()), Path.of("target").toAbsolutePath(), Duration.ofSeconds(120), Map.of());
        }
        Files.createDirectories(work);
        Path archive = Path.of(System.getProperty("mosaic.distribution"));
        check(exec(List.of("tar", "xzf", archive.toString(), "-C", work.toString()), work, Duration.ofSeconds(120), Map.of()));
        try (Stream<Path> entries = Files.list(work)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        sshPort = Ports.freePort();
        Ports.editCfg(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(sshPort));
        Ports.editCfg(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort", Integer.toString(Ports.freePort()));
        Ports.editCfg(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort", Integer.toString(Ports.freePort()));
        // a console user, as the README tells an admin to add one, so that bin/client can run mosaic:check
        Files.writeString(home.resolve("etc/users.properties"), System.lineSeparator() + CONSOLE_USER + " = "
                + CONSOLE_PASSWORD + ",_g_:admingroup" + System.lineSeparator()
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh" + System.lineSeparator(),
                java.nio.file.StandardOpenOption.APPEND);
        // the feature's default DICOM configuration copied into etc/, to be edited before the start
        try (Stream<Path> cfgs = Files.walk(home.resolve("system/org/mosaicpacs/mosaic-dimse"))) {
            Path defaults = cfgs.filter(f -> f.getFileName().toString().endsWith("-dimse.cfg")).findFirst().orElseThrow();
            Files.copy(defaults, dimseCfg());
        }
        dicomPort = Ports.freePort();
        httpPort = Ports.freePort();
        data = work.resolve("archive-data");
        environment = Map.of(
                "MOSAIC_HTTP_PORT", Integer.toString(httpPort),
                "MOSAIC_DICOM_PORT", Integer.toString(dicomPort),
                "MOSAIC_DATA", data.toString(),
                "JAVA_MAX_MEM", "512M");
    }

    Path dimseCfg() {
        return home.resolve("etc/org.mosaicpacs.dimse.cfg");
    }

    /** bin/start, then waits for GET /health to answer 200. */
    void start() throws Exception {
        check(exec(List.of(home.resolve("bin/start").toString()), work, Duration.ofSeconds(60)));
        int status = -1;
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (status != 200 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            status = Ports.httpStatus("http://127.0.0.1:" + httpPort + "/health");
        }
        assertEquals(200, status, () -> "GET /health after " + BOOT.toSeconds() + " s; karaf.log:\n" + errors());
    }

    /** bin/stop, and waits until bin/status says it is gone; kills it when it does not stop within 60 s. */
    void stop() throws Exception {
        if (!Files.exists(home.resolve("data/port"))) {
            return;
        }
        exec(List.of(home.resolve("bin/stop").toString()), work, Duration.ofSeconds(60));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (karafPids().isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
        for (long pid : karafPids()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        fail("Mosaic PACS did not stop within 60 s");
    }

    /** kill -9 of the Karaf JVM; returns once the process is gone. */
    void kill9() throws Exception {
        List<Long> pids = karafPids();
        if (pids.isEmpty()) {
            fail("no Karaf JVM to kill");
        }
        for (long pid : pids) {
            exec(List.of("kill", "-9", Long.toString(pid)), work, Duration.ofSeconds(10));
        }
        for (long pid : pids) {
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
        }
    }

    /** The Karaf JVM of this distribution (its command line names the folder). */
    List<Long> karafPids() {
        String marker = home.toString();
        return ProcessHandle.allProcesses()
                .filter(ph -> commandLine(ph).map(c -> c.contains("java") && c.contains(marker)
                        && c.contains("org.apache.karaf.main.Main")).orElse(false))
                .map(ProcessHandle::pid).collect(Collectors.toList());
    }

    /**
     * A process's command line: from /proc on Linux (the JDK's {@code ProcessHandle.Info} gives no arguments for a
     * command line longer than a page, which Karaf's is when it is unpacked in a deep folder), else from the JDK.
     */
    private static java.util.Optional<String> commandLine(ProcessHandle process) {
        Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            if (Files.isReadable(cmdline)) {
                return java.util.Optional.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' '));
            }
        } catch (IOException e) {
            // gone meanwhile, or not ours
        }
        return process.info().commandLine();
    }

    /** A console command through bin/client (the Karaf SSH client), its output. */
    String console(String command) throws Exception {
        // bin/client closes at once when its stdin is at EOF: give it a stdin that stays open
        Result r = exec(List.of("bash", "-c", "exec \"$0\" -u " + CONSOLE_USER + " -p " + CONSOLE_PASSWORD
                + " -a " + sshPort + " -r 10 \"$1\" < <(sleep 120 2>/dev/null)", home.resolve("bin/client").toString(), command), work,
                Duration.ofSeconds(180));
        check(r);
        return r.output;
    }

    /**
     * A console command through bin/client that is not waited for (to be killed with the archive, for one):
     * its output (stdout and stderr) goes to {@code log}.
     */
    Process startConsole(String command, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "exec \"$0\" -u " + CONSOLE_USER + " -p "
                + CONSOLE_PASSWORD + " -a " + sshPort + " -r 10 \"$1\" < <(sleep 600 2>/dev/null)",
                home.resolve("bin/client").toString(), command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    String port() {
        return Integer.toString(dicomPort);
    }

    String errors() {
        try {
            String log = Files.readString(home.resolve("data/log/karaf.log"));
            return log.lines().filter(l -> l.contains("| ERROR |") || l.contains("| WARN ")).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Every regular file under the storage root of default. */
    List<Path> storedObjects() throws IOException {
        Path root = data.resolve("storage");
        if (!Files.exists(root)) {
            return List.of();
        }
        // each object is a file named by its hash, beside a <hash>.key file holding its key (for listing)
        return regularFiles(root).stream().filter(p -> !p.getFileName().toString().endsWith(".key")).sorted().toList();
    }

    /**
     * Every regular file under root, walked while the archive may be writing there: a file or folder that
     * disappears during the walk (a temporary file renamed, an object moved away) is skipped, not an error.
     */
    static List<Path> regularFiles(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.exists(root)) {
            return found;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    // ---- dcmtk ---------------------------------------------------------------------------------

    static boolean dcmtkInstalled() {
        for (String tool : List.of("echoscu", "storescu", "findscu", "getscu", "movescu", "storescp")) {
            if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
                return false;
            }
        }
        return true;
    }

    Result echoscu() throws Exception {
        return exec(List.of("echoscu", "-aec", AET, "127.0.0.1", port()), work, TOOL);
    }

    /** storescu -d with extra options and files: the statuses, by the Affected SOP Instance UID of each response. */
    Map<String, String> storescu(List<String> options, List<Path> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("storescu", "-d", "-aec", AET));
        command.addAll(options);
        command.addAll(List.of("127.0.0.1", port()));
        files.forEach(p -> command.add(p.toString()));
        Result r = exec(command, work, TOOL);
        return statuses(r.output.lines().toList());
    }

    private static final Pattern AFFECTED = Pattern.compile("Affected SOP Instance UID\\s*:\\s*([0-9A-Za-z./_\\\\-]+)");
    private static final Pattern STATUS = Pattern.compile("DIMSE Status\\s*:\\s*(0x[0-9a-fA-F]{4})");

    /** From storescu -d output: the Affected SOP Instance UID and DIMSE Status of each C-STORE-RSP. */
    static Map<String, String> statuses(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        String pendingUid = null;
        boolean inResponse = false;
        for (String line : lines) {
            if (line.contains("C-STORE RSP")) {
                inResponse = true;
            } else if (line.contains("C-STORE RQ")) {
                inResponse = false;
            }
            Matcher m = AFFECTED.matcher(line);
            if (inResponse && m.find()) {
                pendingUid = m.group(1);
            }
            m = STATUS.matcher(line);
            if (inResponse && pendingUid != null && m.find()) {
                out.put(pendingUid, m.group(1).toLowerCase());
                pendingUid = null;
                inResponse = false;
            }
        }
        return out;
    }

    /** findscu -X in a fresh folder; the response files. */
    List<Path> findscu(List<String> args) throws Exception {
        Path dir = Files.createTempDirectory(work, "findscu-");
        List<String> command = new ArrayList<>(List.of("findscu", "-X", "-aec", AET, "127.0.0.1", port()));
        command.addAll(args);
        Result r = exec(command, dir, TOOL);
        check(r);
        try (Stream<Path> rsp = Files.list(dir)) {
            return rsp.sorted().toList();
        }
    }

    // ---- processes -----------------------------------------------------------------------------

    record Result(int exit, String output) {
    }

    static void check(Result r) {
        assertEquals(0, r.exit, r.output);
    }

    Result exec(List<String> command, Path dir, Duration timeout) throws Exception {
        return exec(command, dir, timeout, environment);
    }

    static Result exec(List<String> command, Path dir, Duration timeout, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env == null ? Map.of() : env);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                // gone
            }
        });
        reader.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail(command.get(0) + " did not finish in " + timeout);
        }
        reader.join(10_000);
        String shown = command.size() > 12 ? command.subList(0, 12) + " ... (" + command.size() + " arguments)" : command.toString();
        return new Result(process.exitValue(), shown + "\n" + output);
    }

    /** The environment the distribution runs with (MOSAIC_* variables). */
    Map<String, String> environment() {
        return new HashMap<>(environment);
    }
}
