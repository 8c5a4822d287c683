package org.opensearch.cliphybrid.model;

import org.opensearch.cliphybrid.model.text.TextCleaning;
import org.opensearch.cliphybrid.model.text.TokenizerSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * OpenCLIP models as Immich's exporter writes them: {@code config.json} (open_clip's model config),
 * {@code visual/model.onnx} ({@code image} → {@code embedding}, already normalised), {@code visual/preprocess_cfg.json},
 * {@code textual/model.onnx} ({@code text} int32, or {@code input_ids} and {@code attention_mask} for the multilingual
 * towers, → {@code embedding}) and the Hugging Face tokenizer files under {@code textual/}. The graphs take one item at
 * a time and every text padded to exactly the context length. There are no quantized towers in this layout, so
 * {@code plugins.clip.model.quantized} does not apply to it.
 */
final class OpenClipExport {
    static final String LOOKED_FOR = "textual/model.onnx and visual/model.onnx";
    private static final int CLIP_CONTEXT = 77;
    private static final int MAX_TEXT_LENGTH = 512;
    private static final int GEMMA_VOCABULARY = 256_000;

    private OpenClipExport() {}

    static boolean matches(Path dir) {
        return Files.isRegularFile(dir.resolve("textual/model.onnx")) || Files.isRegularFile(dir.resolve("visual/model.onnx"));
    }

    static ModelFolder open(String name, Path dir, boolean quantized) {
        Path text = ModelFolder.required(name, dir, "textual/model.onnx");
        Path vision = ModelFolder.required(name, dir, "visual/model.onnx");
        Path tokenizer = ModelFolder.required(name, dir, "textual/tokenizer.json");
        Path preprocess = ModelFolder.required(name, dir, "visual/preprocess_cfg.json");
        Map<String, Object> config = ModelFolder.readJson(
            ModelFolder.required(name, dir, "config.json"),
            ModelFolder.root(name) + "/config.json"
        );
        Map<String, Object> tokenizerConfig = HuggingFaceExport.optionalJson(name, dir, "textual/tokenizer_config.json");
        Map<String, Object> specialTokens = HuggingFaceExport.optionalJson(name, dir, "textual/special_tokens_map.json");
        Map<?, ?> textCfg = config.get("text_cfg") instanceof Map<?, ?> m ? m : Map.of();
        int length = textCfg.get("context_length") instanceof Number n && n.intValue() >= 2 && n.intValue() <= MAX_TEXT_LENGTH
            ? n.intValue()
            : CLIP_CONTEXT;
        TextCleaning cleaning = textCfg.get("tokenizer_kwargs") instanceof Map<?, ?> kwargs && "canonicalize".equals(kwargs.get("clean"))
            ? TextCleaning.CANONICALIZE
            : TextCleaning.WHITESPACE;
        String pad = token(tokenizerConfig.get("pad_token"));
        if (pad == null) {
            pad = token(specialTokens.get("pad_token"));
        }
        if (pad == null) {
            throw new IllegalArgumentException(
                "CLIP model [" + name + "]: neither [" + ModelFolder.root(name) + "/textual/tokenizer_config.json] nor"
                    + " special_tokens_map.json names a pad_token, which pads every text to the context length " + length
            );
        }
        return new ModelFolder(
            name,
            dir,
            family(config, textCfg, tokenizerConfig),
            ModelFolder.Layout.OPENCLIP,
            new TowerSpec(text, List.of("text", "input_ids"), true, "embedding"),
            new TowerSpec(vision, List.of("image"), false, "embedding"),
            new TokenizerSpec(tokenizer, cleaning, length, length, pad, nllb(textCfg, tokenizerConfig)),
            preprocess,
            config
        );
    }

    private static ModelFamily family(Map<String, Object> config, Map<?, ?> textCfg, Map<String, Object> tokenizerConfig) {
        String tokenizerClass = String.valueOf(tokenizerConfig.get("tokenizer_class"));
        if (tokenizerClass.startsWith("XLMRoberta")) {
            return ModelFamily.MULTILINGUAL_CLIP;
        }
        boolean gemma = tokenizerClass.startsWith("Gemma")
            || (textCfg.get("vocab_size") instanceof Number v && v.intValue() == GEMMA_VOCABULARY);
        // open_clip gives every SigLIP config a logit bias, which only the sigmoid loss has
        if (gemma || config.containsKey("init_logit_bias")) {
            return gemma ? ModelFamily.SIGLIP2 : ModelFamily.SIGLIP;
        }
        return ModelFamily.CLIP;
    }

    /**
     * NLLB text towers (NLLB-CLIP, NLLB-SigLIP) read a FLORES-200 language code: told by the tokenizer's class, or by the
     * Hugging Face tokenizer open_clip's config names, since Immich's exports keep transformers' files as they were saved.
     */
    private static boolean nllb(Map<?, ?> textCfg, Map<String, Object> tokenizerConfig) {
        return String.valueOf(tokenizerConfig.get("tokenizer_class")).startsWith("Nllb")
            || String.valueOf(textCfg.get("hf_tokenizer_name")).toLowerCase(java.util.Locale.ROOT).contains("nllb");
    }

    /** A token as tokenizer files write it: a string, or an object with its {@code content}. */
    private static String token(Object value) {
        if (value instanceof String s) {
            return s;
        }
        return value instanceof Map<?, ?> m && m.get("content") instanceof String s ? s : null;
    }
}
