package org.mosaicpacs.itest;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Boots the built Mosaic PACS distribution (the tar.gz that {@code mvn install} makes, not a
 * hand-made list of bundles) on free ports, and gives tests the console and HTTP.
 */
public abstract class MosaicTestSupport {

    /** Upper bound for anything a test waits for (boot, a feature install); it never sleeps longer than needed. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    /** The container's options: the distribution, free ports, MOSAIC_* settings, the JVM flags of bin/karaf. */
    public Option[] distribution() {
        String archive = System.getProperty("mosaic.distribution");
        if (archive == null || !new File(archive).isFile()) {
            throw new IllegalStateException("The distribution archive is missing (" + archive
                    + "): run the build with `mvn install` or `mvn verify`");
        }
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(new File(archive).toURI().toString())
                        .karafVersion(System.getProperty("karaf.version", "4.4.10"))
                        .name("Mosaic PACS")
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.WARN),
                editConfigurationFilePut("etc/system.properties", "mosaic.http.port", Integer.toString(Ports.freePort())),
                editConfigurationFilePut("etc/system.properties", "mosaic.dicom.port", Integer.toString(Ports.freePort())),
                editConfigurationFilePut("etc/system.properties", "mosaic.ae.title", "MOSAIC"),
                editConfigurationFilePut("etc/system.properties", "mosaic.data", "${karaf.data}/mosaic"),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(Ports.freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(Ports.freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(Ports.freePort())),
                systemProperty("org.ops4j.pax.url.mvn.localRepository")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.localRepository", "")),
                // On a loaded machine (CI has 2 cores) the services of Pax Exam's probe come later than its
                // default 10 s waits.
                systemProperty("org.ops4j.pax.exam.invoker.junit.internal.JUnitProbeInvokerFactory.DEFAULT_TIMEOUT")
                        .value("120000"),
                systemProperty("org.ops4j.pax.exam.raw.extender.intern.Parser.DEFAULT_TIMEOUT").value("120000"),
                systemProperty("org.ops4j.pax.swissbox.tracker.ServiceLookup.DEFAULT_TIMEOUT").value("120000"),
                // What bin/karaf passes on Java 9+; Pax Exam does not.
                vmOptions("--add-reads=java.xml=java.logging",
                        "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                        "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-"
                                + System.getProperty("karaf.version", "4.4.10") + ".jar",
                        "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-"
                                + System.getProperty("karaf.version", "4.4.10") + ".jar",
                        "--add-opens", "java.base/java.security=ALL-UNNAMED",
                        "--add-opens", "java.base/java.net=ALL-UNNAMED",
                        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                        "--add-opens", "java.base/java.util=ALL-UNNAMED",
                        "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                        "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                        "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                        "-Xmx1g"));
    }

    /** Runs a console command as an admin would type it and returns what it printed. */
    protected String executeCommand(String command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(System.in, out, out);
        // Commands that change the container (feature:install ...) are open to the admin role only.
        Subject admin = new Subject();
        admin.getPrincipals().add(new UserPrincipal("itest"));
        admin.getPrincipals().add(new RolePrincipal("admin"));
        try {
            Object result = Subject.doAs(admin, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
            if (result != null) {
                out.println(result);
            }
        } catch (PrivilegedActionException e) {
            throw new AssertionError("`" + command + "` failed: " + e.getCause() + "\n"
                    + bytes.toString(StandardCharsets.UTF_8), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("`" + command + "` failed: " + e + "\n" + bytes.toString(StandardCharsets.UTF_8), e);
        } finally {
            out.flush();
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Waits until the condition holds, polling; fails with the message after {@link #TIMEOUT}. */
    protected static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for " + what, e);
            }
        }
    }

    /**
     * Waits until GET /health answers 200. On a timeout the failure carries the last answer and the warnings and
     * errors of the container's karaf.log, so that a CI report says why the archive did not come up.
     */
    protected static void awaitArchiveUp(String what) {
        try {
            await(what, () -> httpGet("/health").status() == 200);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nlast GET /health: " + httpGet("/health")
                    + "\nkaraf.log warnings and errors:\n" + logProblems(), e);
        }
    }

    /** The last 80 lines of the container's karaf.log that are warnings, errors or their causes. */
    private static String logProblems() {
        Path log = Path.of(System.getProperty("karaf.log", System.getProperty("karaf.data", "data") + "/log"),
                "karaf.log");
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            List<String> problems = lines
                    .filter(l -> l.contains("| WARN") || l.contains("| ERROR") || l.startsWith("Caused by"))
                    .collect(Collectors.toList());
            return String.join("\n", problems.subList(Math.max(0, problems.size() - 80), problems.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Whether a service of that type matching the filter is registered now. */
    protected boolean hasService(Class<?> type, String filter) {
        try {
            return !bundleContext.getServiceReferences(type, filter).isEmpty();
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
    }

    /** The service, waiting for it to appear. */
    protected <T> T service(Class<T> type, String filter) {
        await(type.getSimpleName() + " " + filter, () -> hasService(type, filter));
        try {
            ServiceReference<T> reference = bundleContext.getServiceReferences(type, filter).iterator().next();
            return bundleContext.getService(reference);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
    }

    /** An HTTP answer: status and body. */
    protected record HttpAnswer(int status, String body) {
    }

    /** GET on the archive's HTTP port; status -1 when nothing listens yet. */
    protected static HttpAnswer httpGet(String path) {
        try {
            URL url = new URL("http://127.0.0.1:" + System.getProperty("mosaic.http.port") + path);
            HttpURLConnection connection = (HttpURLConnection) url.openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(10000);
            int status = connection.getResponseCode();
            var stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String body = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            connection.disconnect();
            return new HttpAnswer(status, body);
        } catch (IOException e) {
            return new HttpAnswer(-1, e.toString());
        }
    }
}
