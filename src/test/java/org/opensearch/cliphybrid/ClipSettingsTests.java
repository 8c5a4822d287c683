package org.opensearch.cliphybrid;

import org.opensearch.cliphybrid.model.registered.RegistrationLimits;

import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.unit.ByteSizeUnit;
import org.opensearch.core.common.unit.ByteSizeValue;
import org.opensearch.monitor.jvm.JvmInfo;
import org.opensearch.test.OpenSearchTestCase;
import org.opensearch.threadpool.ExecutorBuilder;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The move to {@code plugins.clip.}: every setting is read under its new name, falls back to its deprecated old one with a
 * warning, prefers the new one when both are set, and holds either to the same limits, at node start and on a dynamic update.
 */
public class ClipSettingsTests extends OpenSearchTestCase {

    /**
     * The settings that were renamed: text_floor, calibrate.max_time, model.registered_recheck_interval, inference.allow_spinning, the registration
     * limits {@code plugins.clip.model.registered.*} and the per-model {@code plugins.clip.models.*} came after the move and
     * have no old name.
     */
    private static List<Setting<?>> newSettings() {
        return ClipSettings.all()
            .stream()
            .filter(s -> LegacyClipSettings.all().contains(s) == false && s != ClipSettings.HYBRID_TEXT_FLOOR && s != ClipSettings.CALIBRATE_MAX_TIME
                && s != ClipSettings.MODEL_REGISTERED_RECHECK && s != ClipSettings.ORT_ALLOW_SPINNING
                && s.getKey().startsWith(RegistrationLimits.PREFIX) == false)
            .filter(s -> org.opensearch.cliphybrid.model.settings.ModelSettings.all().contains(s) == false)
            .toList();
    }

    private static Map<String, Setting<?>> legacyByKey() {
        return LegacyClipSettings.all().stream().collect(Collectors.toMap(Setting::getKey, Function.identity()));
    }

    public void testEveryNewSettingHasItsOldNameWithTheSameFlagsAndDefault() {
        Map<String, Setting<?>> legacy = legacyByKey();
        List<Setting<?>> renamed = newSettings();
        assertEquals(17, renamed.size());
        for (Setting<?> setting : renamed) {
            String key = setting.getKey();
            assertTrue(key, key.startsWith("plugins.clip."));
            Setting<?> old = legacy.get(key.substring("plugins.".length()));
            assertNotNull("no deprecated old name for " + key, old);
            assertTrue(old.getKey(), old.isDeprecated());
            assertFalse(key, setting.isDeprecated());
            assertEquals(key, old.isDynamic(), setting.isDynamic());
            assertEquals(key, old.hasNodeScope(), setting.hasNodeScope());
            assertEquals(key, old.getDefault(Settings.EMPTY), setting.getDefault(Settings.EMPTY));
        }
    }

    public void testRegistrationLimitsDefaultToTheOldConstantsAndFollowUpdates() {
        ClusterSettings current = new ClusterSettings(Settings.EMPTY, new java.util.HashSet<>(ClipSettings.all()));
        assertEquals(RegistrationLimits.DEFAULT, ClipSettings.registrationLimits(current));
        assertEquals(8L * 1000 * 1024 * 1024, RegistrationLimits.DEFAULT.maxZipBytes());
        assertEquals(8 * 1024 * 1024, RegistrationLimits.DEFAULT.maxChunkBytes());
        assertEquals(1000, RegistrationLimits.DEFAULT.maxChunks());
        current.applySettings(
            Settings.builder()
                .put(RegistrationLimits.MAX_ZIP_BYTES, "1gb")
                .put(RegistrationLimits.MAX_CHUNK_BYTES, "64mb")
                .put(RegistrationLimits.MAX_CHUNKS, 10)
                .put(RegistrationLimits.URL_MAX_BYTES, "2gb")
                .put(RegistrationLimits.URL_TIMEOUT, "90s")
                .build()
        );
        RegistrationLimits limits = ClipSettings.registrationLimits(current);
        assertEquals(new RegistrationLimits(1L << 30, 64 << 20, 10, 2L << 30, 90_000), limits);
        for (String[] bad : new String[][] {
            { RegistrationLimits.MAX_CHUNK_BYTES, "65mb" },
            { RegistrationLimits.MAX_CHUNK_BYTES, "1b" },
            { RegistrationLimits.MAX_CHUNKS, "10001" },
            { RegistrationLimits.MAX_CHUNKS, "0" },
            { RegistrationLimits.URL_TIMEOUT, "3h" },
            { RegistrationLimits.URL_TIMEOUT, "10ms" } }) {
            IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> current.validate(Settings.builder().put(bad[0], bad[1]).build(), true)
            );
            assertTrue(bad[0] + "=" + bad[1] + ": " + e.getMessage(), e.getMessage().contains(bad[0]));
        }
    }

    /** The thread pools' size and queue_size settings, which OpenSearch registers from the executor builders, moved too. */
    public void testEveryThreadPoolSettingIsUnderPluginsClipAndHasItsOldName() {
        Map<String, Setting<?>> legacy = legacyByKey();
        List<? extends ExecutorBuilder<?>> builders = new ClipHybridPlugin(Settings.EMPTY).getExecutorBuilders(Settings.EMPTY);
        assertEquals(4, builders.size());
        for (ExecutorBuilder<?> builder : builders) {
            for (Setting<?> setting : builder.getRegisteredSettings()) {
                String key = setting.getKey();
                assertTrue(key, key.startsWith("plugins.clip."));
                Setting<?> old = legacy.get(key.substring("plugins.".length()));
                assertNotNull("no deprecated old name for " + key, old);
                assertTrue(old.getKey(), old.isDeprecated());
            }
        }
    }

    public void testTheNewNamesAreRead() {
        Settings settings = Settings.builder()
            .put("plugins.clip.model.default", "vit-b32")
            .put("plugins.clip.fetch.allow_private_addresses", true)
            .put("plugins.clip.harvest.max_pages", 7)
            .put("plugins.clip.image.max_pixels", 1000L)
            .put("plugins.clip.hybrid.cosine_low", 0.2f)
            .put("plugins.clip.image.max_bytes", "3mb")
            .put("plugins.clip.ingest.max_bytes_in_flight", "1gb")
            .put("plugins.clip.fetch.timeout", "10s")
            .put("plugins.clip.inference.device", "cuda")
            .build();
        assertEquals("vit-b32", ClipSettings.DEFAULT_MODEL.get(settings));
        assertTrue(ClipSettings.FETCH_ALLOW_PRIVATE.get(settings));
        assertEquals(7, (int) ClipSettings.HARVEST_MAX_PAGES.get(settings));
        assertEquals(1000L, (long) ClipSettings.IMAGE_MAX_PIXELS.get(settings));
        assertEquals(0.2f, ClipSettings.HYBRID_COSINE_LOW.get(settings), 0f);
        assertEquals(new ByteSizeValue(3, ByteSizeUnit.MB), ClipSettings.IMAGE_MAX_BYTES.get(settings));
        assertEquals(new ByteSizeValue(1, ByteSizeUnit.GB), ClipSettings.INGEST_MAX_BYTES_IN_FLIGHT.get(settings));
        assertEquals(TimeValue.timeValueSeconds(10), ClipSettings.FETCH_TIMEOUT.get(settings));
        assertEquals("cuda", ClipSettings.INFERENCE_DEVICE.get(settings));
    }

    public void testTheOldNamesAreReadWithADeprecationWarning() {
        Settings settings = Settings.builder()
            .put("clip.model.default", "vit-b32")
            .put("clip.fetch.allow_private_addresses", true)
            .put("clip.harvest.max_pages", 7)
            .put("clip.image.max_pixels", 1000L)
            .put("clip.hybrid.cosine_low", 0.2f)
            .put("clip.image.max_bytes", "3mb")
            .put("clip.ingest.max_bytes_in_flight", "50%")
            .put("clip.fetch.timeout", "10s")
            .put("clip.inference.device", "cuda")
            .build();
        assertEquals("vit-b32", ClipSettings.DEFAULT_MODEL.get(settings));
        assertTrue(ClipSettings.FETCH_ALLOW_PRIVATE.get(settings));
        assertEquals(7, (int) ClipSettings.HARVEST_MAX_PAGES.get(settings));
        assertEquals(1000L, (long) ClipSettings.IMAGE_MAX_PIXELS.get(settings));
        assertEquals(0.2f, ClipSettings.HYBRID_COSINE_LOW.get(settings), 0f);
        assertEquals(new ByteSizeValue(3, ByteSizeUnit.MB), ClipSettings.IMAGE_MAX_BYTES.get(settings));
        // a percentage under the old name is still of the heap
        long halfHeap = JvmInfo.jvmInfo().getMem().getHeapMax().getBytes() / 2;
        assertEquals(halfHeap, ClipSettings.INGEST_MAX_BYTES_IN_FLIGHT.get(settings).getBytes(), 1);
        assertEquals(TimeValue.timeValueSeconds(10), ClipSettings.FETCH_TIMEOUT.get(settings));
        assertEquals("cuda", ClipSettings.INFERENCE_DEVICE.get(settings));
        assertSettingDeprecationsAndWarnings(
            new Setting<?>[] {
                LegacyClipSettings.DEFAULT_MODEL,
                LegacyClipSettings.FETCH_ALLOW_PRIVATE,
                LegacyClipSettings.HARVEST_MAX_PAGES,
                LegacyClipSettings.IMAGE_MAX_PIXELS,
                LegacyClipSettings.HYBRID_COSINE_LOW,
                LegacyClipSettings.IMAGE_MAX_BYTES,
                LegacyClipSettings.INGEST_MAX_BYTES_IN_FLIGHT,
                LegacyClipSettings.FETCH_TIMEOUT,
                LegacyClipSettings.INFERENCE_DEVICE }
        );
    }

    public void testUnsetUnderBothNamesGivesTheDefault() {
        assertEquals("default", ClipSettings.DEFAULT_MODEL.get(Settings.EMPTY));
        assertEquals(100, (int) ClipSettings.HARVEST_MAX_PAGES.get(Settings.EMPTY));
        assertEquals(TimeValue.timeValueSeconds(30), ClipSettings.FETCH_TIMEOUT.get(Settings.EMPTY));
        assertEquals("cpu", ClipSettings.INFERENCE_DEVICE.get(Settings.EMPTY));
        assertFalse(ClipSettings.FETCH_ALLOW_PRIVATE.get(Settings.EMPTY));
    }

    public void testTheNewNameWinsWhenBothAreSet() {
        Settings settings = Settings.builder()
            .put("clip.harvest.max_pages", 7)
            .put("plugins.clip.harvest.max_pages", 9)
            .put("clip.fetch.timeout", "10s")
            .put("plugins.clip.fetch.timeout", "2s")
            .put("clip.fetch.allow_private_addresses", true)
            .put("plugins.clip.fetch.allow_private_addresses", false)
            .put("clip.model.default", "old")
            .put("plugins.clip.model.default", "new")
            .build();
        assertEquals(9, (int) ClipSettings.HARVEST_MAX_PAGES.get(settings));
        assertEquals(TimeValue.timeValueSeconds(2), ClipSettings.FETCH_TIMEOUT.get(settings));
        assertFalse(ClipSettings.FETCH_ALLOW_PRIVATE.get(settings));
        assertEquals("new", ClipSettings.DEFAULT_MODEL.get(settings));
        // an old name left beside the new one is still reported, so that it gets deleted
        assertSettingDeprecationsAndWarnings(
            new Setting<?>[] {
                LegacyClipSettings.HARVEST_MAX_PAGES,
                LegacyClipSettings.FETCH_TIMEOUT,
                LegacyClipSettings.FETCH_ALLOW_PRIVATE,
                LegacyClipSettings.DEFAULT_MODEL }
        );
    }

    /** Node start validates every registered setting with its own parser: a bad old value is refused under the old name. */
    public void testAnInvalidValueUnderTheOldNameIsRefusedByName() {
        ClusterSettings cluster = new ClusterSettings(Settings.EMPTY, new HashSet<>(ClipSettings.all()));
        assertRefused(cluster, "clip.harvest.max_pages", "0", "must be >= 1");
        assertRefused(cluster, "clip.inference.intra_op_threads", "300", "must be <= 256");
        assertRefused(cluster, "clip.hybrid.text_saturation", "0", "must be >= 0.001");
        assertRefused(cluster, "clip.image.max_pixels", "0", "must be >= 1");
        assertRefused(cluster, "clip.fetch.timeout", "2h", "must be <= [1h]");
        assertRefused(cluster, "clip.fetch.timeout", "0s", "must be >= [1ms]");
        assertRefused(cluster, "clip.inference.device", "tpu", "must be [cpu] or [cuda]");
        assertRefused(cluster, "clip.fetch.size", "0", "must be >= 1");
        // OpenSearch's boolean parser names no setting, whichever it parses
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> cluster.validate(Settings.builder().put("clip.fetch.allow_private_addresses", "maybe").build(), true)
        );
        assertTrue(e.getMessage(), e.getMessage().contains("[maybe] as only [true] or [false]"));
        assertSettingDeprecationsAndWarnings(
            new Setting<?>[] {
                LegacyClipSettings.HARVEST_MAX_PAGES,
                LegacyClipSettings.ORT_INTRA_OP_THREADS,
                LegacyClipSettings.HYBRID_TEXT_SATURATION,
                LegacyClipSettings.IMAGE_MAX_PIXELS,
                LegacyClipSettings.FETCH_TIMEOUT,
                LegacyClipSettings.INFERENCE_DEVICE,
                LegacyClipSettings.FETCH_POOL.size,
                LegacyClipSettings.FETCH_ALLOW_PRIVATE }
        );
    }

    /** The setting the plugin reads re-checks a value that came under the old name, so no path lets it skip the limits. */
    public void testTheNewSettingHoldsAnOldValueToItsOwnLimits() {
        assertLimit(ClipSettings.HARVEST_MAX_PAGES, "clip.harvest.max_pages", "0", "must be >= 1");
        assertLimit(ClipSettings.ORT_INTRA_OP_THREADS, "clip.inference.intra_op_threads", "300", "must be <= 256");
        assertLimit(ClipSettings.FETCH_TIMEOUT, "clip.fetch.timeout", "2h", "must be <= [1h]");
        assertLimit(ClipSettings.INFERENCE_DEVICE, "clip.inference.device", "tpu", "must be [cpu] or [cuda]");
        assertLimit(ClipSettings.HARVEST_HOST_DELAY, "clip.harvest.host_delay", "-1s", "harvest.host_delay");
        assertSettingDeprecationsAndWarnings(
            new Setting<?>[] {
                LegacyClipSettings.HARVEST_MAX_PAGES,
                LegacyClipSettings.ORT_INTRA_OP_THREADS,
                LegacyClipSettings.FETCH_TIMEOUT,
                LegacyClipSettings.INFERENCE_DEVICE,
                LegacyClipSettings.HARVEST_HOST_DELAY }
        );
    }

    /** A dynamic setting follows PUT _cluster/settings under either name, the new one first, back to the default on a reset. */
    public void testADynamicUpdateUnderEitherNameReachesTheReader() {
        ClusterSettings cluster = new ClusterSettings(Settings.EMPTY, new HashSet<>(ClipSettings.all()));
        AtomicReference<Integer> maxPages = new AtomicReference<>();
        cluster.addSettingsUpdateConsumer(ClipSettings.HARVEST_MAX_PAGES, maxPages::set);

        cluster.applySettings(Settings.builder().put("clip.harvest.max_pages", 7).put("clip.fetch.allow_private_addresses", true).build());
        assertEquals(7, (int) maxPages.get());
        assertTrue(cluster.get(ClipSettings.FETCH_ALLOW_PRIVATE));

        cluster.applySettings(Settings.builder().put("clip.harvest.max_pages", 7).put("plugins.clip.harvest.max_pages", 9).build());
        assertEquals(9, (int) maxPages.get());
        assertFalse(cluster.get(ClipSettings.FETCH_ALLOW_PRIVATE));

        cluster.applySettings(Settings.builder().put("clip.harvest.max_pages", 5).build());
        assertEquals(5, (int) maxPages.get());

        // PUT _cluster/settings validates each key as given first (testAnInvalidValueUnderTheOldNameIsRefusedByName); should a
        // bad old value get past that, the setting the plugin reads still refuses it
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> cluster.applySettings(Settings.builder().put("clip.harvest.max_pages", 0).build())
        );
        assertTrue(e.getMessage(), e.getCause().getMessage().contains("must be >= 1"));
        assertEquals("a refused update changes nothing", 5, (int) cluster.get(ClipSettings.HARVEST_MAX_PAGES));

        cluster.applySettings(Settings.EMPTY);
        assertEquals(100, (int) maxPages.get());
        assertSettingDeprecationsAndWarnings(new Setting<?>[] { LegacyClipSettings.HARVEST_MAX_PAGES, LegacyClipSettings.FETCH_ALLOW_PRIVATE });
    }

    public void testAThreadPoolTakesItsSizeFromEitherNameTheNewOneFirst() {
        Settings old = Settings.builder().put("clip.fetch.size", 3).put("clip.fetch.queue_size", 50).build();
        Map<String, Setting<?>> settings = poolSettings(old);
        assertEquals(3, settings.get("plugins.clip.fetch.size").get(old));
        assertEquals(50, settings.get("plugins.clip.fetch.queue_size").get(old));

        Settings both = Settings.builder().put(old).put("plugins.clip.fetch.size", 5).build();
        assertEquals(5, poolSettings(both).get("plugins.clip.fetch.size").get(both));

        assertEquals(8, poolSettings(Settings.EMPTY).get("plugins.clip.fetch.size").get(Settings.EMPTY));
        assertSettingDeprecationsAndWarnings(new Setting<?>[] { LegacyClipSettings.FETCH_POOL.size, LegacyClipSettings.FETCH_POOL.queueSize });
    }

    private static Map<String, Setting<?>> poolSettings(Settings settings) {
        return ClipSettings.threadPool(settings, "clip_fetch", LegacyClipSettings.FETCH_POOL, 8, 1000)
            .getRegisteredSettings()
            .stream()
            .collect(Collectors.toMap(Setting::getKey, Function.identity()));
    }

    private static void assertRefused(ClusterSettings cluster, String key, String value, String reason) {
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> cluster.validate(Settings.builder().put(key, value).build(), true)
        );
        String message = e.getMessage() + (e.getCause() == null ? "" : " / " + e.getCause().getMessage());
        assertTrue(message, message.contains(key));
        assertTrue(message, message.contains(reason));
    }

    private static void assertLimit(Setting<?> setting, String oldKey, String value, String reason) {
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> setting.get(Settings.builder().put(oldKey, value).build())
        );
        String message = e.getMessage() + (e.getCause() == null ? "" : " / " + e.getCause().getMessage());
        assertTrue(message, message.contains(reason));
    }
}
