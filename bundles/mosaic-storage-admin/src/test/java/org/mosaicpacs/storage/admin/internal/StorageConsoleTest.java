package org.mosaicpacs.storage.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage commands' rules on the real index and backends. The configurations are kept in a list here
 * (ConfigurationAdmin's side is {@link ConfigAdminStorageConfigurations}, run in the distribution).
 */
class StorageConsoleTest {

    /** The configurations as a list, and the archive's write target as a field. */
    static final class Configurations implements StorageConfigurations {
        final List<Configured> configured = new ArrayList<>();
        String writeTarget = "default";
        List<String> rules = List.of();

        @Override
        public List<Configured> configured() {
            return List.copyOf(configured);
        }

        @Override
        public void create(String kind, String name, Map<String, Object> properties) {
            configured.add(new Configured(name, kind, Map.copyOf(properties)));
        }

        @Override
        public boolean delete(String id) {
            return configured.removeIf(c -> c.id().equals(id));
        }

        @Override
        public String writeTarget() {
            return writeTarget;
        }

        @Override
        public List<String> rules() {
            return rules;
        }

        @Override
        public void setWriteTarget(String id) {
            writeTarget = id;
        }
    }

    @TempDir
    Path temp;

    private Fixture f;
    private final Configurations configurations = new Configurations();
    private StorageConsole console;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(temp);
        configurations.create("fs", "default", Map.of("storage.id", "default", "root", "/srv/mosaic/storage"));
        configurations.create("s3", "s3-main", Map.of("storage.id", "s3-main", "bucket", "pacs"));
        console = new StorageConsole(f.index, f.backends(), configurations);
        f.store(f.fs, "1.2.50", "20200101", "1.2.50.1.1", 1000);
        f.store(f.fs, "1.2.50", "20200101", "1.2.50.1.2", 500);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void listShowsKindObjectsBytesAndTheWriteTarget() throws Exception {
        configurations.rules = List.of("Modality=MR -> s3-main");
        assertEquals(List.of(new StorageConsole.Row("default", "fs", true, 2, 1500, "default"),
                        new StorageConsole.Row("s3-main", "s3", true, 0, 0, "Modality=MR")), console.list());
    }

    @Test
    void removeIsRefusedWhileTheIndexRecordsObjectsThereAndAllowedOnceMigrated() throws Exception {
        configurations.writeTarget = "s3-main";
        StorageConsole.Refused refused = assertThrows(StorageConsole.Refused.class, () -> console.remove("default"));
        assertTrue(refused.getMessage().contains("holds 2 indexed objects"), refused.getMessage());
        assertEquals(2, configurations.configured().size(), "nothing deleted");

        new StorageMigration(f.index, f.fs, f.bucket, temp.resolve("j")).run(List.of("1.2.50"),
                (study, n, count, moved, instances) -> { });
        console.remove("default");

        assertEquals(List.of("s3-main"), configurations.configured().stream().map(StorageConfigurations.Configured::id).toList());
        assertEquals("s3-main", f.whereIs("1.2.50", "1.2.50.1.1"));
    }

    @Test
    void removeIsRefusedForTheWriteTargetAndARuleTarget() throws Exception {
        assertThrows(StorageConsole.Refused.class, () -> console.remove("default"));
        configurations.rules = List.of("CallingAETitle=CT1 -> s3-main");
        StorageConsole.Refused r = assertThrows(StorageConsole.Refused.class, () -> console.remove("s3-main"));
        assertTrue(r.getMessage().contains("CallingAETitle=CT1"), r.getMessage());
    }

    @Test
    void useNeedsARunningBackend() throws Exception {
        assertThrows(StorageConsole.Refused.class, () -> console.use("s3-other"));
        console.use("s3-main");
        assertEquals("s3-main", configurations.writeTarget);
    }

    @Test
    void addMakesTheConfigurationAndRefusesWhatCannotWork() throws Exception {
        console.addFileSystem("fs-2", "/srv/other");
        console.addS3("s3-2", "http://127.0.0.1:9000", "b2", "eu-west-1", "AK", "SK", null);
        Map<String, Object> s3 = configurations.configured().stream().filter(c -> c.id().equals("s3-2")).findFirst()
                .orElseThrow().properties();
        assertEquals("SK", s3.get(".secretKey"), "the secret is a private property");
        assertEquals("b2", s3.get("bucket"));

        assertThrows(StorageConsole.Refused.class, () -> console.addFileSystem("fs-2", "/srv/third"), "exists");
        assertThrows(StorageConsole.Refused.class, () -> console.addFileSystem("fs-3", "/srv/mosaic/storage"),
                "another backend's folder");
        assertThrows(StorageConsole.Refused.class, () -> console.addFileSystem("../x", "/srv/x"));
        assertThrows(StorageConsole.Refused.class, () -> console.addS3("s3-3", "ftp://x", "b", null, null, null, null));
        assertThrows(StorageConsole.Refused.class, () -> console.addS3("s3-3", null, null, null, null, null, null));
        assertThrows(StorageConsole.Refused.class, () -> console.addS3("s3-3", null, "b", null, "AK", null, null));
        assertEquals(4, configurations.configured().size());
    }
}
