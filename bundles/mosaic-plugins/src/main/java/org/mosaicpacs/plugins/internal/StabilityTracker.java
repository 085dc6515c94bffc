package org.mosaicpacs.plugins.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.mosaicpacs.api.plugin.SeriesStable;
import org.mosaicpacs.api.plugin.StudyStable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The series and studies that received instances and are not yet stable, kept in memory and in a small
 * text file (one line each, written to a temporary file and moved into place), so that a restart does not
 * lose them. {@link #stored} is cheap (the ingest thread calls it); {@link #flush} and {@link #due} run on
 * the runtime's timer. Delivery is at least once: an event fired just before a crash, before the file was
 * written again, fires again after the restart.
 */
final class StabilityTracker {

    private static final Logger LOG = LoggerFactory.getLogger(StabilityTracker.class);

    /** A series (series UID set) or a study (series UID empty) waiting to become stable. */
    record Pending(String study, String series, long lastStoredMillis, int count) {
    }

    /** What became stable at one tick. */
    record Due(List<SeriesStable> series, List<StudyStable> studies) {
    }

    private final Path file;
    private final Duration seriesQuiet;
    private final Duration studyQuiet;
    private final Map<String, Pending> series = new ConcurrentHashMap<>();
    private final Map<String, Pending> studies = new ConcurrentHashMap<>();
    private volatile boolean dirty;

    StabilityTracker(Path file, Duration seriesQuiet, Duration studyQuiet) {
        this.file = file;
        this.seriesQuiet = seriesQuiet;
        this.studyQuiet = studyQuiet;
        load();
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length != 5) {
                    continue;
                }
                Pending p = new Pending(f[1], f[2].equals("-") ? "" : f[2], Long.parseLong(f[3]), Integer.parseInt(f[4]));
                if (f[0].equals("series")) {
                    series.put(p.series(), p);
                } else if (f[0].equals("study")) {
                    studies.put(p.study(), p);
                }
            }
            LOG.info("{} series and {} studies wait to become stable (from {})", series.size(), studies.size(), file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read the pending series and studies from {}; starting without them", file, e);
        }
    }

    /** An instance of that series was stored now. */
    void stored(String studyUID, String seriesUID, Instant now) {
        long t = now.toEpochMilli();
        series.merge(seriesUID, new Pending(studyUID, seriesUID, t, 1),
                (old, n) -> new Pending(studyUID, seriesUID, Math.max(old.lastStoredMillis(), t), old.count() + 1));
        studies.merge(studyUID, new Pending(studyUID, "", t, 1),
                (old, n) -> new Pending(studyUID, "", Math.max(old.lastStoredMillis(), t), old.count() + 1));
        dirty = true;
    }

    /** Takes out what has been quiet long enough at {@code now}. */
    Due due(Instant now) {
        long t = now.toEpochMilli();
        List<SeriesStable> stableSeries = new ArrayList<>();
        for (Pending p : List.copyOf(series.values())) {
            if (p.lastStoredMillis() + seriesQuiet.toMillis() <= t && series.remove(p.series(), p)) {
                stableSeries.add(new SeriesStable(p.study(), p.series(), Instant.ofEpochMilli(p.lastStoredMillis()), p.count()));
            }
        }
        List<StudyStable> stableStudies = new ArrayList<>();
        for (Pending p : List.copyOf(studies.values())) {
            if (p.lastStoredMillis() + studyQuiet.toMillis() <= t && studies.remove(p.study(), p)) {
                stableStudies.add(new StudyStable(p.study(), Instant.ofEpochMilli(p.lastStoredMillis()), p.count()));
            }
        }
        if (!stableSeries.isEmpty() || !stableStudies.isEmpty()) {
            dirty = true;
        }
        return new Due(stableSeries, stableStudies);
    }

    int pendingSeries() {
        return series.size();
    }

    int pendingStudies() {
        return studies.size();
    }

    /** Writes the file when something changed since the last write. */
    void flush() {
        if (!dirty) {
            return;
        }
        dirty = false;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                for (Pending p : series.values()) {
                    w.write("series\t" + p.study() + "\t" + p.series() + "\t" + p.lastStoredMillis() + "\t" + p.count() + "\n");
                }
                for (Pending p : studies.values()) {
                    w.write("study\t" + p.study() + "\t-\t" + p.lastStoredMillis() + "\t" + p.count() + "\n");
                }
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            dirty = true;
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
