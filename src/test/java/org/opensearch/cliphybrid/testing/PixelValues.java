package org.opensearch.cliphybrid.testing;

import org.opensearch.cliphybrid.model.image.ClipImagePreprocessor;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;

/** The {@code pixel_values} of one image in a heap array, which the tests compare with transformers' goldens float by float. */
public final class PixelValues {
    private PixelValues() {}

    public static float[] onHeap(ClipImagePreprocessor preprocessor, BufferedImage rgb) {
        float[] out = new float[preprocessor.size()];
        preprocessor.preprocess(rgb, FloatBuffer.wrap(out));
        return out;
    }
}
