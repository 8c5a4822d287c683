package org.opensearch.cliphybrid.model;

import org.opensearch.cliphybrid.ErrorReason;
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
import java.util.Map;
import java.util.Set;

/**
 * The files of one CLIP model in the Hugging Face ONNX export layout (optimum / Xenova): the two towers at the top of the
 * folder or under {@code onnx/}, optionally as {@code _quantized} variants, beside {@code tokenizer.json},
 * {@code preprocessor_config.json} and {@code config.json}.
 * <p>
 * Messages name files as {@code clip-models/<model>/<file>}, never by absolute path: they reach HTTP clients, and the node's
 * directory layout is none of theirs. The absolute path goes to the node's log only.
 */
public record ModelFolder(String name, Path dir, Path textModel, Path visionModel, Path tokenizer, Path preprocessorConfig, Map<
    String,
    Object> config) {

    public static ModelFolder open(String name, Path dir, boolean quantized) {
        if (Files.isDirectory(dir) == false) {
            throw new IllegalArgumentException("CLIP model [" + name + "]: no model folder [" + root(name) + "]");
        }
        Path text = onnxFile(name, dir, "text_model", quantized);
        Path vision = onnxFile(name, dir, "vision_model", quantized);
        Path tokenizer = required(name, dir, "tokenizer.json");
        Path preprocessor = required(name, dir, "preprocessor_config.json");
        Path configFile = dir.resolve("config.json");
        Map<String, Object> config = Files.exists(configFile) ? readJson(configFile, root(name) + "/config.json") : Map.of();
        return new ModelFolder(name, dir, text, vision, tokenizer, preprocessor, config);
    }

    /** The embedding size the config declares, or -1; the loaded graph's output shape has the last word. */
    public int declaredDimension() {
        Object dim = config.get("projection_dim");
        return dim instanceof Number n ? n.intValue() : -1;
    }

    /** The optional file where a model states how its text-image cosines read as relevance, for clip_hybrid. */
    public static final String HYBRID_CALIBRATION_FILE = "clip_hybrid.json";

    /**
     * The model's own cosine band ({@code cosine_low}, {@code cosine_high} in {@value #HYBRID_CALIBRATION_FILE}): where its
     * text-image cosines go from unlikely to likely relevant, which depends on the model. Null without the file.
     */
    public float[] cosineBand() {
        Path file = dir.resolve(HYBRID_CALIBRATION_FILE);
        if (Files.exists(file) == false) {
            return null;
        }
        Map<String, Object> values = readJson(file, display(file));
        if (values.get("cosine_low") instanceof Number low && values.get("cosine_high") instanceof Number high) {
            float lo = low.floatValue(), hi = high.floatValue();
            if (lo >= -1 && hi <= 1 && hi > lo) {
                return new float[] { lo, hi };
            }
        }
        throw new IllegalArgumentException(
            "CLIP model [" + name + "]: [" + display(file) + "] needs numbers cosine_low and cosine_high with -1 <= cosine_low"
                + " < cosine_high <= 1, got " + values
        );
    }

    /** {@code file} as clients may see it: {@code clip-models/<model>/<path inside the folder>}. */
    public String display(Path file) {
        Path relative = file.startsWith(dir) ? dir.relativize(file) : file.getFileName();
        return root(name) + "/" + relative.toString().replace('\\', '/');
    }

    /** The parsed {@code preprocessor_config.json}; a syntax error is reported under the file's display name. */
    public Map<String, Object> preprocessorSettings() {
        return readJson(preprocessorConfig, display(preprocessorConfig));
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

    private static String root(String name) {
        return ModelRegistry.MODELS_FOLDER + "/" + name;
    }

    private static Path onnxFile(String name, Path dir, String tower, boolean quantized) {
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

    private static Path required(String name, Path dir, String file) {
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

    private static Map<String, Object> readJson(Path file, String shownAs) {
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
