package org.opensearch.cliphybrid.model;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.opensearch.cliphybrid.image.ImageDecoder;
import org.opensearch.cliphybrid.testing.PixelValues;
import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real mini-clip export through the real tokenizer and ONNX Runtime must reproduce the model card's golden values:
 * token ids exactly, embeddings to cosine 0.9999.
 */
public class ClipModelGoldenTests extends OpenSearchTestCase {
    private static ClipModel fp32;
    private static ClipModel int8;
    private static Map<String, Object> golden;

    @BeforeClass
    public static void loadModels() throws Exception {
        Path dir = SharedFixtures.miniClip();
        golden = ModelFolder.readJson(dir.resolve("golden.json"));
        fp32 = DjlRuntime.call(() -> ClipModel.load(ModelFolder.open("mini-clip", dir, false), 1));
        int8 = DjlRuntime.call(() -> ClipModel.load(ModelFolder.open("mini-clip", dir, true), 1));
    }

    @AfterClass
    public static void closeModels() {
        if (fp32 != null) {
            fp32.close();
        }
        if (int8 != null) {
            int8.close();
        }
        fp32 = int8 = null;
        golden = null;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(String key) {
        return (List<Map<String, Object>>) golden.get(key);
    }

    public void testDimensionComesFromTheGraph() {
        assertEquals(256, fp32.dimension());
        assertEquals(256, int8.dimension());
    }

    public void testInputIdsEqualGolden() throws Exception {
        for (Map<String, Object> text : entries("texts")) {
            long[] ids = DjlRuntime.call(() -> fp32.tokenizer().encode((String) text.get("text")));
            assertArrayEquals("input_ids of [" + text.get("text") + "]", longs(text.get("input_ids_unpadded")), ids);
        }
    }

    public void testTruncatesTo77TokensEndingInEndToken() throws Exception {
        long[] ids = DjlRuntime.call(() -> fp32.tokenizer().encode("dog ".repeat(200)));
        assertEquals(77, ids.length);
        assertEquals(49406L, ids[0]);
        assertEquals(49407L, ids[76]);
    }

    public void testTextEmbeddingsMatchGolden() throws Exception {
        List<String> texts = new ArrayList<>();
        for (Map<String, Object> text : entries("texts")) {
            texts.add((String) text.get("text"));
        }
        // one padded batch and one text at a time must both match: padding to the longest must not change a vector
        float[][] batch = fp32.embedTexts(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = floats(entries("texts").get(i).get("text_embeds_fp32"));
            float[] single = fp32.embedTexts(List.of(texts.get(i)))[0];
            assertCosineAtLeast("fp32 batch [" + texts.get(i) + "]", expected, batch[i], 0.9999);
            assertCosineAtLeast("fp32 single [" + texts.get(i) + "]", expected, single, 0.9999);
            assertCosineAtLeast("int8 [" + texts.get(i) + "]", expected, int8.embedTexts(List.of(texts.get(i)))[0], 0.999);
        }
    }

    public void testImageEmbeddingsMatchGolden() throws Exception {
        Path images = SharedFixtures.flickrImages();
        List<float[]> pixels = new ArrayList<>();
        for (Map<String, Object> image : entries("images")) {
            byte[] bytes = Files.readAllBytes(images.resolve((String) image.get("image")));
            pixels.add(PixelValues.onHeap(fp32.preprocessor(), ImageDecoder.decode(bytes, 40_000_000L)));
        }
        float[][] batch = fp32.embedImages(pixels);
        float[][] quantized = int8.embedImages(pixels);
        for (int i = 0; i < pixels.size(); i++) {
            Map<String, Object> image = entries("images").get(i);
            float[] expected = floats(image.get("image_embeds_fp32"));
            assertCosineAtLeast("fp32 " + image.get("image"), expected, batch[i], 0.9999);
            assertCosineAtLeast("int8 " + image.get("image"), expected, quantized[i], 0.999);
        }
    }

    /** Images of other sizes and modes: resize, EXIF, alpha, palette, CMYK all the way to the embedding. */
    @SuppressWarnings("unchecked")
    public void testPreprocessGoldenEmbeddings() throws Exception {
        Path dir = SharedFixtures.miniClip().resolve("golden_preprocess");
        Map<String, Object> goldenPreprocess = ModelFolder.readJson(dir.resolve("golden_preprocess.json"));
        for (Map<String, Object> image : (List<Map<String, Object>>) goldenPreprocess.get("images")) {
            String file = (String) image.get("file");
            byte[] bytes = Files.readAllBytes(dir.resolve(file));
            float[] actual = fp32.embedImages(List.of(PixelValues.onHeap(fp32.preprocessor(), ImageDecoder.decode(bytes, 40_000_000L))))[0];
            // the card's tolerances: 0.9995, and 0.98 for CMYK, whose conversion differs between ICC-aware decoders
            assertCosineAtLeast(file, floats(image.get("image_embeds_fp32")), actual, file.startsWith("cmyk") ? 0.98 : 0.9995);
        }
    }

    public void testEmbeddingsAreUnitLength() throws Exception {
        float[] v = fp32.embedTexts(List.of("a dog runs through the grass"))[0];
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertEquals(1.0, Math.sqrt(norm), 1e-5);
    }

    static void assertCosineAtLeast(String what, float[] expected, float[] actual, double min) {
        assertEquals(what + ": dimension", expected.length, actual.length);
        double dot = 0, a = 0, b = 0;
        for (int i = 0; i < expected.length; i++) {
            dot += (double) expected[i] * actual[i];
            a += (double) expected[i] * expected[i];
            b += (double) actual[i] * actual[i];
        }
        double cosine = dot / Math.sqrt(a * b);
        assertTrue(what + ": cosine " + cosine + " < " + min, cosine >= min);
    }

    static long[] longs(Object list) {
        List<?> l = (List<?>) list;
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).longValue();
        }
        return out;
    }

    static float[] floats(Object list) {
        List<?> l = (List<?>) list;
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).floatValue();
        }
        return out;
    }
}
