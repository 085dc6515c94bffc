package org.mosaicpacs.dicom.net.dimse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.net.ApplicationEntity;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Device;
import org.mosaicpacs.dicom.net.TransferCapability;
import org.mosaicpacs.dicom.net.TransferCapability.Role;

/**
 * DCMTK's storescu sends one file of every transfer syntax of the test corpus (made by
 * {@code make-corpus.py}; folder in the environment variable or system property {@code MOSAIC_CORPUS},
 * skipped when unset) to our SCP, which accepts every transfer syntax, in one association, once with a
 * 16 KiB maximum PDU and once with our SCP advertising 1 MiB (storescu accepts {@code --max-pdu} only
 * in 4096..131072, so it receives at most 128 KiB and sends PDUs as large as it is willing to). Every
 * received data set must equal the original: byte for byte after the file meta information when the
 * transfer syntax is kept, element by element when storescu converted it (uncompressed syntaxes only).
 */
@Timeout(180)
class CorpusStorescuTest {

    static final String AET = "MOSAIC";
    static final Set<String> UNCOMPRESSED = Set.of(UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian,
            UID.ExplicitVRBigEndian, UID.DeflatedExplicitVRLittleEndian);

    @TempDir
    Path tmp;
    ExecutorService executor;
    ScheduledExecutorService scheduler;
    DicomServer server;
    final Map<String, Path> received = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    static Path corpus() {
        String dir = System.getProperty("MOSAIC_CORPUS", System.getenv("MOSAIC_CORPUS"));
        assumeTrue(dir != null && !dir.isBlank(), "MOSAIC_CORPUS is not set");
        Path p = Path.of(dir);
        assumeTrue(Files.isRegularFile(p.resolve("manifest.tsv")), "no manifest.tsv in " + p);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescu")), "storescu is not installed");
        return p;
    }

    /** One file per distinct transfer syntax, outside malformed/, from variants/ first. */
    static Map<String, Path> onePerTransferSyntax(Path corpus, Set<String> sopClasses) throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(corpus.resolve("manifest.tsv"));
        List<String> header = List.of(lines.get(0).split("\t"));
        int path = header.indexOf("path");
        int category = header.indexOf("category");
        int ts = header.indexOf("transfer_syntax");
        int cuid = header.indexOf("sop_class");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f.length > ts && !"malformed".equals(f[category]) && f[ts].startsWith("1.2.840.10008.1.2")) {
                rows.add(f);
            }
        }
        rows.sort((a, b) -> Boolean.compare(!"variants".equals(a[category]), !"variants".equals(b[category])));
        Map<String, Path> picked = new LinkedHashMap<>();
        for (String[] f : rows) {
            if (!picked.containsKey(f[ts])) {
                picked.put(f[ts], corpus.resolve(f[path]));
                sopClasses.add(f[cuid]);
            }
        }
        return picked;
    }

    void startScp(int maxPdu, Set<String> sopClasses) throws IOException {
        List<String> any = List.of(TransferCapability.ANY);
        ApplicationEntity ae = new ApplicationEntity(AET)
                .addTransferCapability(new TransferCapability(UID.Verification, Role.SCP, any));
        for (String cuid : sopClasses) {
            ae.addTransferCapability(new TransferCapability(cuid, Role.SCP, any));
        }
        Connection conn = new Connection("127.0.0.1", 0).setMaxPduLengthReceive(maxPdu).setMaxPduLengthSend(maxPdu);
        Device device = new Device("corpus").addConnection(conn).addApplicationEntity(ae);
        Path store = Files.createDirectories(tmp.resolve("received"));
        DicomServiceRegistry registry = new DicomServiceRegistry().add(new CStoreSCP(tmp.resolve("spool")) {
            @Override
            protected int store(DimseAssociation as, int pcid, Attributes command, Path partFile, String ts)
                    throws IOException {
                String iuid = command.getString(Tag.AffectedSOPInstanceUID);
                Path target = store.resolve(iuid + ".dcm");
                Files.move(partFile, target, StandardCopyOption.REPLACE_EXISTING);
                received.put(iuid, target);
                return Status.Success;
            }
        });
        server = new DicomServer(device, conn, registry, executor, scheduler);
        server.start();
    }

    /** A storescu configuration (profile "Corpus") with one presentation context per SOP class and syntax. */
    Path storescuConfig(Set<String> sopClasses, Set<String> syntaxes) throws IOException {
        StringBuilder sb = new StringBuilder("[[TransferSyntaxes]]\n");
        List<String> ts = new ArrayList<>(syntaxes);
        for (int i = 0; i < ts.size(); i++) {
            sb.append("[TS").append(i).append("]\nTransferSyntax1 = ").append(ts.get(i)).append('\n');
        }
        sb.append("[[PresentationContexts]]\n[Corpus]\n");
        int n = 1;
        for (String cuid : sopClasses) {
            for (int i = 0; i < ts.size(); i++) {
                sb.append("PresentationContext").append(n++).append(" = ").append(cuid).append("\\TS").append(i)
                        .append('\n');
            }
        }
        assertTrue(n <= 129, "more than 128 presentation contexts");
        sb.append("[[Profiles]]\n[Corpus]\nPresentationContexts = Corpus\n");
        return Files.writeString(tmp.resolve("storescu.cfg"), sb);
    }

    @Test
    void everyTransferSyntaxWithSmallPdu() throws Exception {
        run(16384, "--max-pdu", "16384");
    }

    @Test
    void everyTransferSyntaxWithLargePdu() throws Exception {
        // storescu refuses --max-pdu 1048576 (its range is 4096..131072): our SCP advertises 1 MiB and
        // storescu sends with its own limits
        run(1 << 20, "--max-pdu", "131072");
    }

    void run(int ourMaxPdu, String... options) throws Exception {
        Path corpus = corpus();
        Set<String> sopClasses = new TreeSet<>();
        Map<String, Path> files = onePerTransferSyntax(corpus, sopClasses);
        assertTrue(files.size() >= 2, "too few transfer syntaxes in " + corpus);
        startScp(ourMaxPdu, sopClasses);
        // storescu proposes a compressed syntax only when told to, one -x option at a time: a configuration
        // file proposes every (SOP class, transfer syntax) pair of the files, one syntax per context, so that
        // each file goes in its own transfer syntax
        Path cfg = storescuConfig(sopClasses, files.keySet());
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/storescu", "-aec", AET, "--config-file", cfg.toString(),
                "Corpus"));
        cmd.addAll(List.of(options));
        cmd.add("127.0.0.1");
        cmd.add(String.valueOf(server.getLocalPort()));
        files.values().forEach(f -> cmd.add(f.toString()));
        Fixtures.run(120, null, cmd.toArray(String[]::new));
        assertEquals(files.size(), received.size(), "received " + received.keySet());
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            Path original = e.getValue();
            Attributes ds = Fixtures.read(original);
            Path stored = received.get(ds.getString(Tag.SOPInstanceUID));
            assertTrue(stored != null, "not received: " + original);
            String sentTs = e.getKey();
            String storedTs = Fixtures.transferSyntax(stored);
            report.append(sentTs).append(" -> ").append(storedTs).append(' ').append(original.getFileName())
                    .append('\n');
            if (sentTs.equals(storedTs) && !UID.DeflatedExplicitVRLittleEndian.equals(sentTs)) {
                assertArrayEquals(Fixtures.datasetBytes(original), Fixtures.datasetBytes(stored), original.toString());
            } else {
                // storescu re-deflates deflated data sets and may convert between uncompressed syntaxes
                assertTrue(UNCOMPRESSED.contains(sentTs) && UNCOMPRESSED.contains(storedTs),
                        original + " converted from " + sentTs + " to " + storedTs);
                assertEquals("", Fixtures.diff(ds, Fixtures.read(stored)), original.toString());
            }
        }
        System.out.println("storescu " + String.join(" ", options) + ", our max PDU " + ourMaxPdu + ":\n" + report);
    }
}
