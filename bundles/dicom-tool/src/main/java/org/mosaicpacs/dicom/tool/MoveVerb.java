package org.mosaicpacs.dicom.tool;

import java.io.IOException;
import java.util.List;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.DimseResponse;
import org.mosaicpacs.dicom.net.dimse.Status;

/** {@code move -c AET@host:port --dest AET -m Key=Value}: C-MOVE to a third AE (or to us). */
final class MoveVerb implements Verb {

    @Override
    public String name() {
        return "move";
    }

    @Override
    public String summary() {
        return "ask a peer to send instances to an AE with C-MOVE";
    }

    @Override
    public String help() {
        return "usage: mosaic-dicom move -c AET@host:port --dest AET [-L LEVEL] [-M MODEL] [-m KEY=VALUE]...\n"
                + "                         [options]\n"
                + "\n"
                + "Sends a C-MOVE-RQ: the peer sends the matching instances to the AE --dest (which it must\n"
                + "know), and reports the sub-operations. Prints the counts of the final response. Exit\n"
                + "status 1 unless it is Success with no failed sub-operation.\n"
                + "\n"
                + "  -c AET@host:port        the peer (called AE title, host, port)\n"
                + "  -b OURAET               our (calling) AE title, default " + NetOptions.DEFAULT_AET + "\n"
                + "  --dest AET              the Move Destination\n"
                + Keys.HELP
                + NetOptions.HELP;
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        Args a = new Args(args, NetOptions.FLAGS, NetOptions.with(NetOptions.WITH_VALUE, "-L", "-M", "-m", "--dest"));
        a.operands(0, "");
        String dest = a.get("--dest");
        if (dest == null) {
            throw new UsageException("missing --dest AET");
        }
        NetOptions.checkAET("--dest", dest);
        Attributes keys = Keys.identifier(a, false);
        String cuid = Keys.model(a, "Move");
        try (NetOptions net = new NetOptions(a)) {
            NetOptions.Address peer = net.called();
            long t0 = System.nanoTime();
            try (DimseAssociation as = Scu.connect(net, Scu.request(net).addContext(cuid), null)) {
                DimseResponse rsp;
                try {
                    rsp = as.cmove(cuid, Commands.MEDIUM, keys, dest, pending -> {
                        if (console.verbose) {
                            console.err.println(Main.NAME + ": C-MOVE pending " + counts(pending));
                        }
                    }).await();
                } catch (IOException e) {
                    throw Scu.failure(peer, e);
                }
                return report(console, "C-MOVE", peer + " to " + dest, rsp, t0, as, peer);
            }
        }
    }

    static String counts(DimseResponse rsp) {
        int[] c = rsp.subOperations();
        if (c == null) {
            return "no sub-operation counts";
        }
        String s = String.format("completed %d, failed %d, warning %d", Math.max(c[1], 0), Math.max(c[2], 0),
                Math.max(c[3], 0));
        return c[0] > 0 ? s + ", remaining " + c[0] : s;
    }

    /** Prints the final counts; 0 for Success without failures, else 1 (and one line on stderr). */
    static int report(Console console, String op, String what, DimseResponse rsp, long t0, DimseAssociation as,
            Object peer) throws ToolException {
        int status = rsp.status();
        int[] c = rsp.subOperations();
        int failed = c == null ? 0 : Math.max(c[2], 0);
        console.out.printf("%s %s: %s, status %s, in %d ms%n", op, what, counts(rsp), Status.toString(status),
                (System.nanoTime() - t0) / 1_000_000);
        if (!Status.isSuccess(status) || failed > 0) {
            console.err.println(Main.NAME + ": " + peer + ": " + op + " failed: status " + Status.toString(status)
                    + (failed > 0 ? ", " + failed + " sub-operations failed" : "") + EchoVerb.errorComment(rsp));
            return 1;
        }
        EchoVerb.release(as, peer);
        return 0;
    }
}
