package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.io.DicomParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes incoming DIMSE requests to {@link DicomService}s by SOP class UID, with {@code "*"} as the
 * fallback, and writes the response when a service throws or returns without one. A C-ECHO SCP for
 * the Verification SOP class is registered from the start. Thread safe.
 */
public final class DicomServiceRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(DicomServiceRegistry.class);

    /** The key of the fallback service. */
    public static final String ANY = "*";

    /** The built-in C-ECHO SCP: answers Success. */
    public static final DicomService ECHO = new DicomService() {
        @Override
        public String[] sopClasses() {
            return new String[] {UID.Verification};
        }

        @Override
        public void onRequest(DimseAssociation as, int pcid, Dimse dimse, Attributes command, InputStream data)
                throws IOException {
            if (dimse != Dimse.C_ECHO_RQ) {
                throw new DicomServiceException(Status.UnrecognizedOperation, dimse + " on Verification");
            }
            as.writeResponse(pcid, Commands.mkRSP(command, Status.Success), null);
        }
    };

    private final Map<String, DicomService> services = new ConcurrentHashMap<>();

    /** A registry with the C-ECHO SCP. */
    public DicomServiceRegistry() {
        add(ECHO);
    }

    /** @param service a service, replacing the ones of its SOP classes @return this */
    public DicomServiceRegistry add(DicomService service) {
        for (String cuid : service.sopClasses()) {
            services.put(cuid, service);
        }
        return this;
    }

    /** @param service a service to remove from all its SOP classes @return this */
    public DicomServiceRegistry remove(DicomService service) {
        services.values().removeIf(s -> s == service);
        return this;
    }

    /**
     * @param sopClassUid a SOP class UID
     * @return its service, else the {@code "*"} service, else {@code null}
     */
    public DicomService lookup(String sopClassUid) {
        DicomService s = sopClassUid == null ? null : services.get(sopClassUid);
        return s != null ? s : services.get(ANY);
    }

    /**
     * Performs one request (called by {@link DimseAssociation} on a worker) and makes sure a final
     * response is sent. Never throws.
     */
    void dispatch(DimseAssociation as, int pcid, Attributes cmd, InputStream data) {
        Dimse dimse = Commands.dimseOf(cmd);
        int msgId = Commands.messageId(cmd);
        try {
            DicomService service = lookup(Commands.sopClassUid(cmd));
            if (service == null) {
                throw new DicomServiceException(Status.SOPClassNotSupported,
                        "no service for SOP class " + Commands.sopClassUid(cmd));
            }
            service.onRequest(as, pcid, dimse, cmd, data);
            if (as.isPerforming(msgId)) {
                as.writeResponse(pcid, Commands.mkRSP(cmd, Status.Success), null);
            }
        } catch (DicomServiceException e) {
            LOG.info("{}: {} failed: {}", as, Commands.toString(cmd), e.getMessage());
            respond(as, pcid, cmd, e);
        } catch (DicomParseException e) {
            LOG.info("{}: {} has a malformed data set: {}", as, Commands.toString(cmd), e.getMessage());
            respond(as, pcid, cmd, new DicomServiceException(
                    dimse == Dimse.C_STORE_RQ ? Status.CannotUnderstand : Status.IdentifierDoesNotMatchSOPClass, e));
        } catch (IOException e) {
            if (as.isOpen()) {
                LOG.warn("{}: {} failed", as, Commands.toString(cmd), e);
                respond(as, pcid, cmd, new DicomServiceException(Status.ProcessingFailure, e));
            } else {
                LOG.info("{}: {} not completed, association closed: {}", as, Commands.toString(cmd), e.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: {} failed", as, Commands.toString(cmd), e);
            respond(as, pcid, cmd, new DicomServiceException(Status.ProcessingFailure, e));
        } finally {
            if (data != null) {
                try {
                    data.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
            as.endPerforming(msgId);
        }
    }

    private static void respond(DimseAssociation as, int pcid, Attributes cmd, DicomServiceException e) {
        if (!as.isPerforming(Commands.messageId(cmd)) || !as.isOpen()) {
            return;
        }
        try {
            as.writeResponse(pcid, e.fillResponse(Commands.mkRSP(cmd, e.status())), null);
        } catch (IOException | RuntimeException ex) {
            LOG.info("{}: could not send the failure response: {}", as, ex.toString());
        }
    }
}
