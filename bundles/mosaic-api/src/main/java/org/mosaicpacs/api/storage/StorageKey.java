package org.mosaicpacs.api.storage;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The name of one stored object inside a {@link StorageBackend}.
 *
 * <p>Keys are made from identifiers (UIDs), never from free attribute text, by {@link #of(String...)}:
 * each part is percent-encoded (so {@code /}, {@code \}, {@code ..} and control characters in a
 * hostile UID cannot change the key's structure) and the parts are joined with {@code /}. The value is
 * opaque to backends: a backend must not interpret it as a path; the file-system backend hashes it.
 *
 * @param value the canonical key text: 1 to {@value #MAX_LENGTH} characters
 */
public record StorageKey(String value) {

    /** The longest key value accepted. */
    public static final int MAX_LENGTH = 1024;

    public StorageKey {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("storage key must have 1 to " + MAX_LENGTH + " characters");
        }
    }

    /**
     * A key made of parts, each percent-encoded (UTF-8) and joined with {@code /}.
     *
     * @throws IllegalArgumentException when there is no part, a part is null or empty, or the key is too long
     */
    public static StorageKey of(String... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("a storage key needs at least one part");
        }
        StringBuilder sb = new StringBuilder();
        for (String part : parts) {
            if (part == null || part.isEmpty()) {
                throw new IllegalArgumentException("empty storage key part");
            }
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("*", "%2A"));
        }
        return new StorageKey(sb.toString());
    }

    /**
     * The key of one received copy of an instance: study, series and SOP instance UID, plus a
     * {@code revision} that makes a second copy of the same instance (a duplicate that may replace the
     * first) a different object, e.g. the receive time in milliseconds or a counter.
     */
    public static StorageKey forInstance(String studyUID, String seriesUID, String sopInstanceUID, String revision) {
        return of(studyUID, seriesUID, sopInstanceUID, revision);
    }

    @Override
    public String toString() {
        return value;
    }
}
