package org.mosaicpacs.archive.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryRequest;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;

/**
 * The check run once when the archive starts: does every index row's object exist in its storage
 * backend? Rows without an object are counted and reported, never deleted (an admin decides, with
 * {@code mosaic:check --repair}): they may be on a disk that is not mounted yet.
 */
final class StartupCheck {

    /**
     * What the check found.
     *
     * @param instances       index rows checked
     * @param missing         rows whose object is not in its backend
     * @param notChecked      rows whose backend is not running, or could not be asked
     * @param examples        a few of the missing ones, for the log
     */
    record Result(long instances, long missing, long notChecked, List<String> examples) {

        /** One line for the health report and the log, or empty when all is well. */
        String problem() {
            if (missing == 0 && notChecked == 0) {
                return "";
            }
            StringBuilder sb = new StringBuilder();
            if (missing > 0) {
                sb.append(missing).append(missing == 1 ? " indexed instance has" : " indexed instances have")
                        .append(" no stored object");
            }
            if (notChecked > 0) {
                sb.append(sb.length() > 0 ? ", " : "").append(notChecked).append(" could not be checked");
            }
            return sb.append(" (of ").append(instances).append("; see mosaic:check)").toString();
        }
    }

    private static final int EXAMPLES = 5;

    private final ArchiveIndex index;
    private final Function<String, StorageBackend> backends;
    private final BooleanSupplier stopped;

    StartupCheck(ArchiveIndex index, Function<String, StorageBackend> backends, BooleanSupplier stopped) {
        this.index = index;
        this.backends = backends;
        this.stopped = stopped;
    }

    /** Checks every index row; stops early (with what it counted) when {@code stopped} turns true. */
    Result run() throws IndexException {
        Attributes keys = new Attributes();
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        List<String> studies = new ArrayList<>();
        index.query(QueryRequest.of(QueryLevel.STUDY, keys), match -> {
            String uid = match.getString(Tag.StudyInstanceUID);
            if (uid != null && !uid.isEmpty()) {
                studies.add(uid);
            }
            return true;
        });
        long instances = 0;
        long missing = 0;
        long notChecked = 0;
        List<String> examples = new ArrayList<>();
        for (String study : studies) {
            if (stopped.getAsBoolean()) {
                break;
            }
            for (InstanceLocation i : index.locate(study, null, null)) {
                instances++;
                StorageBackend backend = backends.apply(i.location().storageId());
                try {
                    if (backend == null) {
                        notChecked++;
                    } else if (!backend.exists(i.location().key())) {
                        missing++;
                        if (examples.size() < EXAMPLES) {
                            examples.add(i.sopInstanceUID() + " at " + i.location().storageId() + ":" + i.location().key());
                        }
                    }
                } catch (StorageException | RuntimeException e) {
                    notChecked++;
                }
            }
        }
        return new Result(instances, missing, notChecked, List.copyOf(examples));
    }
}
