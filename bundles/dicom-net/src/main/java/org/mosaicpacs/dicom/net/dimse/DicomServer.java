package org.mosaicpacs.dicom.net.dimse;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.mosaicpacs.dicom.net.AssociationServer;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Device;

/**
 * A DIMSE acceptor: an {@link AssociationServer} whose associations are {@link DimseAssociation}s
 * serving the requests through a {@link DicomServiceRegistry}.
 */
public final class DicomServer implements Closeable {

    private final AssociationServer server;

    /**
     * @param device the device (AEs with their transfer capabilities)
     * @param connection where to listen (port 0: ephemeral); its response timeout applies to requests
     *     our services send (C-GET sub-operations)
     * @param registry the services
     * @param executor runs the accept loop, one reader per association and the services; a cached pool
     * @param scheduler runs the timers
     */
    public DicomServer(Device device, Connection connection, DicomServiceRegistry registry, Executor executor,
            ScheduledExecutorService scheduler) {
        this.server = new AssociationServer(device, connection,
                DimseAssociation.handler(registry, connection, executor, scheduler), executor, scheduler);
    }

    /** @return the underlying upper-layer server */
    public AssociationServer associationServer() {
        return server;
    }

    /** Binds and starts accepting. @throws IOException if binding fails */
    public void start() throws IOException {
        server.start();
    }

    /** @return the bound port, -1 before start */
    public int getLocalPort() {
        return server.getLocalPort();
    }

    /** Stops listening and aborts the open associations. */
    @Override
    public void close() {
        server.close();
    }
}
