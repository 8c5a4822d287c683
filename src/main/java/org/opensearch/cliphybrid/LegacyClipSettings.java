package org.opensearch.cliphybrid;

import org.opensearch.cliphybrid.net.FetchLimits;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Setting.Property;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.unit.ByteSizeUnit;
import org.opensearch.core.common.unit.ByteSizeValue;

import java.util.List;

/**
 * The settings' names before they moved under {@code plugins.clip.}, kept for one release so that an opensearch.yml or a
 * persistent cluster setting written for the old names still works, with a deprecation warning. Each {@link ClipSettings}
 * setting falls back to its namesake here, and re-parses the value with its own checks; these keep the same type, default,
 * limits, scope and dynamic flag so that an old name is refused, under its own name, exactly where the new one would be.
 * Nothing else reads them. The next release deletes this class.
 */
public final class LegacyClipSettings {
    private LegacyClipSettings() {}

    public static final Setting<String> DEFAULT_MODEL = Setting.simpleString(
        "clip.model.default",
        "default",
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    public static final Setting<Boolean> QUANTIZED = Setting.boolSetting(
        "clip.model.quantized",
        false,
        Property.NodeScope,
        Property.Deprecated
    );
    public static final Setting<String> IMAGES_PATH = Setting.simpleString("clip.images.path", "", Property.NodeScope, Property.Deprecated);
    public static final Setting<Integer> ORT_INTRA_OP_THREADS = Setting.intSetting(
        "clip.inference.intra_op_threads",
        0,
        0,
        256,
        Property.NodeScope,
        Property.Deprecated
    );
    public static final Setting<ByteSizeValue> IMAGE_MAX_BYTES = Setting.byteSizeSetting(
        "clip.image.max_bytes",
        new ByteSizeValue(20, ByteSizeUnit.MB),
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    public static final Setting<Long> IMAGE_MAX_PIXELS = Setting.longSetting(
        "clip.image.max_pixels",
        40_000_000L,
        1L,
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    public static final Setting<TimeValue> FETCH_CONNECT_TIMEOUT = Setting.timeSetting(
        "clip.fetch.connect_timeout",
        TimeValue.timeValueSeconds(5),
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    public static final Setting<TimeValue> FETCH_READ_TIMEOUT = Setting.timeSetting(
        "clip.fetch.read_timeout",
        TimeValue.timeValueSeconds(20),
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    public static final Setting<Boolean> FETCH_ALLOW_PRIVATE = Setting.boolSetting(
        "clip.fetch.allow_private_addresses",
        false,
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    public static final Setting<Float> HYBRID_COSINE_LOW = Setting.floatSetting(
        "clip.hybrid.cosine_low",
        0.15f,
        -1f,
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    public static final Setting<Float> HYBRID_COSINE_HIGH = Setting.floatSetting(
        "clip.hybrid.cosine_high",
        0.35f,
        -1f,
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    /**
     * Read by nothing since composable mode weighs BM25 against the best match ({@code plugins.clip.hybrid.text_floor});
     * still registered so that a node configured with it starts, and says it is deprecated.
     */
    public static final Setting<Float> HYBRID_TEXT_SATURATION = Setting.floatSetting(
        "clip.hybrid.text_saturation",
        4f,
        0.001f,
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    public static final Setting<ByteSizeValue> INGEST_MAX_BYTES_IN_FLIGHT = Setting.memorySizeSetting(
        "clip.ingest.max_bytes_in_flight",
        "10%",
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    public static final Setting<TimeValue> HARVEST_HOST_DELAY = Setting.timeSetting(
        "clip.harvest.host_delay",
        TimeValue.timeValueSeconds(1),
        TimeValue.ZERO,
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    public static final Setting<Integer> HARVEST_MAX_PAGES = Setting.intSetting(
        "clip.harvest.max_pages",
        100,
        1,
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    public static final Setting<String> INFERENCE_DEVICE = new Setting<>(
        "clip.inference.device",
        "cpu",
        SettingChecks.device("clip.inference.device"),
        Property.NodeScope,
        Property.Deprecated
    );
    public static final Setting<TimeValue> FETCH_TIMEOUT = Setting.timeSetting(
        "clip.fetch.timeout",
        TimeValue.timeValueMillis(FetchLimits.DEFAULT_FETCH_TIMEOUT_MILLIS),
        SettingChecks.FETCH_TIMEOUT_MIN,
        SettingChecks.FETCH_TIMEOUT_MAX,
        Property.NodeScope,
        Property.Dynamic,
        Property.Deprecated
    );
    public static final Setting<TimeValue> MODEL_LOAD_RETRY_INTERVAL = Setting.timeSetting(
        "clip.model.load_retry_interval",
        TimeValue.timeValueSeconds(60),
        TimeValue.ZERO,
        Property.NodeScope,
        Property.Deprecated
    );

    public static final ThreadPool INFERENCE_POOL = new ThreadPool("inference");
    public static final ThreadPool QUERY_POOL = new ThreadPool("query");
    public static final ThreadPool FETCH_POOL = new ThreadPool("fetch");
    public static final ThreadPool HARVEST_POOL = new ThreadPool("harvest");

    /**
     * {@code clip.<pool>.size} and {@code clip.<pool>.queue_size}: the settings a thread pool's {@code FixedExecutorBuilder}
     * registered under its old prefix. The builder takes no fallback setting, so these feed its defaults instead.
     */
    public static final class ThreadPool {
        final String name;
        final Setting<Integer> size;
        final Setting<Integer> queueSize;

        private ThreadPool(String name) {
            this.name = name;
            // the same limits as FixedExecutorBuilder's own settings: at least one thread, any queue size (-1: unbounded)
            this.size = Setting.intSetting("clip." + name + ".size", 1, 1, Property.NodeScope, Property.Deprecated);
            this.queueSize = Setting.intSetting("clip." + name + ".queue_size", 1, Property.NodeScope, Property.Deprecated);
        }

        int size(Settings settings, int otherwise) {
            return size.exists(settings) ? size.get(settings) : otherwise;
        }

        int queueSize(Settings settings, int otherwise) {
            return queueSize.exists(settings) ? queueSize.get(settings) : otherwise;
        }
    }

    static List<Setting<?>> all() {
        return List.of(
            HYBRID_COSINE_LOW,
            HYBRID_COSINE_HIGH,
            HYBRID_TEXT_SATURATION,
            DEFAULT_MODEL,
            QUANTIZED,
            IMAGES_PATH,
            ORT_INTRA_OP_THREADS,
            IMAGE_MAX_BYTES,
            IMAGE_MAX_PIXELS,
            FETCH_CONNECT_TIMEOUT,
            FETCH_READ_TIMEOUT,
            FETCH_ALLOW_PRIVATE,
            HARVEST_HOST_DELAY,
            HARVEST_MAX_PAGES,
            INGEST_MAX_BYTES_IN_FLIGHT,
            INFERENCE_DEVICE,
            FETCH_TIMEOUT,
            MODEL_LOAD_RETRY_INTERVAL,
            INFERENCE_POOL.size,
            INFERENCE_POOL.queueSize,
            QUERY_POOL.size,
            QUERY_POOL.queueSize,
            FETCH_POOL.size,
            FETCH_POOL.queueSize,
            HARVEST_POOL.size,
            HARVEST_POOL.queueSize
        );
    }
}
