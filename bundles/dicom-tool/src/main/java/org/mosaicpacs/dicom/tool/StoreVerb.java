package org.mosaicpacs.dicom.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.TransferSyntax;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.UIDDictionary;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.DimseFuture;
import org.mosaicpacs.dicom.net.dimse.DimseResponse;
import org.mosaicpacs.dicom.net.dimse.Status;

/**
 * {@code store -c AET@host:port FILE|DIR...}: C-STORE of Part 10 files (folders recursively) on one
 * association that proposes every SOP class and transfer syntax of the files.
 */
final class StoreVerb implements Verb {

    /** At most this many presentation contexts fit in an A-ASSOCIATE-RQ. */
    private static final int MAX_CONTEXTS = 128;

    @Override
    public String name() {
        return "store";
    }

    @Override
    public String summary() {
        return "send DICOM files (folders recursively) to a peer with C-STORE";
    }

    @Override
    public String help() {
        return "usage: mosaic-dicom store -c AET@host:port [-b OURAET] [options] FILE|DIR...\n"
                + "\n"
                + "Sends the Part 10 files given, and those in the folders given (recursively), on one\n"
                + "association. It proposes, for each SOP class, a presentation context per transfer syntax of\n"
                + "its files, and one with Explicit and Implicit VR Little Endian. A file whose syntax the peer\n"
                + "did not accept is converted between the uncompressed syntaxes and Deflated; a compressed\n"
                + "file is sent only in its own syntax. Files that are not DICOM Part 10 are skipped (one line\n"
                + "on stderr). Each failure is one line on stderr; a summary line ends the output.\n"
                + "Exit status 1 if any file failed.\n"
                + "\n"
                + "  -c AET@host:port        the peer (called AE title, host, port)\n"
                + "  -b OURAET               our (calling) AE title, default " + NetOptions.DEFAULT_AET + "\n"
                + "  --window N              C-STOREs outstanding at once, if the peer agrees (default 1)\n"
                + NetOptions.HELP;
    }

    /** The header of a file to send. */
    private record Item(Path path, String cuid, String iuid, String tsuid, long size) {
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        Args a = new Args(args, NetOptions.FLAGS, NetOptions.with(NetOptions.WITH_VALUE, "--window"));
        List<String> operands = a.operands();
        if (operands.isEmpty()) {
            throw new UsageException("missing FILE|DIR");
        }
        long window = a.getLong("--window", 1);
        if (window < 1 || window > 65535) {
            throw new UsageException("option --window out of range: " + window);
        }
        try (NetOptions net = new NetOptions(a)) {
            NetOptions.Address peer = net.called();
            List<Item> items = new ArrayList<>();
            int skipped = scan(operands, items, console);
            if (items.isEmpty()) {
                console.out.println("Sent 0 objects: no DICOM files" + (skipped > 0 ? " (" + skipped + " skipped)" : ""));
                return skipped > 0 ? 1 : 0;
            }
            AssociateRQBuilder rq = Scu.request(net);
            propose(rq, items);
            if (window > 1) {
                rq.asyncOperationsWindow((int) window, 1);
            }
            int failed = 0;
            int warnings = 0;
            long bytes = 0;
            long t0 = System.nanoTime();
            try (DimseAssociation as = Scu.connect(net, rq, null)) {
                List<DimseFuture> futures = new ArrayList<>();
                for (Item item : items) {
                    DimseFuture f;
                    try {
                        f = as.cstore(item.path(), Commands.MEDIUM);
                    } catch (IOException e) {
                        if (!as.isOpen()) {
                            throw Scu.failure(peer, e);
                        }
                        f = null;
                        console.err.println(Main.NAME + ": " + item.path() + ": " + uidName(item.cuid())
                                + ": " + ToolException.oneLine(e.getMessage()));
                    }
                    futures.add(f);
                }
                for (int i = 0; i < items.size(); i++) {
                    Item item = items.get(i);
                    DimseFuture f = futures.get(i);
                    if (f == null) {
                        failed++;
                        continue;
                    }
                    DimseResponse rsp;
                    try {
                        rsp = f.await();
                    } catch (IOException e) {
                        failed++;
                        console.err.println(Main.NAME + ": " + item.path() + ": no C-STORE-RSP: "
                                + ToolException.oneLine(e.getMessage()));
                        continue;
                    }
                    int status = rsp.status();
                    if (Status.isSuccess(status)) {
                        bytes += item.size();
                    } else if (Status.isWarning(status)) {
                        warnings++;
                        bytes += item.size();
                        if (console.verbose) {
                            console.err.println(Main.NAME + ": " + item.path() + ": C-STORE warning "
                                    + Status.toString(status) + EchoVerb.errorComment(rsp));
                        }
                    } else {
                        failed++;
                        console.err.println(Main.NAME + ": " + item.path() + ": C-STORE failed: status "
                                + Status.toString(status) + EchoVerb.errorComment(rsp));
                    }
                }
                EchoVerb.release(as, peer);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            int sent = items.size() - failed;
            console.out.printf("Sent %d of %d objects (%s) to %s in %.2f s (%.2f MB/s), %d failed, %d warnings, "
                    + "%d skipped%n", sent, items.size(), size(bytes), peer, seconds,
                    seconds > 0 ? bytes / 1e6 / seconds : 0.0, failed, warnings, skipped);
            return failed > 0 || skipped > 0 ? 1 : 0;
        }
    }

    private static String size(long bytes) {
        return bytes < 10_000 ? bytes + " bytes" : String.format("%.1f MB", bytes / 1e6);
    }

    /** Collects the Part 10 files; returns the number of files skipped. */
    private static int scan(List<String> operands, List<Item> items, Console console) throws ToolException {
        int skipped = 0;
        for (String operand : operands) {
            Path p = Path.of(operand);
            if (!Files.exists(p)) {
                throw new ToolException(p + ": no such file or folder", null);
            }
            List<Path> files;
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                } catch (IOException | java.io.UncheckedIOException e) {
                    throw ToolException.of(p, e);
                }
            } else {
                files = List.of(p);
            }
            for (Path f : files) {
                try {
                    items.add(probe(f));
                } catch (Exception e) {
                    skipped++;
                    console.err.println(Main.NAME + ": " + ToolException.of(f, e).getMessage() + " (skipped)");
                }
            }
        }
        return skipped;
    }

    private static Item probe(Path f) throws IOException {
        try (DicomInputStream in = new DicomInputStream(f)) {
            Attributes fmi = in.readFileMetaInformation();
            if (fmi == null) {
                throw new IOException("not a DICOM Part 10 file (no file meta information)");
            }
            String cuid = fmi.getString(Tag.MediaStorageSOPClassUID);
            String iuid = fmi.getString(Tag.MediaStorageSOPInstanceUID);
            String ts = fmi.getString(Tag.TransferSyntaxUID);
            if (cuid == null || iuid == null || ts == null) {
                throw new IOException("file meta information without SOP Class, SOP Instance or Transfer Syntax UID");
            }
            return new Item(f, cuid, iuid, ts, Files.size(f));
        }
    }

    /**
     * For each SOP class: one context per transfer syntax of its files, and one with Explicit and
     * Implicit VR Little Endian for the files to convert.
     */
    private static void propose(AssociateRQBuilder rq, List<Item> items) throws ToolException {
        Map<String, Set<String>> byClass = new LinkedHashMap<>();
        for (Item item : items) {
            byClass.computeIfAbsent(item.cuid(), k -> new LinkedHashSet<>()).add(item.tsuid());
        }
        int count = 0;
        for (Set<String> syntaxes : byClass.values()) {
            count += syntaxes.size() + 1;
        }
        if (count > MAX_CONTEXTS) {
            throw new ToolException("the files need " + count + " presentation contexts, more than the "
                    + MAX_CONTEXTS + " of one association: send fewer SOP classes or transfer syntaxes at once", null);
        }
        for (Map.Entry<String, Set<String>> e : byClass.entrySet()) {
            boolean convertible = false;
            for (String ts : e.getValue()) {
                rq.addContext(e.getKey(), ts);
                convertible |= !isEncapsulated(ts);
            }
            if (convertible) {
                rq.addContext(e.getKey(), UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);
            }
        }
    }

    /** The keyword of a UID, or the UID. */
    static String uidName(String uid) {
        String k = UIDDictionary.keywordOf(uid);
        return k == null || k.isEmpty() ? uid : k;
    }

    private static boolean isEncapsulated(String ts) {
        try {
            return TransferSyntax.of(ts).isEncapsulated();
        } catch (RuntimeException e) {
            return true;
        }
    }
}
