package org.opensearch.cliphybrid.model;

import org.opensearch.cliphybrid.ClipSettings;
import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchTestCase;

/** This build ships the CPU-only ONNX Runtime, as the plugin does: CUDA must be refused with the fix named, CPU must work. */
public class InferenceDeviceTests extends OpenSearchTestCase {
    public void testTheSettingTakesCpuOrCuda() {
        assertEquals("cpu", ClipSettings.INFERENCE_DEVICE.get(Settings.EMPTY));
        assertEquals(InferenceDevice.CUDA, InferenceDevice.of(ClipSettings.INFERENCE_DEVICE.get(Settings.builder().put("plugins.clip.inference.device", "cuda").build())));
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> ClipSettings.INFERENCE_DEVICE.get(Settings.builder().put("plugins.clip.inference.device", "tpu").build())
        );
        assertTrue(e.getMessage(), e.getMessage().contains("[cpu] or [cuda]"));
    }

    public void testCpuLoadsAndRuns() throws Exception {
        try (ClipModel model = DjlRuntime.call(() -> ClipModel.load(ModelFolder.open("mini", SharedFixtures.miniClip(), false), OrtThreads.intraOp(1), InferenceDevice.CPU))) {
            assertEquals(256, model.embedTexts(java.util.List.of("a dog"))[0].length);
        }
    }

    /** Threads that sleep rather than spin change when the work runs, not what it computes. */
    public void testSessionsWithoutSpinningEmbedTheSame() throws Exception {
        ModelFolder folder = ModelFolder.open("mini", SharedFixtures.miniClip(), false);
        float[] spinning;
        try (ClipModel model = DjlRuntime.call(() -> ClipModel.load(folder, new OrtThreads(2, true), InferenceDevice.CPU))) {
            spinning = model.embedTexts(java.util.List.of("a dog runs on the grass"))[0];
        }
        try (ClipModel model = DjlRuntime.call(() -> ClipModel.load(folder, new OrtThreads(2, false), InferenceDevice.CPU))) {
            assertArrayEquals(spinning, model.embedTexts(java.util.List.of("a dog runs on the grass"))[0], 1e-6f);
        }
        assertTrue(ClipSettings.ORT_ALLOW_SPINNING.get(Settings.EMPTY));
    }

    public void testCudaWithoutTheGpuRuntimeSaysWhatToInstall() {
        ModelRegistry registry = new ModelRegistry(SharedFixtures.miniClip().getParent(), false, OrtThreads.intraOp(1), InferenceDevice.CUDA);
        try {
            IllegalStateException e = expectThrows(IllegalStateException.class, () -> registry.get(SharedFixtures.miniClip().getFileName().toString()));
            assertTrue(e.getMessage(), e.getMessage().contains("plugins.clip.inference.device is [cuda]"));
            assertTrue(e.getMessage(), e.getMessage().contains("onnxruntime_gpu"));
            assertTrue(e.getMessage(), e.getMessage().contains("CPU"));
        } finally {
            registry.close();
        }
    }
}
