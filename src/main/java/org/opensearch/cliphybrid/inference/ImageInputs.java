package org.opensearch.cliphybrid.inference;

import org.opensearch.cliphybrid.image.ImageDecoder;
import org.opensearch.cliphybrid.image.ImageFailure;
import org.opensearch.cliphybrid.image.ImageLoadException;
import org.opensearch.cliphybrid.image.ImageLoader;
import org.opensearch.cliphybrid.image.ImageSource;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.image.ClipImagePreprocessor;
import org.opensearch.cliphybrid.stats.ClipStats;
import org.opensearch.common.lease.Releasable;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one way from an image reference, as a user writes it, to the {@code pixel_values} a model takes. Ingest and the REST
 * API both go through it, so that one image gives one vector and one error wording whichever way it came in; every image
 * is timed, counted and held within the node's {@link BytesInFlight} budget on the way.
 */
public final class ImageInputs {
    /** A parsed reference with the limits in force when it arrived, so a settings change cannot apply halfway through. */
    public record Input(ImageSource source, ImageLoader.Limits limits, long maxPixels) {}

    /** An image ready for the model; closing it gives its share of the budget back, so close it once the model has run. */
    public static final class Prepared implements Releasable {
        private final float[] pixelValues;
        private final BytesInFlight budget;
        private long reserved;

        private Prepared(float[] pixelValues, BytesInFlight budget, long reserved) {
            this.pixelValues = pixelValues;
            this.budget = budget;
            this.reserved = reserved;
        }

        public float[] pixelValues() {
            return pixelValues;
        }

        @Override
        public synchronized void close() {
            budget.release(reserved);
            reserved = 0;
        }
    }

    private final ImageLoader loader;
    private final Supplier<ImageLoader.Limits> limits;
    private final Supplier<Long> maxPixels;
    private final BytesInFlight budget;
    private final ClipStats stats;

    public ImageInputs(
        ImageLoader loader,
        Supplier<ImageLoader.Limits> limits,
        Supplier<Long> maxPixels,
        BytesInFlight budget,
        ClipStats stats
    ) {
        this.loader = loader;
        this.limits = limits;
        this.maxPixels = maxPixels;
        this.budget = budget;
        this.stats = stats;
    }

    /** Throws IllegalArgumentException when {@code value} is no image reference (bad base64, unsupported scheme, ...). */
    public Input parse(String value) {
        ImageLoader.Limits now = limits.get();
        try {
            // the byte cap applies to inline images before their base64 is decoded
            return new Input(ImageSource.parse(value, now.maxBytes()), now, maxPixels.get());
        } catch (ImageLoadException e) {
            stats.failed(e.failure());
            throw e;
        } catch (IllegalArgumentException e) {
            stats.failed(ImageFailure.INVALID);
            throw e;
        }
    }

    /**
     * Reads or fetches, decodes and preprocesses: slow and blocking, so it runs on the fetch pool (ingest) or the inference
     * pool (REST), never on a transport or write thread. Fails with a 429 when the node's byte budget is spent.
     */
    public Prepared prepare(Input input, ClipModel model) throws IOException {
        try {
            long start = System.nanoTime();
            byte[] bytes = loader.load(input.source(), input.limits());
            long loaded = System.nanoTime();
            stats.fetched(bytes.length, loaded - start);
            ClipImagePreprocessor preprocessor = model.preprocessor();
            // the model input is reserved up front with the encoded bytes, so an image that got this far is not refused later
            long modelInputBytes = (long) Float.BYTES * preprocessor.channels() * preprocessor.height() * preprocessor.width();
            String what = input.source().describe();
            long held = bytes.length + modelInputBytes;
            budget.reserve(held, 0, what);
            long[] decodedBytes = { 0 };
            try {
                BufferedImage image = ImageDecoder.decode(bytes, input.maxPixels(), (width, height, bytesHeld) -> {
                    // what the decoder says it will hold at its peak, worked out from the reader's image type and format
                    budget.reserve(bytesHeld, held, what);
                    decodedBytes[0] = bytesHeld;
                });
                long decoded = System.nanoTime();
                stats.stage(ClipStats.Stage.DECODE, decoded - loaded);
                float[] pixels = preprocessor.preprocess(image);
                stats.stage(ClipStats.Stage.PREPROCESS, System.nanoTime() - decoded);
                return new Prepared(pixels, budget, modelInputBytes);
            } catch (Exception e) {
                budget.release(modelInputBytes);
                throw e;
            } finally {
                budget.release(bytes.length + decodedBytes[0]);
            }
        } catch (Exception e) {
            stats.failed(ImageFailure.of(e));
            throw e;
        }
    }

    /**
     * Prepares one image and encodes it alone, as ingest does with {@code batch_size} 1, so the vector equals a stored one
     * bit for bit. Failures name {@code where} and the image; a spent byte budget stays a rejection (429).
     */
    public float[] embedAlone(String where, Input input, ClipModel model, InferenceService service) throws Exception {
        Prepared prepared;
        try {
            prepared = prepare(input, model);
        } catch (OpenSearchRejectedExecutionException e) {
            throw e;
        } catch (Exception e) {
            throw failure(where, input.source(), e);
        }
        try (prepared) {
            return service.encodeImages(model, List.of(prepared.pixelValues()))[0];
        }
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
        return new IllegalArgumentException(where + describe(source) + ": " + reason(cause), cause);
    }

    public static String describe(ImageSource source) {
        return source == null ? "" : " " + source.describe();
    }

    public static String reason(Exception cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
