package org.mosaicpacs.dicom.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;

import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.net.dimse.CStoreSCP;
import org.mosaicpacs.dicom.net.dimse.DimseAssociation;
import org.mosaicpacs.dicom.net.dimse.Status;

/**
 * A C-STORE SCP that keeps each instance as {@code DIR/<SOP Instance UID>.dcm} (of {@code listen} and
 * {@code get}) and prints one line per instance. The name is made safe first: only digits, letters,
 * '.', '-' and '_' are kept, the others become '_', and a name of dots alone or a leading dot is
 * changed, so no UID can name a file outside DIR.
 */
final class DirectoryStoreSCP extends CStoreSCP {

    private final Path directory;
    private final PrintStream out;
    final AtomicInteger received = new AtomicInteger();

    DirectoryStoreSCP(Path directory, PrintStream out) {
        super(directory);
        this.directory = directory;
        this.out = out;
    }

    /** The file name of an instance: the SOP Instance UID made safe, with ".dcm". */
    static String fileName(String iuid) {
        StringBuilder sb = new StringBuilder(iuid.length() + 4);
        for (int i = 0; i < iuid.length() && sb.length() < 128; i++) {
            char c = iuid.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.'
                    || c == '-' || c == '_';
            sb.append(ok ? c : '_');
        }
        if (sb.length() == 0 || sb.charAt(0) == '.') {
            sb.insert(0, '_');
        }
        return sb.append(".dcm").toString();
    }

    @Override
    protected int store(DimseAssociation as, int pcid, Attributes command, Path partFile, String transferSyntax)
            throws IOException {
        String iuid = command.getString(Tag.AffectedSOPInstanceUID);
        String cuid = command.getString(Tag.AffectedSOPClassUID);
        Path target = directory.resolve(fileName(iuid)).normalize();
        if (!directory.equals(target.getParent())) {
            throw new IOException("refused file name for " + iuid);
        }
        Files.move(partFile, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        received.incrementAndGet();
        out.println("Received " + iuid + " " + StoreVerb.uidName(cuid) + " " + StoreVerb.uidName(transferSyntax)
                + " from " + as.remoteAETitle() + " -> " + target);
        out.flush();
        return Status.Success;
    }
}
