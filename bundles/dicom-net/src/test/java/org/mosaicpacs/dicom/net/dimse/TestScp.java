package org.mosaicpacs.dicom.net.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.net.ApplicationEntity;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.Device;
import org.mosaicpacs.dicom.net.TransferCapability;
import org.mosaicpacs.dicom.net.TransferCapability.Role;

/**
 * A test archive built on our SCP classes: stores into a folder, answers C-FIND (patient/study/series/
 * image level, exact or * matching) from what it stored, and C-MOVE/C-GET of matching instances.
 */
final class TestScp implements AutoCloseable {

    static final String AET = "MOSAIC";
    static final String[] STORAGE = {UID.CTImageStorage, UID.MRImageStorage, UID.SecondaryCaptureImageStorage};
    static final String[] FIND = {UID.PatientRootQueryRetrieveInformationModelFind,
        UID.StudyRootQueryRetrieveInformationModelFind};
    static final String[] RETRIEVE = {UID.PatientRootQueryRetrieveInformationModelMove,
        UID.StudyRootQueryRetrieveInformationModelMove, UID.PatientRootQueryRetrieveInformationModelGet,
        UID.StudyRootQueryRetrieveInformationModelGet};
    static final String UNKNOWN_CLASS = "1.2.3.4.5.6.7.8.9";
    /** A SOP class whose service throws a RuntimeException. */
    static final String BROKEN_CLASS = "1.2.840.10008.5.1.4.1.1.481.1";
    /** A SOP class whose service sleeps (response timeout tests). */
    static final String SLOW_CLASS = "1.2.840.10008.5.1.4.1.1.481.2";
    /** A SOP class accepted in negotiation but without a service. */
    static final String NO_SERVICE_CLASS = "1.2.840.10008.5.1.4.1.1.481.3";

    final Path folder;
    final Map<String, Path> files = new ConcurrentHashMap<>();
    final List<Attributes> index = new CopyOnWriteArrayList<>();
    final Map<String, Connection> destinations = new ConcurrentHashMap<>();
    final Connection connection;
    final Device device;
    final DicomServiceRegistry registry = new DicomServiceRegistry();
    final DicomServer server;
    volatile long findDelayMillis;
    /** Whether C-FIND answers with matches {@link CFindSCP.Matches#atHand() at hand} (their responses buffered). */
    volatile boolean findAtHand;

    TestScp(Path folder, ExecutorService executor, ScheduledExecutorService scheduler, Connection connection)
            throws IOException {
        this.folder = folder;
        this.connection = connection;
        List<String> any = List.of(TransferCapability.ANY);
        ApplicationEntity ae = new ApplicationEntity(AET).setMaxOperationsPerformed(0).setMaxOperationsInvoked(0)
                .addTransferCapability(new TransferCapability(UID.Verification, Role.SCP, any));
        for (String cuid : STORAGE) {
            ae.addTransferCapability(new TransferCapability(cuid, Role.SCP, any));
            ae.addTransferCapability(new TransferCapability(cuid, Role.SCU, any));
        }
        for (String cuid : FIND) {
            ae.addTransferCapability(new TransferCapability(cuid, Role.SCP, any));
        }
        for (String cuid : RETRIEVE) {
            ae.addTransferCapability(TransferCapability.of(cuid, Role.SCP));
        }
        ae.addTransferCapability(TransferCapability.of(BROKEN_CLASS, Role.SCP));
        ae.addTransferCapability(TransferCapability.of(SLOW_CLASS, Role.SCP));
        ae.addTransferCapability(TransferCapability.of(NO_SERVICE_CLASS, Role.SCP));
        device = new Device("test").addConnection(connection).addApplicationEntity(ae);
        registry.add(new CStoreSCP(folder.resolve("spool"), STORAGE) {
            @Override
            protected int store(DimseAssociation as, int pcid, Attributes command, Path partFile, String ts)
                    throws IOException {
                Attributes ds;
                try (DicomInputStream in = new DicomInputStream(partFile)) {
                    in.readFileMetaInformation();
                    ds = in.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
                }
                String iuid = command.getString(Tag.AffectedSOPInstanceUID);
                if (!iuid.equals(ds.getString(Tag.SOPInstanceUID))) {
                    throw new DicomServiceException(Status.DataSetDoesNotMatchSOPClassError,
                            "SOP Instance UID of the data set differs from the command");
                }
                Path target = folder.resolve(iuid + ".dcm");
                Files.move(partFile, target, StandardCopyOption.REPLACE_EXISTING);
                files.put(iuid, target);
                index.removeIf(a -> iuid.equals(a.getString(Tag.SOPInstanceUID)));
                index.add(ds);
                return Status.Success;
            }
        });
        registry.add(new CFindSCP(FIND) {
            @Override
            protected Iterator<Attributes> query(DimseAssociation as, int pcid, Attributes command,
                    Attributes keys) throws DicomServiceException {
                List<Attributes> result = find(keys);
                Iterator<Attributes> it = result.iterator();
                if (findAtHand) {
                    return new CFindSCP.Matches() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Attributes next() {
                            return it.next();
                        }

                        @Override
                        public DicomServiceException finalFailure() {
                            return null;
                        }

                        @Override
                        public boolean atHand() {
                            return true;
                        }
                    };
                }
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Attributes next() {
                        if (findDelayMillis > 0) {
                            try {
                                Thread.sleep(findDelayMillis);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return it.next();
                    }
                };
            }
        });
        registry.add(new RetrieveSCP(destinations::get, RETRIEVE) {
            @Override
            protected List<Instance> locate(DimseAssociation as, int pcid, Attributes command, Attributes keys) {
                List<Instance> list = new ArrayList<>();
                for (Attributes a : index) {
                    if (matches(a, keys)) {
                        String iuid = a.getString(Tag.SOPInstanceUID);
                        list.add(new Instance(a.getString(Tag.SOPClassUID), iuid, files.get(iuid)));
                    }
                }
                return list;
            }
        });
        registry.add(new DicomService() {
            @Override
            public String[] sopClasses() {
                return new String[] {BROKEN_CLASS};
            }

            @Override
            public void onRequest(DimseAssociation as, int pcid, Dimse dimse, Attributes command, InputStream data) {
                throw new IllegalStateException("broken on purpose");
            }
        });
        registry.add(new DicomService() {
            @Override
            public String[] sopClasses() {
                return new String[] {SLOW_CLASS};
            }

            @Override
            public void onRequest(DimseAssociation as, int pcid, Dimse dimse, Attributes command, InputStream data)
                    throws IOException {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                as.writeResponse(pcid, Commands.mkRSP(command, Status.Success), null);
            }
        });
        server = new DicomServer(device, connection, registry, executor, scheduler);
        server.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The query levels and the attributes that identify an entity on each. */
    private static final Map<String, Integer> LEVEL_KEY = new LinkedHashMap<>();

    static {
        LEVEL_KEY.put("PATIENT", Tag.PatientID);
        LEVEL_KEY.put("STUDY", Tag.StudyInstanceUID);
        LEVEL_KEY.put("SERIES", Tag.SeriesInstanceUID);
        LEVEL_KEY.put("IMAGE", Tag.SOPInstanceUID);
    }

    List<Attributes> find(Attributes keys) throws DicomServiceException {
        String level = keys.getString(Tag.QueryRetrieveLevel);
        Integer unique = level == null ? null : LEVEL_KEY.get(level.strip());
        if (unique == null) {
            throw new DicomServiceException(Status.IdentifierDoesNotMatchSOPClass, "bad Query/Retrieve Level " + level);
        }
        Map<String, Attributes> result = new LinkedHashMap<>();
        for (Attributes a : index) {
            if (!matches(a, keys)) {
                continue;
            }
            String id = a.getString(unique);
            if (id == null || result.containsKey(id)) {
                continue;
            }
            Attributes match = new Attributes();
            for (int tag : keys.tags()) {
                VR vr = keys.getVR(tag);
                if (tag == Tag.QueryRetrieveLevel) {
                    match.setString(tag, vr, level.strip());
                } else if (tag == Tag.SpecificCharacterSet || vr == VR.SQ) {
                    continue;
                } else if (a.contains(tag)) {
                    match.setValue(tag, a.getVR(tag), a.getBytes(tag, false));
                } else {
                    match.setNull(tag, vr);
                }
            }
            result.put(id, match);
        }
        return new ArrayList<>(result.values());
    }

    static boolean matches(Attributes a, Attributes keys) {
        for (int tag : keys.tags()) {
            if (tag == Tag.QueryRetrieveLevel || tag == Tag.SpecificCharacterSet || keys.getVR(tag) == VR.SQ
                    || Tag.isGroupLength(tag)) {
                continue;
            }
            String key = keys.getString(tag);
            if (key == null || key.isEmpty() || key.equals("*")) {
                continue;
            }
            String value = a.getString(tag);
            if (value == null) {
                return false;
            }
            String[] alternatives = keys.getStrings(tag);
            boolean any = false;
            for (String k : alternatives) {
                String regex = "\\Q" + k.replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q") + "\\E";
                any |= value.matches(regex);
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        server.close();
    }

    static Function<String, Connection> none() {
        return aet -> null;
    }
}
