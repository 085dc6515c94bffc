package org.mosaicpacs.dicom.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

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
import org.mosaicpacs.dicom.net.dimse.CFindSCP;
import org.mosaicpacs.dicom.net.dimse.DicomServer;
import org.mosaicpacs.dicom.net.dimse.DicomServiceException;
import org.mosaicpacs.dicom.net.dimse.DicomServiceRegistry;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.RetrieveSCP;
import org.mosaicpacs.dicom.net.dimse.Status;

/**
 * A query/retrieve SCP for the tests, built on dicom-net's SCP bases: it serves files given to it,
 * answers C-FIND at the four levels (exact, '*' and '?' matching on single values, lists with '\'),
 * C-MOVE to the destinations it knows and C-GET.
 */
final class TestArchive implements AutoCloseable {

    static final String AET = "ARCHIVE";
    static final String[] FIND = {UID.PatientRootQueryRetrieveInformationModelFind,
        UID.StudyRootQueryRetrieveInformationModelFind};
    static final String[] RETRIEVE = {UID.PatientRootQueryRetrieveInformationModelMove,
        UID.StudyRootQueryRetrieveInformationModelMove, UID.PatientRootQueryRetrieveInformationModelGet,
        UID.StudyRootQueryRetrieveInformationModelGet};
    private static final Map<String, Integer> UNIQUE = Keys.LEVELS;

    final List<Attributes> index = new CopyOnWriteArrayList<>();
    final Map<String, Path> files = new ConcurrentHashMap<>();
    final Map<String, Connection> destinations = new ConcurrentHashMap<>();
    final List<Attributes> queries = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final DicomServer server;

    TestArchive(List<Path> content) throws IOException {
        for (Path f : content) {
            try (DicomInputStream in = new DicomInputStream(f)) {
                in.readFileMetaInformation();
                Attributes ds = in.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA);
                index.add(ds);
                files.put(ds.getString(Tag.SOPInstanceUID), f);
            }
        }
        List<String> any = List.of(TransferCapability.ANY);
        ApplicationEntity ae = new ApplicationEntity(AET)
                .addTransferCapability(new TransferCapability(UID.Verification, Role.SCP, any));
        for (String cuid : FIND) {
            ae.addTransferCapability(new TransferCapability(cuid, Role.SCP, any));
        }
        for (String cuid : RETRIEVE) {
            ae.addTransferCapability(new TransferCapability(cuid, Role.SCP, any));
        }
        for (String cuid : GetVerb.STORAGE) {
            ae.addTransferCapability(new TransferCapability(cuid, Role.SCU, any));
        }
        Connection conn = new Connection("127.0.0.1", 0).setResponseTimeout(20_000);
        Device device = new Device("archive").addConnection(conn).addApplicationEntity(ae);
        DicomServiceRegistry registry = new DicomServiceRegistry()
                .add(new CFindSCP(FIND) {
                    @Override
                    protected Iterator<Attributes> query(DimseAssociation as, int pcid, Attributes rq, Attributes keys)
                            throws DicomServiceException {
                        queries.add(keys);
                        return find(keys).iterator();
                    }
                })
                .add(new RetrieveSCP(destinations::get, RETRIEVE) {
                    @Override
                    protected List<Instance> locate(DimseAssociation as, int pcid, Attributes rq, Attributes keys) {
                        queries.add(keys);
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
        server = new DicomServer(device, conn, registry, executor, scheduler);
        server.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private List<Attributes> find(Attributes keys) throws DicomServiceException {
        String level = keys.getString(Tag.QueryRetrieveLevel);
        Integer unique = level == null ? null : UNIQUE.get(level.strip());
        if (unique == null) {
            throw new DicomServiceException(Status.IdentifierDoesNotMatchSOPClass, "bad level " + level);
        }
        Map<String, Attributes> result = new LinkedHashMap<>();
        for (Attributes a : index) {
            String id = a.getString(unique);
            if (!matches(a, keys) || id == null || result.containsKey(id)) {
                continue;
            }
            Attributes match = new Attributes();
            for (int tag : keys.tags()) {
                VR vr = keys.getVR(tag);
                if (tag == Tag.QueryRetrieveLevel) {
                    match.setString(tag, vr, level.strip());
                } else if (vr == VR.SQ) {
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
            boolean any = false;
            for (String k : keys.getStrings(tag)) {
                any |= value.matches("\\Q" + k.replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q") + "\\E");
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
        executor.shutdownNow();
        scheduler.shutdownNow();
    }
}
