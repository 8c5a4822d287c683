package org.opensearch.cliphybrid.model;

import org.opensearch.cliphybrid.model.text.TextCleaning;
import org.opensearch.cliphybrid.model.text.TokenizerSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Hugging Face ONNX split export (optimum, Xenova / transformers.js) of CLIP, SigLIP and SigLIP 2. config.json's
 * {@code model_type} tells CLIP from SigLIP; SigLIP 2's FixRes checkpoints also say {@code siglip}, so its Gemma tokenizer
 * (tokenizer_config.json's class, or a 256,000-word vocabulary) tells it from SigLIP.
 */
final class HuggingFaceExport {
    static final String LOOKED_FOR = "text_model.onnx and vision_model.onnx (at the top or under onnx/)";
    /** SigLIP's text length, which its tower was trained at: it pools the last position, so every text is padded to it. */
    private static final int SIGLIP_LENGTH = 64;
    private static final int MAX_TEXT_LENGTH = 512;
    private static final int GEMMA_VOCABULARY = 256_000;

    private HuggingFaceExport() {}

    static boolean matches(Path dir) {
        for (Path folder : List.of(dir, dir.resolve("onnx"))) {
            if (Files.isRegularFile(folder.resolve("text_model.onnx")) || Files.isRegularFile(folder.resolve("text_model_quantized.onnx"))) {
                return true;
            }
        }
        return false;
    }

    static ModelFolder open(String name, Path dir, boolean quantized) {
        Path text = ModelFolder.onnxFile(name, dir, "text_model", quantized);
        Path vision = ModelFolder.onnxFile(name, dir, "vision_model", quantized);
        Path tokenizer = ModelFolder.required(name, dir, "tokenizer.json");
        Path preprocessor = ModelFolder.required(name, dir, "preprocessor_config.json");
        Map<String, Object> config = optionalJson(name, dir, "config.json");
        Map<String, Object> tokenizerConfig = optionalJson(name, dir, "tokenizer_config.json");
        ModelFamily family = family(config, tokenizerConfig);
        if (family == ModelFamily.CLIP) {
            return new ModelFolder(
                name,
                dir,
                family,
                ModelFolder.Layout.HUGGING_FACE,
                new TowerSpec(text, List.of("input_ids"), false, "text_embeds"),
                new TowerSpec(vision, List.of("pixel_values"), false, "image_embeds"),
                TokenizerSpec.clip(tokenizer),
                preprocessor,
                config
            );
        }
        int length = textLength(config, tokenizerConfig);
        // SigLIP pads with its end token </s>; SigLIP 2's Gemma tokenizer has a pad token of its own
        String pad = family == ModelFamily.SIGLIP2 ? "<pad>" : "</s>";
        return new ModelFolder(
            name,
            dir,
            family,
            ModelFolder.Layout.HUGGING_FACE,
            new TowerSpec(text, List.of("input_ids"), false, "pooler_output"),
            new TowerSpec(vision, List.of("pixel_values"), false, "pooler_output"),
            new TokenizerSpec(tokenizer, TextCleaning.CANONICALIZE, length, length, pad, false),
            preprocessor,
            config
        );
    }

    private static ModelFamily family(Map<String, Object> config, Map<String, Object> tokenizerConfig) {
        String type = String.valueOf(config.get("model_type"));
        if (type.startsWith("siglip") == false) {
            return ModelFamily.CLIP;
        }
        String tokenizerClass = String.valueOf(tokenizerConfig.get("tokenizer_class"));
        boolean gemma = tokenizerClass.startsWith("Gemma")
            || (config.get("text_config") instanceof Map<?, ?> text && text.get("vocab_size") instanceof Number v && v.intValue() == GEMMA_VOCABULARY);
        return type.equals("siglip2") || gemma ? ModelFamily.SIGLIP2 : ModelFamily.SIGLIP;
    }

    /** tokenizer_config.json's model_max_length, else the text config's positions, else SigLIP's 64. */
    private static int textLength(Map<String, Object> config, Map<String, Object> tokenizerConfig) {
        // transformers writes a huge sentinel for "no limit", which no text tower has positions for
        if (tokenizerConfig.get("model_max_length") instanceof Number n && n.doubleValue() >= 2 && n.doubleValue() <= MAX_TEXT_LENGTH) {
            return n.intValue();
        }
        if (config.get("text_config") instanceof Map<?, ?> text && text.get("max_position_embeddings") instanceof Number n
            && n.intValue() >= 2 && n.intValue() <= MAX_TEXT_LENGTH) {
            return n.intValue();
        }
        return SIGLIP_LENGTH;
    }

    static Map<String, Object> optionalJson(String name, Path dir, String file) {
        Path path = dir.resolve(file);
        return Files.exists(path) ? ModelFolder.readJson(path, ModelFolder.root(name) + "/" + file) : Map.of();
    }
}
