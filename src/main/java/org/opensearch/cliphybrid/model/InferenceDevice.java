package org.opensearch.cliphybrid.model;

import ai.djl.Device;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;

import java.util.EnumSet;
import java.util.Locale;

/**
 * Where ONNX Runtime runs the models ({@code plugins.clip.inference.device}). The plugin ships the CPU build of ONNX Runtime; CUDA
 * needs its GPU build (the {@code onnxruntime_gpu} jar) in the plugin folder instead, and a node that asks for CUDA without
 * it is told so by name rather than falling back to the CPU unnoticed.
 */
public enum InferenceDevice {
    CPU,
    CUDA;

    public static InferenceDevice of(String setting) {
        return valueOf(setting.toUpperCase(Locale.ROOT));
    }

    /** Named explicitly either way: left alone, DJL would pick a GPU by itself whenever it finds one. */
    Device djlDevice() {
        return this == CUDA ? Device.gpu() : Device.cpu();
    }

    /** Throws IllegalStateException, saying what to install, when this device cannot run here; must run inside {@link DjlRuntime#call}. */
    public void checkAvailable() {
        if (this == CPU) {
            return;
        }
        EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
        if (providers.contains(OrtProvider.CUDA) == false) {
            throw new IllegalStateException(
                "plugins.clip.inference.device is [cuda] but the ONNX Runtime in this plugin has no CUDA execution provider (it has "
                    + providers
                    + "): replace onnxruntime-<version>.jar in plugins/clip-hybrid-search/ with an onnxruntime_gpu jar of the same minor "
                    + "version, with CUDA and cuDNN installed on the node, or set plugins.clip.inference.device: cpu (see docs/ingest.md)"
            );
        }
    }
}
