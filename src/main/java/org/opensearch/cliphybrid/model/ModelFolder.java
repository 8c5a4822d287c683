package org.opensearch.cliphybrid.model;

import org.opensearch.cliphybrid.ErrorReason;
import org.opensearch.cliphybrid.model.image.PreprocessorConfigs;
import org.opensearch.cliphybrid.model.text.TokenizerSpec;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The files of one model and how to read them: which family it is, each tower's graph and names, the tokenizer and its
 * rules, the image preprocessing. {@link #open} recognises two layouts, each holding several families:
 * <ul>
 *   <li>the Hugging Face ONNX split export (optimum / Xenova): {@code text_model.onnx} and {@code vision_model.onnx} at the
 *       top of the folder or under {@code onnx/}, optionally as {@code _quantized} variants, beside {@code tokenizer.json},
 *       {@code preprocessor_config.json} and {@code config.json}, whose {@code model_type} tells CLIP from SigLIP;</li>
 *   <li>OpenCLIP exports as Immich ships them: {@code textual/model.onnx}, {@code visual/model.onnx},
 *       {@code visual/preprocess_cfg.json}, {@code textual/tokenizer.json} and open_clip's model {@code config.json}.</li>
 * </ul>
 * Messages name files as {@code clip-models/<model>/<file>}, never by absolute path: they reach HTTP clients, and the node's
 * directory layout is none of theirs. The absolute path goes to the node's log only.
 */
public record ModelFolder(
    String name,
    Path dir,
    ModelFamily family,
    Layout layout,
    TowerSpec text,
    TowerSpec vision,
    TokenizerSpec tokenizer,
    Path preprocessorConfig,
    Map<String, Object> config
) {

    /** Where a folder's files sit and how its preprocessing file is written. */
    public enum Layout {
        HUGGING_FACE,
        OPENCLIP;

        public String displayName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static ModelFolder open(String name, Path dir, boolean quantized) {
        if (Files.isDirectory(dir) == false) {
            throw new IllegalArgumentException("CLIP model [" + name + "]: no model folder [" + root(name) + "]");
        }
        if (OpenClipExport.matches(dir)) {
            return OpenClipExport.open(name, dir, quantized);
        }
        if (HuggingFaceExport.matches(dir)) {
            return HuggingFaceExport.open(name, dir, quantized);
        }
        throw new IllegalArgumentException(
            "CLIP model [" + name + "]: [" + root(name) + "] matches no model family: looked for " + HuggingFaceExport.LOOKED_FOR
                + " (Hugging Face CLIP or SigLIP export) and for " + OpenClipExport.LOOKED_FOR + " (OpenCLIP export as Immich ships it)"
        );
    }

    public Path textModel() {
        return text.onnx();
    }

    public Path visionModel() {
        return vision.onnx();
    }

    /** The embedding size the config declares, or -1; the loaded graph's output shape has the last word. */
    public int declaredDimension() {
        Object dim = config.getOrDefault("projection_dim", config.get("embed_dim"));
        return dim instanceof Number n ? n.intValue() : -1;
    }

    /** The optional file where a model states how its text-image cosines read as relevance, for clip_hybrid and labels. */
    public static final String HYBRID_CALIBRATION_FILE = "clip_hybrid.json";
    /** The combined graph of a SigLIP export, read only for its two score numbers. */
    static final String COMBINED_GRAPH = "model.onnx";
    private static final String LOGIT_SCALE = "logit_scale", LOGIT_BIAS = "logit_bias";
    /**
     * CLIP's learned temperature is clamped at 100 and the released models sit at that clamp; Hugging Face configs carry only
     * its initial value, in log space, which says nothing about the trained model.
     */
    private static final double CLIP_LOGIT_SCALE = 100;

    /**
     * The model's own cosine band: {@code cosine_low} and {@code cosine_high} in {@value #HYBRID_CALIBRATION_FILE}, where
     * its text-image cosines go from unlikely to likely relevant, which depends on the model; else the band its sigmoid
     * score function implies (SigLIP); null when neither is known, and the node's settings decide.
     */
    public float[] cosineBand() {
        Map<String, Object> values = calibration();
        if (values.containsKey("cosine_low") || values.containsKey("cosine_high")) {
            if (values.get("cosine_low") instanceof Number low && values.get("cosine_high") instanceof Number high) {
                float lo = low.floatValue(), hi = high.floatValue();
                if (lo >= -1 && hi <= 1 && hi > lo) {
                    return new float[] { lo, hi };
                }
            }
            throw new IllegalArgumentException(
                "CLIP model [" + name + "]: [" + display(dir.resolve(HYBRID_CALIBRATION_FILE)) + "] needs numbers cosine_low and"
                    + " cosine_high with -1 <= cosine_low < cosine_high <= 1, got " + values
            );
        }
        ScoreFunction score = scoreFunction();
        return score == null ? null : score.cosineBand();
    }

    /**
     * How the model turns cosines into label probabilities, as it was trained. CLIP: a softmax at config.json's
     * {@code logit_scale}, the multiplier itself (CLIP's 100 where the config has none). SigLIP: a sigmoid with the
     * checkpoint's {@code logit_scale} (a logarithm) and {@code logit_bias}, read from {@value #HYBRID_CALIBRATION_FILE}
     * or else from the combined {@code onnx/model.onnx}; null when neither holds them, since the split towers do not.
     */
    public ScoreFunction scoreFunction() {
        if (family.sigmoid() == false) {
            Object scale = config.get(LOGIT_SCALE);
            return new ScoreFunction.Softmax(scale instanceof Number n && n.doubleValue() > 0 ? n.doubleValue() : CLIP_LOGIT_SCALE);
        }
        Map<String, Object> values = calibration();
        if (values.containsKey(LOGIT_SCALE) || values.containsKey(LOGIT_BIAS)) {
            if (values.get(LOGIT_SCALE) instanceof Number scale && values.get(LOGIT_BIAS) instanceof Number bias
                && Double.isFinite(scale.doubleValue()) && Double.isFinite(bias.doubleValue()) && Math.abs(scale.doubleValue()) < 20) {
                return new ScoreFunction.Sigmoid(scale.doubleValue(), bias.doubleValue());
            }
            throw new IllegalArgumentException(
                "CLIP model [" + name + "]: [" + display(dir.resolve(HYBRID_CALIBRATION_FILE)) + "] needs finite numbers logit_scale"
                    + " (the checkpoint's, a logarithm, below 20) and logit_bias, got " + values
            );
        }
        for (Path combined : List.of(dir.resolve("onnx").resolve(COMBINED_GRAPH), dir.resolve(COMBINED_GRAPH))) {
            if (Files.isRegularFile(combined)) {
                Map<String, Float> found;
                try {
                    found = OnnxProtobuf.scalars(combined, Set.of(LOGIT_SCALE, LOGIT_BIAS));
                } catch (IOException e) {
                    throw new IllegalArgumentException("CLIP model [" + name + "]: cannot read [" + display(combined) + "]: " + e.getMessage());
                }
                if (found.size() == 2) {
                    return new ScoreFunction.Sigmoid(found.get(LOGIT_SCALE), found.get(LOGIT_BIAS));
                }
            }
        }
        return null;
    }

    private Map<String, Object> calibration() {
        Path file = dir.resolve(HYBRID_CALIBRATION_FILE);
        return Files.exists(file) ? readJson(file, display(file)) : Map.of();
    }

    /** {@code file} as clients may see it: {@code clip-models/<model>/<path inside the folder>}. */
    public String display(Path file) {
        Path relative = file.startsWith(dir) ? dir.relativize(file) : file.getFileName();
        return root(name) + "/" + relative.toString().replace('\\', '/');
    }

    /**
     * The image preprocessing as a Hugging Face {@code preprocessor_config.json} states it, whatever file the layout holds;
     * a syntax error is reported under the file's display name.
     */
    public Map<String, Object> preprocessorSettings() {
        Map<String, Object> raw = readJson(preprocessorConfig, display(preprocessorConfig));
        if (layout == Layout.OPENCLIP) {
            try {
                return PreprocessorConfigs.fromOpenClip(raw);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    "CLIP model [" + name + "]: invalid image preprocessing in [" + display(preprocessorConfig) + "]: " + e.getMessage()
                );
            }
        }
        return family.sigmoid() ? PreprocessorConfigs.siglip(raw) : raw;
    }

    /**
     * {@code message} with every spelling of this folder's absolute path (as given, absolute, real, as a URI) replaced by
     * {@code clip-models/<model>}: for what DJL, ONNX Runtime or the tokenizer say about a file of the folder.
     */
    public String redact(String message) {
        if (message == null) {
            return null;
        }
        String out = message;
        for (String spelling : spellings(dir)) {
            out = out.replace(spelling, root(name));
        }
        return out;
    }

    private static Set<String> spellings(Path dir) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(dir.toString());
        forms.add(dir.toAbsolutePath().normalize().toString());
        try {
            forms.add(dir.toRealPath().toString());
        } catch (IOException e) {
            // a folder that has gone leaves only the spellings above
        }
        for (String form : List.copyOf(forms)) {
            // a folder's URI ends in '/', which must stay in the message as the separator before a file name
            forms.add(stripSlash(Path.of(form).toUri().toString()));
            forms.add(stripSlash(Path.of(form).toUri().getRawPath()));
        }
        forms.removeIf(f -> f.length() < 2);
        // longest first: a path is never left half replaced by a shorter spelling that is its prefix
        List<String> sorted = new ArrayList<>(forms);
        sorted.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return new LinkedHashSet<>(sorted);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static String root(String name) {
        return ModelRegistry.MODELS_FOLDER + "/" + name;
    }

    static Path onnxFile(String name, Path dir, String tower, boolean quantized) {
        String file = tower + (quantized ? "_quantized" : "") + ".onnx";
        List<Path> candidates = List.of(dir.resolve(file), dir.resolve("onnx").resolve(file));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        List<String> looked = new ArrayList<>();
        candidates.forEach(c -> looked.add(dir.relativize(c).toString().replace('\\', '/')));
        throw new IllegalArgumentException(
            "CLIP model [" + name + "]: no " + tower + " in [" + root(name) + "], looked for " + looked
                + (quantized ? " (plugins.clip.model.quantized is true)" : "")
        );
    }

    static Path required(String name, Path dir, String file) {
        Path p = dir.resolve(file);
        if (Files.isRegularFile(p) == false) {
            throw new IllegalArgumentException("CLIP model [" + name + "]: missing [" + file + "] in [" + root(name) + "]");
        }
        return p;
    }

    /** Reads a JSON object from a file; the message of a failure names the file by its absolute path (for tests and tools). */
    public static Map<String, Object> readJson(Path file) {
        return readJson(file, file.toString());
    }

    static Map<String, Object> readJson(Path file, String shownAs) {
        try (
            InputStream in = Files.newInputStream(file);
            XContentParser parser = JsonXContent.jsonXContent.createParser(
                NamedXContentRegistry.EMPTY,
                DeprecationHandler.IGNORE_DEPRECATIONS,
                in
            )
        ) {
            // the parser's map() reads an array or a bare value as an empty object; a config file must be an object
            XContentParser.Token first = parser.nextToken();
            if (first != XContentParser.Token.START_OBJECT) {
                throw new IllegalArgumentException(first == null ? "the file is empty" : "it starts with " + first + ", not {");
            }
            Map<String, Object> map = parser.map();
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("there is more after the object");
            }
            return map;
        } catch (IOException | RuntimeException e) {
            // no cause: parser messages may quote the file's absolute path, and an exception's causes reach the client too
            throw new IllegalArgumentException("[" + shownAs + "] is not a readable JSON object: " + parserReason(e, file, shownAs));
        }
    }

    private static String parserReason(Exception e, Path file, String shownAs) {
        String reason = ErrorReason.of(e);
        Throwable cause = e.getCause();
        // XContent wraps Jackson's exception, whose message says where in the file the error is
        if (cause != null && cause.getMessage() != null && reason.contains(cause.getMessage()) == false) {
            reason = reason + ": " + cause.getMessage();
        }
        return reason.replace(file.toAbsolutePath().toString(), shownAs).replace(file.toString(), shownAs);
    }
}
