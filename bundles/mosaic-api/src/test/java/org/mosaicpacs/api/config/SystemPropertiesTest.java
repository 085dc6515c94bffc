package org.mosaicpacs.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class SystemPropertiesTest {

    @Test
    void replacesSystemPropertiesAndKeepsTheRest() {
        System.setProperty("mosaic.test.port", "4242");
        try {
            assertEquals("port 4242, ${unclosed", SystemProperties.expand("port ${mosaic.test.port}, ${unclosed"));
            assertEquals("a--b", SystemProperties.expand("a-${mosaic.test.unset}-b"));
        } finally {
            System.clearProperty("mosaic.test.port");
        }
    }

    @Test
    void mosaicDataFallsBackToKarafData() {
        String saved = System.getProperty("mosaic.data");
        System.clearProperty("mosaic.data");
        System.setProperty("karaf.data", "/srv/karaf/data");
        try {
            assertEquals(Path.of("/srv/karaf/data", "mosaic") + "/storage", SystemProperties.expand("${mosaic.data}/storage"));
        } finally {
            System.clearProperty("karaf.data");
            if (saved != null) {
                System.setProperty("mosaic.data", saved);
            }
        }
    }
}
