package org.mosaicpacs.dicomweb.internal;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.dicom.data.Attributes;
import org.mosaicpacs.dicom.data.BulkData;
import org.mosaicpacs.dicom.data.Tag;
import org.mosaicpacs.dicom.data.VR;
import org.mosaicpacs.dicom.io.DicomInputStream;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WADO-RS metadata of each series, kept as one file per series under a directory, so that
 * {@code /metadata} does not read every stored object on each request. A file holds a first line with the
 * fingerprint of the instances it was built from (SOP Instance UID, storage id, key and size of each), then
 * one line per instance: its SOP Instance UID, a tab, and its DICOM JSON with bulk data as BulkDataURIs
 * relative to the service ({@value #BASE}). A file whose fingerprint no longer matches what the index
 * holds (an instance added, replaced or deleted) is rebuilt on the next request; an
 * {@link org.mosaicpacs.api.ingest.InstanceStoredListener} drops it as soon as an instance arrives.
 */
final class MetadataStore {

    /** Where the service's URL goes in a stored BulkDataURI. */
    static final String BASE = "@@BASE@@";
    private static final String BULK_MEMBER = "\"BulkDataURI\":\"";
    private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

    /** Receives the DICOM JSON of one instance. */
    @FunctionalInterface
    interface Sink {
        void accept(String json) throws IOException;
    }

    private final Path directory;
    private final int bulkDataThreshold;

    MetadataStore(Path directory, int bulkDataThreshold) {
        this.directory = directory;
        this.bulkDataThreshold = bulkDataThreshold;
    }

    /** Drops the metadata of a series (it is rebuilt when next asked for). */
    void invalidate(String study, String series) {
        try {
            Files.deleteIfExists(file(study, series));
        } catch (IOException e) {
            LOG.warn("cannot drop the metadata of series {}: {}", series, e.toString());
        }
    }

    /**
     * The file with the metadata of a series, built or rebuilt first when it is missing or stale.
     *
     * @param instances every instance of the series, as the index has them now
     */
    Path prepare(Archive archive, String study, String series, List<InstanceLocation> instances) throws IOException {
        Path file = file(study, series);
        String fingerprint = fingerprint(instances);
        if (!fresh(file, fingerprint)) {
            build(archive, file, fingerprint, instances);
        }
        return file;
    }

    /**
     * Gives {@code sink} the metadata of the instances in a file from {@link #prepare} (or of one of them).
     *
     * @param only the SOP Instance UID of the one instance wanted, or null for all
     */
    static void forEach(Path file, String only, Sink sink) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                int tab = line.indexOf('\t');
                if (tab < 0) {
                    continue;
                }
                if (only == null || line.regionMatches(0, only, 0, tab) && only.length() == tab) {
                    sink.accept(line.substring(tab + 1));
                }
            }
        }
    }

    /** A stored line with {@code base} (the service's URL) in its BulkDataURIs. */
    static String withBase(String json, String base) {
        return json.replace(BULK_MEMBER + BASE, BULK_MEMBER + base);
    }

    private static boolean fresh(Path file, String fingerprint) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return fingerprint.equals(in.readLine());
        } catch (IOException e) {
            return false;
        }
    }

    private void build(Archive archive, Path file, String fingerprint, List<InstanceLocation> instances)
            throws IOException {
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, "series", ".tmp");
        try {
            try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                out.write(fingerprint);
                out.write('\n');
                for (InstanceLocation i : instances) {
                    out.write(i.sopInstanceUID());
                    out.write('\t');
                    out.write(json(archive, i));
                    out.write('\n');
                }
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** One instance as compact DICOM JSON: large values as BulkDataURIs under {@value #BASE}. */
    String json(Archive archive, InstanceLocation i) throws IOException {
        Attributes ds;
        try {
            ds = read(archive, i, false);
        } catch (StorageException | WebException e) {
            throw e; // the storage failed, not the object: nothing is cached
        } catch (IOException | RuntimeException e) {
            if (archive.deidentified()) {
                // no fallback to the header or to what the index knows: those are not de-identified
                throw new IOException("de-identified instance cannot be read back: " + e, e);
            }
            ds = fallback(archive, i, e);
        }
        return json(ds, i);
    }

    private Attributes fallback(Archive archive, InstanceLocation i, Exception e) throws IOException {
        Attributes ds;
        {
            // an instance the ingest accepted (its header up to Pixel Data) but whose rest does not parse:
            // its header still describes it; if even that fails, what the index knows
            LOG.warn("metadata of instance {}: cannot read it whole ({}); giving its header", i.sopInstanceUID(), e.toString());
            try {
                ds = read(archive, i, true);
            } catch (StorageException | WebException e2) {
                throw e2;
            } catch (IOException | RuntimeException e2) {
                LOG.warn("metadata of instance {}: cannot read its header either ({})", i.sopInstanceUID(), e2.toString());
                ds = new Attributes();
                ds.setString(Tag.SOPClassUID, VR.UI, i.sopClassUID());
                ds.setString(Tag.SOPInstanceUID, VR.UI, i.sopInstanceUID());
                ds.setString(Tag.StudyInstanceUID, VR.UI, i.studyInstanceUID());
                ds.setString(Tag.SeriesInstanceUID, VR.UI, i.seriesInstanceUID());
            }
        }
        return ds;
    }

    private String json(Attributes ds, InstanceLocation i) throws IOException {
        String instanceURI = BASE + "/studies/" + i.studyInstanceUID() + "/series/" + i.seriesInstanceUID()
                + "/instances/" + i.sopInstanceUID() + "/bulkdata/";
        StringWriter text = new StringWriter();
        new DicomJsonWriter(text, null)
                .setBulkDataThreshold(bulkDataThreshold)
                .setBulkDataURIGenerator((dataset, tag, vr, value) -> {
                    if (value instanceof BulkData b) {
                        return instanceURI + b.offset() + "-" + b.length();
                    }
                    return dataset.isRoot() ? instanceURI + String.format("%08X", tag) : null;
                })
                .write(ds);
        return text.toString().replace("\n", "");
    }

    private Attributes read(Archive archive, InstanceLocation i, boolean headerOnly) throws IOException {
        StorageBackend storage = archive.storage(i.location().storageId());
        try (InputStream in = storage.read(i.location().key())) {
            DicomInputStream dis = new DicomInputStream(new BufferedInputStream(in, 65536));
            dis.setBulkDataURI(URI.create("mosaic:stored")).setBulkDataThreshold(bulkDataThreshold);
            dis.readFileMetaInformation();
            return headerOnly ? dis.readDataset(DicomInputStream.STOP_BEFORE_PIXEL_DATA) : dis.readDataset();
        }
    }

    private Path file(String study, String series) {
        return directory.resolve(sha256(study + "/" + series) + ".json");
    }

    static String fingerprint(List<InstanceLocation> instances) {
        List<InstanceLocation> sorted = new ArrayList<>(instances);
        sorted.sort(Comparator.comparing(InstanceLocation::sopInstanceUID));
        StringBuilder sb = new StringBuilder();
        for (InstanceLocation i : sorted) {
            sb.append(i.sopInstanceUID()).append(' ').append(i.location().storageId()).append(' ')
                    .append(i.location().key().value()).append(' ').append(i.location().size()).append('\n');
        }
        return "#" + sha256(sb.toString());
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
