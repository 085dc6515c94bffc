package org.mosaicpacs.plugins.internal;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.mosaicpacs.api.event.InstanceStored;
import org.mosaicpacs.api.index.InstanceLocation;
import org.mosaicpacs.api.index.StorageLocation;
import org.mosaicpacs.api.index.StoreOutcome;
import org.mosaicpacs.api.plugin.PluginConstants;
import org.mosaicpacs.api.storage.StorageKey;
import org.osgi.framework.Constants;

/** Small things the tests of the runtime share: a configuration, events, service properties, a clock. */
final class TestSupport {

    private static final AtomicLong SERVICE_IDS = new AtomicLong(100);

    private TestSupport() {
    }

    static PluginsConfiguration config(Path pendingFile, int queueCapacity, long interceptorTimeoutMillis) {
        return new PluginsConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return PluginsConfiguration.class;
            }

            @Override
            public int queueCapacity() {
                return queueCapacity;
            }

            @Override
            public long slowCallMillis() {
                return 60_000;
            }

            @Override
            public long seriesStableSeconds() {
                return 60;
            }

            @Override
            public long studyStableSeconds() {
                return 300;
            }

            @Override
            public long interceptorTimeoutMillis() {
                return interceptorTimeoutMillis;
            }

            @Override
            public String pendingFile() {
                return pendingFile.toString();
            }
        };
    }

    /** The service properties DS would pass for a plugin of that name. */
    static Map<String, Object> plugin(String name) {
        Map<String, Object> p = new HashMap<>();
        p.put(Constants.SERVICE_ID, SERVICE_IDS.incrementAndGet());
        p.put(PluginConstants.PLUGIN_NAME, name);
        return p;
    }

    static InstanceStored stored(String study, String series, String sop) {
        InstanceLocation location = new InstanceLocation(study, series, sop, "1.2.840.10008.5.1.4.1.1.7",
                new StorageLocation("default", new StorageKey(study + "/" + series + "/" + sop), "1.2.840.10008.1.2.1", 10, "00"),
                Instant.EPOCH);
        return new InstanceStored(location, StoreOutcome.Result.STORED, "STORESCU", "MOSAIC");
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T10:00:00Z");

        void advanceSeconds(long s) {
            now = now.plusSeconds(s);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** Polls until the condition holds; fails after a generous bound (a liveness guard, not a timing assert). */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1500; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never happened: " + what);
    }
}
