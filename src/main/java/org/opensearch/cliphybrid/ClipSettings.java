package org.opensearch.cliphybrid;

import org.opensearch.cliphybrid.image.ImageLoader;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Setting.Property;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.unit.ByteSizeUnit;
import org.opensearch.core.common.unit.ByteSizeValue;

import java.util.List;

/** Every setting of the plugin, all under the {@code clip.} prefix. */
public final class ClipSettings {
    private ClipSettings() {}

    /** Name of the model folder under {@code <config>/clip-models/} used when a request names none. */
    public static final Setting<String> DEFAULT_MODEL = Setting.simpleString(
        "clip.model.default",
        "default",
        Property.NodeScope,
        Property.Dynamic
    );

    /** Prefer the {@code *_quantized.onnx} files of a model folder when they exist. */
    public static final Setting<Boolean> QUANTIZED = Setting.boolSetting("clip.model.quantized", false, Property.NodeScope);

    /** Folder under which {@code clip_embedding} may read image files; empty means no file paths are accepted. */
    public static final Setting<String> IMAGES_PATH = Setting.simpleString("clip.images.path", "", Property.NodeScope);

    /** Intra-op threads of each ONNX Runtime session (0: ONNX Runtime decides). */
    public static final Setting<Integer> ORT_INTRA_OP_THREADS = Setting.intSetting(
        "clip.inference.intra_op_threads",
        0,
        0,
        256,
        Property.NodeScope
    );

    public static final Setting<ByteSizeValue> IMAGE_MAX_BYTES = Setting.byteSizeSetting(
        "clip.image.max_bytes",
        new ByteSizeValue(20, ByteSizeUnit.MB),
        Property.NodeScope,
        Property.Dynamic
    );

    /** Images whose header declares more pixels than this are refused before decoding. */
    public static final Setting<Long> IMAGE_MAX_PIXELS = Setting.longSetting(
        "clip.image.max_pixels",
        40_000_000L,
        1L,
        Property.NodeScope,
        Property.Dynamic
    );

    public static final Setting<TimeValue> FETCH_CONNECT_TIMEOUT = Setting.timeSetting(
        "clip.fetch.connect_timeout",
        TimeValue.timeValueSeconds(5),
        Property.NodeScope,
        Property.Dynamic
    );

    public static final Setting<TimeValue> FETCH_READ_TIMEOUT = Setting.timeSetting(
        "clip.fetch.read_timeout",
        TimeValue.timeValueSeconds(20),
        Property.NodeScope,
        Property.Dynamic
    );

    /** Allow image URLs that resolve to loopback, private, link-local or metadata addresses. */
    public static final Setting<Boolean> FETCH_ALLOW_PRIVATE = Setting.boolSetting(
        "clip.fetch.allow_private_addresses",
        false,
        Property.NodeScope,
        Property.Dynamic
    );

    /**
     * clip_hybrid's composable-mode calibration defaults: the cosine band of the model in use (CLIP ViT-B/32's text-image cosines
     * sit around 0.15 for unrelated and 0.3-0.35 for matching pairs), and the BM25 score that counts as a half-strong text match.
     */
    public static final Setting<Float> HYBRID_COSINE_LOW = Setting.floatSetting(
        "clip.hybrid.cosine_low",
        0.15f,
        -1f,
        Property.NodeScope,
        Property.Dynamic
    );
    public static final Setting<Float> HYBRID_COSINE_HIGH = Setting.floatSetting(
        "clip.hybrid.cosine_high",
        0.35f,
        -1f,
        Property.NodeScope,
        Property.Dynamic
    );
    public static final Setting<Float> HYBRID_TEXT_SATURATION = Setting.floatSetting(
        "clip.hybrid.text_saturation",
        4f,
        0.001f,
        Property.NodeScope,
        Property.Dynamic
    );

    /**
     * Image bytes (encoded, decoded and model input) the node may hold between reading images and encoding them; past it a
     * document is rejected with 429. A percentage is of the heap.
     */
    public static final Setting<ByteSizeValue> INGEST_MAX_BYTES_IN_FLIGHT = Setting.memorySizeSetting(
        "clip.ingest.max_bytes_in_flight",
        "10%",
        Property.NodeScope,
        Property.Dynamic
    );

    /** Least pause between the end of one harvester request to a host and the start of the next. */
    public static final Setting<TimeValue> HARVEST_HOST_DELAY = Setting.timeSetting(
        "clip.harvest.host_delay",
        TimeValue.timeValueSeconds(1),
        TimeValue.ZERO,
        Property.NodeScope,
        Property.Dynamic
    );

    /** Most pages one harvest visits when its request gives no max_pages. */
    public static final Setting<Integer> HARVEST_MAX_PAGES = Setting.intSetting(
        "clip.harvest.max_pages",
        100,
        1,
        Property.NodeScope,
        Property.Dynamic
    );

    /** Where ONNX Runtime runs the models: {@code cpu}, or {@code cuda} with the onnxruntime_gpu jar in the plugin folder. */
    public static final Setting<String> INFERENCE_DEVICE = new Setting<>("clip.inference.device", "cpu", value -> {
        if (value.equals("cpu") == false && value.equals("cuda") == false) {
            throw new IllegalArgumentException("clip.inference.device must be [cpu] or [cuda], got [" + value + "]");
        }
        return value;
    }, Property.NodeScope);

    /**
     * Deadline of one URL fetch as a whole: connects, redirects, TLS handshakes and the body. The read timeout alone lets a
     * server that sends a byte now and then hold a thread for as long as it likes.
     */
    public static final Setting<TimeValue> FETCH_TIMEOUT = Setting.timeSetting(
        "clip.fetch.timeout",
        TimeValue.timeValueMillis(ImageLoader.Limits.DEFAULT_FETCH_TIMEOUT_MILLIS),
        TimeValue.timeValueMillis(1),
        TimeValue.timeValueHours(1),
        Property.NodeScope,
        Property.Dynamic
    );

    /**
     * How long a model that failed to load is remembered: requests fail at once with the same reason instead of loading it
     * again; a changed file in its folder ends the wait early.
     */
    public static final Setting<TimeValue> MODEL_LOAD_RETRY_INTERVAL = Setting.timeSetting(
        "clip.model.load_retry_interval",
        TimeValue.timeValueSeconds(60),
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

    public static List<Setting<?>> all() {
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
            CALIBRATE_MAX_TIME
        );
    }
}
