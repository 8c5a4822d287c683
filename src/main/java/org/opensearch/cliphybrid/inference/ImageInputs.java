package org.opensearch.cliphybrid.inference;

import org.opensearch.cliphybrid.image.ImageDecoder;
import org.opensearch.cliphybrid.image.ImageLoader;
import org.opensearch.cliphybrid.image.ImageSource;
import org.opensearch.cliphybrid.model.ClipModel;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The one way from an image reference, as a user writes it, to the {@code pixel_values} a model takes. Ingest and the REST
 * API both go through it, so that one image gives one vector and one error wording whichever way it came in.
 */
public final class ImageInputs {
    /** A parsed reference with the limits in force when it arrived, so a settings change cannot apply halfway through. */
    public record Input(ImageSource source, ImageLoader.Limits limits, long maxPixels) {}

    private final ImageLoader loader;
    private final Supplier<ImageLoader.Limits> limits;
    private final Supplier<Long> maxPixels;

    public ImageInputs(ImageLoader loader, Supplier<ImageLoader.Limits> limits, Supplier<Long> maxPixels) {
        this.loader = loader;
        this.limits = limits;
        this.maxPixels = maxPixels;
    }

    /** Throws IllegalArgumentException when {@code value} is no image reference (bad base64, unsupported scheme, ...). */
    public Input parse(String value) {
        return new Input(ImageSource.parse(value), limits.get(), maxPixels.get());
    }

    /** Reads or fetches, decodes and preprocesses: slow and blocking, so it belongs on the inference pool like the model call. */
    public float[] pixelValues(Input input, ClipModel model) throws IOException {
        BufferedImage image = ImageDecoder.decode(loader.load(input.source(), input.limits()), input.maxPixels());
        return model.preprocessor().preprocess(image);
    }

    /**
     * The bytes of a file under {@code clip.images.path}, under the same confinement and byte cap as an image to embed: for
     * serving the images themselves (the search page's thumbnails).
     */
    public byte[] readFile(String path) throws IOException {
        return loader.load(new ImageSource.LocalFile(path), limits.get());
    }

    /** Names where the value was ({@code where}), which image it named when that is known, and the cause. */
    public static IllegalArgumentException failure(String where, ImageSource source, Exception cause) {
        String what = source == null ? "" : " " + source.describe();
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new IllegalArgumentException(where + what + ": " + reason, cause);
    }
}
