package org.mosaicpacs.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mosaicpacs.plugins.internal.TestSupport.await;
import static org.mosaicpacs.plugins.internal.TestSupport.config;
import static org.mosaicpacs.plugins.internal.TestSupport.plugin;
import static org.mosaicpacs.plugins.internal.TestSupport.stored;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.plugin.InstanceStoredHook;
import org.mosaicpacs.api.plugin.PluginMetrics;
import org.mosaicpacs.api.plugin.SeriesStable;
import org.mosaicpacs.api.plugin.StudyStable;

/** The notification hooks: isolation of failing and slow plugins, drops, stable events across a restart. */
class PluginRuntimeTest {

    @TempDir
    Path temp;

    private PluginRuntime runtime;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (runtime != null) {
            runtime.deactivate();
        }
    }

    private PluginRuntime.PluginInfo info(String name) {
        return runtime.plugins().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no plugin " + name + " in " + runtime.plugins()));
    }

    @Test
    void aFailingPluginIsCountedAndTheOthersStillReceiveEveryInstance() throws Exception {
        runtime = new PluginRuntime(null, config(temp.resolve("pending.txt"), 100, 1000), new TestSupport.MovableClock(), false);
        List<String> received = new CopyOnWriteArrayList<>();
        runtime.bindInstanceStoredHook(e -> {
            throw new IllegalStateException("a broken plugin");
        }, plugin("broken"));
        runtime.bindInstanceStoredHook(e -> received.add(e.instance().sopInstanceUID()), plugin("counter"));

        for (int i = 1; i <= 3; i++) {
            runtime.instanceStored(stored("1.2.3", "1.2.3.4", "1.2.3.4." + i));
        }

        await("3 instances at the working plugin", () -> received.size() == 3);
        assertEquals(List.of("1.2.3.4.1", "1.2.3.4.2", "1.2.3.4.3"), received, "in the order they were stored");
        await("3 failures counted", () -> info("broken").counts().failures() == 3);
        assertEquals(0, info("broken").counts().delivered());
        assertEquals(3, info("counter").counts().delivered());
        assertEquals(0, info("counter").counts().failures());
    }

    @Test
    void aPluginsOwnMetricsAreListedBesideTheRuntimesAndAFailingOneShowsAsUnknown() throws Exception {
        runtime = new PluginRuntime(null, config(temp.resolve("pending.txt"), 100, 1000), new TestSupport.MovableClock(), false);
        Map<String, Object> forward = plugin("forward");
        runtime.bindInstanceStoredHook(e -> { }, forward);
        java.util.Map<String, Long> counters = new java.util.LinkedHashMap<>();
        counters.put("pending", 3L);
        counters.put("failed", 1L);
        PluginMetrics metrics = () -> counters;
        runtime.bindPluginMetrics(metrics, forward);
        runtime.bindPluginMetrics(() -> {
            throw new IllegalStateException("broken metrics");
        }, plugin("broken"));
        runtime.bindInstanceStoredHook(e -> { }, plugin("plain"));

        // one listing, as mosaic:plugin-list makes it
        Map<String, PluginRuntime.PluginInfo> listed = new java.util.HashMap<>();
        runtime.plugins().forEach(p -> listed.put(p.name(), p));
        assertEquals("pending=3, failed=1", listed.get("forward").metrics());
        assertEquals(java.util.Set.of("instance-stored", "metrics"), listed.get("forward").hooks(), "one plugin, two hooks");
        assertEquals("?", listed.get("broken").metrics());
        assertEquals(1, listed.get("broken").counts().failures(), "a failure per listing");
        assertEquals("", listed.get("plain").metrics());
        runtime.unbindPluginMetrics(metrics, forward);
        assertEquals("", info("forward").metrics());
    }

    @Test
    void aPluginThatHangsNeverHoldsTheIngestingThreadAndDropsWhatItsQueueCannotHold() throws Exception {
        runtime = new PluginRuntime(null, config(temp.resolve("pending.txt"), 2, 1000), new TestSupport.MovableClock(), false);
        CountDownLatch firstCallStarted = new CountDownLatch(1);
        List<String> received = new CopyOnWriteArrayList<>();
        InstanceStoredHook hanging = e -> {
            firstCallStarted.countDown();
            release.await();
            received.add(e.instance().sopInstanceUID());
        };
        runtime.bindInstanceStoredHook(hanging, plugin("hanging"));
        runtime.instanceStored(stored("1.2.3", "1.2.3.4", "1.2.3.4.1"));
        firstCallStarted.await();
        for (int i = 2; i <= 10; i++) {
            // returns at once although the plugin hangs: this thread is the ingest's
            runtime.instanceStored(stored("1.2.3", "1.2.3.4", "1.2.3.4." + i));
        }

        PluginWorker.Counts hangingCounts = info("hanging").counts();
        assertEquals(7, hangingCounts.dropped(), "one running, two queued, the rest dropped: " + hangingCounts);
        assertEquals(3, hangingCounts.queued());
        release.countDown();
        await("the hanging plugin to work off its queue", () -> received.size() == 3);
        assertEquals(List.of("1.2.3.4.1", "1.2.3.4.2", "1.2.3.4.3"), received);
    }

    @Test
    void seriesAndStudyBecomeStableAfterTheirQuietTimeAndSurviveARestart() throws Exception {
        Path pending = temp.resolve("plugins/pending.txt");
        TestSupport.MovableClock clock = new TestSupport.MovableClock();
        runtime = new PluginRuntime(null, config(pending, 100, 1000), clock, false);
        List<SeriesStable> series = new CopyOnWriteArrayList<>();
        List<StudyStable> studies = new CopyOnWriteArrayList<>();
        Map<String, Object> watcher = plugin("watcher");
        runtime.bindSeriesStableHook(series::add, watcher);
        runtime.bindStudyStableHook(studies::add, watcher);

        runtime.instanceStored(stored("1.9", "1.9.1", "1.9.1.1"));
        clock.advanceSeconds(30);
        runtime.instanceStored(stored("1.9", "1.9.1", "1.9.1.2"));
        runtime.instanceStored(stored("1.9", "1.9.2", "1.9.2.1"));
        clock.advanceSeconds(59);
        runtime.tick();
        assertEquals(List.of(), series, "59 s after the last instance: not stable yet");

        clock.advanceSeconds(1);
        runtime.tick();
        await("two stable series", () -> series.size() == 2);
        assertEquals(2, series.stream().filter(s -> s.seriesInstanceUID().equals("1.9.1")).findFirst().orElseThrow().instancesStored());
        assertEquals(List.of(), studies, "the study waits 300 s");

        runtime.deactivate();  // a restart: what is pending is in the file
        clock.advanceSeconds(300);
        runtime = new PluginRuntime(null, config(pending, 100, 1000), clock, false);
        List<StudyStable> afterRestart = new CopyOnWriteArrayList<>();
        List<SeriesStable> seriesAfterRestart = new CopyOnWriteArrayList<>();
        Map<String, Object> again = plugin("watcher");
        runtime.bindStudyStableHook(afterRestart::add, again);
        runtime.bindSeriesStableHook(seriesAfterRestart::add, again);
        assertEquals(1, runtime.pendingStudies());
        runtime.tick();

        await("the study stable after the restart", () -> afterRestart.size() == 1);
        assertEquals("1.9", afterRestart.get(0).studyInstanceUID());
        assertEquals(3, afterRestart.get(0).instancesStored());
        assertEquals(List.of(), seriesAfterRestart, "series already reported are not reported again");
        assertEquals(0, runtime.pendingStudies());
    }

    @Test
    void aSeriesThatReceivesMoreAfterItWasStableIsReportedAgain() throws Exception {
        TestSupport.MovableClock clock = new TestSupport.MovableClock();
        runtime = new PluginRuntime(null, config(temp.resolve("pending.txt"), 100, 1000), clock, false);
        List<SeriesStable> series = new CopyOnWriteArrayList<>();
        runtime.bindSeriesStableHook(series::add, plugin("watcher"));

        runtime.instanceStored(stored("1.9", "1.9.1", "1.9.1.1"));
        clock.advanceSeconds(60);
        runtime.tick();
        await("stable once", () -> series.size() == 1);
        runtime.instanceStored(stored("1.9", "1.9.1", "1.9.1.2"));
        clock.advanceSeconds(60);
        runtime.tick();

        await("stable twice", () -> series.size() == 2);
        assertEquals(1, series.get(1).instancesStored());
    }

    @Test
    void aPluginLeavesTheListWhenItsLastHookIsUnbound() {
        runtime = new PluginRuntime(null, config(temp.resolve("pending.txt"), 100, 1000), new TestSupport.MovableClock(), false);
        Map<String, Object> props = plugin("both");
        InstanceStoredHook hook = e -> { };
        runtime.bindInstanceStoredHook(hook, props);
        runtime.bindSeriesStableHook(e -> { }, props);
        assertEquals(List.of("instance-stored", "series-stable"), List.copyOf(info("both").hooks()));

        runtime.unbindInstanceStoredHook(hook, props);
        assertEquals(List.of("series-stable"), List.copyOf(info("both").hooks()));
        runtime.unbindSeriesStableHook(null, props);
        assertTrue(runtime.plugins().isEmpty(), runtime.plugins().toString());
    }
}
