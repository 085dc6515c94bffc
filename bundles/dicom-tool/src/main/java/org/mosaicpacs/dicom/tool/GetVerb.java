package org.mosaicpacs.dicom.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.UID;
import org.mosaicpacs.dicom.net.dimse.AssociateRQBuilder;
import org.mosaicpacs.dicom.net.dimse.Commands;
import org.mosaicpacs.dicom.net.dimse.DicomServiceRegistry;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.DimseResponse;

/** {@code get -c AET@host:port -m Key=Value --directory DIR}: C-GET, instances stored into DIR. */
final class GetVerb implements Verb {

    /** The storage SOP classes proposed with the SCP role by default. */
    static final List<String> STORAGE = List.of(
            UID.CTImageStorage, UID.EnhancedCTImageStorage, UID.MRImageStorage, UID.EnhancedMRImageStorage,
            UID.ComputedRadiographyImageStorage, UID.DigitalXRayImageStorageForPresentation,
            UID.DigitalXRayImageStorageForProcessing, UID.DigitalMammographyXRayImageStorageForPresentation,
            UID.DigitalIntraOralXRayImageStorageForPresentation, UID.BreastTomosynthesisImageStorage,
            UID.UltrasoundImageStorage, UID.UltrasoundMultiFrameImageStorage, UID.SecondaryCaptureImageStorage,
            UID.MultiFrameGrayscaleByteSecondaryCaptureImageStorage,
            UID.MultiFrameGrayscaleWordSecondaryCaptureImageStorage,
            UID.MultiFrameTrueColorSecondaryCaptureImageStorage, UID.NuclearMedicineImageStorage,
            UID.PositronEmissionTomographyImageStorage, UID.EnhancedPETImageStorage,
            UID.XRayAngiographicImageStorage, UID.XRayRadiofluoroscopicImageStorage, UID.RTImageStorage,
            UID.RTDoseStorage, UID.RTStructureSetStorage, UID.RTPlanStorage,
            UID.GrayscaleSoftcopyPresentationStateStorage, UID.KeyObjectSelectionDocumentStorage,
            UID.BasicTextSRStorage, UID.EnhancedSRStorage, UID.ComprehensiveSRStorage,
            UID.XRayRadiationDoseSRStorage, UID.EncapsulatedPDFStorage, UID.VLPhotographicImageStorage,
            UID.VLWholeSlideMicroscopyImageStorage, UID.SegmentationStorage);

    @Override
    public String name() {
        return "get";
    }

    @Override
    public String summary() {
        return "retrieve instances from a peer with C-GET into a folder";
    }

    @Override
    public String help() {
        return "usage: mosaic-dicom get -c AET@host:port --directory DIR [-L LEVEL] [-M MODEL] [-m KEY=VALUE]...\n"
                + "                        [--cuid UID]... [options]\n"
                + "\n"
                + "Sends a C-GET-RQ and stores the instances the peer sends back on the same association as\n"
                + "DIR/<SOP Instance UID>.dcm, one line each. The association proposes the common storage SOP\n"
                + "classes (" + STORAGE.size() + ", with --cuid more) with the SCP role, in Explicit and Implicit VR\n"
                + "Little Endian unless --ts is given. Exit status 1 unless the final status is Success with no\n"
                + "failed sub-operation.\n"
                + "\n"
                + "  -c AET@host:port        the peer (called AE title, host, port)\n"
                + "  -b OURAET               our (calling) AE title, default " + NetOptions.DEFAULT_AET + "\n"
                + "  --directory DIR         where to store (created if missing)\n"
                + Keys.HELP
                + "  --cuid UID              also accept this storage SOP class (UID or keyword; repeatable)\n"
                + "  --ts UID                accept these transfer syntaxes, in order (UID or keyword; repeatable)\n"
                + NetOptions.HELP;
    }

    @Override
    public int run(List<String> args, Console console) throws Exception {
        Args a = new Args(args, NetOptions.FLAGS,
                NetOptions.with(NetOptions.WITH_VALUE, "-L", "-M", "-m", "--directory", "--cuid", "--ts"));
        a.operands(0, "");
        String dir = a.get("--directory");
        if (dir == null) {
            throw new UsageException("missing --directory DIR");
        }
        Attributes keys = Keys.identifier(a, false);
        String cuid = Keys.model(a, "Get");
        Set<String> classes = new LinkedHashSet<>(STORAGE);
        for (String c : a.getAll("--cuid")) {
            classes.add(uid("--cuid", c));
        }
        String[] syntaxes = a.getAll("--ts").isEmpty() ? AssociateRQBuilder.UNCOMPRESSED
                : a.getAll("--ts").stream().map(ts -> uidOrNull(ts)).toArray(String[]::new);
        for (int i = 0; i < syntaxes.length; i++) {
            if (syntaxes[i] == null) {
                throw new UsageException("--ts: unknown transfer syntax '" + a.getAll("--ts").get(i) + "'");
            }
        }
        if (classes.size() > 127) {
            throw new UsageException("at most 127 storage SOP classes fit in one association");
        }
        Path directory = Path.of(dir).toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw ToolException.of(directory, e);
        }
        try (NetOptions net = new NetOptions(a)) {
            NetOptions.Address peer = net.called();
            AssociateRQBuilder rq = Scu.request(net).addContext(cuid);
            for (String c : classes) {
                rq.addStorageForGet(c, syntaxes);
            }
            DirectoryStoreSCP scp = new DirectoryStoreSCP(directory, console.out);
            long t0 = System.nanoTime();
            try (DimseAssociation as = Scu.connect(net, rq, new DicomServiceRegistry().add(scp))) {
                DimseResponse rsp;
                try {
                    rsp = as.cget(cuid, Commands.MEDIUM, keys, pending -> {
                        if (console.verbose) {
                            console.err.println(Main.NAME + ": C-GET pending " + MoveVerb.counts(pending));
                        }
                    }).await();
                } catch (IOException e) {
                    throw Scu.failure(peer, e);
                }
                return MoveVerb.report(console, "C-GET", "from " + peer + " into " + directory, rsp, t0, as, peer);
            }
        }
    }

    private static String uid(String option, String value) throws UsageException {
        String u = uidOrNull(value);
        if (u == null) {
            throw new UsageException(option + ": unknown UID or keyword '" + value + "'");
        }
        return u;
    }

    private static String uidOrNull(String value) {
        if (value.matches("[0-9]+(\\.[0-9]+)*")) {
            return value;
        }
        return org.mosaicpacs.dicom.data.UIDDictionary.forKeyword(value);
    }
}
