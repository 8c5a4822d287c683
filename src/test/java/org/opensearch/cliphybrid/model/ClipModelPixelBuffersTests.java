package org.opensearch.cliphybrid.model;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.opensearch.cliphybrid.image.ImageDecoder;
import org.opensearch.cliphybrid.testing.PixelValues;
import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.test.OpenSearchTestCase;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Pixel values from pooled direct buffers give the same vectors as from heap arrays, alone and in a batch. */
public class ClipModelPixelBuffersTests extends OpenSearchTestCase {
    private static final String[] IMAGES = { "1082379191_ec1e53f996.jpg", "2862004252_53894bb28b.jpg", "311146855_0b65fdb169.jpg" };
    private static ClipModel model;

    @BeforeClass
    public static void loadModel() throws Exception {
        model = DjlRuntime.call(() -> ClipModel.load(ModelFolder.open("mini-clip", SharedFixtures.miniClip(), false), 1));
    }

    @AfterClass
    public static void closeModel() {
        if (model != null) {
            model.close();
        }
        model = null;
    }

    private static BufferedImage image(String name) throws Exception {
        Path file = SharedFixtures.flickrImages().resolve(name);
        return ImageDecoder.decode(Files.readAllBytes(file), 40_000_000L);
    }

    public void testDirectBuffersEmbedLikeHeapArrays() throws Exception {
        List<float[]> arrays = new ArrayList<>();
        List<DirectFloatPool.Lease> leases = new ArrayList<>();
        try {
            for (String name : IMAGES) {
                BufferedImage image = image(name);
                float[] heap = PixelValues.onHeap(model.preprocessor(), image);
                DirectFloatPool.Lease lease = model.preprocess(image);
                leases.add(lease);
                arrays.add(heap);
                float[] direct = new float[heap.length];
                lease.floats().get(direct);
                assertArrayEquals(name + ": the same pixel_values in the direct buffer", heap, direct, 0f);
            }
            List<FloatBuffer> buffers = leases.stream().map(DirectFloatPool.Lease::floats).toList();
            float[][] heapBatch = model.embedImages(arrays);
            float[][] directBatch = model.embedPixels(buffers);
            for (int i = 0; i < IMAGES.length; i++) {
                assertArrayEquals(IMAGES[i] + ": batch", heapBatch[i], directBatch[i], 0f);
                // a lone image goes to ONNX Runtime in its own buffer: same vector as from the heap array
                float[] alone = model.embedPixels(List.of(buffers.get(i)))[0];
                assertArrayEquals(IMAGES[i] + ": alone", model.embedImages(List.of(arrays.get(i)))[0], alone, 0f);
                // and a batched vector differs from the lone one in the last bits at most, as before
                assertArrayEquals(IMAGES[i] + ": batch vs alone", alone, directBatch[i], 1e-6f);
            }
            // a buffer whose position is not 0 is read from its position
            FloatBuffer shifted = FloatBuffer.allocate(arrays.get(0).length + 5);
            shifted.position(5);
            shifted.put(arrays.get(0));
            shifted.position(5);
            assertArrayEquals(heapBatch[0], model.embedPixels(List.of(shifted, buffers.get(1), buffers.get(2)))[0], 0f);
        } finally {
            leases.forEach(DirectFloatPool.Lease::close);
        }
    }

    public void testWrongSizeIsRefused() {
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> model.embedPixels(List.of(FloatBuffer.allocate(10)))
        );
        assertTrue(e.getMessage(), e.getMessage().contains("has 10 values, expected 150528"));
    }
}
