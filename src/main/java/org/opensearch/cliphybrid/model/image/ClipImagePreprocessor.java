package org.opensearch.cliphybrid.model.image;

import org.opensearch.cliphybrid.model.Vectors;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face's {@code CLIPImageProcessor} (the PIL one) as configured by a model folder's
 * {@code preprocessor_config.json}: resize, centre crop, rescale, normalise, to float32 CHW. The vision model was
 * trained on exactly these numbers, so every step follows transformers' rounding rather than a "close enough" one.
 */
public final class ClipImagePreprocessor {
    private static final int CHANNELS = 3;
    // CLIPImageProcessor's defaults, for keys a config leaves out
    private static final List<Double> OPENAI_CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);
    private static final List<Double> OPENAI_CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);
    private static final int DEFAULT_SIZE = 224;
    private static final int PIL_BILINEAR = 2;
    private static final int PIL_BICUBIC = 3;
    /** Beyond 2^53 a double no longer holds every integer, so the taps of an output index would be computed wrongly. */
    private static final long MAX_RESIZED_SIDE = 1L << 53;

    private final boolean doResize;
    /** Resize target: the shortest edge when positive, else exactly {@link #resizeHeight} x {@link #resizeWidth}. */
    private final int shortestEdge;
    private final int resizeHeight;
    private final int resizeWidth;
    private final PilResize.Filter filter;
    private final boolean doCenterCrop;
    private final int outHeight;
    private final int outWidth;
    /** Float value of each 8-bit level per channel: the whole rescale + normalise, done once. */
    private final float[][] levels;

    private ClipImagePreprocessor(
        boolean doResize,
        int shortestEdge,
        int resizeHeight,
        int resizeWidth,
        PilResize.Filter filter,
        boolean doCenterCrop,
        int outHeight,
        int outWidth,
        float[][] levels
    ) {
        this.doResize = doResize;
        this.shortestEdge = shortestEdge;
        this.resizeHeight = resizeHeight;
        this.resizeWidth = resizeWidth;
        this.filter = filter;
        this.doCenterCrop = doCenterCrop;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.levels = levels;
    }

    /**
     * Builds the preprocessor from a parsed {@code preprocessor_config.json}. Keys that are missing take
     * CLIPImageProcessor's defaults; values it would not accept, or that this class does not implement, are refused.
     */
    public static ClipImagePreprocessor fromConfig(Map<String, Object> config) {
        boolean doResize = bool(config, "do_resize", true);
        int shortestEdge = -1;
        int resizeHeight = -1;
        int resizeWidth = -1;
        Object size = config.getOrDefault("size", Map.of("shortest_edge", DEFAULT_SIZE));
        if (size instanceof Number n) {
            // old configs give a bare number, which transformers reads as the shortest edge for CLIP
            shortestEdge = positive("size", n);
        } else if (size instanceof Map<?, ?> m && m.containsKey("shortest_edge")) {
            shortestEdge = positive("size.shortest_edge", m.get("shortest_edge"));
        } else if (size instanceof Map<?, ?> m && m.containsKey("height") && m.containsKey("width")) {
            resizeHeight = positive("size.height", m.get("height"));
            resizeWidth = positive("size.width", m.get("width"));
        } else {
            throw new IllegalArgumentException("size must have shortest_edge, or height and width, but was [" + size + "]");
        }

        Object resample = config.getOrDefault("resample", PIL_BICUBIC);
        int resampleCode = resample instanceof Number n && n.doubleValue() == n.intValue() ? n.intValue() : -1;
        PilResize.Filter filter = switch (resampleCode) {
            case PIL_BICUBIC -> PilResize.Filter.BICUBIC;
            case PIL_BILINEAR -> PilResize.Filter.BILINEAR;
            default -> throw new IllegalArgumentException(
                "resample [" + resample + "] is not supported; only 3 (bicubic) and 2 (bilinear) are"
            );
        };

        boolean doCenterCrop = bool(config, "do_center_crop", true);
        int cropHeight = DEFAULT_SIZE;
        int cropWidth = DEFAULT_SIZE;
        Object crop = config.get("crop_size");
        if (crop instanceof Number n) {
            cropHeight = cropWidth = positive("crop_size", n);
        } else if (crop instanceof Map<?, ?> m) {
            cropHeight = positive("crop_size.height", m.get("height"));
            cropWidth = positive("crop_size.width", m.get("width"));
        } else if (crop != null) {
            throw new IllegalArgumentException("crop_size must be a number or have height and width, but was [" + crop + "]");
        }

        int outHeight;
        int outWidth;
        if (doCenterCrop) {
            outHeight = cropHeight;
            outWidth = cropWidth;
        } else if (doResize && shortestEdge < 0) {
            outHeight = resizeHeight;
            outWidth = resizeWidth;
        } else {
            // the ONNX vision model takes one fixed size, which only a crop or an exact resize guarantees
            throw new IllegalArgumentException("do_center_crop=false needs do_resize=true with size.height and size.width");
        }

        boolean doRescale = bool(config, "do_rescale", true);
        double rescaleFactor = number(config, "rescale_factor", 1.0 / 255);
        boolean doNormalize = bool(config, "do_normalize", true);
        float[] mean = perChannel(config, "image_mean", OPENAI_CLIP_MEAN);
        float[] std = perChannel(config, "image_std", OPENAI_CLIP_STD);
        for (float s : std) {
            if (s == 0 || Float.isFinite(s) == false) {
                throw new IllegalArgumentException("image_std must be finite and non-zero, but was [" + config.get("image_std") + "]");
            }
        }

        float[][] levels = new float[CHANNELS][256];
        for (int c = 0; c < CHANNELS; c++) {
            for (int p = 0; p < 256; p++) {
                // transformers rescales in float64 and casts to float32, then normalises in float32
                float v = doRescale ? (float) (p * rescaleFactor) : p;
                levels[c][p] = doNormalize ? (v - mean[c]) / std[c] : v;
            }
        }
        return new ClipImagePreprocessor(
            doResize,
            shortestEdge,
            resizeHeight,
            resizeWidth,
            filter,
            doCenterCrop,
            outHeight,
            outWidth,
            levels
        );
    }

    public int channels() {
        return CHANNELS;
    }

    public int height() {
        return outHeight;
    }

    public int width() {
        return outWidth;
    }

    /** How many floats {@link #preprocess} writes: {@code channels() x height() x width()}. */
    public int size() {
        return CHANNELS * outHeight * outWidth;
    }

    /**
     * Writes the {@code pixel_values} of one image into {@code out}, {@link #size()} floats from index 0, so that they can
     * go to the model from off-heap memory without a copy on the heap. {@code rgb} is an RGB image, such as
     * {@code ImageDecoder.decode} returns (alpha, if any, is ignored).
     */
    public void preprocess(BufferedImage rgb, FloatBuffer out) {
        if (out.capacity() < size()) {
            throw new IllegalArgumentException("pixel_values need " + size() + " floats, the buffer holds " + out.capacity());
        }
        int width = rgb.getWidth();
        int height = rgb.getHeight();
        long targetWidth = width;
        long targetHeight = height;
        if (doResize) {
            if (shortestEdge > 0) {
                // transformers' get_resize_output_image_size(default_to_square=False): the long side is truncated
                double longSide = (double) shortestEdge * Math.max(width, height) / Math.min(width, height);
                if (longSide >= MAX_RESIZED_SIDE) {
                    throw new IllegalArgumentException(
                        "aspect ratio "
                            + width
                            + "x"
                            + height
                            + " too extreme: its shortest edge resized to "
                            + shortestEdge
                            + " makes the long side "
                            + longSide
                            + " pixels, more than the resize can represent exactly ("
                            + MAX_RESIZED_SIDE
                            + ")"
                    );
                }
                targetWidth = width <= height ? shortestEdge : (long) longSide;
                targetHeight = width <= height ? (long) longSide : shortestEdge;
            } else {
                targetWidth = resizeWidth;
                targetHeight = resizeHeight;
            }
        }
        // transformers' center_crop: offset (size - crop) // 2, and where the image is smaller, zero padding with the
        // image placed ceil((crop - size) / 2) in, which is the same floor division with a negative result
        long top = doCenterCrop ? Math.floorDiv(targetHeight - outHeight, 2) : 0;
        long left = doCenterCrop ? Math.floorDiv(targetWidth - outWidth, 2) : 0;
        // only the pixels the crop keeps are resized: a long thin image would otherwise make a resized image of any size
        PilResize.Window window = PilResize.window(width, height, targetWidth, targetHeight, left, top, outWidth, outHeight, filter);
        int[] pixels = window.apply(source(rgb, window));
        int plane = outHeight * outWidth;
        for (int i = 0; i < plane; i++) {
            int p = pixels[i];
            out.put(i, levels[0][(p >> 16) & 0xFF]);
            out.put(plane + i, levels[1][(p >> 8) & 0xFF]);
            out.put(2 * plane + i, levels[2][p & 0xFF]);
        }
    }

    /**
     * The pixels {@code window} reads. ImageDecoder's {@code TYPE_INT_RGB} is read in place from its own array, where
     * {@code getRGB} would copy the whole image again; other types copy just the rectangle the window reads.
     */
    private static PilResize.Source source(BufferedImage image, PilResize.Window window) {
        WritableRaster raster = image.getRaster();
        if (image.getType() == BufferedImage.TYPE_INT_RGB
            && raster.getDataBuffer() instanceof DataBufferInt data
            && data.getNumBanks() == 1
            && raster.getSampleModel() instanceof SinglePixelPackedSampleModel model) {
            int origin = data.getOffset() + model.getOffset(-raster.getSampleModelTranslateX(), -raster.getSampleModelTranslateY());
            return new PilResize.Source(data.getData(), origin, model.getScanlineStride());
        }
        int x = window.inputX();
        int y = window.inputY();
        int w = window.inputWidth();
        int h = window.inputHeight();
        if (w == 0 || h == 0) {
            return new PilResize.Source(new int[0], 0, 0);
        }
        int[] copy = image.getRGB(x, y, w, h, null, 0, w);
        return new PilResize.Source(copy, -(y * w + x), w);
    }

    private static boolean bool(Map<String, Object> config, String key, boolean defaultValue) {
        Object v = config.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(key + " must be true or false, but was [" + v + "]");
    }

    private static double number(Map<String, Object> config, String key, double defaultValue) {
        Object v = config.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(key + " must be a number, but was [" + v + "]");
    }

    private static int positive(String key, Object v) {
        if (v instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() > 0) {
            return n.intValue();
        }
        throw new IllegalArgumentException(key + " must be a positive integer, but was [" + v + "]");
    }

    /** transformers accepts one number for all channels or a list of three. */
    private static float[] perChannel(Map<String, Object> config, String key, List<Double> defaultValue) {
        Object v = config.getOrDefault(key, defaultValue);
        float[] out = new float[CHANNELS];
        if (v instanceof Number n) {
            Arrays.fill(out, n.floatValue());
            return out;
        }
        if (v instanceof List<?> list && list.size() == CHANNELS && list.stream().allMatch(e -> e instanceof Number)) {
            // numpy: np.array(mean, dtype=float32), i.e. the float64 JSON value rounded once to float32
            return Vectors.fromList(list, key);
        }
        throw new IllegalArgumentException(key + " must be a number or a list of " + CHANNELS + " numbers, but was [" + v + "]");
    }
}
