package org.mosaicpacs.storage.admin.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a migration from one backend to another has begun and finished, one line per step, each flushed to
 * the device before the step it announces: {@code COPY <sop> <key>} before the copy is written to the
 * target, {@code DONE <sop> <key>} once the index points to the copy and the source is deleted (or the copy
 * was dropped). After a crash the next run reads it to know which copies in the target are its own, and
 * which sources are still to be deleted. A small text file per pair of backends, removed when a run ends
 * with nothing pending.
 */
final class MigrationJournal implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    /** Copies begun and not done: SOP Instance UID → key. */
    private final Map<String, String> pending = new LinkedHashMap<>();

    MigrationJournal(Path directory, String from, String to) throws IOException {
        Files.createDirectories(directory);
        this.file = directory.resolve(safe(from) + "--" + safe(to) + ".journal");
        boolean torn = false;
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            // the last element is what follows the last newline: empty, or a line cut by a crash of the machine
            // (its step never began; the key in it may be cut short, so it is not read)
            torn = !lines[lines.length - 1].isEmpty();
            for (int i = 0; i < lines.length - 1; i++) {
                String[] f = lines[i].split(" ", 3);
                if (f.length < 3) {
                    continue;
                }
                if (f[0].equals("COPY")) {
                    pending.put(f[1], f[2]);
                } else if (f[0].equals("DONE")) {
                    pending.remove(f[1]);
                }
            }
        }
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (torn) {
            // end the cut line, so that the next step's line is not glued to it (and lost with it)
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}));
            channel.force(false);
        }
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    Path file() {
        return file;
    }

    /** The copies an earlier run began and did not finish. */
    Map<String, String> pending() {
        return Map.copyOf(pending);
    }

    /** Whether this migration began writing {@code key} for {@code sop} (so the object there is its own). */
    boolean began(String sop, String key) {
        return key.equals(pending.get(sop));
    }

    void copy(String sop, String key) throws IOException {
        append("COPY " + sop + " " + key);
        pending.put(sop, key);
    }

    void done(String sop, String key) throws IOException {
        append("DONE " + sop + " " + key);
        pending.remove(sop);
    }

    private void append(String line) throws IOException {
        channel.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
        if (pending.isEmpty()) {
            Files.deleteIfExists(file);
        }
    }
}
