package org.mosaicpacs.dimse.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.plugin.IngestInterception;
import org.mosaicpacs.api.plugin.QueryRetrieveInterception;
import org.mosaicpacs.api.plugin.Verdict;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.dimse.Status;

/**
 * The plugins' hooks as DCMTK's tools meet them, through the real archive (ingest, Derby in memory, file storage)
 * behind the AE: storescu receives the status and Error Comment an interceptor refused an instance with; findscu
 * the status a query hook refused a query with, and the matches of a query it restricted; getscu and movescu a
 * refused retrieve, with nothing sent. The interceptions are implementations of the plugin API's services, as the
 * plugin runtime offers them.
 */
@Timeout(180)
class PluginHooksTest {

    private static final String STUDY_OPEN = "1.2.826.0.1.3680043.9.7433.71";
    private static final String STUDY_EMBARGOED = "1.2.826.0.1.3680043.9.7433.72";

    @TempDir
    Path temp;

    private ArchiveAE ae;
    private final List<String> retrievesAsked = new CopyOnWriteArrayList<>();
    private final List<Origin> origins = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (ae != null) {
            ae.close();
        }
    }

    /** Refuses patient-level queries, restricts study-level ones to patient P-1, refuses the embargoed study. */
    private final QueryRetrieveInterception policy = new QueryRetrieveInterception() {
        @Override
        public QueryResult beforeQuery(QueryLevel level, Attributes keys, Origin origin) {
            origins.add(origin);
            if (level == QueryLevel.PATIENT) {
                return new QueryResult(Verdict.reject(Status.NotAuthorized, "no patient-level queries"), keys, "policy");
            }
            Attributes copy = new Attributes(keys);
            copy.setString(Tag.PatientID, VR.LO, "P-1");
            return new QueryResult(Verdict.coerced(), copy, "");
        }

        @Override
        public RetrieveResult beforeRetrieve(String study, String series, String sop, Origin origin, String destination) {
            retrievesAsked.add(study + "|" + series + "|" + sop + "|" + destination);
            return STUDY_EMBARGOED.equals(study)
                    ? new RetrieveResult(Verdict.reject(Status.NotAuthorized, "study under embargo"), "policy")
                    : new RetrieveResult(Verdict.accept(), "");
        }
    };

    /** Renames the patient of P-1 instances; refuses those of P-QUOTA with A700. */
    private static final IngestInterception INTERCEPTION = (dataset, origin) -> {
        if ("P-QUOTA".equals(dataset.getString(Tag.PatientID))) {
            return new IngestInterception.Result(Verdict.reject(Status.OutOfResources, "quota of P-QUOTA exhausted"),
                    dataset, "quota");
        }
        Attributes copy = new Attributes(dataset);
        copy.setString(Tag.PatientName, VR.PN, "Renamed^ByPlugin");
        return new IngestInterception.Result(Verdict.coerced(), copy, "");
    };

    private RealArchive archive(Map<String, Connection> destinations) throws Exception {
        RealArchive archive = new RealArchive(temp.resolve("archive"));
        Method bind = archive.ingest.getClass().getDeclaredMethod("bindInterception", IngestInterception.class);
        bind.setAccessible(true);
        bind.invoke(archive.ingest, INTERCEPTION);
        ae = new ArchiveAE(archive.settings(destinations), NetworkSettings.DEFAULT, () -> archive.ingest,
                () -> archive.index, archive.backends::get, () -> archive.remoteAEs, () -> null, () -> policy);
        return archive;
    }

    private static Attributes image(String patientId, String study, int number) {
        Attributes ds = RealArchive.image(study, study + ".1", study + ".1." + number);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        return ds;
    }

    private static void assumeTool(String tool) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/" + tool)), tool + " is not installed");
    }

    @Test
    void storescuReceivesTheStatusAndCommentAnInterceptorRefusedWith() throws Exception {
        assumeTool("storescu");
        RealArchive archive = archive(Map.of());
        Path in = temp.resolve("in");
        Path accepted = RealArchive.write(in, image("P-1", STUDY_OPEN, 1));
        Path refused = RealArchive.write(in, image("P-QUOTA", STUDY_EMBARGOED, 1));

        TestArchive.Result r = TestArchive.run(60, "/usr/bin/storescu", "-d", "-aec", "MOSAIC", "127.0.0.1",
                String.valueOf(ae.port()), accepted.toString(), refused.toString());

        String out = r.output();
        assertTrue(out.contains("0xa700") || out.contains("0xA700") || out.contains("42752"),
                "storescu shows the plugin's status A700:\n" + out);
        assertTrue(out.contains("quota of P-QUOTA exhausted"), "and its comment as Error Comment:\n" + out);
        assertEquals(0, archive.index.locate(STUDY_EMBARGOED, null, null).size(), "the refused one is not indexed");
        assertEquals(1, archive.storage.list(o -> true), "only the accepted one is stored");
        assertEquals("Renamed^ByPlugin", patientName(archive, STUDY_OPEN), "the coerced name is indexed");
    }

    @Test
    void findscuGetsTheRefusalAndTheMatchesOfTheRestrictedQuery() throws Exception {
        assumeTool("findscu");
        RealArchive archive = archive(Map.of());
        ingest(archive, image("P-1", STUDY_OPEN, 1));
        ingest(archive, image("P-2", STUDY_EMBARGOED, 1));

        TestArchive.Result refused = TestArchive.run(60, "/usr/bin/findscu", "-d", "-P", "-aec", "MOSAIC", "-k",
                "QueryRetrieveLevel=PATIENT", "-k", "PatientID=*", "127.0.0.1", String.valueOf(ae.port()));
        assertTrue(refused.output().contains("0x0124") || refused.output().contains("Refused: NotAuthorized")
                        || refused.output().contains("# 2, 1 Status") && refused.output().contains("292"),
                "findscu shows the status 0124:\n" + refused.output());
        assertTrue(refused.output().contains("no patient-level queries"), refused.output());
        assertTrue(!refused.output().contains("P-2"), "no match was sent:\n" + refused.output());

        Path out = Files.createDirectories(temp.resolve("find"));
        TestArchive.run(60, "/usr/bin/findscu", "-S", "-aec", "MOSAIC", "-X", "-od", out.toString(), "-k",
                "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID", "-k", "PatientID", "127.0.0.1",
                String.valueOf(ae.port()));
        List<String> studies = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                try (var dis = new org.mosaicpacs.dicom.io.DicomInputStream(f)) {
                    dis.readFileMetaInformation();
                    studies.add(dis.readDataset().getString(Tag.StudyInstanceUID));
                }
            }
        }
        assertEquals(List.of(STUDY_OPEN), studies, "the hook restricted the query to P-1");
        assertEquals("FINDSCU", origins.get(0).callingAETitle());
        assertEquals("MOSAIC", origins.get(0).calledAETitle());
    }

    @Test
    void getscuAndMovescuOfARefusedStudyGetItsStatusAndNothingIsSent() throws Exception {
        assumeTool("getscu");
        assumeTool("movescu");
        // nobody listens there: a refused C-MOVE must not even try to connect
        RealArchive archive = archive(Map.of("NOWHERE", new Connection("127.0.0.1", 9)));
        ingest(archive, image("P-1", STUDY_OPEN, 1));
        ingest(archive, image("P-1", STUDY_EMBARGOED, 1));
        ingest(archive, image("P-1", STUDY_EMBARGOED, 2));

        Path got = Files.createDirectories(temp.resolve("get"));
        TestArchive.Result get = TestArchive.run(60, "/usr/bin/getscu", "-d", "-S", "-aec", "MOSAIC", "-od",
                got.toString(), "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + STUDY_EMBARGOED,
                "127.0.0.1", String.valueOf(ae.port()));
        assertTrue(get.output().contains("study under embargo"), "getscu shows the Error Comment:\n" + get.output());
        try (Stream<Path> files = Files.list(got)) {
            assertEquals(0, files.count(), "nothing was sent");
        }

        TestArchive.Result move = TestArchive.run(60, "/usr/bin/movescu", "-d", "-S", "-aec", "MOSAIC", "-aem",
                "NOWHERE", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + STUDY_EMBARGOED, "-k",
                "SeriesInstanceUID=" + STUDY_EMBARGOED + ".1", "127.0.0.1", String.valueOf(ae.port()));
        assertTrue(move.output().contains("study under embargo"), "movescu shows the Error Comment:\n" + move.output());
        assertTrue(!move.output().contains("Connection refused") && !move.output().contains("cannot connect"),
                move.output());
        assertTrue(retrievesAsked.contains(STUDY_EMBARGOED + "|" + STUDY_EMBARGOED + ".1||NOWHERE"),
                "the hook saw the series and the destination: " + retrievesAsked);

        // a study the hook accepts is sent as before
        TestArchive.run(60, "/usr/bin/getscu", "-S", "-aec", "MOSAIC", "-od", got.toString(), "-k",
                "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + STUDY_OPEN, "127.0.0.1",
                String.valueOf(ae.port()));
        try (Stream<Path> files = Files.list(got)) {
            assertEquals(1, files.count(), "the open study's instance arrived");
        }
        assertTrue(retrievesAsked.contains(STUDY_OPEN + "|||"), retrievesAsked.toString());
    }

    private static void ingest(RealArchive archive, Attributes ds) throws Exception {
        Path f = RealArchive.write(archive.dir.resolve("in"), ds);
        IngestResult r = archive.ingest.ingest(f, new Origin("TEST", "MOSAIC", ""));
        assertEquals(IngestResult.Outcome.STORED, r.outcome(), r.message());
    }

    private static String patientName(RealArchive archive, String study) throws Exception {
        Attributes keys = new Attributes();
        keys.setString(Tag.StudyInstanceUID, VR.UI, study);
        keys.setNull(Tag.PatientName, VR.PN);
        List<Attributes> matches = new ArrayList<>();
        archive.index.query(QueryRequest.of(QueryLevel.STUDY, keys), matches::add);
        return matches.get(0).getString(Tag.PatientName);
    }
}
