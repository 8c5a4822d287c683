package org.opensearch.cliphybrid.model;

import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The Hugging Face export layouts a user may bring, and a real ViT-B/32 graph loaded by the same code as mini-clip. */
public class ModelFolderTests extends OpenSearchTestCase {

    public void testFindsTowersUnderOnnxSubfolder() throws Exception {
        Path dir = createTempDir();
        Files.createDirectories(dir.resolve("onnx"));
        // finding the files is all that is checked here; loading them is ClipModelGoldenTests' job
        for (String f : List.of("text_model.onnx", "vision_model.onnx", "text_model_quantized.onnx", "vision_model_quantized.onnx")) {
            Files.createFile(dir.resolve("onnx").resolve(f));
        }
        Files.createFile(dir.resolve("tokenizer.json"));
        Files.createFile(dir.resolve("preprocessor_config.json"));
        Files.writeString(dir.resolve("config.json"), "{\"projection_dim\": 256}");
        ModelFolder folder = ModelFolder.open("xenova-layout", dir, false);
        assertEquals(dir.resolve("onnx/text_model.onnx"), folder.textModel());
        assertEquals(dir.resolve("onnx/vision_model_quantized.onnx"), ModelFolder.open("q", dir, true).visionModel());
        assertEquals(256, folder.declaredDimension());
    }

    public void testMissingPiecesAreNamed() throws Exception {
        Path dir = createTempDir();
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> ModelFolder.open("empty", dir, false));
        assertEquals(
            "CLIP model [empty]: [clip-models/empty] matches no model family: looked for text_model.onnx and vision_model.onnx (at the"
                + " top or under onnx/) (Hugging Face CLIP or SigLIP export) and for textual/model.onnx and visual/model.onnx (OpenCLIP"
                + " export as Immich ships it)",
            e.getMessage()
        );
        IllegalArgumentException none = expectThrows(
            IllegalArgumentException.class,
            () -> ModelFolder.open("gone", dir.resolve("nope"), false)
        );
        assertTrue(none.getMessage(), none.getMessage().contains("no model folder"));
    }

    public void testMessagesNameFilesInsideClipModelsOnly() throws Exception {
        Path dir = createTempDir();
        Files.createFile(dir.resolve("text_model.onnx"));
        Files.createFile(dir.resolve("vision_model.onnx"));
        Files.createFile(dir.resolve("tokenizer.json"));
        IllegalArgumentException missing = expectThrows(IllegalArgumentException.class, () -> ModelFolder.open("m", dir, false));
        assertEquals("CLIP model [m]: missing [preprocessor_config.json] in [clip-models/m]", missing.getMessage());
        Files.writeString(dir.resolve("preprocessor_config.json"), "{}");
        Files.writeString(dir.resolve("config.json"), "[256]");
        IllegalArgumentException array = expectThrows(IllegalArgumentException.class, () -> ModelFolder.open("m", dir, false));
        assertEquals("[clip-models/m/config.json] is not a readable JSON object: it starts with START_ARRAY, not {", array.getMessage());
        Files.writeString(dir.resolve("config.json"), "{\"projection_dim\": 8}");
        ModelFolder folder = ModelFolder.open("m", dir, false);
        assertEquals("clip-models/m/text_model.onnx", folder.display(folder.textModel()));
        String native_ = "Load model from " + folder.textModel().toAbsolutePath() + " failed; see " + dir.toUri();
        assertEquals("Load model from clip-models/m/text_model.onnx failed; see clip-models/m/", folder.redact(native_));
        BrokenModels.assertNoAbsolutePath(folder.redact(native_), dir);
    }

    public void testTheModelsOwnCosineBandTravelsInItsFolder() throws Exception {
        Path dir = createTempDir();
        for (String f : List.of("text_model.onnx", "vision_model.onnx", "tokenizer.json", "preprocessor_config.json")) {
            Files.createFile(dir.resolve(f));
        }
        ModelFolder folder = ModelFolder.open("m", dir, false);
        assertNull("no file: the node's settings decide", folder.cosineBand());
        Files.writeString(dir.resolve(ModelFolder.HYBRID_CALIBRATION_FILE), "{\"cosine_low\": 0.3, \"cosine_high\": 0.8}");
        assertArrayEquals(new float[] { 0.3f, 0.8f }, folder.cosineBand(), 0f);
        Files.writeString(dir.resolve(ModelFolder.HYBRID_CALIBRATION_FILE), "{\"cosine_low\": 0.8, \"cosine_high\": 0.3}");
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, folder::cosineBand);
        assertTrue(e.getMessage(), e.getMessage().contains("[clip-models/m/clip_hybrid.json] needs numbers cosine_low and cosine_high"));
    }

    /** ViT-B/32's exact graphs (constant weights) with the real tokenizer and configs: 512 dimensions, read from the graph. */
    public void testLoadsTheViTB32ExportLayout() throws Exception {
        ModelFolder folder = ModelFolder.open("clip-vit-b32-shape", SharedFixtures.b32Shape(), true);
        try (ClipModel model = DjlRuntime.call(() -> ClipModel.load(folder, 0))) {
            assertEquals(512, model.dimension());
            assertEquals(folder.declaredDimension(), model.dimension());
            float[][] text = model.embedTexts(List.of("a dog runs through the grass", "a photo of a cat"));
            assertEquals(2, text.length);
            assertEquals(512, text[0].length);
            float[] pixels = new float[3 * 224 * 224];
            float[][] image = model.embedImages(List.of(pixels));
            assertEquals(512, image[0].length);
            for (float v : text[0]) {
                assertFalse(Float.isNaN(v));
            }
        }
    }
}
