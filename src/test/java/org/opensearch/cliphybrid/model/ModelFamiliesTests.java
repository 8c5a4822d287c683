package org.opensearch.cliphybrid.model;

import org.opensearch.cliphybrid.model.image.ClipImagePreprocessor;
import org.opensearch.cliphybrid.model.text.TextCleaning;
import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The family and layout a folder is read as, from the real configuration files of public exports
 * ({@code ../shared/models/family-configs}); the graphs here are empty files, since finding and reading the configs is
 * all that is checked (the fixture tests load and run real graphs).
 */
public class ModelFamiliesTests extends OpenSearchTestCase {

    private Path immichFolder(Path config, Path preprocess, Path tokenizerConfig, Path specialTokens) throws IOException {
        Path dir = createTempDir();
        Files.createDirectories(dir.resolve("textual"));
        Files.createDirectories(dir.resolve("visual"));
        Files.createFile(dir.resolve("textual/model.onnx"));
        Files.createFile(dir.resolve("visual/model.onnx"));
        Files.createFile(dir.resolve("textual/tokenizer.json"));
        Files.copy(config, dir.resolve("config.json"));
        Files.copy(preprocess, dir.resolve("visual/preprocess_cfg.json"));
        if (tokenizerConfig != null) {
            Files.copy(tokenizerConfig, dir.resolve("textual/tokenizer_config.json"));
        }
        if (specialTokens != null) {
            Files.copy(specialTokens, dir.resolve("textual/special_tokens_map.json"));
        }
        return dir;
    }

    /** Immich's XLM-RoBERTa export (M-CLIP): a multilingual text tower, padded with <pad> to 77, ViT-B/16+ at 240. */
    public void testImmichMultilingualExport() throws Exception {
        Path real = SharedFixtures.familyConfigs().resolve("immich-XLM-Roberta-Large-Vit-B-16Plus");
        Path dir = immichFolder(
            real.resolve("config.json"),
            real.resolve("visual/preprocess_cfg.json"),
            real.resolve("textual/tokenizer_config.json"),
            real.resolve("textual/special_tokens_map.json")
        );
        ModelFolder folder = ModelFolder.open("xlm", dir, false);
        assertEquals(ModelFamily.MULTILINGUAL_CLIP, folder.family());
        assertEquals(ModelFolder.Layout.OPENCLIP, folder.layout());
        assertEquals(77, folder.tokenizer().fixedLength());
        assertEquals("<pad>", folder.tokenizer().padToken());
        assertEquals(TextCleaning.WHITESPACE, folder.tokenizer().cleaning());
        assertEquals(List.of("text", "input_ids"), folder.text().inputs());
        assertTrue(folder.text().int32());
        assertEquals("embedding", folder.vision().output());
        assertEquals(640, folder.declaredDimension());
        Map<String, Object> settings = folder.preprocessorSettings();
        assertEquals(Map.of("shortest_edge", 240), settings.get("size"));
        assertEquals(3, settings.get("resample"));
        ClipImagePreprocessor preprocessor = ClipImagePreprocessor.fromConfig(settings);
        assertEquals(240, preprocessor.height());
        assertEquals(240, preprocessor.width());
        assertTrue(folder.scoreFunction() instanceof ScoreFunction.Softmax);
    }

    /** open_clip's own configs as Immich writes them: ViT-B-32 is CLIP, ViT-B-16-SigLIP is SigLIP, its SigLIP 2 has Gemma's vocabulary. */
    public void testImmichExportsOfOpenClipConfigs() throws Exception {
        Path configs = SharedFixtures.familyConfigs().resolve("open_clip-configs");
        Path preprocess = SharedFixtures.familyConfigs().resolve("immich-XLM-Roberta-Large-Vit-B-16Plus/visual/preprocess_cfg.json");
        Path clipTokenizer = SharedFixtures.clipTokenizer();
        ModelFolder clip = ModelFolder.open(
            "b32",
            immichFolder(configs.resolve("ViT-B-32.json"), preprocess, clipTokenizer.resolve("tokenizer_config.json"), null),
            false
        );
        assertEquals(ModelFamily.CLIP, clip.family());
        assertEquals("<|endoftext|>", clip.tokenizer().padToken());
        assertEquals(77, clip.tokenizer().maxLength());

        Path siglipTokens = createTempFile();
        Files.writeString(siglipTokens, "{\"pad_token\": \"</s>\", \"eos_token\": \"</s>\"}");
        ModelFolder siglip = ModelFolder.open("siglip", immichFolder(configs.resolve("ViT-B-16-SigLIP.json"), preprocess, null, siglipTokens), false);
        assertEquals(ModelFamily.SIGLIP, siglip.family());
        assertEquals(64, siglip.tokenizer().fixedLength());
        assertEquals(TextCleaning.CANONICALIZE, siglip.tokenizer().cleaning());
        assertNull("no logit numbers anywhere: zero-shot must ask for them", siglip.scoreFunction());

        ModelFolder siglip2 = ModelFolder.open("siglip2", immichFolder(configs.resolve("ViT-B-16-SigLIP2.json"), preprocess, null, siglipTokens), false);
        assertEquals(ModelFamily.SIGLIP2, siglip2.family());
        assertFalse(siglip2.tokenizer().languages());

        // open_clip's NLLB-SigLIP config names its Hugging Face tokenizer, which is how a folder without NLLB's class is told
        Path nllbTokens = createTempFile();
        Files.writeString(nllbTokens, "{\"pad_token\": \"<pad>\"}");
        ModelFolder nllb = ModelFolder.open("nllb", immichFolder(configs.resolve("nllb-clip-base-siglip.json"), preprocess, null, nllbTokens), false);
        assertEquals(ModelFamily.SIGLIP, nllb.family());
        assertTrue("an NLLB text tower reads a language code", nllb.tokenizer().languages());
        assertEquals("open_clip's default context length", 77, nllb.tokenizer().fixedLength());
        assertEquals(TextCleaning.WHITESPACE, nllb.tokenizer().cleaning());
    }

    public void testOpenClipSquashIsAStraightResize() throws Exception {
        Path preprocess = createTempFile();
        Files.writeString(preprocess, "{\"size\": [64, 48], \"mean\": [0.5, 0.5, 0.5], \"std\": [0.5, 0.5, 0.5], \"interpolation\": \"bilinear\","
            + " \"resize_mode\": \"squash\"}");
        Path config = SharedFixtures.familyConfigs().resolve("open_clip-configs/ViT-B-16-SigLIP.json");
        Path tokens = createTempFile();
        Files.writeString(tokens, "{\"pad_token\": {\"content\": \"</s>\"}}");
        ModelFolder folder = ModelFolder.open("sq", immichFolder(config, preprocess, tokens, null), false);
        assertEquals("</s>", folder.tokenizer().padToken());
        ClipImagePreprocessor p = ClipImagePreprocessor.fromConfig(folder.preprocessorSettings());
        assertEquals(64, p.height());
        assertEquals(48, p.width());

        Files.writeString(folder.preprocessorConfig(), "{\"size\": 224, \"resize_mode\": \"longest\"}");
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, folder::preprocessorSettings);
        assertEquals(
            "CLIP model [sq]: invalid image preprocessing in [clip-models/sq/visual/preprocess_cfg.json]: resize_mode [longest] is not"
                + " supported; only shortest and squash are",
            e.getMessage()
        );
    }

    public void testImmichFolderNamesWhatIsMissing() throws Exception {
        Path dir = createTempDir();
        Files.createDirectories(dir.resolve("visual"));
        Files.createFile(dir.resolve("visual/model.onnx"));
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> ModelFolder.open("half", dir, false));
        assertEquals("CLIP model [half]: missing [textual/model.onnx] in [clip-models/half]", e.getMessage());
        Path real = SharedFixtures.familyConfigs().resolve("immich-XLM-Roberta-Large-Vit-B-16Plus");
        Path noPad = immichFolder(real.resolve("config.json"), real.resolve("visual/preprocess_cfg.json"), null, null);
        IllegalArgumentException pad = expectThrows(IllegalArgumentException.class, () -> ModelFolder.open("nopad", noPad, false));
        assertTrue(pad.getMessage(), pad.getMessage().contains("names a pad_token, which pads every text to the context length 77"));
    }

    /** The Hugging Face split export of SigLIP (config values of google/siglip-base-patch16-224): pooled outputs, no crop. */
    public void testHuggingFaceSiglipExport() throws Exception {
        Path dir = createTempDir();
        Files.createDirectories(dir.resolve("onnx"));
        Files.createFile(dir.resolve("onnx/text_model.onnx"));
        Files.createFile(dir.resolve("onnx/vision_model.onnx"));
        Files.createFile(dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"siglip\", \"text_config\": {\"vocab_size\": 32000}}");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 64, \"pad_token\": \"</s>\", \"tokenizer_class\": \"SiglipTokenizer\"}");
        Files.writeString(dir.resolve("preprocessor_config.json"), "{\"do_normalize\": true, \"do_rescale\": true, \"do_resize\": true,"
            + " \"image_mean\": [0.5, 0.5, 0.5], \"image_std\": [0.5, 0.5, 0.5], \"resample\": 3, \"rescale_factor\": 0.00392156862745098,"
            + " \"size\": {\"height\": 224, \"width\": 224}}");
        ModelFolder folder = ModelFolder.open("siglip", dir, false);
        assertEquals(ModelFamily.SIGLIP, folder.family());
        assertEquals("pooler_output", folder.text().output());
        assertEquals("pooler_output", folder.vision().output());
        assertEquals(64, folder.tokenizer().fixedLength());
        assertEquals("</s>", folder.tokenizer().padToken());
        assertEquals(false, folder.preprocessorSettings().get("do_center_crop"));
        ClipImagePreprocessor p = ClipImagePreprocessor.fromConfig(folder.preprocessorSettings());
        assertEquals(224, p.height());

        assertNull(folder.scoreFunction());
        Files.writeString(dir.resolve(ModelFolder.HYBRID_CALIBRATION_FILE), "{\"logit_scale\": 4.7, \"logit_bias\": -16.5}");
        assertEquals(new ScoreFunction.Sigmoid(4.7, -16.5), folder.scoreFunction());
        float[] band = folder.cosineBand();
        assertEquals(16.5 / Math.exp(4.7), (band[0] + band[1]) / 2, 1e-6);
        Files.writeString(dir.resolve(ModelFolder.HYBRID_CALIBRATION_FILE), "{\"logit_scale\": 110}");
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, folder::scoreFunction);
        assertTrue(e.getMessage(), e.getMessage().contains("needs finite numbers logit_scale (the checkpoint's, a logarithm, below 20) and logit_bias"));

        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"siglip\", \"text_config\": {\"vocab_size\": 256000}}");
        assertEquals("SigLIP 2's FixRes checkpoints say siglip", ModelFamily.SIGLIP2, ModelFolder.open("s2", dir, false).family());
        assertEquals("<pad>", ModelFolder.open("s2", dir, false).tokenizer().padToken());
    }
}
