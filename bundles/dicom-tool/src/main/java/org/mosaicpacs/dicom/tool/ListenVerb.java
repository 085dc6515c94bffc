package org.mosaicpacs.dicom.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.UIDDictionary;
import org.mosaicpacs.dicom.net.ApplicationEntity;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Device;
import org.mosaicpacs.dicom.net.TransferCapability;
import org.mosaicpacs.dicom.net.TransferCapability.Role;
import org.mosaicpacs.dicom.net.dimse.DicomServer;
import org.mosaicpacs.dicom.net.dimse.DicomServiceRegistry;

/** {@code listen -b AET@host:port --directory DIR}: a storage SCP (and C-ECHO SCP) until killed. */
final class ListenVerb implements Verb {

    @Override
    public String name() {
        return "listen";
    }

    @Override
    public String summary() {
        return "receive DICOM instances (C-STORE SCP) into a folder until killed";
    }

    @Override
    public String help() {
        return "usage: mosaic-dicom listen -b AET@host:port --directory DIR [options]\n"
                + "\n"
                + "Listens for associations to AET and stores every instance received with C-STORE as\n"
                + "DIR/<SOP Instance UID>.dcm (characters other than digits, letters, '.', '-' and '_'\n"
                + "replaced by '_'), a Part 10 file in the transfer syntax it came in. Accepts C-ECHO and all\n"
                + "storage SOP classes of the dictionary in any transfer syntax (the peer's first proposal).\n"
                + "Prints 'Listening on AET@host:port' and then one line per instance; runs until killed.\n"
                + "\n"
                + "  -b AET@host:port        our AE title and where to listen (AET:port or AET@:port: all\n"
                + "                          addresses; port 0: any free port, printed)\n"
                + "  --directory DIR         where to store (created if missing)\n"
                + "  --tls-no-client-auth    with --tls: do not require a client certificate\n"
                + NetOptions.HELP;
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        Args a = new Args(args, NetOptions.FLAGS, NetOptions.with(NetOptions.WITH_VALUE, "--directory"));
        a.operands(0, "");
        if (a.has("-c")) {
            throw new UsageException("listen takes -b AET@host:port, not -c");
        }
        NetOptions.Address bind = NetOptions.address("-b", a.get("-b"), true);
        String dir = a.get("--directory");
        if (dir == null) {
            throw new UsageException("missing --directory DIR");
        }
        Path directory = Path.of(dir).toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw ToolException.of(directory, e);
        }
        try (NetOptions net = new NetOptions(a)) {
            Connection conn = net.local().setHostname(bind.host()).setPort(bind.port());
            List<String> any = List.of(TransferCapability.ANY);
            ApplicationEntity ae = new ApplicationEntity(bind.aet())
                    .addTransferCapability(new TransferCapability(UID.Verification, Role.SCP, any));
            for (String cuid : UIDDictionary.uids()) {
                if (UIDDictionary.isStorageSOPClass(cuid)) {
                    ae.addTransferCapability(new TransferCapability(cuid, Role.SCP, any));
                }
            }
            Device device = new Device("mosaic-dicom").addConnection(conn).addApplicationEntity(ae);
            DicomServiceRegistry registry = new DicomServiceRegistry().add(new DirectoryStoreSCP(directory, console.out));
            DicomServer server = new DicomServer(device, conn, registry, net.executor(), net.scheduler());
            try {
                server.start();
            } catch (IOException e) {
                throw Scu.failure(bind.host() + ":" + bind.port(), e);
            }
            try {
                console.out.println("Listening on " + bind.aet() + "@" + bind.host() + ":" + server.getLocalPort()
                        + (conn.isTls() ? " (TLS)" : "") + ", storing into " + directory);
                console.out.flush();
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                server.close();
            }
        }
        return 0;
    }
}
