package org.mosaicpacs.dicom.tool;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.json.DicomJsonArrayWriter;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.DimseFuture;
import org.mosaicpacs.dicom.net.dimse.DimseResponse;
import org.mosaicpacs.dicom.net.dimse.Status;

/** {@code find -c AET@host:port -L LEVEL -m Key=Value -r Key}: C-FIND, each match printed. */
final class FindVerb implements Verb {

    @Override
    public String name() {
        return "find";
    }

    @Override
    public String summary() {
        return "query a peer with C-FIND and print the matches";
    }

    @Override
    public String help() {
        return "usage: mosaic-dicom find -c AET@host:port [-L LEVEL] [-M MODEL] [-m KEY=VALUE]... [-r KEY]...\n"
                + "                         [--json] [options]\n"
                + "\n"
                + "Sends a C-FIND-RQ with the identifier made of Query/Retrieve Level, the matching keys and\n"
                + "the return keys (the unique key of the level is always returned), and prints each match as\n"
                + "it arrives: a dump (as mosaic-dicom dump) and a last line with the count and status, or\n"
                + "with --json one DICOM JSON array. Exit status 1 unless the final status is Success.\n"
                + "\n"
                + "  -c AET@host:port        the peer (called AE title, host, port)\n"
                + "  -b OURAET               our (calling) AE title, default " + NetOptions.DEFAULT_AET + "\n"
                + Keys.HELP
                + "  -r KEY                  a return key (repeatable), as KEY of -m\n"
                + "  --json                  the matches as a DICOM JSON array (PS3.18 Annex F)\n"
                + NetOptions.HELP;
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        Args a = new Args(args, NetOptions.with(NetOptions.FLAGS, "--json"),
                NetOptions.with(NetOptions.WITH_VALUE, "-L", "-M", "-m", "-r"));
        a.operands(0, "");
        Attributes keys = Keys.identifier(a, true);
        String cuid = Keys.model(a, "Find");
        boolean json = a.has("--json");
        try (NetOptions net = new NetOptions(a)) {
            NetOptions.Address peer = net.called();
            long t0 = System.nanoTime();
            try (DimseAssociation as = Scu.connect(net, Scu.request(net).addContext(cuid), null)) {
                BlockingQueue<Attributes> matches = new LinkedBlockingQueue<>();
                DimseFuture f;
                try {
                    f = as.cfind(cuid, Commands.MEDIUM, keys, matches::add);
                } catch (IOException e) {
                    throw Scu.failure(peer, e);
                }
                int count = 0;
                Writer w = new OutputStreamWriter(console.out, StandardCharsets.UTF_8);
                DicomJsonArrayWriter array = json ? new DicomJsonArrayWriter(new DicomJsonWriter(w, "  ")) : null;
                while (!f.isDone() || !matches.isEmpty()) {
                    Attributes match = matches.poll(50, TimeUnit.MILLISECONDS);
                    if (match == null) {
                        continue;
                    }
                    count++;
                    if (json) {
                        array.write(match);
                    } else {
                        console.out.println("C-FIND match #" + count + ":");
                        DumpVerb.dump(console.out, match, "", 64);
                        console.out.println();
                    }
                }
                DimseResponse rsp;
                try {
                    rsp = f.await();
                } catch (IOException e) {
                    throw Scu.failure(peer, e);
                }
                if (json) {
                    array.close();
                    w.write('\n');
                    w.flush();
                } else {
                    console.out.printf("%d matches from %s, status %s, in %d ms%n", count, peer,
                            Status.toString(rsp.status()), (System.nanoTime() - t0) / 1_000_000);
                }
                if (!Status.isSuccess(rsp.status())) {
                    console.err.println(Main.NAME + ": " + peer + ": C-FIND failed: status "
                            + Status.toString(rsp.status()) + EchoVerb.errorComment(rsp));
                    return 1;
                }
                EchoVerb.release(as, peer);
            }
        }
        return 0;
    }
}
