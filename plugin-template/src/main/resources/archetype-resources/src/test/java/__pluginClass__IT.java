package ${package};

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.IngestService;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomOutputStream;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The plugin in a running Mosaic PACS: boots the distribution (from the local Maven repository, where
 * Mosaic's own {@code mvn install} put it), installs this plugin's jar, stores two instances through the
 * archive and reads the count over HTTP. Run with {@code mvn verify -Pdistribution}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ${pluginClass}IT {

    private static final String KARAF = "4.4.10";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.mosaicpacs", "mosaic-pacs", System.getProperty("mosaic.version")).type("tar.gz"))
                        .karafVersion(KARAF).name("Mosaic PACS").unpackDirectory(new File("target/exam")).useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                editConfigurationFilePut("etc/system.properties", "mosaic.http.port", Integer.toString(freePort())),
                editConfigurationFilePut("etc/system.properties", "mosaic.dicom.port", Integer.toString(freePort())),
                editConfigurationFilePut("etc/system.properties", "mosaic.data", "${karaf.data}/mosaic"),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(freePort())),
                systemProperty("org.ops4j.pax.url.mvn.localRepository")
                        .value(System.getProperty("org.ops4j.pax.url.mvn.localRepository", "")),
                // on a loaded machine the test probe's invoker may take longer than Pax Exam's 10 s to appear
                systemProperty("org.ops4j.pax.exam.raw.extender.intern.Parser.DEFAULT_TIMEOUT").value("180000"),
                // the plugin as `mvn package` made it
                bundle(new File(System.getProperty("plugin.jar")).toURI().toString()),
                // what bin/karaf passes on Java 9+
                vmOptions("--add-reads=java.xml=java.logging",
                        "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                        "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + KARAF + ".jar",
                        "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + KARAF + ".jar",
                        "--add-opens", "java.base/java.security=ALL-UNNAMED",
                        "--add-opens", "java.base/java.net=ALL-UNNAMED",
                        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                        "--add-opens", "java.base/java.util=ALL-UNNAMED",
                        "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                        "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                        "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"));
    }

    @Test
    public void countsTheInstancesTheArchiveStores() throws Exception {
        for (int i = 0; i < 900 && status("/health") != 200; i++) {
            Thread.sleep(100);  // the archive answers 200 once booted with its index and storage up
        }
        assertEquals("GET /health", 200, status("/health"));
        awaitCount("{\"count\":0}");

        IngestService ingest = service(IngestService.class);
        for (int i = 1; i <= 2; i++) {
            IngestResult result = ingest.ingest(new ByteArrayInputStream(instance("1.2.826.0.1.3680043.10.1077.1." + i)),
                    new Origin("RESEARCH", "MOSAIC", ""));
            assertEquals(IngestResult.Outcome.STORED, result.outcome());
        }

        awaitCount("{\"count\":2}");
    }

    private void awaitCount(String expected) throws InterruptedException {
        String last = "";
        for (int i = 0; i < 600 && !last.equals(expected); i++) {
            last = get("/plugins/${artifactId}/count");
            Thread.sleep(100);
        }
        assertEquals(expected, last);
    }

    private static int status(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://localhost:"
                    + System.getProperty("mosaic.http.port") + path).openConnection();
            int status = c.getResponseCode();
            c.disconnect();
            return status;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String get(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://localhost:"
                    + System.getProperty("mosaic.http.port") + path).openConnection();
            try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
                return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return e.toString();
        }
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        T service = tracker.waitForService(60_000);
        if (service == null) {
            throw new AssertionError("no " + type.getName() + " in the archive");
        }
        return service;
    }

    private static byte[] instance(String sop) throws IOException {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1077");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1077.1");
        ds.setString(Tag.PatientName, VR.PN, "TEST^PLUGIN");
        ds.setString(Tag.PatientID, VR.LO, "PLUGIN-1");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(buf)) {
            out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation(UID.CTImageStorage, sop,
                    UID.ExplicitVRLittleEndian));
            out.writeDataset(ds);
        }
        return buf.toByteArray();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
