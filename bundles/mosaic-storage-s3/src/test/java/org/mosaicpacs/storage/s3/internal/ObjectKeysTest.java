package org.mosaicpacs.storage.s3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.storage.StorageKey;

class ObjectKeysTest {

    private final ObjectKeys keys = new ObjectKeys("mosaic");

    @Test
    void instanceKeysAreStoredAsTheyAreUnderThePrefix() {
        StorageKey key = StorageKey.forInstance("1.2.3", "1.2.3.4", "1.2.3.4.5", "17");
        assertEquals("mosaic/1.2.3/1.2.3.4/1.2.3.4.5/17", keys.toObjectKey(key));
        assertEquals(key, keys.toStorageKey("mosaic/1.2.3/1.2.3.4/1.2.3.4.5/17"));
    }

    @Test
    void pathLikePartsAreEncodedSoNoSegmentIsEmptyOrDots() {
        assertEquals("mosaic/%2E%2E/%2E%2E/x", keys.toObjectKey(new StorageKey("../../x")));
        assertEquals("mosaic/%2Fabs", keys.toObjectKey(new StorageKey("/abs")));
        assertEquals("mosaic/a%2F%2Fb", keys.toObjectKey(new StorageKey("a//b")));
        assertEquals("mosaic/t%2F", keys.toObjectKey(new StorageKey("t/")));
        assertEquals("mosaic/%252E%2520%C3%BC", keys.toObjectKey(new StorageKey("%2E%20ü")));
        assertEquals("mosaic/a.b/...x", keys.toObjectKey(new StorageKey("a.b/...x")));
    }

    @Test
    void decodingGivesBackTheKeyAndRefusesWhatWasNotMadeHere() {
        for (String value : new String[] {"../../x", "/abs", "a//b", "t/", "%2E%20ü", "日本/😀", "..", "a\\b\u0000"}) {
            StorageKey key = new StorageKey(value);
            assertEquals(key, keys.toStorageKey(keys.toObjectKey(key)), value);
        }
        assertNull(keys.toStorageKey("other/x"), "outside the prefix");
        assertNull(keys.toStorageKey("mosaic/"), "the prefix itself");
        assertNull(keys.toStorageKey("mosaic/a%2fb"), "not the canonical form of a/b");
        assertNull(keys.toStorageKey("mosaic/a%2Fb"), "not the canonical form of a/b");
        assertNull(keys.toStorageKey("mosaic/not ours"));
        assertNull(keys.toStorageKey("mosaic/%ZZ"));
        assertNull(keys.toStorageKey("mosaic/%C3"), "malformed UTF-8");
    }

    @Test
    void prefixesAreNormalisedOrRefused() {
        assertEquals("", ObjectKeys.normalisePrefix(""));
        assertEquals("", ObjectKeys.normalisePrefix("/"));
        assertEquals("a/b/", ObjectKeys.normalisePrefix("/a/b"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.normalisePrefix("a//b"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.normalisePrefix("../a"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.normalisePrefix("a/./b"));
    }
}
