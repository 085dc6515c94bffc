import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.net.Connection;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.DimseResponse;
import org.mosaicpacs.dicom.net.dimse.Status;

/**
 * Study-level C-FIND latency (Study Root) on one association: each request timed from C-FIND-RQ to the final
 * C-FIND-RSP, so that neither a process start nor the association counts. Five kinds of request, in turn, after
 * 20 unmeasured requests of each: Patient ID (single value), Study Instance UID (single value), Patient Name
 * wildcard with a Study Date range, a Patient Name prefix of 10 patients, a Study Date range of a week.
 * Prints p50, p95, mean and matches per kind.
 *
 * <pre>
 * java -cp DICOM_CORE_JAR:DICOM_NET_JAR:SLF4J_API_JAR bench/archive/FindLatency.java HOST PORT AET PATIENTS REPEAT
 * </pre>
 *
 * PATIENTS: how many BENCH-n patients IndexLoader made (n is drawn among them); the study UIDs are those of IndexLoader.
 */
public class FindLatency {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String aet = args[2];
        int patients = Integer.parseInt(args[3]);
        int repeat = Integer.parseInt(args[4]);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "find-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "find-timer");
            t.setDaemon(true);
            return t;
        });
        String cuid = UID.StudyRootQueryRetrieveInformationModelFind;
        Connection local = new Connection().setResponseTimeout(60_000);
        try (DimseAssociation as = DimseAssociation.connect(local, new Connection(host, port),
                new AssociateRQBuilder(aet, "FINDBENCH").addContext(cuid).build(), null, executor, scheduler)) {
            Random random = new Random(42);
            String[] kinds = {"PatientID=BENCH-n", "StudyInstanceUID=uid", "PatientName=BENCH^FIND* StudyDate=range",
                "PatientName=PATIENT^nnnnn* (10 patients)", "StudyDate=a week"};
            // unmeasured requests of every kind first (JIT and Derby's page and statement caches, on both sides):
            // before, the kind measured first also paid for the warm-up of the others
            for (int w = 0; w < 20; w++) {
                for (int k = 0; k < kinds.length; k++) {
                    run(as, cuid, keys(k, random, patients));
                }
            }
            // then the kinds in turn, so that each sees the same machine (the load varies during a run)
            long[][] nanos = new long[kinds.length][repeat];
            long[] matches = new long[kinds.length];
            for (int i = 0; i < repeat; i++) {
                for (int k = 0; k < kinds.length; k++) {
                    Attributes keys = keys(k, random, patients);
                    long t0 = System.nanoTime();
                    matches[k] += run(as, cuid, keys);
                    nanos[k][i] = System.nanoTime() - t0;
                }
            }
            for (int k = 0; k < kinds.length; k++) {
                long[] t = nanos[k];
                Arrays.sort(t);
                System.out.printf("%-45s n=%d p50=%.2f ms p95=%.2f ms mean=%.2f ms matches/request=%.1f%n", kinds[k],
                        repeat, t[repeat / 2] / 1e6, t[(int) (repeat * 0.95)] / 1e6,
                        Arrays.stream(t).average().orElse(0) / 1e6, matches[k] / (double) repeat);
            }
            as.release();
        }
    }

    private static Attributes keys(int kind, Random random, int patients) {
        Attributes k = new Attributes();
        k.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        long p = random.nextInt(patients);
        switch (kind) {
            case 0 -> k.setString(Tag.PatientID, VR.LO, "BENCH-" + (500_000 + p));
            case 1 -> k.setString(Tag.StudyInstanceUID, VR.UI, "2.25.9" + (1_000_000 + 2 * p));
            // PATIENT^50012* matches PATIENT^500120 to PATIENT^500129 (one in 100 is named BENCH^FIND instead)
            case 3 -> k.setString(Tag.PatientName, VR.PN, "PATIENT^" + (50_000 + p / 10) + "*");
            // IndexLoader's dates: year 2010 + n % 16, month 1 + n / 16 % 12, day 1 + n / 192 % 28
            case 4 -> k.setString(Tag.StudyDate, VR.DA, String.format("%04d0101-%04d0107", 2010 + p % 16, 2010 + p % 16));
            default -> {
                k.setString(Tag.PatientName, VR.PN, "BENCH^FIND*");
                k.setString(Tag.StudyDate, VR.DA, "20150101-20151231");
            }
        }
        for (int tag : new int[] {Tag.StudyInstanceUID, Tag.StudyDate, Tag.PatientName, Tag.PatientID, Tag.AccessionNumber,
                Tag.ModalitiesInStudy, Tag.NumberOfStudyRelatedInstances}) {
            if (!k.contains(tag)) {
                k.setNull(tag, tag == Tag.PatientName ? VR.PN : tag == Tag.StudyDate ? VR.DA
                        : tag == Tag.StudyInstanceUID ? VR.UI : tag == Tag.PatientID ? VR.LO : tag == Tag.AccessionNumber
                        ? VR.SH : tag == Tag.ModalitiesInStudy ? VR.CS : VR.IS);
            }
        }
        return k;
    }

    private static int run(DimseAssociation as, String cuid, Attributes keys) throws Exception {
        List<Attributes> matches = new ArrayList<>();
        DimseResponse rsp = as.cfind(cuid, Commands.MEDIUM, keys, matches::add).await();
        if (!Status.isSuccess(rsp.status())) {
            throw new IllegalStateException("C-FIND failed: " + Status.toString(rsp.status()));
        }
        return matches.size();
    }
}
