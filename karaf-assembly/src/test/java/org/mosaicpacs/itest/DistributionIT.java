package org.mosaicpacs.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.sql.DataSource;

import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.storage.StorageBackend;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/** The distribution as an admin meets it: it boots healthy, features come and go, deploy/ works. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionIT extends MosaicTestSupport {

    private static final String DATASOURCE = "(dataSourceName=mosaic)";
    private static final String FS_STORAGE = "(&(storage.backend=fs)(storage.id=default))";
    private static final String INDEX_UP =
            "{\"name\":\"org.mosaicpacs.index.derby.internal.DerbyArchiveIndex\",\"bundle\":\"mosaic-index-derby\",\"state\":\"UP\"";
    private static final String INDEX_DOWN =
            "{\"name\":\"org.mosaicpacs.index.derby.internal.DerbyArchiveIndex\",\"bundle\":\"mosaic-index-derby\",\"state\":\"DOWN\"";

    @Configuration
    public Option[] config() {
        // On a loaded machine the probe's invoker can take longer than Pax Exam's 10 s to appear.
        // The tests run inside Karaf: the files the template's test built reach them as Karaf system properties.
        return org.ops4j.pax.exam.OptionUtils.combine(distribution(), org.ops4j.pax.exam.CoreOptions
                .systemProperty("org.ops4j.pax.exam.raw.extender.intern.Parser.DEFAULT_TIMEOUT").value("180000"),
                editConfigurationFilePut("etc/system.properties", "mosaic.template.plugin",
                        System.getProperty("mosaic.template.plugin", "none")),
                editConfigurationFilePut("etc/system.properties", "mosaic.template.kar",
                        System.getProperty("mosaic.template.kar", "none")));
    }

    @Test
    public void healthAnswers200ListingEveryMosaicComponentOnceBooted() {
        awaitArchiveUp("GET /health to answer 200");

        HttpAnswer health = httpGet("/health");
        assertTrue(health.body(), health.body().startsWith("{\"status\":\"UP\",\"bootFinished\":true,"));
        assertTrue(health.body(), health.body().contains(
                "{\"name\":\"org.mosaicpacs.health.internal.HealthServlet\",\"bundle\":\"mosaic-health\",\"state\":\"UP\""));
        assertTrue(health.body(), health.body().endsWith("\"problems\":[]}"));
    }

    @Test
    public void consoleShowsTheSameHealthAsATable() {
        awaitArchiveUp("the archive to be up");

        String output = executeCommand("mosaic:health");

        assertTrue(output, output.startsWith("Mosaic PACS is UP"));
        assertTrue(output, output.contains("org.mosaicpacs.health.internal.HealthServiceImpl"));
    }

    @Test
    public void archiveMaintenanceCommandsRunAgainstTheBootedIndexAndStorage() {
        awaitArchiveUp("the archive to be up");

        String studies = executeCommand("mosaic:studies");
        assertTrue(studies, studies.contains("No studies"));

        String check = executeCommand("mosaic:check");
        assertTrue(check, check.contains("0 studies, 0 instances checked"));
    }

    @Test
    public void archiveIndexAndFileStorageAreRegisteredAndHealthy() {
        awaitArchiveUp("GET /health to answer 200");

        assertTrue("the index is registered", hasService(ArchiveIndex.class, null));
        assertTrue("the default storage is registered", hasService(StorageBackend.class, FS_STORAGE));
        String body = httpGet("/health").body();
        assertTrue(body, body.contains(INDEX_UP));
        assertTrue(body, body.contains("{\"name\":\"index\",\"bundle\":\"mosaic-index-derby\",\"state\":\"UP\""));
        assertTrue(body, body.contains(
                "{\"name\":\"org.mosaicpacs.storage.fs.internal.FsStorageBackend\",\"bundle\":\"mosaic-storage-fs\",\"state\":\"UP\""));
        assertTrue(body, body.contains("{\"name\":\"storage default\",\"bundle\":\"mosaic-storage-fs\",\"state\":\"UP\""));
    }

    /**
     * Taking Derby out takes the index's database away: the index component waits for a DataSource,
     * /health says DOWN (503) and names it, the rest keeps running; putting Derby back brings the index
     * back, with what it held, and /health to 200.
     */
    @Test
    public void embeddedDerbyIsSwappedOutAndBackWhileTheArchiveRuns() throws SQLException {
        awaitArchiveUp("the archive to be up");
        // Derby wires its JDK packages only dynamically; delegated, they cannot fail to wire while the features
        // service resolves on another thread (pax-jdbc-derby then failed to start: the archive stayed DOWN)
        String delegated = bundleContext.getProperty("org.osgi.framework.bootdelegation");
        for (String p : new String[] {"javax.naming.*", "javax.sql", "javax.management.*"}) {
            assertTrue(delegated, ("," + delegated.replace(" ", "") + ",").contains("," + p + ","));
        }
        assertTrue(executeCommand("feature:list -i"), executeCommand("feature:list -i").contains("mosaic-derby"));
        try (Connection c = service(DataSource.class, DATASOURCE).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE swap_check (id INT PRIMARY KEY, note VARCHAR(40))");
            s.execute("INSERT INTO swap_check VALUES (1, 'written before the swap')");
        }

        executeCommand("feature:uninstall mosaic-derby");
        await("the DataSource to go away", () -> !hasService(DataSource.class, DATASOURCE));
        assertFalse(executeCommand("feature:list -i").contains("mosaic-derby "));
        await("the index to go away", () -> !hasService(ArchiveIndex.class, null));
        HttpAnswer down = httpGet("/health");
        assertEquals("without its database the archive cannot index: DOWN", 503, down.status());
        assertTrue(down.body(), down.body().contains(INDEX_DOWN));
        assertTrue(down.body(), down.body().contains("dataSource"));
        assertTrue("the rest of the archive keeps running", hasService(StorageBackend.class, FS_STORAGE));
        assertTrue(down.body(), down.body().contains(
                "{\"name\":\"org.mosaicpacs.health.internal.HealthServlet\",\"bundle\":\"mosaic-health\",\"state\":\"UP\""));

        executeCommand("feature:install mosaic-derby");
        try (Connection c = service(DataSource.class, DATASOURCE).getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT note FROM swap_check WHERE id = 1")) {
            assertTrue("the row written before the swap is still there", rows.next());
            assertEquals("written before the swap", rows.getString(1));
        }
        await("the index to come back", () -> hasService(ArchiveIndex.class, null));
        awaitArchiveUp("the archive to be up again");
        assertTrue(httpGet("/health").body().contains(INDEX_UP));
    }

    @Test
    public void bundleDroppedIntoDeployIsActivatedAndRemovedWithItsFile() throws IOException {
        Path deploy = Path.of(System.getProperty("karaf.base"), "deploy");
        Path jar = deploy.resolve("mosaic-dropin-check.jar");
        Path partial = Files.createTempFile("dropin", ".tmp");
        Files.write(partial, bundleJar("org.mosaicpacs.itest.dropin"));
        Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING);

        await("the dropped bundle to be active", () -> state("org.mosaicpacs.itest.dropin") == Bundle.ACTIVE);

        Files.delete(jar);
        await("the bundle to be uninstalled", () -> state("org.mosaicpacs.itest.dropin") == Bundle.UNINSTALLED);
    }

    /**
     * The plugin that the template generates, as a researcher uses it: dropped into deploy/ it counts what
     * storescu sends and answers GET /plugins/instance-counter/count; a newer file replaces it (a new
     * component, counting from 0); deleting the file removes it and its endpoint.
     */
    @Test
    public void pluginMadeFromTheTemplateCountsStoredInstancesLiveWhenDeployed() throws Exception {
        Path plugin = Path.of(System.getProperty("mosaic.template.plugin", "none"));
        Assume.assumeTrue("the plugin template's test did not run in this build", Files.isRegularFile(plugin));
        awaitArchiveUp("the archive to be up");
        Path deployed = Path.of(System.getProperty("karaf.base"), "deploy", "instance-counter.jar");
        Path partial = Files.createTempFile("instance-counter", ".tmp");
        Files.copy(plugin, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, deployed, StandardCopyOption.REPLACE_EXISTING);

        await("the plugin's endpoint", () -> httpGet("/plugins/instance-counter/count").status() == 200);
        assertEquals("{\"count\":0}", httpGet("/plugins/instance-counter/count").body());
        String list = executeCommand("mosaic:plugin-list --no-format");
        assertTrue(list, list.contains("instance-counter\tinstance-counter\thttp-endpoint,instance-stored"));

        Path files = Files.createTempDirectory("plugin-files");
        storescu(PluginTestFiles.series(files.resolve("a"), "1.2.826.0.1.3680043.10.1077.7", 3));
        await("the count to reach 3", () -> httpGet("/plugins/instance-counter/count").body().equals("{\"count\":3}"));
        list = executeCommand("mosaic:plugin-list --no-format");
        // (the table pads its cells with spaces, also with --no-format)
        assertTrue(list, java.util.regex.Pattern.compile("instance-counter\\s*\tinstance-counter\\s*\thttp-endpoint,"
                + "instance-stored\\s*\t\\s*0\\s*\t\\s*3\\s*\t\\s*0\\s*\t\\s*0\\s*\t\\s*0").matcher(list).find());

        long before = bundle("instance-counter").getLastModified();
        partial = Files.createTempFile("instance-counter", ".tmp");
        Files.copy(plugin, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(partial, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(deployed).toMillis() + 10_000));
        Files.move(partial, deployed, StandardCopyOption.REPLACE_EXISTING);
        await("the bundle to be updated from the new file", () -> bundle("instance-counter").getLastModified() > before);
        await("the new component, counting from 0",
                () -> httpGet("/plugins/instance-counter/count").body().equals("{\"count\":0}"));
        storescu(PluginTestFiles.series(files.resolve("b"), "1.2.826.0.1.3680043.10.1077.8", 2));
        await("the new component to count 2", () -> httpGet("/plugins/instance-counter/count").body().equals("{\"count\":2}"));

        Files.delete(deployed);
        await("the endpoint to go", () -> httpGet("/plugins/instance-counter/count").status() == 404);
        assertFalse(executeCommand("mosaic:plugin-list --no-format").contains("instance-counter"));
        storescu(PluginTestFiles.series(files.resolve("c"), "1.2.826.0.1.3680043.10.1077.9", 1));
        assertEquals("the archive stores on without the plugin", 6, storedInstances());
    }

    /**
     * The same plugin as a KAR (the template builds one beside the jar): dropped into deploy/, Karaf installs the
     * feature it holds (the bundle comes from the KAR, not from the file), and the plugin counts what storescu
     * sends; deleting the KAR uninstalls the feature and removes its features repository: the endpoint goes.
     */
    @Test
    public void pluginKarMadeFromTheTemplateInstallsItsFeatureWhenDeployedAndUninstallsItWhenDeleted() throws Exception {
        Path kar = Path.of(System.getProperty("mosaic.template.kar", "none"));
        Assume.assumeTrue("the plugin template's test did not run in this build", Files.isRegularFile(kar));
        awaitArchiveUp("the archive to be up");
        Path deployed = Path.of(System.getProperty("karaf.base"), "deploy", "instance-counter.kar");
        Path partial = Files.createTempFile("instance-counter", ".tmp");
        try {
            Files.copy(kar, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, deployed, StandardCopyOption.REPLACE_EXISTING);

            await("the KAR's feature to be installed", () -> installedFeature("instance-counter"));
            await("the plugin's endpoint", () -> httpGet("/plugins/instance-counter/count").status() == 200);
            assertEquals("{\"count\":0}", httpGet("/plugins/instance-counter/count").body());
            assertTrue("the bundle was installed by the feature, from the KAR's repository",
                    bundle("instance-counter").getLocation().startsWith("mvn:org.example.research/instance-counter/"));
            assertTrue(executeCommand("kar:list"), executeCommand("kar:list").contains("instance-counter"));

            Path files = Files.createTempDirectory("plugin-kar-files");
            storescu(PluginTestFiles.series(files.resolve("a"), "1.2.826.0.1.3680043.10.1077.17", 2, "PLUGIN^KAR", "PLUGIN-KAR"));
            await("the count to reach 2", () -> httpGet("/plugins/instance-counter/count").body().equals("{\"count\":2}"));

            Files.delete(deployed);
            await("the endpoint to go", () -> httpGet("/plugins/instance-counter/count").status() == 404);
            await("the feature to be uninstalled", () -> !installedFeature("instance-counter"));
            assertEquals("the bundle is uninstalled", Bundle.UNINSTALLED, state("instance-counter"));
            await("the KAR to be gone from kar:list", () -> !executeCommand("kar:list").contains("instance-counter"));
            await("the KAR's features repository to be removed",
                    () -> !executeCommand("feature:repo-list").contains("instance-counter"));
            assertFalse(executeCommand("mosaic:plugin-list --no-format").contains("instance-counter"));
        } finally {
            Files.deleteIfExists(deployed);
            Files.deleteIfExists(partial);
            // whatever a failure left, not in the way of the jar's test
            if (installedFeature("instance-counter")) {
                executeCommand("feature:uninstall instance-counter");
            }
            if (executeCommand("feature:repo-list").contains("instance-counter")) {
                executeCommand("feature:repo-remove mvn:org.example.research/instance-counter/1.0.0-SNAPSHOT/xml/features");
            }
        }
    }

    private boolean installedFeature(String name) {
        for (String line : executeCommand("feature:list -i --no-format").split("\n")) {
            // (the table pads its cells with spaces, also with --no-format)
            if (line.split("\t")[0].trim().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Sends the files to the archive AE with DCMTK's storescu, or through the IngestService without DCMTK. */
    private void storescu(java.util.List<Path> files) throws Exception {
        if (Files.isExecutable(Path.of("/usr/bin/storescu")) || Files.isExecutable(Path.of("/usr/local/bin/storescu"))) {
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("storescu", "-aec", "MOSAIC",
                    "127.0.0.1", System.getProperty("mosaic.dicom.port")));
            files.forEach(f -> command.add(f.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals("storescu: " + output, 0, p.waitFor());
        } else {
            org.mosaicpacs.api.ingest.IngestService ingest = service(org.mosaicpacs.api.ingest.IngestService.class, null);
            for (Path f : files) {
                assertTrue(ingest.ingest(f, new org.mosaicpacs.api.ingest.Origin("STORESCU", "MOSAIC", ""))
                        .outcome().isAcknowledged());
            }
        }
    }

    private int storedInstances() {
        String studies = executeCommand("mosaic:studies --no-format");
        int total = 0;
        for (String line : studies.split("\n")) {
            if (line.contains("PLUGIN^TEST") || line.contains("PLUGIN-1")) {
                String[] cells = line.split("\t");
                total += Integer.parseInt(cells[cells.length - 1].trim());
            }
        }
        return total;
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }

    private int state(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .mapToInt(Bundle::getState)
                .findFirst().orElse(Bundle.UNINSTALLED);
    }

    private static byte[] bundleJar(String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.flush();
        }
        return bytes.toByteArray();
    }
}
