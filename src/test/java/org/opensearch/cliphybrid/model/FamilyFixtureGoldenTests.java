package org.opensearch.cliphybrid.model;

import org.opensearch.cliphybrid.image.ImageDecoder;
import org.opensearch.cliphybrid.model.text.TextTokenizer;
import org.opensearch.cliphybrid.testing.PixelValues;
import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.opensearch.cliphybrid.model.ClipModelGoldenTests.assertCosineAtLeast;
import static org.opensearch.cliphybrid.model.ClipModelGoldenTests.floats;
import static org.opensearch.cliphybrid.model.ClipModelGoldenTests.longs;

/**
 * Each family's small synthetic export ({@code src/test/resources/families}, made by the scripts in
 * {@code src/test/python/make_family_fixtures.py}) through the one loader: token ids exactly as the family's Python tokenizer, pixel values
 * within PIL's rounding, embeddings of the torch module itself to cosine 0.9999, and label probabilities by the
 * family's own score function. The goldens come from outside Java.
 */
public class FamilyFixtureGoldenTests extends OpenSearchTestCase {

    static Path fixtures() throws URISyntaxException {
        return Path.of(FamilyFixtureGoldenTests.class.getResource("/families").toURI());
    }

    /** A fixture copied to a folder of its own, as a node's clip-models/ holds it. */
    private Path fixture(String name) throws Exception {
        Path dir = createTempDir().resolve(name);
        Path from = fixtures().resolve(name);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = dir.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return dir;
    }

    public void testSiglip() throws Exception {
        check("siglip-tiny", fixture("siglip-tiny"), ModelFamily.SIGLIP, ModelFolder.Layout.HUGGING_FACE);
    }

    public void testSiglip2() throws Exception {
        check("siglip2-tiny", fixture("siglip2-tiny"), ModelFamily.SIGLIP2, ModelFolder.Layout.HUGGING_FACE);
    }

    /** The real CLIP tokenizer is too big to commit, so the test puts it where Immich's export has it. */
    public void testImmichClip() throws Exception {
        Path dir = fixture("immich-clip-tiny");
        Files.copy(SharedFixtures.clipTokenizer().resolve("tokenizer.json"), dir.resolve("textual/tokenizer.json"));
        check("immich-clip-tiny", dir, ModelFamily.CLIP, ModelFolder.Layout.OPENCLIP);
    }

    /**
     * NLLB-SigLIP in Immich's layout: the tokenizer's template puts its default language ({@code eng_Latn}) first, and a
     * text in another language gets that language's code there instead, as open_clip's set_language does. The tower pools
     * that first position, so the language changes every vector.
     */
    public void testImmichNllb() throws Exception {
        Path dir = fixture("immich-nllb-tiny");
        check("immich-nllb-tiny", dir, ModelFamily.SIGLIP, ModelFolder.Layout.OPENCLIP);
        try (ClipModel model = DjlRuntime.call(() -> ClipModel.load(ModelFolder.open("immich-nllb-tiny", dir, false), 1))) {
            assertEquals(
                java.util.Set.of("arb_Arab", "deu_Latn", "eng_Latn", "fra_Latn", "jpn_Jpan", "rus_Cyrl", "spa_Latn", "zho_Hans"),
                model.languages()
            );
            float[] english = model.embedTexts(List.of("ein Hund"), "eng_Latn")[0];
            float[] german = model.embedTexts(List.of("ein Hund"), "deu_Latn")[0];
            assertArrayEquals("the template's own language is the default", english, model.embedTexts(List.of("ein Hund"))[0], 0f);
            assertFalse("the language token is what the tower pools", Arrays.equals(english, german));
            IllegalArgumentException unknown = expectThrows(IllegalArgumentException.class, () -> model.embedTexts(List.of("x"), "kor_Hang"));
            assertEquals(
                "[language] [kor_Hang] is not a language of CLIP model [immich-nllb-tiny]: its tokenizer has 8 FLORES-200 codes, such as "
                    + "arb_Arab, deu_Latn, eng_Latn, fra_Latn, jpn_Jpan",
                unknown.getMessage()
            );
        }
    }

    public void testALanguageIsRefusedByATowerThatReadsNone() throws Exception {
        Path dir = fixture("immich-mclip-tiny");
        try (ClipModel model = DjlRuntime.call(() -> ClipModel.load(ModelFolder.open("immich-mclip-tiny", dir, false), 1))) {
            assertTrue(model.languages().isEmpty());
            IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> model.embedTexts(List.of("x"), "deu_Latn"));
            assertEquals("[language] [deu_Latn]: CLIP model [immich-mclip-tiny] reads no language code; only NLLB text towers do", e.getMessage());
        }
    }

    public void testImmichMultilingualClip() throws Exception {
        check("immich-mclip-tiny", fixture("immich-mclip-tiny"), ModelFamily.MULTILINGUAL_CLIP, ModelFolder.Layout.OPENCLIP);
    }

    @SuppressWarnings("unchecked")
    private void check(String name, Path dir, ModelFamily family, ModelFolder.Layout layout) throws Exception {
        Map<String, Object> golden = ModelFolder.readJson(dir.resolve("golden.json"));
        ModelFolder folder = ModelFolder.open(name, dir, false);
        assertEquals(family, folder.family());
        assertEquals(layout, folder.layout());
        try (ClipModel model = DjlRuntime.call(() -> ClipModel.load(folder, 1))) {
            assertEquals(((Number) golden.get("dimension")).intValue(), model.dimension());
            List<Map<String, Object>> texts = (List<Map<String, Object>>) golden.get("texts");
            List<String> all = new ArrayList<>();
            for (Map<String, Object> text : texts) {
                String raw = (String) text.get("text");
                String language = (String) text.get("language");
                all.add(raw);
                TextTokenizer.Batch batch = DjlRuntime.call(() -> model.tokenizer().batch(List.of(model.tokenizer().encode(raw, language))));
                long[] ids = batch.ids()[0];
                long[] expected = longs(text.get("input_ids"));
                String what = "input_ids of [" + raw + "]" + (language == null ? "" : " in " + language);
                if (folder.tokenizer().fixedLength() == 0) {
                    // CLIP pads a batch to its longest member; the golden is the unpadded sequence's start
                    assertArrayEquals(what, Arrays.copyOf(expected, ids.length), ids);
                } else {
                    assertArrayEquals(what, expected, ids);
                }
                if (text.containsKey("attention_mask")) {
                    assertArrayEquals("attention_mask of [" + raw + "]", longs(text.get("attention_mask")), batch.mask()[0]);
                }
            }
            // a batch and one text at a time must agree: padding and batch-of-one graphs must not change a vector
            float[][] batch = model.embedTexts(all.subList(0, defaultLanguage(texts)));
            for (int i = 0; i < texts.size(); i++) {
                float[] expected = floats(texts.get(i).get("embedding"));
                String language = (String) texts.get(i).get("language");
                if (language == null) {
                    assertCosineAtLeast(name + " batch [" + all.get(i) + "]", expected, batch[i], 0.9999);
                }
                float[] single = model.embedTexts(List.of(all.get(i)), language)[0];
                assertCosineAtLeast(name + " single [" + all.get(i) + "] in " + language, expected, single, 0.9999);
            }

            List<Map<String, Object>> images = (List<Map<String, Object>>) golden.get("images");
            List<float[]> pixels = new ArrayList<>();
            for (Map<String, Object> image : images) {
                float[] ours = pixels(model, picture(name, (String) image.get("file")));
                float[] theirs = floats(image.get("pixel_values"));
                assertEquals(name + " " + image.get("file") + ": pixel count", theirs.length, ours.length);
                assertPixelsWithinRounding(name + " " + image.get("file"), theirs, ours);
                pixels.add(ours);
            }
            float[][] embedded = model.embedImages(pixels);
            for (int i = 0; i < images.size(); i++) {
                Map<String, Object> image = images.get(i);
                assertCosineAtLeast(name + " " + image.get("file"), floats(image.get("embedding")), embedded[i], 0.9999);
                float[] fromGoldenPixels = model.embedImages(List.of(floats(image.get("pixel_values"))))[0];
                assertCosineAtLeast(name + " golden pixels " + image.get("file"), floats(image.get("embedding")), fromGoldenPixels, 0.9999);
            }

            if (golden.containsKey("zero_shot")) {
                ScoreFunction score = folder.scoreFunction();
                assertNotNull(name + ": the fixture's score numbers", score);
                for (Map<String, Object> shot : (List<Map<String, Object>>) golden.get("zero_shot")) {
                    float[] image = model.embedImages(List.of(pixels(model, picture(name, (String) shot.get("file")))))[0];
                    List<String> labels = (List<String>) shot.get("labels");
                    float[][] labelVectors = model.embedTexts(labels);
                    double[] cosines = new double[labels.size()];
                    for (int l = 0; l < labels.size(); l++) {
                        for (int d = 0; d < image.length; d++) {
                            cosines[l] += (double) image[d] * labelVectors[l][d];
                        }
                    }
                    double[] p = score.probabilities(cosines);
                    float[] expected = floats(shot.get("probabilities"));
                    for (int l = 0; l < labels.size(); l++) {
                        assertEquals(name + " label [" + labels.get(l) + "]", expected[l], p[l], 2e-3);
                    }
                }
            }
        }
    }

    /** The goldens list the texts in the tokenizer's default language first, then those in a language of their own. */
    private static int defaultLanguage(List<Map<String, Object>> texts) {
        int n = 0;
        while (n < texts.size() && texts.get(n).get("language") == null) {
            n++;
        }
        return n;
    }

    /** The pictures live once, beside the fixtures, so the goldens name them relative to the fixture's own folder. */
    private static Path picture(String fixture, String file) throws URISyntaxException {
        return fixtures().resolve(fixture).resolve(file).normalize();
    }

    private static float[] pixels(ClipModel model, Path file) throws IOException {
        return PixelValues.onHeap(model.preprocessor(), ImageDecoder.decode(Files.readAllBytes(file), 40_000_000L));
    }

    /** PIL rounds each resized channel to 8 bits; one level either way, after rescale and normalise, is rounding. */
    private static void assertPixelsWithinRounding(String what, float[] expected, float[] actual) {
        double level = 1 / 255.0 / 0.26;
        int off = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            assertTrue(what + ": pixel value " + i + " differs by " + d, d <= level + 1e-4);
            if (d > 1e-4) {
                off++;
            }
        }
        assertTrue(what + ": " + off + " of " + expected.length + " values off by a level", off <= expected.length / 50);
    }
}
