package org.opensearch.cliphybrid.model.image;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Image preprocessing files of other families, restated as the Hugging Face {@code preprocessor_config.json} that
 * {@link ClipImagePreprocessor} reads, so that one resize and one normalisation serve every family.
 */
public final class PreprocessorConfigs {
    private static final List<Double> HALF = List.of(0.5, 0.5, 0.5);
    private static final int SIGLIP_SIZE = 224;

    private PreprocessorConfigs() {}

    /**
     * SiglipImageProcessor's defaults where CLIPImageProcessor's differ: a straight resize to height × width, no crop, and
     * mean = std = 0.5. Keys the file gives win.
     */
    public static Map<String, Object> siglip(Map<String, Object> config) {
        Map<String, Object> out = new HashMap<>();
        out.put("size", Map.of("height", SIGLIP_SIZE, "width", SIGLIP_SIZE));
        out.put("do_center_crop", false);
        out.put("image_mean", HALF);
        out.put("image_std", HALF);
        out.putAll(config);
        return out;
    }

    /**
     * open_clip's {@code preprocess_cfg.json}: {@code size} (a number or [height, width]), {@code mean}, {@code std},
     * {@code interpolation} and {@code resize_mode}: {@code shortest} resizes the shortest side and crops the centre,
     * {@code squash} resizes straight to the size. {@code longest} (pad to a square) is refused: no export found uses it.
     */
    public static Map<String, Object> fromOpenClip(Map<String, Object> config) {
        int[] size = size(config.getOrDefault("size", SIGLIP_SIZE));
        String mode = String.valueOf(config.getOrDefault("resize_mode", "shortest"));
        Map<String, Object> out = new HashMap<>();
        switch (mode) {
            case "shortest" -> {
                if (size[0] != size[1]) {
                    throw new IllegalArgumentException("resize_mode shortest needs a square size, but size is " + config.get("size"));
                }
                out.put("size", Map.of("shortest_edge", size[0]));
                out.put("crop_size", Map.of("height", size[0], "width", size[1]));
                out.put("do_center_crop", true);
            }
            case "squash" -> {
                out.put("size", Map.of("height", size[0], "width", size[1]));
                out.put("do_center_crop", false);
            }
            default -> throw new IllegalArgumentException("resize_mode [" + mode + "] is not supported; only shortest and squash are");
        }
        String interpolation = String.valueOf(config.getOrDefault("interpolation", "bicubic")).toLowerCase(Locale.ROOT);
        out.put("resample", switch (interpolation) {
            case "bicubic" -> 3;
            case "bilinear" -> 2;
            default -> throw new IllegalArgumentException("interpolation [" + interpolation + "] is not supported; only bicubic and bilinear are");
        });
        if (config.containsKey("mean")) {
            out.put("image_mean", config.get("mean"));
        }
        if (config.containsKey("std")) {
            out.put("image_std", config.get("std"));
        }
        out.put("do_resize", true);
        out.put("do_rescale", true);
        out.put("do_normalize", true);
        return out;
    }

    private static int[] size(Object size) {
        if (size instanceof Number n) {
            return new int[] { n.intValue(), n.intValue() };
        }
        if (size instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number h && l.get(1) instanceof Number w) {
            return new int[] { h.intValue(), w.intValue() };
        }
        throw new IllegalArgumentException("size must be a number or [height, width], but was [" + size + "]");
    }
}
