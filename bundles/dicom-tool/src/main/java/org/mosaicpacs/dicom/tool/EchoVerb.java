package org.mosaicpacs.dicom.tool;

import java.io.IOException;
import java.util.List;

import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.DimseResponse;
import org.mosaicpacs.dicom.net.dimse.Status;

/** {@code echo -c AET@host:port}: C-ECHO (Verification). */
final class EchoVerb implements Verb {

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String summary() {
        return "verify a DICOM peer with C-ECHO";
    }

    @Override
    public String help() {
        return "usage: mosaic-dicom echo -c AET@host:port [-b OURAET] [options]\n"
                + "\n"
                + "Opens an association to the peer, sends a C-ECHO-RQ and releases. Prints the status and\n"
                + "the round trip time. Exit status 0 if the peer answered Success.\n"
                + "\n"
                + "  -c AET@host:port        the peer (called AE title, host, port)\n"
                + "  -b OURAET               our (calling) AE title, default " + NetOptions.DEFAULT_AET + "\n"
                + NetOptions.HELP;
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        Args a = new Args(args, NetOptions.FLAGS, NetOptions.WITH_VALUE);
        a.operands(0, "");
        try (NetOptions net = new NetOptions(a)) {
            NetOptions.Address peer = net.called();
            long t0 = System.nanoTime();
            try (DimseAssociation as = Scu.connect(net, Scu.request(net).addVerification(), null)) {
                long t1 = System.nanoTime();
                DimseResponse rsp;
                try {
                    rsp = as.cecho();
                } catch (IOException e) {
                    throw Scu.failure(peer, e);
                }
                long t2 = System.nanoTime();
                console.out.printf("C-ECHO %s: status %s in %d ms (association %d ms)%n", peer,
                        Status.toString(rsp.status()), (t2 - t1) / 1_000_000, (t1 - t0) / 1_000_000);
                if (!Status.isSuccess(rsp.status())) {
                    console.err.println(Main.NAME + ": " + peer + ": C-ECHO failed: status "
                            + Status.toString(rsp.status()) + errorComment(rsp));
                    return 1;
                }
                release(as, peer);
            }
        }
        return 0;
    }

    static String errorComment(DimseResponse rsp) {
        String c = rsp.errorComment();
        return c == null || c.isEmpty() ? "" : " (" + ToolException.oneLine(c) + ")";
    }

    /** Releases the association; a failed release is reported like any failure. */
    static void release(DimseAssociation as, Object peer) throws ToolException {
        try {
            as.release();
        } catch (IOException e) {
            throw Scu.failure(peer, e);
        }
    }
}
