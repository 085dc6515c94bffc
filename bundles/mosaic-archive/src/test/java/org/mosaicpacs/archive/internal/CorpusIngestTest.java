package org.mosaicpacs.archive.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicatePolicy;
import org.mosaicpacs.api.ingest.IngestResult;
import org.mosaicpacs.api.ingest.Origin;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.index.derby.internal.DerbyArchiveIndex;
import org.mosaicpacs.index.derby.internal.DerbyIndexConfiguration;
import org.mosaicpacs.storage.fs.internal.FsStorageBackend;
import org.mosaicpacs.storage.fs.internal.FsStorageConfiguration;

/**
 * The whole test corpus (folder in {@code MOSAIC_CORPUS}; skipped without it), each file ingested from a
 * stream and from a file into two archives: the same outcome both ways, what is acknowledged stored byte
 * for byte, and what is refused leaves nothing.
 */
class CorpusIngestTest {

    private static final Origin ORIGIN = new Origin("CORPUS", "MOSAIC", "");

    @TempDir
    Path temp;

    private record Archive(IngestPipeline pipeline, StorageBackend storage) {
    }

    private Archive archive(String name) throws Exception {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:corpus-" + name);
        dataSource.setCreateDatabase("create");
        ArchiveIndex index = new DerbyArchiveIndex(dataSource,
                IngestPipelineTest.config(DerbyIndexConfiguration.class, Map.of()));
        StorageBackend storage = new FsStorageBackend(IngestPipelineTest.config(FsStorageConfiguration.class,
                Map.of("root", temp.resolve(name).toString(), "fsync", false)));
        IngestPipeline pipeline = new IngestPipeline(new IngestPipeline.Settings("default", DuplicatePolicy.REPLACE,
                true, List.of()), () -> index, id -> storage, List::of, new IngestJournal(temp.resolve(name + "-journal")));
        return new Archive(pipeline, storage);
    }

    @Test
    void streamAndFileGiveTheSameOutcomeAndStoreAsReceived() throws Exception {
        String dir = System.getProperty("MOSAIC_CORPUS", System.getenv("MOSAIC_CORPUS"));
        assumeTrue(dir != null && !dir.isBlank() && Files.isDirectory(Path.of(dir)), "MOSAIC_CORPUS is not set");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(dir))) {
            files = walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".tsv")
                    && !p.getFileName().toString().endsWith(".txt") && !p.getFileName().toString().endsWith(".md"))
                    .sorted().toList();
        }
        Archive fromFile = archive("file");
        Archive fromStream = archive("stream");
        List<String> differences = new ArrayList<>();
        int acknowledged = 0;
        for (Path file : files) {
            IngestResult a = fromFile.pipeline().ingest(file, ORIGIN);
            IngestResult b;
            try (InputStream in = Files.newInputStream(file)) {
                b = fromStream.pipeline().ingest(in, ORIGIN);
            }
            if (a.outcome() != b.outcome()) {
                differences.add(file + ": file " + a.outcome() + " (" + a.message() + "), stream " + b.outcome()
                        + " (" + b.message() + ")");
                continue;
            }
            if (!b.outcome().isAcknowledged()) {
                System.out.println("refused " + Path.of(dir).relativize(file) + ": " + b.outcome() + " " + b.message());
            } else {
                acknowledged++;
                assertArrayEquals(Files.readAllBytes(file), read(fromStream.storage(), b), file.toString());
            }
        }
        assertEquals(List.of(), differences);
        assertTrue(acknowledged > 0, "some of the corpus is stored");
    }

    private static byte[] read(StorageBackend storage, IngestResult result) throws IOException {
        try (InputStream in = storage.read(result.instance().orElseThrow().location().key())) {
            return in.readAllBytes();
        }
    }
}
