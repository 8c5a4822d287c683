package org.opensearch.cliphybrid.model;

import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Failed loads are remembered per model with their reason; one model's load never waits for another's; no absolute paths. */
public class ModelRegistryTests extends OpenSearchTestCase {
    private static final TimeValue RETRY = TimeValue.timeValueSeconds(60);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private ModelRegistry registry(Path models) {
        return new ModelRegistry(models, false, RETRY, clock::get, folder -> DjlRuntime.call(() -> ClipModel.load(folder, 1)));
    }

    private static Map<String, byte[]> replace(String file, String content) {
        Map<String, byte[]> m = new HashMap<>();
        m.put(file, content == null ? null : content.getBytes(StandardCharsets.UTF_8));
        return m;
    }

    public void testInvalidJsonFailsFastTheSecondTimeWithTheSameReason() throws Exception {
        Path models = createTempDir();
        BrokenModels.folder(models, "bad-json", replace("preprocessor_config.json", "{\"crop_size\": 224,"));
        try (ModelRegistry registry = registry(models)) {
            IllegalArgumentException first = expectThrows(IllegalArgumentException.class, () -> registry.get("bad-json"));
            assertTrue(first.getMessage(), first.getMessage().contains("[clip-models/bad-json/preprocessor_config.json]"));
            assertTrue(first.getMessage(), first.getMessage().contains("not a readable JSON object"));
            assertNull("the cause could show the path to a client", first.getCause());
            BrokenModels.assertNoAbsolutePath(first.getMessage(), models);
            assertEquals(1, registry.loadAttempts());

            clock.addAndGet(TimeUnit.SECONDS.toNanos(12));
            IllegalArgumentException second = expectThrows(IllegalArgumentException.class, () -> registry.get("bad-json"));
            assertEquals("no second load inside the window", 1, registry.loadAttempts());
            assertTrue(second.getMessage(), second.getMessage().startsWith("CLIP model [bad-json] failed to load 12s ago: "));
            assertTrue(second.getMessage(), second.getMessage().contains(first.getMessage()));
            assertTrue(second.getMessage(), second.getMessage().contains("tried again in 48s"));
            assertEquals(Map.of("bad-json", first.getMessage()), registry.failures());

            clock.addAndGet(TimeUnit.SECONDS.toNanos(49));
            expectThrows(IllegalArgumentException.class, () -> registry.get("bad-json"));
            assertEquals("after the window the model is tried again", 2, registry.loadAttempts());
        }
    }

    public void testAFixedFileEndsTheWindowAndTheModelLoads() throws Exception {
        Path models = createTempDir();
        Path dir = BrokenModels.folder(models, "fixed", replace("preprocessor_config.json", "not json"));
        try (ModelRegistry registry = registry(models)) {
            expectThrows(IllegalArgumentException.class, () -> registry.get("fixed"));
            Path config = dir.resolve("preprocessor_config.json");
            Files.copy(SharedFixtures.miniClip().resolve("preprocessor_config.json"), config, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            // the copy may land in the same millisecond tick as the broken file on a coarse file system
            Files.setLastModifiedTime(config, FileTime.fromMillis(Files.getLastModifiedTime(config).toMillis() + 10_000));
            ClipModel model = registry.get("fixed");
            assertEquals(2, registry.loadAttempts());
            assertEquals(256, model.dimension());
            assertEquals(Map.of(), registry.failures());
            assertSame(model, registry.get("fixed"));
        }
    }

    public void testMissingAndCorruptFilesAreRememberedWithoutPaths() throws Exception {
        Path models = createTempDir();
        BrokenModels.folder(models, "no-onnx", replace("vision_model.onnx", null));
        BrokenModels.folder(models, "garbage-onnx", Map.of("text_model.onnx", "this is no protobuf".getBytes(StandardCharsets.UTF_8)));
        BrokenModels.folder(models, "bad-tokenizer", replace("tokenizer.json", "{\"model\": 1}"));
        try (ModelRegistry registry = registry(models)) {
            Map<String, String> expected = Map.of(
                "no-onnx",
                "no vision_model in [clip-models/no-onnx], looked for [vision_model.onnx, onnx/vision_model.onnx]",
                "garbage-onnx",
                "ONNX Runtime cannot load [clip-models/garbage-onnx/text_model.onnx]",
                "bad-tokenizer",
                "[clip-models/bad-tokenizer/tokenizer.json] is not a Hugging Face tokenizer"
            );
            int attempts = 0;
            for (Map.Entry<String, String> broken : expected.entrySet()) {
                String name = broken.getKey();
                IllegalArgumentException first = expectThrows(IllegalArgumentException.class, () -> registry.get(name));
                assertEquals(++attempts, registry.loadAttempts());
                assertTrue(first.getMessage(), first.getMessage().contains(broken.getValue()));
                assertNull(first.getCause());
                BrokenModels.assertNoAbsolutePath(first.getMessage(), models);
                IllegalArgumentException second = expectThrows(IllegalArgumentException.class, () -> registry.get(name));
                assertEquals(attempts, registry.loadAttempts());
                assertTrue(second.getMessage(), second.getMessage().contains(first.getMessage()));
                BrokenModels.assertNoAbsolutePath(second.getMessage(), models);
            }
            assertEquals(expected.keySet(), registry.failures().keySet());
        }
    }

    public void testAGoodModelLoadsWhileABadOneIsRemembered() throws Exception {
        Path models = createTempDir();
        BrokenModels.folder(models, "bad", replace("config.json", "[1, 2"));
        BrokenModels.link(models.resolve("good"), SharedFixtures.miniClip());
        try (ModelRegistry registry = registry(models)) {
            expectThrows(IllegalArgumentException.class, () -> registry.get("bad"));
            ClipModel good = registry.get("good");
            assertEquals(256, good.embedTexts(List.of("a dog"))[0].length);
            expectThrows(IllegalArgumentException.class, () -> registry.get("bad"));
            assertEquals(2, registry.loadAttempts());
            assertEquals(Map.of("good", good), registry.loaded());
            assertEquals(java.util.Set.of("bad"), registry.failures().keySet());
            String reason = registry.failures().get("bad");
            assertTrue(reason, reason.startsWith("[clip-models/bad/config.json] is not a readable JSON object: "));
        }
    }

    /** Natives for another platform fail as errors (DJL throws AssertionError): a failed load like any other, never the node's end. */
    public void testANativeLoadErrorIsAFailedLoad() throws Exception {
        Path models = createTempDir();
        BrokenModels.link(models.resolve("m"), SharedFixtures.miniClip());
        ModelRegistry registry = new ModelRegistry(models, false, RETRY, clock::get, folder -> {
            throw new AssertionError("No tokenizers version found in property file.");
        });
        try (registry) {
            IllegalStateException e = expectThrows(IllegalStateException.class, () -> registry.get("m"));
            assertEquals("CLIP model [m] failed to load: No tokenizers version found in property file.", e.getMessage());
            assertEquals(e.getMessage(), registry.failures().get("m"));
        }
    }

    public void testUnknownNamesAreNotRemembered() throws Exception {
        Path models = createTempDir();
        try (ModelRegistry registry = registry(models)) {
            IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> registry.get("nope"));
            assertTrue(e.getMessage(), e.getMessage().startsWith("unknown CLIP model [nope]"));
            BrokenModels.assertNoAbsolutePath(e.getMessage(), models);
            expectThrows(IllegalArgumentException.class, () -> registry.get("../etc"));
            assertEquals(0, registry.loadAttempts());
            assertEquals(Map.of(), registry.failures());
        }
    }

    /** A load that hangs holds only its own model's lock: another model loads and serves meanwhile. */
    public void testASlowLoadDoesNotBlockOtherModels() throws Exception {
        Path models = createTempDir();
        BrokenModels.link(models.resolve("slow"), SharedFixtures.miniClip());
        BrokenModels.link(models.resolve("fast"), SharedFixtures.miniClip());
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ModelRegistry registry = new ModelRegistry(models, false, RETRY, clock::get, folder -> {
            if (folder.name().equals("slow")) {
                slowStarted.countDown();
                release.await();
                throw new IllegalStateException("stuck load given up");
            }
            return DjlRuntime.call(() -> ClipModel.load(folder, 1));
        });
        AtomicReference<Exception> slowFailure = new AtomicReference<>();
        Thread slow = new Thread(() -> {
            try {
                registry.get("slow");
            } catch (Exception e) {
                slowFailure.set(e);
            }
        });
        try {
            slow.start();
            assertTrue(slowStarted.await(10, TimeUnit.SECONDS));
            assertEquals(256, registry.get("fast").dimension());
            assertTrue("the slow load is still running", slow.isAlive());
        } finally {
            release.countDown();
            slow.join(10_000);
            registry.close();
        }
        assertEquals("CLIP model [slow] failed to load: stuck load given up", slowFailure.get().getMessage());
    }

    /** Requests that arrive while a model is loading wait for that one load, and share its failure instead of trying again. */
    public void testConcurrentRequestsShareOneFailedLoad() throws Exception {
        Path models = createTempDir();
        BrokenModels.link(models.resolve("m"), SharedFixtures.miniClip());
        AtomicLong loads = new AtomicLong();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ModelRegistry registry = new ModelRegistry(models, false, RETRY, clock::get, folder -> {
            loads.incrementAndGet();
            loading.countDown();
            release.await();
            throw new java.io.IOException("disk on fire");
        });
        List<Thread> threads = new java.util.ArrayList<>();
        List<String> messages = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int i = 0; i < 4; i++) {
            threads.add(new Thread(() -> {
                try {
                    registry.get("m");
                } catch (IllegalStateException e) {
                    messages.add(e.getMessage());
                }
            }));
        }
        try {
            threads.get(0).start();
            assertTrue(loading.await(10, TimeUnit.SECONDS));
            for (Thread t : threads.subList(1, threads.size())) {
                t.start();
            }
            // the others are blocked on the model's lock, not loading
            assertBusy(() -> threads.subList(1, threads.size()).forEach(t -> assertEquals(Thread.State.BLOCKED, t.getState())));
        } finally {
            release.countDown();
            for (Thread t : threads) {
                t.join(10_000);
            }
            registry.close();
        }
        assertEquals(1, loads.get());
        assertEquals(4, messages.size());
        for (String message : messages) {
            assertTrue(message, message.contains("CLIP model [m] failed to load: disk on fire"));
        }
    }

    public void testCloseClosesTheModelsAndRefusesNewLoads() throws Exception {
        Path models = createTempDir();
        BrokenModels.link(models.resolve("m"), SharedFixtures.miniClip());
        ModelRegistry registry = registry(models);
        ClipModel model = registry.get("m");
        registry.close();
        assertTrue(model.freed());
        IllegalStateException e = expectThrows(IllegalStateException.class, () -> registry.get("m"));
        assertTrue(e.getMessage(), e.getMessage().contains("closed"));
        assertEquals(Map.of(), registry.loaded());
    }
}
