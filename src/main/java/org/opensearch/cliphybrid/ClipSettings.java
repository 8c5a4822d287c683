package org.opensearch.cliphybrid;

import org.opensearch.cliphybrid.model.registered.RegistrationLimits;
import org.opensearch.cliphybrid.model.settings.ModelSettings;
import org.opensearch.cliphybrid.net.FetchLimits;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Setting.Property;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.unit.ByteSizeValue;
import org.opensearch.threadpool.FixedExecutorBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of the plugin, all under the {@code plugins.clip.} prefix as OpenSearch's plugins name theirs. Each falls back
 * to its old {@code clip.} name in {@link LegacyClipSettings} (deprecated, gone next release), which holds the default until
 * then; the limits are checked here too, so a value is held to them whichever name it came under.
 */
public final class ClipSettings {
    private ClipSettings() {}

    public static final String PREFIX = "plugins.clip.";

    /** Name of the model folder under {@code <config>/clip-models/} used when a request names none (default {@code default}). */
    public static final Setting<String> DEFAULT_MODEL = Setting.simpleString(
        "plugins.clip.model.default",
        LegacyClipSettings.DEFAULT_MODEL,
        Property.NodeScope,
        Property.Dynamic
    );

    /** Prefer the {@code *_quantized.onnx} files of a model folder when they exist (default false). */
    public static final Setting<Boolean> QUANTIZED = Setting.boolSetting(
        "plugins.clip.model.quantized",
        LegacyClipSettings.QUANTIZED,
        Property.NodeScope
    );

    /** Folder under which {@code clip_embedding} may read image files; empty (the default) means no file paths are accepted. */
    public static final Setting<String> IMAGES_PATH = Setting.simpleString(
        "plugins.clip.images.path",
        LegacyClipSettings.IMAGES_PATH,
        Property.NodeScope
    );

    /** Intra-op threads of each ONNX Runtime session, 0 to 256 (0, the default: ONNX Runtime decides). */
    public static final Setting<Integer> ORT_INTRA_OP_THREADS = Setting.intSetting(
        "plugins.clip.inference.intra_op_threads",
        LegacyClipSettings.ORT_INTRA_OP_THREADS,
        0,
        256,
        Property.NodeScope
    );

    /**
     * Whether ONNX Runtime's intra-op threads spin while they wait for work (its own default, true). Off, they sleep: a
     * call waits a little longer for them, and the cores they would spin on decode and index images instead.
     */
    public static final Setting<Boolean> ORT_ALLOW_SPINNING = Setting.boolSetting(
        "plugins.clip.inference.allow_spinning",
        true,
        Property.NodeScope
    );

    /** Most bytes one image may have, as read, fetched or decoded from base64 (default 20mb). */
    public static final Setting<ByteSizeValue> IMAGE_MAX_BYTES = Setting.byteSizeSetting(
        "plugins.clip.image.max_bytes",
        LegacyClipSettings.IMAGE_MAX_BYTES,
        Property.NodeScope,
        Property.Dynamic
    );

    /** Images whose header declares more pixels than this are refused before decoding (default 40 million, at least 1). */
    public static final Setting<Long> IMAGE_MAX_PIXELS = Setting.longSetting(
        "plugins.clip.image.max_pixels",
        LegacyClipSettings.IMAGE_MAX_PIXELS,
        1L,
        Property.NodeScope,
        Property.Dynamic
    );

    /** Default 5s. */
    public static final Setting<TimeValue> FETCH_CONNECT_TIMEOUT = Setting.timeSetting(
        "plugins.clip.fetch.connect_timeout",
        LegacyClipSettings.FETCH_CONNECT_TIMEOUT,
        Property.NodeScope,
        Property.Dynamic
    );

    /** Default 20s. */
    public static final Setting<TimeValue> FETCH_READ_TIMEOUT = Setting.timeSetting(
        "plugins.clip.fetch.read_timeout",
        LegacyClipSettings.FETCH_READ_TIMEOUT,
        Property.NodeScope,
        Property.Dynamic
    );

    /** Allow image URLs that resolve to loopback, private, link-local or metadata addresses (default false). */
    public static final Setting<Boolean> FETCH_ALLOW_PRIVATE = Setting.boolSetting(
        "plugins.clip.fetch.allow_private_addresses",
        LegacyClipSettings.FETCH_ALLOW_PRIVATE,
        Property.NodeScope,
        Property.Dynamic
    );

    /**
     * clip_hybrid's composable-mode calibration defaults: the cosine band for models whose folder states none (CLIP ViT-B/32's
     * text-image cosines sit around 0.15 for unrelated and 0.3-0.35 for matching pairs, the defaults), and the fraction of the
     * query's best BM25 below which a text match counts against a document.
     */
    public static final Setting<Float> HYBRID_COSINE_LOW = Setting.floatSetting(
        "plugins.clip.hybrid.cosine_low",
        LegacyClipSettings.HYBRID_COSINE_LOW,
        -1f,
        Property.NodeScope,
        Property.Dynamic
    );
    public static final Setting<Float> HYBRID_COSINE_HIGH = Setting.floatSetting(
        "plugins.clip.hybrid.cosine_high",
        LegacyClipSettings.HYBRID_COSINE_HIGH,
        -1f,
        Property.NodeScope,
        Property.Dynamic
    );
    /** New with composable mode's evidence fusion, so it has no old name. */
    public static final Setting<Float> HYBRID_TEXT_FLOOR = Setting.floatSetting(
        "plugins.clip.hybrid.text_floor",
        0.5f,
        0f,
        1f,
        Property.NodeScope,
        Property.Dynamic
    );

    /**
     * Image bytes (encoded, decoded and model input) the node may hold between reading images and encoding them; past it a
     * document is rejected with 429. A percentage is of the heap (default 10%).
     */
    public static final Setting<ByteSizeValue> INGEST_MAX_BYTES_IN_FLIGHT = Setting.memorySizeSetting(
        "plugins.clip.ingest.max_bytes_in_flight",
        LegacyClipSettings.INGEST_MAX_BYTES_IN_FLIGHT,
        Property.NodeScope,
        Property.Dynamic
    );

    /** Least pause between the end of one harvester request to a host and the start of the next (default 1s). */
    public static final Setting<TimeValue> HARVEST_HOST_DELAY = Setting.timeSetting(
        "plugins.clip.harvest.host_delay",
        LegacyClipSettings.HARVEST_HOST_DELAY,
        TimeValue.ZERO,
        Property.NodeScope,
        Property.Dynamic
    );

    /** Most pages one harvest visits when its request gives no max_pages (default 100). */
    public static final Setting<Integer> HARVEST_MAX_PAGES = Setting.intSetting(
        "plugins.clip.harvest.max_pages",
        LegacyClipSettings.HARVEST_MAX_PAGES,
        1,
        Property.NodeScope,
        Property.Dynamic
    );

    /** Where ONNX Runtime runs the models: {@code cpu} (the default), or {@code cuda} with the onnxruntime_gpu jar in the plugin folder. */
    public static final Setting<String> INFERENCE_DEVICE = new Setting<>(
        "plugins.clip.inference.device",
        LegacyClipSettings.INFERENCE_DEVICE,
        SettingChecks.device("plugins.clip.inference.device"),
        Property.NodeScope
    );

    /**
     * Deadline of one URL fetch as a whole: connects, redirects, TLS handshakes and the body (default 30s, 1ms to 1h). The read
     * timeout alone lets a server that sends a byte now and then hold a thread for as long as it likes.
     */
    public static final Setting<TimeValue> FETCH_TIMEOUT = new Setting<>(
        "plugins.clip.fetch.timeout",
        LegacyClipSettings.FETCH_TIMEOUT,
        SettingChecks.timeBetween("plugins.clip.fetch.timeout", SettingChecks.FETCH_TIMEOUT_MIN, SettingChecks.FETCH_TIMEOUT_MAX),
        Property.NodeScope,
        Property.Dynamic
    );

    /**
     * How long a model that failed to load is remembered (default 60s): requests fail at once with the same reason instead of
     * loading it again; a changed file in its folder ends the wait early.
     */
    public static final Setting<TimeValue> MODEL_LOAD_RETRY_INTERVAL = Setting.timeSetting(
        "plugins.clip.model.load_retry_interval",
        LegacyClipSettings.MODEL_LOAD_RETRY_INTERVAL,
        TimeValue.ZERO,
        Property.NodeScope
    );

    /** How long one {@code _calibrate} request may search before it fails; its searches stop then. */
    public static final Setting<TimeValue> CALIBRATE_MAX_TIME = Setting.timeSetting(
        "plugins.clip.calibrate.max_time",
        TimeValue.timeValueMinutes(5),
        TimeValue.timeValueSeconds(1),
        TimeValue.timeValueHours(1),
        Property.NodeScope,
        Property.Dynamic
    );

    /** How often a node that serves a registered model checks, on use, that it is still registered. */
    public static final Setting<TimeValue> MODEL_REGISTERED_RECHECK = Setting.timeSetting(
        "plugins.clip.model.registered_recheck_interval",
        TimeValue.timeValueSeconds(10),
        TimeValue.ZERO,
        Property.NodeScope
    );

    /** Most bytes of a registered model's zip, uploaded in chunks or fetched from a URL (default 8000mb). */
    public static final Setting<ByteSizeValue> MODEL_REGISTERED_MAX_ZIP_BYTES = Setting.byteSizeSetting(
        RegistrationLimits.MAX_ZIP_BYTES,
        new ByteSizeValue(RegistrationLimits.DEFAULT_MAX_ZIP_BYTES),
        new ByteSizeValue(1),
        new ByteSizeValue(Long.MAX_VALUE),
        Property.NodeScope,
        Property.Dynamic
    );

    /**
     * Most bytes of one chunk of a registered model (default 8mb, at most 64mb): a chunk is one document of the system index and,
     * uploaded, one request.
     */
    public static final Setting<ByteSizeValue> MODEL_REGISTERED_MAX_CHUNK_BYTES = Setting.byteSizeSetting(
        RegistrationLimits.MAX_CHUNK_BYTES,
        new ByteSizeValue(RegistrationLimits.DEFAULT_MAX_CHUNK_BYTES),
        new ByteSizeValue(1024),
        new ByteSizeValue(RegistrationLimits.MAX_MAX_CHUNK_BYTES),
        Property.NodeScope,
        Property.Dynamic
    );

    /** Most chunks of one registered model (default 1000, 1 to 10000). */
    public static final Setting<Integer> MODEL_REGISTERED_MAX_CHUNKS = Setting.intSetting(
        RegistrationLimits.MAX_CHUNKS,
        RegistrationLimits.DEFAULT_MAX_CHUNKS,
        1,
        RegistrationLimits.MAX_MAX_CHUNKS,
        Property.NodeScope,
        Property.Dynamic
    );

    /** Most bytes a registration from a URL fetches (default 8000mb); the zip limit holds too. */
    public static final Setting<ByteSizeValue> MODEL_REGISTERED_URL_MAX_BYTES = Setting.byteSizeSetting(
        RegistrationLimits.URL_MAX_BYTES,
        new ByteSizeValue(RegistrationLimits.DEFAULT_MAX_ZIP_BYTES),
        new ByteSizeValue(1),
        new ByteSizeValue(Long.MAX_VALUE),
        Property.NodeScope,
        Property.Dynamic
    );

    /** How long a registration from a URL may fetch and store the zip (default 10m, 1s to 2h). */
    public static final Setting<TimeValue> MODEL_REGISTERED_URL_TIMEOUT = Setting.timeSetting(
        RegistrationLimits.URL_TIMEOUT,
        TimeValue.timeValueMillis(RegistrationLimits.DEFAULT_URL_TIMEOUT_MILLIS),
        TimeValue.timeValueSeconds(1),
        TimeValue.timeValueHours(2),
        Property.NodeScope,
        Property.Dynamic
    );

    /** The limits of an image or page fetch as they stand now. */
    public static FetchLimits fetchLimits(ClusterSettings current) {
        return new FetchLimits(
            current.get(IMAGE_MAX_BYTES).getBytes(),
            (int) current.get(FETCH_CONNECT_TIMEOUT).millis(),
            (int) current.get(FETCH_READ_TIMEOUT).millis(),
            (int) current.get(FETCH_TIMEOUT).millis(),
            current.get(FETCH_ALLOW_PRIVATE)
        );
    }

    /** The registration limits as they stand now. */
    public static RegistrationLimits registrationLimits(ClusterSettings current) {
        return new RegistrationLimits(
            current.get(MODEL_REGISTERED_MAX_ZIP_BYTES).getBytes(),
            (int) current.get(MODEL_REGISTERED_MAX_CHUNK_BYTES).getBytes(),
            current.get(MODEL_REGISTERED_MAX_CHUNKS),
            current.get(MODEL_REGISTERED_URL_MAX_BYTES).getBytes(),
            current.get(MODEL_REGISTERED_URL_TIMEOUT).millis()
        );
    }

    /**
     * A fixed thread pool whose {@code size} and {@code queue_size} settings sit under {@code plugins.clip.<key>.}; the old
     * {@code clip.<key>.} ones, when set, stand in for the defaults.
     */
    public static FixedExecutorBuilder threadPool(
        Settings settings,
        String name,
        LegacyClipSettings.ThreadPool legacy,
        int size,
        int queueSize
    ) {
        return new FixedExecutorBuilder(
            settings,
            name,
            legacy.size(settings, size),
            legacy.queueSize(settings, queueSize),
            PREFIX + legacy.name
        );
    }

    public static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>(
            List.of(
                HYBRID_COSINE_LOW,
                HYBRID_COSINE_HIGH,
                HYBRID_TEXT_FLOOR,
                DEFAULT_MODEL,
                QUANTIZED,
                IMAGES_PATH,
                ORT_INTRA_OP_THREADS,
                ORT_ALLOW_SPINNING,
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
                CALIBRATE_MAX_TIME,
                MODEL_REGISTERED_RECHECK,
                MODEL_REGISTERED_MAX_ZIP_BYTES,
                MODEL_REGISTERED_MAX_CHUNK_BYTES,
                MODEL_REGISTERED_MAX_CHUNKS,
                MODEL_REGISTERED_URL_MAX_BYTES,
                MODEL_REGISTERED_URL_TIMEOUT
            )
        );
        all.addAll(LegacyClipSettings.all());
        // plugins.clip.models.<model>.*: per-model calibration, prompt template and score function (model.settings)
        all.addAll(ModelSettings.all());
        return List.copyOf(all);
    }
}
