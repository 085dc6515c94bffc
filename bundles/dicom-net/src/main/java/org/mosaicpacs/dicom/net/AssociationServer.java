package org.mosaicpacs.dicom.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a {@link Connection} of a {@link Device} and runs an acceptor-side {@link Association}
 * for each incoming transport connection, negotiated by an {@link AssociationAcceptor}.
 *
 * <p>With {@link Connection#isTls()} the server socket is a TLS one (handshake on the association's
 * reader task, bounded by the ARTIM timer).
 *
 * <p>The executor runs the accept loop and one reader task per association, so it must be able to run
 * that many tasks at once (for example a cached thread pool); the scheduler runs the timers.
 */
public final class AssociationServer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AssociationServer.class);

    private final Device device;
    private final Connection connection;
    private final AssociationHandler handler;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Set<Association> associations = ConcurrentHashMap.newKeySet();
    private volatile UserIdentityNegotiator userIdentityNegotiator;
    private volatile ServerSocket serverSocket;

    /**
     * @param device the local device, with its application entities
     * @param connection the connection to listen on (port 0: an ephemeral port)
     * @param handler receives P-DATA and events of every association
     * @param executor runs the accept loop and the reader task of each association
     * @param scheduler runs the timers
     */
    public AssociationServer(Device device, Connection connection, AssociationHandler handler, Executor executor,
            ScheduledExecutorService scheduler) {
        this.device = Objects.requireNonNull(device, "device");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** @param negotiator checks user identities, or {@code null} to ignore them */
    public void setUserIdentityNegotiator(UserIdentityNegotiator negotiator) {
        this.userIdentityNegotiator = negotiator;
    }

    /**
     * Binds the listening socket and starts accepting.
     *
     * @throws IOException if binding fails or TLS is requested
     */
    public synchronized void start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("already started");
        }
        ServerSocket ss = connection.isTls() ? Tls.serverSocket(connection) : new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getByName(connection.getHostname()), connection.getPort()), 50);
        serverSocket = ss;
        LOG.info("{} listening on {}", device, ss.getLocalSocketAddress());
        executor.execute(() -> acceptLoop(ss));
    }

    /** @return the bound port, or -1 if not started */
    public int getLocalPort() {
        ServerSocket ss = serverSocket;
        return ss == null ? -1 : ss.getLocalPort();
    }

    /** @return the number of associations currently open (including those being negotiated) */
    public int activeAssociations() {
        return associations.size();
    }

    /** @return a snapshot of the open associations */
    public Set<Association> associations() {
        return Set.copyOf(associations);
    }

    private void acceptLoop(ServerSocket ss) {
        while (!ss.isClosed()) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException e) {
                if (!ss.isClosed()) {
                    LOG.warn("accept failed", e);
                }
                continue;
            }
            try {
                AssociationAcceptor acceptor = new AssociationAcceptor(device, connection, userIdentityNegotiator);
                Association as = Association.accept(s, connection, acceptor, () -> associations.size() - 1,
                        new TrackingHandler(handler), executor, scheduler);
                associations.add(as);
                as.startReading();
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not start an association on {}", s.getRemoteSocketAddress(), e);
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing left to do
                }
            }
        }
    }

    /**
     * Stops listening and aborts the open associations.
     */
    @Override
    public void close() {
        ServerSocket ss = serverSocket;
        if (ss != null) {
            try {
                ss.close();
            } catch (IOException e) {
                LOG.debug("closing the server socket failed", e);
            }
        }
        associations.forEach(Association::abort);
    }

    /** Keeps the set of open associations in step with their life cycle. */
    private final class TrackingHandler implements AssociationHandler {
        private final AssociationHandler delegate;

        TrackingHandler(AssociationHandler delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onEstablished(Association association) {
            delegate.onEstablished(association);
        }

        @Override
        public void onPData(Association association, int presentationContextId, boolean command, boolean last,
                java.nio.ByteBuffer fragment) throws IOException {
            delegate.onPData(association, presentationContextId, command, last, fragment);
        }

        @Override
        public void onReleaseRequest(Association association) throws IOException {
            delegate.onReleaseRequest(association);
        }

        @Override
        public void onClosed(Association association) {
            associations.remove(association);
            delegate.onClosed(association);
        }
    }
}
