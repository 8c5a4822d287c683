package org.opensearch.cliphybrid.model;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The files of one CLIP model in the Hugging Face ONNX export layout (optimum / Xenova): the two towers at the top of the
 * folder or under {@code onnx/}, optionally as {@code _quantized} variants, beside {@code tokenizer.json},
 * {@code preprocessor_config.json} and {@code config.json}.
 */
public record ModelFolder(String name, Path dir, Path textModel, Path visionModel, Path tokenizer, Path preprocessorConfig, Map<
    String,
    Object> config) {

    public static ModelFolder open(String name, Path dir, boolean quantized) {
        if (Files.isDirectory(dir) == false) {
            throw new IllegalArgumentException("CLIP model [" + name + "]: no model folder at [" + dir + "]");
        }
        Path text = onnxFile(name, dir, "text_model", quantized);
        Path vision = onnxFile(name, dir, "vision_model", quantized);
        Path tokenizer = required(name, dir, "tokenizer.json");
        Path preprocessor = required(name, dir, "preprocessor_config.json");
        Path configFile = dir.resolve("config.json");
        Map<String, Object> config = Files.exists(configFile) ? readJson(configFile) : Map.of();
        return new ModelFolder(name, dir, text, vision, tokenizer, preprocessor, config);
    }

    /** The embedding size the config declares, or -1; the loaded graph's output shape has the last word. */
    public int declaredDimension() {
        Object dim = config.get("projection_dim");
        return dim instanceof Number n ? n.intValue() : -1;
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
        candidates.forEach(c -> looked.add(dir.relativize(c).toString()));
        throw new IllegalArgumentException(
            "CLIP model [" + name + "]: no " + tower + " in [" + dir + "], looked for " + looked
                + (quantized ? " (clip.model.quantized is true)" : "")
        );
    }

    private static Path required(String name, Path dir, String file) {
        Path p = dir.resolve(file);
        if (Files.isRegularFile(p) == false) {
            throw new IllegalArgumentException("CLIP model [" + name + "]: missing [" + file + "] in [" + dir + "]");
        }
        return p;
    }

    public static Map<String, Object> readJson(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return XContentHelper.convertToMap(JsonXContent.jsonXContent, in, false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read JSON file [" + file + "]: " + e.getMessage(), e);
        }
    }
}
