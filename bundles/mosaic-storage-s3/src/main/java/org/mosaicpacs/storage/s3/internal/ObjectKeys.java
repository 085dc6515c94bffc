package org.mosaicpacs.storage.s3.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.mosaicpacs.api.storage.StorageKey;

/**
 * Turns storage keys into S3 object keys under a prefix, and back.
 *
 * <p>The object key of a storage key is the prefix followed by the key's text with every byte (UTF-8)
 * other than {@code A-Z a-z 0-9 - _ .} percent-encoded; a {@code /} stays a {@code /} only between two
 * non-empty parts, and a part that is only dots is encoded too. So an object key never has an empty,
 * {@code .} or {@code ..} segment, and no storage key, however hostile ({@code ../}, {@code /x},
 * {@code a//b}, control characters), reaches outside the prefix or looks like a path to a server or a
 * proxy that normalises URLs. Decoding is plain percent-decoding, so the mapping is one to one and
 * {@link #toStorageKey} gives back exactly the key that was written. Keys made by
 * {@link StorageKey#forInstance} (UIDs of digits and dots) are stored as they are:
 * {@code prefix/1.2.3/1.2.3.4/1.2.3.4.5/1700000000000}.
 */
final class ObjectKeys {

    /** S3's limit on the length of an object key, in UTF-8 bytes. */
    static final int MAX_OBJECT_KEY_BYTES = 1024;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String prefix;

    /**
     * @param prefix the configured prefix: leading {@code /} removed, a trailing {@code /} added when
     *               missing; empty for the bucket's root
     * @throws IllegalArgumentException when the prefix has an empty, {@code .} or {@code ..} segment
     */
    ObjectKeys(String prefix) {
        this.prefix = normalisePrefix(prefix);
    }

    static String normalisePrefix(String prefix) {
        String p = prefix == null ? "" : prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return "";
        }
        if (!p.endsWith("/")) {
            p = p + "/";
        }
        for (String segment : p.substring(0, p.length() - 1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("key prefix '" + prefix + "' has an empty, '.' or '..' segment");
            }
        }
        if (p.getBytes(StandardCharsets.UTF_8).length > MAX_OBJECT_KEY_BYTES / 2) {
            throw new IllegalArgumentException("key prefix '" + prefix + "' is too long");
        }
        return p;
    }

    String prefix() {
        return prefix;
    }

    /** The object key of {@code key}; it may be longer than S3 accepts (see {@link #fits}). */
    String toObjectKey(StorageKey key) {
        String[] parts = key.value().split("/", -1);
        StringBuilder sb = new StringBuilder(prefix.length() + key.value().length() + 16).append(prefix);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                boolean plainSlash = !parts[i - 1].isEmpty() && !parts[i].isEmpty();
                sb.append(plainSlash ? "/" : "%2F");
            }
            appendEncoded(sb, parts[i]);
        }
        return sb.toString();
    }

    /** Whether S3 accepts {@code objectKey} (at most 1024 bytes). */
    static boolean fits(String objectKey) {
        return objectKey.getBytes(StandardCharsets.UTF_8).length <= MAX_OBJECT_KEY_BYTES;
    }

    /**
     * The storage key that {@code objectKey} was made from, or {@code null} when it was not made by
     * {@link #toObjectKey} with this prefix (an object someone else put into the bucket).
     */
    StorageKey toStorageKey(String objectKey) {
        if (!objectKey.startsWith(prefix) || objectKey.length() == prefix.length()) {
            return null;
        }
        String decoded = decode(objectKey.substring(prefix.length()));
        if (decoded == null || decoded.isEmpty() || decoded.length() > StorageKey.MAX_LENGTH) {
            return null;
        }
        StorageKey key = new StorageKey(decoded);
        // only the canonical form is ours: "a%2Fb" and "a/b" decode alike, but only one was written
        return toObjectKey(key).equals(objectKey) ? key : null;
    }

    private static void appendEncoded(StringBuilder sb, String part) {
        boolean onlyDots = !part.isEmpty() && part.chars().allMatch(c -> c == '.');
        for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || (c == '.' && !onlyDots);
            if (plain) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }

    /** Percent-decoding (UTF-8, strict); {@code null} when malformed. */
    private static String decode(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return null;
            }
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
