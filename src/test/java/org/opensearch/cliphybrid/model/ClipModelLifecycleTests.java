package org.opensearch.cliphybrid.model;

import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Close waits for calls that use the natives; a load that fails half way leaves nothing native open. */
public class ClipModelLifecycleTests extends OpenSearchTestCase {

    private static ClipModel load(Path dir) throws Exception {
        return DjlRuntime.call(() -> ClipModel.load(ModelFolder.open("mini", dir, false), 1));
    }

    public void testCloseWaitsForARunningCall() throws Exception {
        ClipModel model = load(SharedFixtures.miniClip());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<float[][]> result = new AtomicReference<>();
        Thread call = new Thread(() -> {
            try {
                // a call that has begun finishes its work even once close is waiting: the text tower is still there
                result.set(model.inFlight(() -> {
                    inside.countDown();
                    release.await();
                    return model.embedTexts(List.of("a dog runs through the grass"));
                }));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        call.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        Thread closer = new Thread(model::close);
        closer.start();
        assertBusy(() -> {
            IllegalStateException e = expectThrows(IllegalStateException.class, () -> model.embedTexts(List.of("late")));
            assertEquals("CLIP model [mini] is closed", e.getMessage());
        });
        closer.join(300);
        assertTrue("close must wait for the running call", closer.isAlive());
        assertFalse(model.freed());
        release.countDown();
        call.join(10_000);
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertTrue(model.freed());
        assertEquals(256, result.get()[0].length);
        IllegalStateException after = expectThrows(IllegalStateException.class, () -> model.embedTexts(List.of("after")));
        assertEquals("CLIP model [mini] is closed", after.getMessage());
    }

    public void testCloseGivesUpWaitingAndTheLastCallFreesTheNatives() throws Exception {
        ClipModel model = load(SharedFixtures.miniClip());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread call = new Thread(() -> {
            try {
                model.inFlight(() -> {
                    inside.countDown();
                    release.await();
                    return model.embedTexts(List.of("a dog"));
                });
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        call.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        long start = System.nanoTime();
        model.close(100);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));
        assertFalse("a running call keeps the sessions", model.freed());
        release.countDown();
        call.join(10_000);
        assertTrue("the last call frees them as it ends", model.freed());
    }

    public void testCloseTwiceAndAfterCloseCallsFailCleanly() throws Exception {
        ClipModel model = load(SharedFixtures.miniClip());
        model.close();
        model.close();
        assertTrue(model.freed());
        expectThrows(IllegalStateException.class, () -> model.embedTexts(List.of("a dog")));
        int pixels = model.preprocessor().channels() * model.preprocessor().height() * model.preprocessor().width();
        // the image path reaches the closed vision tower's NDManager, which refuses it in Java before any native call
        expectThrows(IllegalStateException.class, () -> model.embedImages(List.of(new float[pixels])));
    }

    public void testAnInvalidPreprocessorConfigLoadsNothingNative() throws Exception {
        Path dir = BrokenModels.folder(
            createTempDir(),
            "m",
            Map.of("preprocessor_config.json", "{\"resample\": 1}".getBytes(StandardCharsets.UTF_8))
        );
        int before = BrokenModels.openOrtResources();
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> load(dir));
        assertTrue(e.getMessage(), e.getMessage().contains("invalid image preprocessing in [clip-models/mini/preprocessor_config.json]"));
        assertTrue(e.getMessage(), e.getMessage().contains("resample [1] is not supported"));
        BrokenModels.assertNoAbsolutePath(e.getMessage(), dir);
        assertEquals(before, BrokenModels.openOrtResources());
    }

    /** The text session loads, then the vision graph is garbage: the text session must be closed again. */
    public void testACorruptVisionGraphClosesTheTextSession() throws Exception {
        Path dir = BrokenModels.folder(
            createTempDir(),
            "m",
            Map.of("vision_model.onnx", new byte[] { 0x08, 0x07, 0x12, 0x04, 0x0a, 0x7f, 0x7f, 0x7f, 0x7f })
        );
        ClipModel warm = load(SharedFixtures.miniClip());
        warm.close();
        int before = BrokenModels.openOrtResources();
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> load(dir));
        assertTrue(e.getMessage(), e.getMessage().contains("ONNX Runtime cannot load [clip-models/mini/vision_model.onnx]"));
        BrokenModels.assertNoAbsolutePath(e.getMessage(), dir);
        assertEquals("nothing of the half-loaded model stays open", before, BrokenModels.openOrtResources());
    }

    public void testABrokenTokenizerIsNamed() throws Exception {
        Path dir = BrokenModels.folder(createTempDir(), "m", Map.of("tokenizer.json", "{\"version\": ".getBytes(StandardCharsets.UTF_8)));
        int before = BrokenModels.openOrtResources();
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> load(dir));
        assertTrue(e.getMessage(), e.getMessage().contains("[clip-models/mini/tokenizer.json] is not a Hugging Face tokenizer"));
        BrokenModels.assertNoAbsolutePath(e.getMessage(), dir);
        assertEquals(before, BrokenModels.openOrtResources());
    }

    public void testASuccessfulLoadAndCloseLeavesNothingOpen() throws Exception {
        load(SharedFixtures.miniClip()).close();
        int before = BrokenModels.openOrtResources();
        ClipModel model = load(SharedFixtures.miniClip());
        assertTrue(BrokenModels.openOrtResources() > before);
        model.close();
        assertEquals(before, BrokenModels.openOrtResources());
    }
}
