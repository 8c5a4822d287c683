package org.opensearch.cliphybrid.model;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.opensearch.cliphybrid.image.ImageDecoder;
import org.opensearch.cliphybrid.testing.ImmichLayout;
import org.opensearch.cliphybrid.testing.PixelValues;
import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.opensearch.cliphybrid.model.ClipModelGoldenTests.assertCosineAtLeast;
import static org.opensearch.cliphybrid.model.ClipModelGoldenTests.floats;
import static org.opensearch.cliphybrid.model.ClipModelGoldenTests.longs;

/**
 * mini-clip in Immich's OpenCLIP layout ({@link ImmichLayout}: int32 {@code text} of exactly 77 ids, batch fixed at one,
 * normalised {@code embedding} outputs) must give the vectors of mini-clip's own goldens: the layout changes how ids and
 * pixels go in, one item at a time, never what comes out.
 */
public class ImmichLayoutGoldenTests extends OpenSearchTestCase {
    private static ClipModel model;
    private static Map<String, Object> golden;

    @BeforeClass
    public static void load() throws Exception {
        Path dir = ImmichLayout.miniClip(createTempDir().resolve("ViT-mini__flickr8k"));
        golden = ModelFolder.readJson(SharedFixtures.miniClip().resolve("golden.json"));
        ModelFolder folder = ModelFolder.open("ViT-mini__flickr8k", dir, false);
        assertEquals(ModelFamily.CLIP, folder.family());
        assertEquals(ModelFolder.Layout.OPENCLIP, folder.layout());
        model = DjlRuntime.call(() -> ClipModel.load(folder, 1));
    }

    @AfterClass
    public static void close() {
        if (model != null) {
            model.close();
        }
        model = null;
        golden = null;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(String key) {
        return (List<Map<String, Object>>) golden.get(key);
    }

    public void testIdsArePaddedToTheContextWithTheEndToken() throws Exception {
        for (Map<String, Object> text : entries("texts")) {
            long[] unpadded = longs(text.get("input_ids_unpadded"));
            long[] expected = Arrays.copyOf(unpadded, 77);
            Arrays.fill(expected, unpadded.length, 77, 49407L);
            long[] ids = DjlRuntime.call(() -> model.tokenizer().batch(List.of(model.tokenizer().encode((String) text.get("text")))).ids()[0]);
            assertArrayEquals("ids of [" + text.get("text") + "]", expected, ids);
        }
    }

    public void testTextsGiveMiniClipsVectorsOneAtATime() throws Exception {
        List<String> texts = new ArrayList<>();
        for (Map<String, Object> text : entries("texts")) {
            texts.add((String) text.get("text"));
        }
        float[][] batch = model.embedTexts(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertCosineAtLeast("[" + texts.get(i) + "]", floats(entries("texts").get(i).get("text_embeds_fp32")), batch[i], 0.9999);
        }
    }

    public void testImagesGiveMiniClipsVectorsOneAtATime() throws Exception {
        Path images = SharedFixtures.flickrImages();
        List<float[]> pixels = new ArrayList<>();
        for (Map<String, Object> image : entries("images")) {
            byte[] bytes = Files.readAllBytes(images.resolve((String) image.get("image")));
            pixels.add(PixelValues.onHeap(model.preprocessor(), ImageDecoder.decode(bytes, 40_000_000L)));
        }
        float[][] batch = model.embedImages(pixels);
        for (int i = 0; i < pixels.size(); i++) {
            Map<String, Object> image = entries("images").get(i);
            assertCosineAtLeast((String) image.get("image"), floats(image.get("image_embeds_fp32")), batch[i], 0.9999);
        }
    }
}
