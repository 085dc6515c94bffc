package org.mosaicpacs.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.itest.hooks.HooksPlugin;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The intervention hooks in the distribution: a plugin bundle ({@link HooksPlugin}) dropped into deploy/
 * coerces what C-STORE and STOW-RS bring, refuses one patient's instances with its status (storescu sees it),
 * refuses a query (QIDO-RS 403, findscu its status) and a retrieve (WADO-RS 403); mosaic:plugin-list shows its
 * hooks and counts; once its file is deleted the archive stores and answers as without it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginHooksIT extends MosaicTestSupport {

    private static final String BUNDLE = "org.mosaicpacs.itest.hooks";
    private static final String SERIES = "1.2.826.0.1.3680043.10.1077.41";
    private static final String REFUSED_SERIES = "1.2.826.0.1.3680043.10.1077.42";
    private static final String EMBARGOED_SERIES = "1.2.826.0.1.3680043.10.1077.666.1";

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void aDeployedPluginCoercesRefusesAndRestrictsThroughTheWholeArchive() throws Exception {
        awaitArchiveUp("the archive to be up");
        Path deployed = Path.of(System.getProperty("karaf.base"), "deploy", "hooks-plugin.jar");
        Path partial = Files.createTempFile("hooks-plugin", ".tmp");
        Files.write(partial, pluginJar());
        Files.move(partial, deployed, StandardCopyOption.REPLACE_EXISTING);
        await("the plugin's hooks to be listed", () -> pluginRow() != null);
        String[] row = pluginRow();
        assertEquals(BUNDLE, row[1]);
        assertEquals("ingest-interceptor,query-retrieve", row[2]);

        // C-STORE: coerced, and refused with the plugin's status and comment
        Path files = Files.createTempDirectory("hooks-files");
        List<Path> sent = new ArrayList<>(PluginTestFiles.series(files.resolve("a"), SERIES, 2));
        sent.addAll(PluginTestFiles.series(files.resolve("b"), REFUSED_SERIES, 1, HooksPlugin.REFUSED_PATIENT));
        sent.addAll(PluginTestFiles.series(files.resolve("c"), EMBARGOED_SERIES, 1));
        String storescu = store(sent);
        if (storescu != null) {
            assertTrue(storescu, storescu.contains("hooks: quota exhausted"));
        }
        assertEquals("refused: not indexed", 404, httpGet("/dicom-web/studies/" + REFUSED_SERIES + ".0/metadata").status());
        HttpAnswer found = httpGet("/dicom-web/studies?PatientID=PLUGIN-1&includefield=PatientName");
        assertEquals(found.body(), 200, found.status());
        assertTrue(found.body(), found.body().contains(HooksPlugin.COERCED_NAME));
        assertFalse(found.body(), found.body().contains("PLUGIN^TEST"));

        // queries and retrieves
        HttpAnswer forbidden = httpGet("/dicom-web/studies?PatientID=" + HooksPlugin.FORBIDDEN_PATIENT);
        assertEquals(forbidden.body(), 403, forbidden.status());
        assertTrue(forbidden.body(), forbidden.body().contains("hooks: forbidden patient"));
        HttpAnswer embargoed = httpGet("/dicom-web/studies/" + EMBARGOED_SERIES + ".0/metadata");
        assertEquals(embargoed.body(), 403, embargoed.status());
        assertTrue(embargoed.body(), embargoed.body().contains("hooks: study under embargo"));
        assertEquals(200, httpGet("/dicom-web/studies/" + SERIES + ".0/metadata").status());
        if (Files.isExecutable(Path.of("/usr/bin/findscu"))) {
            String findscu = run("findscu", "-d", "-S", "-aec", "MOSAIC", "-k", "QueryRetrieveLevel=STUDY", "-k",
                    "PatientID=" + HooksPlugin.FORBIDDEN_PATIENT, "127.0.0.1", System.getProperty("mosaic.dicom.port"));
            assertTrue(findscu, findscu.contains("hooks: forbidden patient"));
        }
        row = pluginRow();
        assertTrue(String.join("|", row), Integer.parseInt(row[4]) >= 7);
        assertEquals("no failures: " + String.join("|", row), "0", row[5]);

        // without the plugin the archive stores and answers as before
        Files.delete(deployed);
        await("the plugin to go", () -> pluginRow() == null);
        store(PluginTestFiles.series(files.resolve("d"), REFUSED_SERIES + ".9", 1, HooksPlugin.REFUSED_PATIENT));
        await("the instance refused before to be stored now",
                () -> httpGet("/dicom-web/studies/" + REFUSED_SERIES + ".9.0/metadata").status() == 200);
        assertEquals(200, httpGet("/dicom-web/studies/" + EMBARGOED_SERIES + ".0/metadata").status());
        assertEquals(204, httpGet("/dicom-web/studies?PatientID=" + HooksPlugin.FORBIDDEN_PATIENT).status());
    }

    /**
     * The plugin's line of {@code mosaic:plugin-list --no-format}, cells trimmed (Plugin, Bundle, Hooks, Queued,
     * Delivered, Failures, Slow, Dropped), or null when it is not listed.
     */
    private String[] pluginRow() {
        for (String line : executeCommand("mosaic:plugin-list --no-format").split("\n")) {
            String[] cells = line.split("\t");
            if (cells.length >= 8 && cells[0].trim().equals(HooksPlugin.NAME)) {
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = cells[i].trim();
                }
                return cells;
            }
        }
        return null;
    }

    /**
     * Sends the files with DCMTK's storescu (returns its debug output), or without DCMTK through the IngestService
     * (returns null; the refused instance must come back REJECTED_BY_PLUGIN with A700).
     */
    private String store(List<Path> files) throws Exception {
        if (Files.isExecutable(Path.of("/usr/bin/storescu"))) {
            List<String> command = new ArrayList<>(List.of("storescu", "-d", "--no-halt", "-aec", "MOSAIC", "127.0.0.1",
                    System.getProperty("mosaic.dicom.port")));
            files.forEach(f -> command.add(f.toString()));
            return run(command.toArray(String[]::new));
        }
        IngestService ingest = service(IngestService.class, null);
        for (Path f : files) {
            IngestResult r = ingest.ingest(f, new Origin("STORESCU", "MOSAIC", ""));
            if (f.toString().contains(REFUSED_SERIES + ".")) {
                assertEquals(IngestResult.Outcome.REJECTED_BY_PLUGIN, r.outcome());
                assertEquals(0xA700, r.status());
            } else {
                assertTrue(r.toString(), r.outcome().isAcknowledged());
            }
        }
        return null;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return output;
    }

    /** The plugin bundle: {@link HooksPlugin}'s class file and a manifest importing the plugin API. */
    private static byte[] pluginJar() throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", BUNDLE);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", HooksPlugin.class.getName());
        main.putValue("Import-Package", "org.mosaicpacs.api.plugin;version=\"[0.2,1)\",org.mosaicpacs.api.index,"
                + "org.mosaicpacs.api.ingest,org.mosaicpacs.dicom.data,org.osgi.framework");
        String entry = HooksPlugin.class.getName().replace('.', '/') + ".class";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest);
             InputStream classFile = HooksPlugin.class.getClassLoader().getResourceAsStream(entry)) {
            if (classFile == null) {
                throw new IOException("no " + entry + " in the test bundle");
            }
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}
